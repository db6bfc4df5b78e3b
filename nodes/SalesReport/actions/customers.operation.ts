import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { runReport, tableItems } from './input';

/** Customer Segments: segments per channel, repeat sales per channel, first-order channel against repeat-order channel. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const { figures, pairedItem, problems } = runReport(this);
	const { customers } = figures;
	return [
		...tableItems('segments', customers.segments, pairedItem),
		...tableItems('repeatSales', customers.repeatSales, pairedItem),
		...tableItems('firstVersusRepeat', customers.firstVersusRepeat, pairedItem),
		...tableItems('customerSummary', customers.summary, pairedItem),
		...problems,
	];
}
