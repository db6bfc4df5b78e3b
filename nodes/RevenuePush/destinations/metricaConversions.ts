import { fingerprint } from '../../shared/hash';
import { centsText } from './cents';
import { csvText } from './csvWrite';
import { multipartBody } from '../transport/multipart';
import type { HttpResult } from '../transport/deliver';
import type { ReceiptLookup } from '../ledger/receipts';
import type { PushRequest, Rejection } from '../transport/request';
import type { Transaction } from '../ledger/transactions';

/** Which visitor id an offline-conversions file is keyed by (the upload's client_id_type). */
export type MetricaIdType = 'CLIENT_ID' | 'USER_ID' | 'YCLID';

const ID_COLUMN: Record<MetricaIdType, string> = { CLIENT_ID: 'ClientId', USER_ID: 'UserId', YCLID: 'Yclid' };

export const METRICA_API = 'https://api-metrika.yandex.net';

/** Metrica links an offline conversion only to a visit at most this old when the file is processed. */
const LINK_WINDOW_MS = 21 * 86_400_000;

export interface MetricaOptions {
	counterId: string;
	/** The goal's identifier (a JavaScript-event goal with the "matches" condition), the CSV's Target. */
	goal: string;
	now: number;
	/** Sent as "Authorization: OAuth <token>" when given; leave out when the caller authenticates the request. */
	token?: string;
	apiBase?: string;
	/** Rows per uploaded file (a file may be 1 GB; smaller files keep a failed upload cheap to repeat). */
	rowsPerFile?: number;
}

export interface ConversionRow {
	transaction: Transaction;
	id: string;
	dateTimeSec: number;
	notes: string[];
}

export interface ConversionPlan {
	rows: Record<MetricaIdType, ConversionRow[]>;
	/** No Metrica id, or a refund: these go to the CRM orders upload (metricaOrders.ts) instead. */
	viaOrders: Transaction[];
	rejected: Rejection[];
}

/** Offline conversions by id type: the Metrica ClientId when the deal has one, else the Direct click id (yclid). */
export function planConversions(transactions: Transaction[], options: MetricaOptions): ConversionPlan {
	const plan: ConversionPlan = { rows: { CLIENT_ID: [], USER_ID: [], YCLID: [] }, viaOrders: [], rejected: [] };
	const nowSec = Math.floor(options.now / 1000);
	for (const transaction of transactions) {
		// Offline conversions only add; a cancelled sale is taken back through the CRM orders upload (CANCELLED).
		if (transaction.kind === 'refund' || (!transaction.ymClientId && !transaction.yclid)) {
			plan.viaOrders.push(transaction);
			continue;
		}
		const type: MetricaIdType = transaction.ymClientId ? 'CLIENT_ID' : 'YCLID';
		const id = (transaction.ymClientId ?? transaction.yclid) as string;
		if (!/^\d{1,30}$/.test(id)) {
			plan.rejected.push({ orderId: transaction.orderId, reason: `the Metrica ${ID_COLUMN[type]} "${id}" is not a number` });
			continue;
		}
		const notes: string[] = [];
		let dateTimeSec = Math.floor(transaction.occurredAtMs / 1000);
		// "DateTime can only be in the past": a time ahead of now (clock skew) would fail the whole file.
		if (dateTimeSec > nowSec - 60) {
			dateTimeSec = nowSec - 60;
			notes.push('the sale time is not in the past yet; sent as one minute ago');
		}
		const lastVisit = lastVisitMs(transaction, id);
		if (lastVisit !== null && options.now - lastVisit > LINK_WINDOW_MS) {
			notes.push('the last visit with this id is more than 21 days old; Metrica will likely not link the conversion to it');
		}
		plan.rows[type].push({ transaction, id, dateTimeSec, notes });
	}
	return plan;
}

function lastVisitMs(transaction: Transaction, id: string): number | null {
	let latest: number | null = null;
	for (const touch of transaction.deal.touches) {
		if (touch.ymClientId !== id) continue;
		const at = Date.parse(touch.at);
		if (Number.isFinite(at) && (latest === null || at > latest)) latest = at;
	}
	return latest;
}

/** The CSV Metrica's offline-conversions upload takes: `<IdColumn>,Target,DateTime,Price,Currency`, unix seconds. */
export function conversionsCsv(type: MetricaIdType, goal: string, rows: ConversionRow[]): string {
	return csvText(
		[ID_COLUMN[type], 'Target', 'DateTime', 'Price', 'Currency'],
		rows.map((row) => [row.id, goal, row.dateTimeSec, centsText(row.transaction.valueCents), row.transaction.currency]),
	);
}

/** The upload URL; `comment` is kept with the upload and shown in the list of uploads (the node's receipt key). */
export function conversionsUrl(options: Pick<MetricaOptions, 'counterId' | 'apiBase'>, type: MetricaIdType, comment?: string): string {
	const url = `${options.apiBase ?? METRICA_API}/management/v1/counter/${encodeURIComponent(options.counterId)}/offline_conversions/upload?client_id_type=${type}`;
	return comment === undefined ? url : `${url}&comment=${encodeURIComponent(comment)}`;
}

/**
 * An offline-conversions upload has no idempotency key (Metrica's documentation promises no de-duplication of rows),
 * so an upload whose answer was lost must not simply be sent again. Each upload carries a comment made from its file's bytes; the list of the
 * counter's uploads shows which of them Metrica already took (receipts.ts).
 */
export function conversionsReceiptKey(csv: string): string {
	return `n8n revenue push ${fingerprint(csv)}`;
}

export function conversionsReceiptLookup(options: Pick<MetricaOptions, 'counterId' | 'apiBase' | 'token'>): ReceiptLookup {
	return {
		listing: {
			method: 'GET',
			url: `${options.apiBase ?? METRICA_API}/management/v1/counter/${encodeURIComponent(options.counterId)}/offline_conversions/uploadings`,
			headers: { Accept: 'application/json', ...metricaAuth(options.token) },
			body: '',
		},
		read: (result) => {
			const parsed = typeof result.body === 'string' ? safeJson(result.body) : result.body;
			const uploadings = (parsed as { uploadings?: unknown } | undefined)?.uploadings;
			const taken = new Map<string, HttpResult>();
			for (const uploading of Array.isArray(uploadings) ? (uploadings as Array<Record<string, unknown>>) : []) {
				if (typeof uploading?.comment === 'string') taken.set(uploading.comment, { status: 200, headers: {}, body: { uploading } });
			}
			return taken;
		},
	};
}

/** One multipart POST per id type (and per `rowsPerFile` rows). */
export function conversionRequests(plan: ConversionPlan, options: MetricaOptions): PushRequest[] {
	const requests: PushRequest[] = [];
	const size = options.rowsPerFile ?? 10_000;
	for (const type of Object.keys(plan.rows) as MetricaIdType[]) {
		const rows = plan.rows[type];
		for (let start = 0; start < rows.length; start += size) {
			const chunk = rows.slice(start, start + size);
			const csv = conversionsCsv(type, options.goal, chunk);
			const file = multipartBody({ field: 'file', filename: 'conversions.csv', contentType: 'text/csv', content: csv });
			const receiptKey = conversionsReceiptKey(csv);
			requests.push({
				key: `metrica:conversions:${type}:${start / size}`,
				method: 'POST',
				url: conversionsUrl(options, type, receiptKey),
				receiptKey,
				headers: { 'Content-Type': file.contentType, Accept: 'application/json', ...metricaAuth(options.token) },
				body: file.body,
				orderIds: chunk.map((row) => row.transaction.orderId),
				versionKeys: chunk.map((row) => row.transaction.versionKey),
			});
		}
	}
	return requests;
}

/**
 * Metrica's quota answer: 429 in the Russian docs, "420 Too Many Requests" in the English ones; both are worth a
 * retry, as are 5xx (backend_error is 503).
 */
export function metricaRetryable(status: number): boolean {
	return status === 420 || status === 429 || status === 408 || (status >= 500 && status <= 599);
}

export function metricaAuth(token: string | undefined): Record<string, string> {
	return token ? { Authorization: `OAuth ${token}` } : {};
}

export interface MetricaUploading {
	id: string;
	status: string | null;
	sourceQuantity: number | null;
	lineQuantity: number | null;
	clientIdType: string | null;
	comment: string | null;
	createTime: string | null;
}

/** The `uploading` object both upload methods answer with, or null when the answer is not one. */
export function readUploading(body: unknown): MetricaUploading | null {
	const parsed = typeof body === 'string' ? safeJson(body) : body;
	const uploading = parsed && typeof parsed === 'object' ? (parsed as { uploading?: Record<string, unknown> }).uploading : undefined;
	if (!uploading || typeof uploading !== 'object') return null;
	const id = uploading.id ?? uploading.uploading_id;
	if (id === undefined || id === null) return null;
	const text = (value: unknown) => (typeof value === 'string' ? value : null);
	const number = (value: unknown) => (typeof value === 'number' ? value : null);
	return {
		id: String(id),
		status: text(uploading.status) ?? text(uploading.api_validation_status),
		sourceQuantity: number(uploading.source_quantity),
		lineQuantity: number(uploading.line_quantity),
		clientIdType: text(uploading.client_id_type),
		comment: text(uploading.comment),
		createTime: text(uploading.create_time),
	};
}

/** Metrica's error body ({ errors: [{ error_type, message }], code, message }) as one line. */
export function metricaErrorText(body: unknown): string {
	const parsed = typeof body === 'string' ? safeJson(body) : body;
	if (!parsed || typeof parsed !== 'object') return typeof body === 'string' ? body.slice(0, 300) : 'no error text';
	const { errors, message } = parsed as { errors?: Array<{ error_type?: string; message?: string }>; message?: string };
	const details = (errors ?? []).map((error) => `${error.error_type ?? 'error'}: ${error.message ?? ''}`.trim());
	return details.length > 0 ? details.join('; ') : (message ?? JSON.stringify(parsed).slice(0, 300));
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
