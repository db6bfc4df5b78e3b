import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { parseList } from '../../shared/nodeParameters';
import { leadsOf } from '../tableRows';
import { takeLead } from '../takeNext';
import { allItems, readManagerId, readRanking, show, type QueueOptions } from './common';

export const description: INodeProperties[] = [
	{
		displayName: 'Managers',
		name: 'managers',
		type: 'string',
		default: '',
		placeholder: 'anna@shop.ru, boris@shop.ru',
		displayOptions: show('takeNext'),
		description: 'Managers who may take leads, separated by commas (or an expression returning a list)',
	},
];

/**
 * "Take a lead" for one manager: one answer paired to every item (the lead to claim, none, or a refusal). A stored
 * row that does not read never blocks the managers' button: it is skipped and named in `skippedRows`. Its other
 * parameters are the ranking ones and Manager ID (common.ts).
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], options: QueueOptions): Promise<INodeExecutionData[][]> {
	const { leads, problems } = leadsOf(items.map(({ json }) => json));
	const result = takeLead(
		leads.map(({ lead }) => lead),
		readManagerId(this),
		parseList(this.getNodeParameter('managers', 0)),
		String(this.getExecutionId()),
		// Each run of this node in one execution is one more attempt after a lost claim (the workflow loops back).
		Number(this.evaluateExpression('{{ $runIndex }}', 0)),
		{ ...readRanking(this, options.zone), now: options.now, zone: options.zone },
	);
	const skippedRows = problems.map(({ itemIndex, message, description }) => ({ itemIndex, message, description }));
	return [[{ json: { ...result, ...(skippedRows.length > 0 ? { skippedRows } : {}) } as unknown as IDataObject, pairedItem: allItems(items) }]];
}
