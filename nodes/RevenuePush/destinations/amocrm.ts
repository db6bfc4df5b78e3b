import type { INodeProperties } from 'n8n-workflow';
import type { Transaction } from '../ledger/transactions';
import { AMOCRM_RATE } from '../transport/rateLimiter';
import { jsonRequest, type PushRequest, type Rejection } from '../transport/request';
import { centsNumber, centsToWholeUnits } from './cents';
import { crmRecordId, readCrmIdSource, type CrmIdSource } from './dealIds';
import { acceptAll, shownFor, type RevenueDestination } from './destination';

/**
 * amoCRM / Kommo API v4: leads are edited in bulk with PATCH /api/v4/leads (an array of leads). The API allows
 * 7 requests per second. The edit method's page names no batch cap; 50 is the cap Kommo documents for its batch
 * lead method (/leads/complex) and keeps one rejected request (amoCRM rejects a request whole) small.
 */
export const AMOCRM_BATCH_SIZE = 50;

/** What a custom field is filled with. */
export type AmoFieldSource = 'value' | 'currency' | 'versionKey' | 'utm_source' | 'utm_medium' | 'utm_campaign' | 'utm_content' | 'utm_term';

export interface AmoOptions {
	/** "https://example.amocrm.ru" or "https://example.kommo.com". */
	baseUrl: string;
	leadId: CrmIdSource;
	/** Moved to this stage when the revenue is pushed (142 is amoCRM's "won" stage id in every pipeline). */
	wonStatusId?: number;
	/** ...and to this one on a refund (143: "lost"). */
	refundStatusId?: number;
	customFields: Array<{ fieldId: number; source: AmoFieldSource }>;
	/** Set the lead's price to the revenue (Write Price). */
	writePrice: boolean;
	/** Sent as "Authorization: Bearer <token>" when given. */
	token?: string;
	batchSize?: number;
}

export interface AmoLeadPatch {
	id: number;
	/** Whole currency units: amoCRM keeps the lead's sale as an integer. Left out when Write Price is off. */
	price?: number;
	status_id?: number;
	custom_fields_values?: Array<{ field_id: number; values: Array<{ value: string | number }> }>;
	/** Echoed back in the answer and in validation errors: the index of the lead in its request. */
	request_id: string;
}

/** The deal's real revenue as a lead price: the won total, half up to whole units; 0 once the sale is refunded. */
export function amoPrice(transaction: Transaction): number {
	return transaction.kind === 'refund' ? 0 : centsToWholeUnits(transaction.valueCents);
}

export function amoLeadPatches(transactions: Transaction[], options: AmoOptions): { leads: Array<{ patch: Omit<AmoLeadPatch, 'request_id'>; transaction: Transaction }>; rejected: Rejection[] } {
	const rejected: Rejection[] = [];
	const byLead = new Map<number, { patch: Omit<AmoLeadPatch, 'request_id'>; transaction: Transaction }>();
	for (const transaction of transactions) {
		const found = crmRecordId(transaction.deal, options.leadId);
		if ('problem' in found) {
			rejected.push({ orderId: transaction.orderId, reason: found.problem });
			continue;
		}
		const patch: Omit<AmoLeadPatch, 'request_id'> = { id: found.id };
		if (options.writePrice) patch.price = amoPrice(transaction);
		const statusId = transaction.kind === 'refund' ? options.refundStatusId : options.wonStatusId;
		if (statusId !== undefined) patch.status_id = statusId;
		if (options.customFields.length > 0) {
			patch.custom_fields_values = options.customFields
				.map(({ fieldId, source }) => ({ field_id: fieldId, value: fieldValue(transaction, source) }))
				.filter((field): field is { field_id: number; value: string | number } => field.value !== null)
				.map(({ field_id, value }) => ({ field_id, values: [{ value }] }));
		}
		if (patch.price === undefined && patch.status_id === undefined && !patch.custom_fields_values?.length) {
			rejected.push({ orderId: transaction.orderId, reason: `nothing to write into lead ${found.id}: Write Price is off, no status is set and no custom field has a value for this deal` });
			continue;
		}
		// One lead edited twice in one request is ambiguous; the later deal wins and the earlier is reported.
		const earlier = byLead.get(found.id);
		if (earlier) rejected.push({ orderId: earlier.transaction.orderId, reason: `lead ${found.id} is also the lead of order ${transaction.orderId}, which is sent instead` });
		byLead.set(found.id, { patch, transaction });
	}
	return { leads: [...byLead.values()], rejected };
}

function fieldValue(transaction: Transaction, source: AmoFieldSource): string | number | null {
	switch (source) {
		case 'value':
			return transaction.kind === 'refund' ? 0 : centsNumber(transaction.valueCents);
		case 'currency':
			return transaction.currency;
		case 'versionKey':
			return transaction.versionKey;
		default:
			return transaction.utm[source.slice(4) as keyof Transaction['utm']];
	}
}

export function amoBaseUrlProblem(baseUrl: string): string | null {
	try {
		const url = new URL(baseUrl);
		if (url.protocol !== 'https:') return `"${url.origin}" is not https; amoCRM answers only over https`;
		return null;
	} catch {
		return `"${baseUrl}" is not a URL; write the account address, e.g. https://example.amocrm.ru`;
	}
}

/** PATCH requests of at most 50 leads each. */
export function amoRequests(leads: ReturnType<typeof amoLeadPatches>['leads'], options: AmoOptions): PushRequest[] {
	const size = Math.min(options.batchSize ?? AMOCRM_BATCH_SIZE, AMOCRM_BATCH_SIZE);
	const url = `${new URL(options.baseUrl).origin}/api/v4/leads`;
	const requests: PushRequest[] = [];
	for (let start = 0; start < leads.length; start += size) {
		const chunk = leads.slice(start, start + size);
		const body: AmoLeadPatch[] = chunk.map((lead, index) => ({ ...lead.patch, request_id: String(index) }));
		requests.push(
			jsonRequest(`amocrm:${start / size}`, 'PATCH', url, body, {
				orderIds: chunk.map((lead) => lead.transaction.orderId),
				versionKeys: chunk.map((lead) => lead.transaction.versionKey),
			}, options.token ? { Authorization: `Bearer ${options.token}` } : {}),
		);
	}
	return requests;
}

interface Problem {
	title?: string;
	type?: string;
	status?: number;
	detail?: string;
	'validation-errors'?: Array<{ request_id?: string; errors?: Array<{ code?: string; path?: string; detail?: string }> }>;
}

/** An application/problem+json answer in words, validation errors per lead included. */
export function amoProblemText(body: unknown): string {
	const problem = asProblem(body);
	if (!problem) return typeof body === 'string' && body.length > 0 ? body.slice(0, 300) : 'no error text';
	// Not problem+json (a proxy's or balancer's error page as JSON): its own text, rather than nothing.
	const head = [problem.title, problem.detail].filter((part) => part && part.length > 0).join(': ') || (problem.status ? `HTTP ${problem.status}` : JSON.stringify(problem).slice(0, 300));
	const perLead = (problem['validation-errors'] ?? []).map((entry) => {
		const details = (entry.errors ?? []).map((error) => `${error.path ?? '?'} ${error.detail ?? error.code ?? ''}`.trim()).join(', ');
		return `lead #${entry.request_id ?? '?'}: ${details}`;
	});
	return perLead.length > 0 ? `${head} (${perLead.join('; ')})` : head;
}

/**
 * Which leads of a rejected request the validation errors name (by request_id, i.e. position), with their errors:
 * amoCRM rejects the whole request, so the node can resend the others without them.
 */
export function amoRejectedPositions(body: unknown): Map<number, string> {
	const result = new Map<number, string>();
	for (const entry of asProblem(body)?.['validation-errors'] ?? []) {
		const position = Number(entry.request_id);
		if (!Number.isInteger(position)) continue;
		result.set(position, (entry.errors ?? []).map((error) => `${error.path ?? '?'}: ${error.detail ?? error.code ?? 'invalid'}`).join('; '));
	}
	return result;
}

function asProblem(body: unknown): Problem | null {
	let parsed = body;
	if (typeof body === 'string') {
		try {
			parsed = JSON.parse(body);
		} catch {
			return null;
		}
	}
	return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Problem) : null;
}

const properties: INodeProperties[] = [
	{
		displayName: 'Write Price',
		name: 'writePrice',
		type: 'boolean',
		// On: the node's behaviour before the setting existed.
		default: true,
		displayOptions: shownFor('amocrm'),
		description:
			"Whether to set the lead's price to the deal's revenue. Turn off when the deals come from this amoCRM: the price is already the CRM's own, and writing it back would overwrite a manager's edit made since the import.",
	},
	{
		displayName: 'Won Status ID',
		name: 'wonStatusId',
		type: 'number',
		default: 0,
		displayOptions: shownFor('amocrm'),
		description: 'Move the lead to this status when its revenue is pushed (142 is "won" in amoCRM); 0 leaves the status',
	},
	{
		displayName: 'Refund Status ID',
		name: 'refundStatusId',
		type: 'number',
		default: 0,
		displayOptions: { show: { destination: ['amocrm'], mode: ['refund'] } },
		description: 'Move the lead to this status when a refund sets its price to 0 (143 is "lost" in amoCRM); 0 leaves the status',
	},
	{
		displayName: 'Custom Fields',
		name: 'customFields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Field',
		default: {},
		displayOptions: shownFor('amocrm'),
		description: "Lead custom fields to fill from the deal: its ad source, the sale's value, currency or revenue version",
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{ displayName: 'Field ID', name: 'fieldId', type: 'number', default: 0, description: 'The custom field\'s ID (amoCRM: Settings → Leads → the field → API)' },
					{
						displayName: 'Value',
						name: 'source',
						type: 'options',
						options: [
							{ name: 'Currency', value: 'currency' },
							{ name: 'Revenue Version', value: 'versionKey', description: 'Destination, order, kind, cents and currency: what was pushed' },
							{ name: 'Sale Value', value: 'value', description: 'With kopecks; 0 after a refund' },
							{ name: 'UTM Campaign', value: 'utm_campaign' },
							{ name: 'UTM Content', value: 'utm_content' },
							{ name: 'UTM Medium', value: 'utm_medium' },
							{ name: 'UTM Source', value: 'utm_source' },
							{ name: 'UTM Term', value: 'utm_term' },
						],
						default: 'utm_source',
					},
				],
			},
		],
	},
];

export interface AmoSettings {
	destination: 'amocrm';
	amocrm: AmoOptions;
}

/** amoCRM / Kommo: the token goes in by the credential's `authenticate` (Bearer), so it is not in the requests built here. */
export const amocrmDestination: RevenueDestination<AmoSettings> = {
	credential: 'amoCrmApi',
	authenticatedByN8n: true,
	properties,
	read: (ctx, credential, run) => {
		const wonStatusId = ctx.getNodeParameter('wonStatusId', 0) as number;
		// Shown (and used) for refunds only.
		const refundStatusId = run.mode === 'refund' ? (ctx.getNodeParameter('refundStatusId', 0) as number) : 0;
		const fields = (ctx.getNodeParameter('customFields', 0, {}) as { field?: Array<{ fieldId: number; source: AmoFieldSource }> }).field ?? [];
		return {
			destination: 'amocrm',
			amocrm: {
				baseUrl: String(credential.baseUrl ?? ''),
				leadId: readCrmIdSource(ctx),
				customFields: fields.filter((field) => field.fieldId > 0),
				writePrice: ctx.getNodeParameter('writePrice', 0) as boolean,
				...(wonStatusId > 0 ? { wonStatusId } : {}),
				...(refundStatusId > 0 ? { refundStatusId } : {}),
			},
		};
	},
	screen: ({ amocrm }, transactions) => ({ rejected: amoLeadPatches(transactions, amocrm).rejected, records: true }),
	plan: ({ amocrm }, transactions) => {
		const patches = amoLeadPatches(transactions, amocrm);
		return { requests: amoRequests(patches.leads, amocrm), rejected: patches.rejected, notes: [], limit: AMOCRM_RATE, errorText: (result) => amoProblemText(result.body), accepted: acceptAll, records: true };
	},
};
