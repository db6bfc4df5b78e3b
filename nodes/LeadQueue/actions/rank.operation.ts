import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { problemItems } from '../../shared/itemErrors';
import { rankLeads } from '../rank';
import { leadsOf } from '../tableRows';
import { readRanking, type QueueOptions } from './common';

/**
 * The waiting leads best first (the order is the answer), each paired to its item, then the error items of rows
 * that do not read. Its parameters are the ranking ones it shares with Take Next (common.ts).
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], options: QueueOptions): Promise<INodeExecutionData[][]> {
	const { leads, problems } = leadsOf(items.map(({ json }) => json));
	const errors = problemItems(this, problems);
	const { ruleSets, lists } = readRanking(this, options.zone);
	const itemOf = new Map(leads.map(({ lead, item }) => [lead.leadId, item]));
	const { ranked } = rankLeads(
		leads.map(({ lead }) => lead),
		ruleSets,
		lists,
		options.now,
	);
	return [[...ranked.map((lead) => ({ json: lead as unknown as IDataObject, pairedItem: { item: itemOf.get(lead.leadId) ?? 0 } })), ...errors]];
}
