import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { Deal } from '../../shared/contracts';
import { shownFor } from './destination';

/** Where the CRM's own record id (an amoCRM lead, a Bitrix24 deal) is found on a deal. */
export type CrmIdSource = { from: 'orderId' } | { from: 'number' } | { from: 'raw'; path: string };

/**
 * The CRM record id as a positive integer, or a reason it is missing. `raw` reads a dot path in the order's kept
 * record (e.g. "crmLeadId" or "lead.id"), for feeds whose order id is not the CRM's own id.
 */
export function crmRecordId(deal: Deal, source: CrmIdSource): { id: number } | { problem: string } {
	let value: unknown;
	if (source.from === 'orderId') value = deal.orderId;
	else if (source.from === 'number') value = deal.number;
	else value = readPath(deal.raw, source.path);
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!/^\d{1,15}$/.test(text) || Number(text) <= 0) {
		const where = source.from === 'raw' ? `raw.${source.path}` : source.from;
		return { problem: value === undefined || value === null || text === '' ? `no CRM id in ${where}` : `the CRM id in ${where} ("${String(value).slice(0, 40)}") is not a positive whole number` };
	}
	return { id: Number(text) };
}

function readPath(root: unknown, path: string): unknown {
	let node = root;
	for (const part of path.split('.').filter((p) => p.length > 0)) {
		if (node === null || typeof node !== 'object') return undefined;
		node = (node as Record<string, unknown>)[part];
	}
	return node;
}

/** Where the CRM record id is on an order: parameters of the CRM destinations (amoCRM, Bitrix24). */
export const crmIdProperties: INodeProperties[] = [
	{
		displayName: 'CRM Record ID From',
		name: 'crmIdFrom',
		type: 'options',
		options: [
			{ name: 'Order ID', value: 'orderId' },
			{ name: 'Order Number', value: 'number' },
			{ name: 'A Field of the Raw Record', value: 'raw' },
		],
		default: 'orderId',
		displayOptions: shownFor('amocrm', 'bitrix24'),
		description: 'Where the lead (amoCRM) or deal (Bitrix24) ID is on the order',
	},
	{
		displayName: 'Raw Field Path',
		name: 'crmIdPath',
		type: 'string',
		default: '',
		placeholder: 'crmLeadId',
		displayOptions: { show: { destination: ['amocrm', 'bitrix24'], crmIdFrom: ['raw'] } },
	},
];

/** Reads crmIdProperties: the path only when it is shown (a raw field). */
export function readCrmIdSource(ctx: IExecuteFunctions): CrmIdSource {
	const from = ctx.getNodeParameter('crmIdFrom', 0) as string;
	if (from === 'raw') return { from: 'raw', path: ctx.getNodeParameter('crmIdPath', 0) as string };
	return from === 'number' ? { from: 'number' } : { from: 'orderId' };
}
