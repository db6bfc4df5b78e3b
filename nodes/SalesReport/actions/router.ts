import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { toNodeError } from '../../shared/nodeErrors';
import * as calls from './calls.operation';
import * as campaigns from './campaigns.operation';
import * as customers from './customers.operation';
import * as dashboard from './dashboard.operation';
import { DEALS } from './input';

const OPERATIONS = { calls, campaigns, customers, dashboard };

/** Runs the chosen operation; a failure of the whole report is one error item with Continue On Fail. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as keyof typeof OPERATIONS;
	try {
		const run = OPERATIONS[operation];
		if (run === undefined) throw new Error(`Unknown operation "${String(operation)}"`);
		return [await run.execute.call(this)];
	} catch (error) {
		const failure = toNodeError(this.getNode(), error);
		if (!this.continueOnFail()) throw failure;
		return [[{ json: { error: failure.message, description: failure.description ?? '' }, pairedItem: { item: 0, input: DEALS } }]];
	}
}
