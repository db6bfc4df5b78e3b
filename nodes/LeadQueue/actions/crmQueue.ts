import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { connectCrm as connect } from '../../CrmDealsImport/actions/connect';
import { amoAuthentication, OPTION_DEFAULTS } from '../../CrmDealsImport/description';
import { readId } from '../../CrmDealsImport/sources/common';
import { InputDataError, redactSecrets } from '../../shared/errors';
import type { Lead } from '../lead';
import { leadsOf } from '../tableRows';
import { amoQueue, type AmoPlace } from '../crm/amocrm';
import { bitrixQueue } from '../crm/bitrix24';
import { QUEUE_FIELDS, type QueueCrm, type QueueFieldIds } from '../crm/queue';
import { inInputOrder, type QueueOptions } from './common';

// The parameters of the operations that keep the queue in a CRM (Put in CRM Queue, Load CRM Queue, Assign in CRM,
// Close in CRM), and the connection to the CRM they choose: CRM Deals Import's reader (rate limit, 429 / 5xx
// retried, 401 in words, secrets masked) over n8n's HTTP helper with the CRM's credential.

export const CRM_OPERATIONS = ['putInCrm', 'loadCrmQueue', 'assignInCrm', 'closeInCrm'];
const QUEUE_PLACE_OPERATIONS = ['putInCrm', 'loadCrmQueue', 'closeInCrm'];

const fieldOption = (displayName: string, name: string, description: string): INodeProperties => ({ displayName, name, type: 'string', default: '', description });

export const crmDescription: INodeProperties[] = [
	{
		displayName: 'CRM',
		name: 'crm',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'amoCRM / Kommo', value: 'amocrm', description: 'The queue is a status of a pipeline; 7 requests/s' },
			{ name: 'Bitrix24', value: 'bitrix24', description: 'The queue is a deal stage; 2 requests/s' },
		],
		default: 'amocrm',
		displayOptions: { show: { operation: CRM_OPERATIONS } },
	},
	amoAuthentication({ operation: CRM_OPERATIONS, crm: ['amocrm'] }),
	{
		displayName: 'Queue Pipeline ID',
		name: 'queuePipelineId',
		type: 'string',
		default: '',
		placeholder: '7001',
		displayOptions: { show: { operation: QUEUE_PLACE_OPERATIONS, crm: ['amocrm'] } },
		description: 'The ID of the amoCRM pipeline the waiting leads are in (e.g. "Заявки")',
	},
	{
		displayName: 'Queue Status ID',
		name: 'queueStatusId',
		type: 'string',
		default: '',
		placeholder: '41001 (amoCRM) or C3:NEW (Bitrix24)',
		displayOptions: { show: { operation: QUEUE_PLACE_OPERATIONS } },
		description: 'Where waiting leads are: the amoCRM status ID (e.g. "База заявок"), or the Bitrix24 deal stage ID (NEW in the general pipeline, C3:NEW in pipeline 3)',
	},
	{
		displayName: 'Queue Fields',
		name: 'queueFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { operation: ['putInCrm', 'loadCrmQueue'] } },
		description: 'The CRM fields that keep the lead\'s queue fields: amoCRM custom field IDs (numbers), Bitrix24 field names (UF_CRM_…). UTM tags go to the CRM\'s own UTM fields.',
		options: [
			fieldOption('Form Field', 'form', '"full" or "callback"; a lead without it counts as full'),
			fieldOption('From Field', 'from', 'Where from'),
			fieldOption('Lead ID Field', 'leadId', "The site's lead ID: a run that is retried finds the lead it created by it (amoCRM: required for Put in CRM Queue; Bitrix24 keeps it in ORIGIN_ID as well)"),
			fieldOption('To Field', 'to', 'Where to'),
			fieldOption('Volume Field (M³)', 'volumeM3', 'A number field'),
			fieldOption('Weight Field (Kg)', 'weightKg', 'A number field'),
		],
	},
];

/** The queue field ids the user set (empty ones left out). */
function readFieldIds(ctx: IExecuteFunctions): QueueFieldIds {
	const given = ctx.getNodeParameter('queueFields', 0, {}) as IDataObject;
	const fields: QueueFieldIds = {};
	for (const field of QUEUE_FIELDS) {
		const id = String(given[field] ?? '').trim();
		if (id !== '') fields[field] = id;
	}
	return fields;
}

/** An amoCRM id parameter: a positive whole number, or undefined when empty. */
function amoId(ctx: IExecuteFunctions, name: string, label: string): number | undefined {
	const written = String(ctx.getNodeParameter(name, 0, '') ?? '').trim();
	if (written === '') return undefined;
	const id = readId(written);
	if (id === null) throw new InputDataError(`${label} "${written.slice(0, 40)}" is not an amoCRM id`, 'Write the number amoCRM shows for it (in the address of the pipeline settings, or from GET /api/v4/leads/pipelines).');
	return Number(id);
}

function amoPlace(ctx: IExecuteFunctions, pipeline: string, status: string, label: string): AmoPlace | undefined {
	const pipelineId = amoId(ctx, pipeline, `${label} Pipeline ID`);
	const statusId = amoId(ctx, status, `${label} Status ID`);
	return pipelineId === undefined || statusId === undefined ? undefined : { pipelineId, statusId };
}

/** The queue in the CRM the node's parameters choose, and the secrets to keep out of errors. */
export async function connectCrm(ctx: IExecuteFunctions, options: QueueOptions): Promise<{ queue: QueueCrm; secrets: string[] }> {
	const { credential, secrets, read } = await connect(ctx, [], {
		timeoutMs: Number(OPTION_DEFAULTS.timeoutSec) * 1000,
		maxAttempts: Number(OPTION_DEFAULTS.maxAttempts),
		maxTotalMs: Number(OPTION_DEFAULTS.maxTotalSec) * 1000,
		failureHint: 'A 4xx answer names what the CRM did not accept (a pipeline, status or field ID of this node, a lead that no longer exists); after a 5xx or a timeout, run again later.',
	});
	const fields = readFieldIds(ctx);
	const statusText = (name: string) => String(ctx.getNodeParameter(name, 0, '') ?? '').trim();
	if (ctx.getNodeParameter('crm', 0) === 'bitrix24') {
		const work = statusText('workStatusId');
		const lost = statusText('lostStatusId');
		return {
			queue: bitrixQueue(read, { webhookUrl: String(credential.webhookUrl ?? ''), queueStageId: statusText('queueStatusId'), fields, zone: options.zone, ...(work ? { workStageId: work } : {}), ...(lost ? { lostStageId: lost } : {}) }),
			secrets,
		};
	}
	const queue = amoPlace(ctx, 'queuePipelineId', 'queueStatusId', 'Queue');
	const work = amoPlace(ctx, 'workPipelineId', 'workStatusId', 'Working');
	const lostStatusId = amoId(ctx, 'lostStatusId', 'Lost Status ID');
	const lossReasonId = Number(ctx.getNodeParameter('lossReasonId', 0, 0)) || null;
	return {
		queue: amoQueue(read, { baseUrl: String(credential.baseUrl ?? ''), fields, zone: options.zone, lossReasonId, ...(queue ? { queue } : {}), ...(work ? { work } : {}), ...(lostStatusId ? { lostStatusId } : {}) }),
		secrets,
	};
}

/**
 * Does `work` for each lead of the input items, one after the other (the CRM's rate limit paces them): its results,
 * each paired to its item, and a lead that fails (a refused request, a missing id) is an error of its own item with
 * the CRM's words, secrets masked; the other leads go on. Rows that are no lead are errors of their items too.
 */
export async function forEachLead(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	secrets: string[],
	hint: string,
	work: (lead: Lead & Record<string, unknown>) => Promise<IDataObject>,
): Promise<INodeExecutionData[]> {
	const { leads, problems } = leadsOf(items.map(({ json }) => json));
	const results: Array<{ json: IDataObject; item: number }> = [];
	for (const { lead, item } of leads) {
		try {
			results.push({ json: await work(lead as Lead & Record<string, unknown>), item });
		} catch (error) {
			const failure = error as Error & { hint?: string };
			problems.push({ itemIndex: item, message: redactSecrets(`Item ${item} (leadId ${JSON.stringify(lead.leadId)}): ${failure.message}`, secrets), description: redactSecrets(error instanceof InputDataError && failure.hint ? failure.hint : hint, secrets) });
		}
	}
	return inInputOrder(ctx, results, problems);
}

/** The CRM id a lead item carries (from Load CRM Queue or Put in CRM Queue), or why it has none. */
export function crmLeadIdOf(lead: Record<string, unknown>): string {
	const id = readId(lead.crmLeadId);
	if (id === null) throw new InputDataError(`the lead has no crmLeadId (${JSON.stringify(lead.crmLeadId ?? null)})`, 'Pass leads that came from Load CRM Queue or Put in CRM Queue: they carry the CRM id.');
	return id;
}
