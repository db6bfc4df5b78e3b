import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { toNodeError } from '../../shared/nodeErrors';
import { allItems, readOptions, type Execute } from './common';
import * as assignInCrm from './assignInCrm.operation';
import * as closeInCrm from './closeInCrm.operation';
import * as confirmClaim from './confirmClaim.operation';
import * as deskPage from './deskPage.operation';
import * as expire from './expire.operation';
import * as loadCrmQueue from './loadCrmQueue.operation';
import * as putInCrm from './putInCrm.operation';
import * as qualify from './qualify.operation';
import * as rank from './rank.operation';
import * as releaseClaims from './releaseClaims.operation';
import * as signIn from './signIn.operation';
import * as takeNext from './takeNext.operation';

const OPERATIONS = new Map<string, Execute>([
	['assignInCrm', assignInCrm.execute],
	['closeInCrm', closeInCrm.execute],
	['confirmClaim', confirmClaim.execute],
	['deskPage', deskPage.execute],
	['expire', expire.execute],
	['loadCrmQueue', loadCrmQueue.execute],
	['putInCrm', putInCrm.execute],
	['qualify', qualify.execute],
	['rank', rank.execute],
	['releaseClaims', releaseClaims.execute],
	['signIn', signIn.execute],
	['takeNext', takeNext.execute],
]);

/**
 * Runs the chosen operation. A bad item is an error of its own inside the operation (see inInputOrder); a failure
 * of the whole run (a setting that does not work) stops the node, or with Continue On Fail is one error item paired
 * to every input item.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = this.getNodeParameter('operation', 0) as string;
	try {
		const execute = OPERATIONS.get(operation);
		if (execute === undefined) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not known`);
		return await execute.call(this, items, readOptions(this));
	} catch (error) {
		const failure = toNodeError(this.getNode(), error);
		if (!this.continueOnFail()) throw failure;
		return [[{ json: { error: failure.message, description: failure.description ?? '' }, pairedItem: allItems(items) }]];
	}
}
