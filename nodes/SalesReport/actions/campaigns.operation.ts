import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { runReport, tableItems } from './input';

/** Campaign Breakdown: the drill-down rows, the orders without a source and the change against the previous period. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const { figures, pairedItem, problems } = runReport(this);
	const { dashboard } = figures;
	return [
		...tableItems('campaigns', dashboard.campaigns, pairedItem),
		...tableItems('unattributed', dashboard.unattributed, pairedItem),
		...tableItems('comparison', dashboard.comparison, pairedItem),
		...problems,
	];
}
