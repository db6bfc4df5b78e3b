import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { toNodeError } from '../../shared/nodeErrors';
import { parseCountries, readTimeZone } from '../../shared/nodeParameters';
import { dealsToOrders, type DealOutcome, type DealProblem, type DealsState } from '../deals';
import { OPTION_DEFAULTS } from '../description';
import { connectCrm } from './connect';

/**
 * Reads the chosen CRM's deals (actions/amocrm.ts, actions/bitrix24.ts) once per run, with the parameters of the
 * first input item, and emits one Order per deal in the CRM's order. A deal the contract cannot take is an error
 * item with its index (Continue On Fail) or stops the run. "Changed Since Last Run" keeps its mark in the node's
 * static data, moved only after the whole run succeeded.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const secrets: string[] = [];
	let outcomes: DealOutcome[];
	try {
		const options: IDataObject = { ...OPTION_DEFAULTS, ...(this.getNodeParameter('options', 0, {}) as IDataObject) };
		const timeZone = readTimeZone(this, options.timeZone);
		const { crm, credential, read } = await connectCrm(this, secrets, {
			timeoutMs: Math.max(1, Number(options.timeoutSec)) * 1000,
			maxAttempts: Math.max(1, Number(options.maxAttempts)),
			maxTotalMs: Number(options.maxTotalSec) * 1000,
		});
		const changedOnly = this.getNodeParameter('emit', 0) === 'changed';
		const state = this.getWorkflowStaticData('node');
		const key = `${this.getNodeParameter('crm', 0) as string}:${crm.account(credential)}`;
		const previous = changedOnly ? ((state[key] as unknown as DealsState | undefined) ?? { mark: null, versions: {} }) : undefined;
		const records = await crm.read(read, credential, previous?.mark ?? null, timeZone);
		const result = dealsToOrders(records, {
			timeZone,
			phoneCountries: parseCountries(options.phoneCountries),
			defaultCurrency: options.defaultCurrency ? String(options.defaultCurrency).trim().toUpperCase() : null,
			includeRaw: options.includeRaw === true,
		}, previous);
		outcomes = result.outcomes;
		const problem = outcomes.find((outcome): outcome is { problem: DealProblem } => 'problem' in outcome);
		if (problem && !this.continueOnFail()) throw dealError(this, problem.problem);
		// Moved only now that every page was read (and every deal emitted or reported): a failed run keeps the mark.
		if (previous) state[key] = result.next as unknown as IDataObject;
	} catch (error) {
		const failure = toNodeError(this.getNode(), error, { itemIndex: 0, secrets, hint: 'No deals were imported.' });
		if (!this.continueOnFail()) throw failure;
		return [[{ json: { error: failure.message, description: failure.description ?? '' }, pairedItem: { item: 0 } }]];
	}
	return [
		outcomes.map((outcome) =>
			'order' in outcome
				? { json: outcome.order as unknown as IDataObject, pairedItem: { item: 0 } }
				: { json: { error: dealMessage(outcome.problem), description: DEAL_HINT, dealIndex: outcome.problem.index, dealId: outcome.problem.id }, pairedItem: { item: 0 }, error: dealError(this, outcome.problem) },
		),
	];
}

const DEAL_HINT = 'The deal is left out; the other deals are imported. Fix it in the CRM (its id, its amount) and it comes in on a later run.';

function dealMessage(problem: DealProblem): string {
	return `Deal ${problem.index}${problem.id === null ? '' : ` (id ${problem.id})`}: ${problem.message}`;
}

function dealError(ctx: IExecuteFunctions, problem: DealProblem): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), dealMessage(problem), { itemIndex: 0, description: DEAL_HINT });
}
