import { createHmac, timingSafeEqual } from 'crypto';
import type { INodeProperties } from 'n8n-workflow';
import type { Transaction } from '../ledger/transactions';
import type { PushRequest } from '../transport/request';
import { centsNumber } from './cents';
import { acceptAll, answerText, shownFor, type RevenueDestination } from './destination';

/** The header the signature travels in, "sha256=<hex>" as GitHub-style receivers expect. */
export const SIGNATURE_HEADER = 'X-Signature-256';

export interface WebhookOptions {
	url: string;
	/** 'perDeal': one POST per deal; 'batch': one POST carrying up to `batchSize` deals. */
	mode: 'perDeal' | 'batch';
	batchSize?: number;
	/** HMAC-SHA256 key; no signature header without one. */
	secret?: string;
}

/** The JSON a receiver gets per deal: the revenue version doubles as its idempotency key. */
export function webhookPayload(transaction: Transaction): Record<string, unknown> {
	return {
		event: transaction.kind,
		idempotencyKey: transaction.versionKey,
		orderId: transaction.orderId,
		value: centsNumber(transaction.valueCents),
		currency: transaction.currency,
		occurredAt: new Date(transaction.occurredAtMs).toISOString(),
		items: transaction.items.map((item) => ({ id: item.id, name: item.name, price: centsNumber(item.priceCents), quantity: item.quantity })),
		clientIds: { ga: transaction.gaClientId, gaSession: transaction.gaSessionId, metrica: transaction.ymClientId, yclid: transaction.yclid },
		utm: transaction.utm,
		phones: transaction.phones,
		emails: transaction.emails,
	};
}

/** "sha256=" + hex HMAC of the exact bytes sent: the receiver recomputes it over the raw body before parsing. */
export function signBody(body: string | Uint8Array, secret: string): string {
	return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Constant-time check of a received signature header. */
export function verifySignature(body: string | Uint8Array, header: string | null | undefined, secret: string): boolean {
	if (!header) return false;
	const expected = new TextEncoder().encode(signBody(body, secret));
	const given = new TextEncoder().encode(header.trim());
	return expected.length === given.length && timingSafeEqual(expected, given);
}

export function webhookRequests(transactions: Transaction[], options: WebhookOptions): PushRequest[] {
	const size = options.mode === 'perDeal' ? 1 : Math.max(1, options.batchSize ?? 100);
	const requests: PushRequest[] = [];
	for (let start = 0; start < transactions.length; start += size) {
		const chunk = transactions.slice(start, start + size);
		const body = JSON.stringify(options.mode === 'perDeal' ? webhookPayload(chunk[0]) : { deals: chunk.map(webhookPayload) });
		const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey(chunk) };
		if (options.secret) headers[SIGNATURE_HEADER] = signBody(body, options.secret);
		requests.push({
			key: `webhook:${requests.length}`,
			method: 'POST',
			url: options.url,
			headers,
			body,
			orderIds: chunk.map((t) => t.orderId),
			versionKeys: chunk.map((t) => t.versionKey),
		});
	}
	return requests;
}

/**
 * The deal's version key (when it is plain ASCII, as header values must be); else, and for a batch, a digest of the
 * keys, so a resend of the same deals carries the same key.
 */
function idempotencyKey(chunk: Transaction[]): string {
	if (chunk.length === 1 && /^[\x21-\x7e]{1,200}$/.test(chunk[0].versionKey)) return chunk[0].versionKey;
	return createHmac('sha256', 'revenue-push').update(chunk.map((t) => t.versionKey).join('\n')).digest('hex');
}

const properties: INodeProperties[] = [
	{
		displayName: 'Send',
		name: 'webhookMode',
		type: 'options',
		options: [
			{ name: 'One Request per Deal', value: 'perDeal' },
			{ name: 'Deals in Batches', value: 'batch' },
		],
		default: 'perDeal',
		displayOptions: shownFor('webhook'),
	},
];

export interface WebhookSettings {
	destination: 'webhook';
	webhook: WebhookOptions;
}

/** A plain webhook: each body signed with the credential's secret (HMAC over the exact bytes), so sent as built. */
export const webhookDestination: RevenueDestination<WebhookSettings> = {
	credential: 'revenueWebhookApi',
	authenticatedByN8n: false,
	properties,
	read: (ctx, credential) => ({
		destination: 'webhook',
		webhook: { url: String(credential.url ?? ''), secret: String(credential.secret ?? '') || undefined, mode: ctx.getNodeParameter('webhookMode', 0) as WebhookOptions['mode'] },
	}),
	screen: () => ({ rejected: [], records: true }),
	plan: ({ webhook }, transactions) => ({
		requests: webhookRequests(transactions, webhook),
		rejected: [],
		notes: [],
		limit: null,
		errorText: (result) => answerText(result.body),
		accepted: acceptAll,
		records: true,
	}),
};
