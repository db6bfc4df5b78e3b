import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { numberParameter, type NumberRule } from '../../shared/validation';
import { DEFAULT_CLOSED_REASON, expireLeads } from '../expire';
import { leadsOf } from '../tableRows';
import { inInputOrder, show, type QueueOptions } from './common';

const EXPIRE_UNDER_KG: NumberRule = { name: 'Close Leads Under (Kg)', min: 0, max: 1_000_000 };
/** A year: a lead that may wait longer is never stale. */
const EXPIRE_AFTER_HOURS: NumberRule = { name: 'After (Hours)', min: 0, max: 8760 };

export const description: INodeProperties[] = [
	{
		displayName: 'Close Leads Under (Kg)',
		name: 'expireUnderKg',
		type: 'number',
		default: 200,
		displayOptions: show('expire'),
		description: 'Waiting leads lighter than this are closed when they wait too long; 0 closes any weight',
	},
	{
		displayName: 'After (Hours)',
		name: 'expireAfterHours',
		type: 'number',
		default: 48,
		displayOptions: show('expire'),
	},
	{
		displayName: 'Closed Reason',
		name: 'closedReason',
		type: 'string',
		default: DEFAULT_CLOSED_REASON,
		displayOptions: show('expire'),
	},
];

/** The waiting leads that waited too long, closed, each paired to its item, and the rows that do not read, in input order. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], options: QueueOptions): Promise<INodeExecutionData[][]> {
	const { leads, problems } = leadsOf(items.map(({ json }) => json));
	const underKg = numberParameter(this.getNodeParameter('expireUnderKg', 0), EXPIRE_UNDER_KG);
	const afterHours = numberParameter(this.getNodeParameter('expireAfterHours', 0), EXPIRE_AFTER_HOURS);
	const closedReason = this.getNodeParameter('closedReason', 0) as string;
	const when = underKg > 0 ? { weightKg: { under: underKg } } : null;
	const { closed, kept } = expireLeads(
		leads.map(({ lead }) => lead),
		[{ when, afterHours, closedReason }],
		options.now,
		{ zone: options.zone },
	);
	// Closed and kept split the leads in input order, and kept holds the input leads themselves: the leads not kept
	// are, in order, the ones closed.
	const stayed = new Set(kept);
	const closedItems = leads.filter(({ lead }) => !stayed.has(lead)).map(({ item }, index) => ({ json: closed[index] as unknown as IDataObject, item }));
	return [inInputOrder(this, closedItems, problems)];
}
