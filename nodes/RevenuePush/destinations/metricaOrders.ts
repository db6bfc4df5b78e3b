import { DateTime } from 'luxon';
import { centsText } from './cents';
import { csvText } from './csvWrite';
import { METRICA_API, metricaAuth } from './metricaConversions';
import { multipartBody } from '../transport/multipart';
import type { PushRequest, Rejection } from '../transport/request';
import type { Transaction } from '../ledger/transactions';

/**
 * Deals Metrica can only match by phone or e-mail (no ClientId, no yclid), and refunds, go to the simplified CRM
 * upload, POST /cdp/api/v1/counter/{id}/data/simple_orders (CSV in multipart, merge_mode=SAVE): Metrica matches
 * orders to visits by ClientId, phone or e-mail itself, and an order id sent again updates the same order, so a
 * cancelled deal is the same order with status CANCELLED.
 */
export interface OrdersOptions {
	counterId: string;
	/** The counter's time zone: create_date_time is read in it. */
	timeZone: string;
	token?: string;
	apiBase?: string;
	rowsPerFile?: number;
}

export const ORDER_COLUMNS = ['id', 'create_date_time', 'client_ids', 'emails', 'phones', 'order_status', 'revenue', 'currency'];

export interface OrderRows {
	rows: Array<{ transaction: Transaction; fields: string[] }>;
	rejected: Rejection[];
}

export function planOrders(transactions: Transaction[], options: OrdersOptions): OrderRows {
	const result: OrderRows = { rows: [], rejected: [] };
	for (const transaction of transactions) {
		// Metrica wants phones as digits with the country code and e-mails in lower case.
		const phones = transaction.phones.map((phone) => phone.replace(/\D/g, '')).filter((digits) => digits.length >= 10);
		const emails = transaction.emails.map((email) => email.trim().toLowerCase()).filter((email) => email.includes('@'));
		const clientIds = transaction.ymClientId ? [transaction.ymClientId] : [];
		if (phones.length + emails.length + clientIds.length === 0) {
			result.rejected.push({ orderId: transaction.orderId, reason: 'no Metrica ClientId, phone or e-mail to match the order to a visit' });
			continue;
		}
		const created = DateTime.fromMillis(transaction.createdAtMs, { zone: options.timeZone });
		result.rows.push({
			transaction,
			fields: [
				transaction.orderId,
				created.toFormat('yyyy-MM-dd HH:mm:ss'),
				clientIds.join(','),
				emails.join(','),
				phones.join(','),
				transaction.kind === 'refund' ? 'CANCELLED' : 'PAID',
				centsText(transaction.valueCents),
				transaction.currency,
			],
		});
	}
	return result;
}

export function ordersCsv(rows: OrderRows['rows']): string {
	return csvText(ORDER_COLUMNS, rows.map((row) => row.fields));
}

export function ordersUrl(options: Pick<OrdersOptions, 'counterId' | 'apiBase'>): string {
	return `${options.apiBase ?? METRICA_API}/cdp/api/v1/counter/${encodeURIComponent(options.counterId)}/data/simple_orders?merge_mode=SAVE&delimiter_type=COMMA`;
}

export function orderRequests(plan: OrderRows, options: OrdersOptions): PushRequest[] {
	const requests: PushRequest[] = [];
	const size = options.rowsPerFile ?? 10_000;
	for (let start = 0; start < plan.rows.length; start += size) {
		const chunk = plan.rows.slice(start, start + size);
		const file = multipartBody({ field: 'file', filename: 'orders.csv', contentType: 'text/csv', content: ordersCsv(chunk) });
		requests.push({
			key: `metrica:orders:${start / size}`,
			method: 'POST',
			url: ordersUrl(options),
			headers: { 'Content-Type': file.contentType, Accept: 'application/json', ...metricaAuth(options.token) },
			body: file.body,
			orderIds: chunk.map((row) => row.transaction.orderId),
			versionKeys: chunk.map((row) => row.transaction.versionKey),
		});
	}
	return requests;
}
