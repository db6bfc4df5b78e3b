import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { problemItems } from '../../shared/itemErrors';
import { readLead, rowProblem } from '../tableRows';
import { claimTokenOf, isClaimWon } from '../takeNext';
import { allItems, readManagerId } from './common';

/**
 * After the conditional update that claims the lead: Won with the lead if a returned row carries this execution's
 * claim (paired to that row), else Lost with the token (paired to every item). A won row whose lead does not read
 * is an error of its item. Its parameter is Manager ID, shared with Take Next (common.ts).
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const claimToken = claimTokenOf(String(readManagerId(this) ?? ''), String(this.getExecutionId()));
	const item = items.findIndex(({ json }) => isClaimWon(json, claimToken));
	if (item === -1) return [[], [{ json: { outcome: 'lost', claimToken }, pairedItem: allItems(items) }]];
	const row = items[item].json;
	const reading = readLead(row);
	if ('problems' in reading) return [problemItems(this, [rowProblem(item, row, reading.problems)]), []];
	return [[{ json: reading.lead as unknown as IDataObject, pairedItem: { item } }], []];
}
