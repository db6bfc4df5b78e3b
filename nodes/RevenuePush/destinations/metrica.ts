import type { INodeProperties } from 'n8n-workflow';
import { InputDataError } from '../../shared/errors';
import { trimTrailing } from '../../shared/textScan';
import type { Transaction } from '../ledger/transactions';
import { METRICA_RATE } from '../transport/rateLimiter';
import type { Rejection } from '../transport/request';
import { acceptAll, shownFor, type DestinationPlan, type RevenueDestination } from './destination';
import { conversionRequests, conversionsReceiptLookup, metricaErrorText, metricaRetryable, planConversions, readUploading, type MetricaOptions } from './metricaConversions';
import { orderRequests, planOrders } from './metricaOrders';

const properties: INodeProperties[] = [
	{
		displayName: 'Counter ID',
		name: 'counterId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '12345678',
		displayOptions: shownFor('metrica'),
		description: 'The counter number, shown beside its name in the list of Metrica counters',
	},
	{
		displayName: 'Goal Identifier',
		name: 'goal',
		type: 'string',
		required: true,
		default: 'crm_sale',
		displayOptions: shownFor('metrica'),
		description: 'The identifier of a JavaScript-event goal of the counter (condition "matches"): the Target column of the offline conversions',
	},
	{
		displayName: 'Deals Without a Metrica Client ID or Yclid',
		name: 'withoutMetricaId',
		type: 'options',
		options: [
			{ name: 'Report, Do Not Send', value: 'report' },
			{ name: 'Upload as CRM Orders', value: 'orders', description: 'Metrica matches them to visits by phone or e-mail; refunds go this way too' },
		],
		default: 'orders',
		displayOptions: shownFor('metrica'),
	},
	{
		displayName: 'Counter Time Zone',
		name: 'counterTimeZone',
		type: 'string',
		default: 'Europe/Moscow',
		displayOptions: shownFor('metrica'),
		description: "The counter's time zone (its settings): CRM order times are written in it",
	},
];

export interface MetricaSettings extends MetricaOptions {
	/** create_date_time of the CRM orders upload is read in the counter's time zone. */
	counterTimeZone: string;
	/** Deals with no Metrica ClientId or yclid: uploaded as CRM orders matched by phone / e-mail, or only reported. */
	withoutId: 'orders' | 'report';
}

export interface MetricaDestinationSettings {
	destination: 'metrica';
	metrica: MetricaSettings;
}

/** Throws when the counter id is not a number (the URL would name no counter). */
function assertUsable(settings: MetricaSettings): void {
	if (!/^\d{1,12}$/.test(settings.counterId.trim())) {
		throw new InputDataError(`The Metrica counter ID "${settings.counterId}" is not a number`, 'Set Counter ID to the number in the counter\'s address (metrika.yandex.ru/dashboard?id=...).');
	}
}

/** Metrica's offline conversions and CRM orders for the deals, and the deals it cannot take. */
function metricaUploads(settings: MetricaSettings, transactions: Transaction[]) {
	assertUsable(settings);
	const conversions = planConversions(transactions, settings);
	const rejected: Rejection[] = [...conversions.rejected];
	const orders = settings.withoutId === 'orders' ? planOrders(conversions.viaOrders, { ...settings, timeZone: settings.counterTimeZone }) : undefined;
	if (orders) rejected.push(...orders.rejected);
	else {
		for (const transaction of conversions.viaOrders) rejected.push({ orderId: transaction.orderId, reason: transaction.kind === 'refund' ? 'a refund reaches Metrica only as a CRM order (choose "Upload as CRM Orders")' : 'no Metrica ClientId or yclid' });
	}
	return { conversions, orders, rejected };
}

/**
 * Offline conversions for deals with a Metrica ClientId or yclid; the rest, and refunds, as CRM orders that Metrica
 * matches by phone or e-mail itself (or only reported, when the user says so). Each upload's id and status is the
 * receipt of its deals.
 */
function planMetrica(settings: MetricaSettings, transactions: Transaction[]): DestinationPlan {
	const { conversions, orders, rejected } = metricaUploads(settings, transactions);
	const requests = conversionRequests(conversions, settings);
	if (orders) requests.push(...orderRequests(orders, { ...settings, timeZone: settings.counterTimeZone }));
	const rows = [...conversions.rows.CLIENT_ID, ...conversions.rows.USER_ID, ...conversions.rows.YCLID];
	return {
		requests,
		rejected,
		notes: rows.flatMap((row) => row.notes.map((reason) => ({ orderId: row.transaction.orderId, reason }))),
		limit: METRICA_RATE,
		errorText: (result) => metricaErrorText(result.body),
		retryable: (result) => metricaRetryable(result.status),
		accepted: (request, result) => {
			const upload = readUploading(result.body);
			return { ...acceptAll(request), receipt: upload ? `Metrica upload ${upload.id}: ${upload.status ?? 'status unknown'}` : undefined };
		},
		records: true,
		// CRM orders need no receipt: an order id sent again updates the same order (merge_mode=SAVE).
		receipts: requests.some((request) => request.receiptKey !== undefined) ? conversionsReceiptLookup(settings) : undefined,
	};
}

/**
 * Yandex Metrica: the OAuth token goes in by the credential's `authenticate`, so it is in none of the requests built
 * here (the uploads nor the list of uploads).
 */
export const metricaDestination: RevenueDestination<MetricaDestinationSettings> = {
	credential: 'yandexMetricaApi',
	authenticatedByN8n: true,
	properties,
	read: (ctx, credential, run) => ({
		destination: 'metrica',
		metrica: {
			counterId: String(ctx.getNodeParameter('counterId', 0)),
			goal: String(ctx.getNodeParameter('goal', 0)),
			apiBase: trimTrailing(String(credential.apiBase ?? ''), '/') || undefined,
			counterTimeZone: run.timeZone(ctx.getNodeParameter('counterTimeZone', 0)),
			withoutId: ctx.getNodeParameter('withoutMetricaId', 0) as MetricaSettings['withoutId'],
			now: run.now,
		},
	}),
	screen: ({ metrica }, transactions) => ({ rejected: metricaUploads(metrica, transactions).rejected, records: true }),
	plan: ({ metrica }, transactions) => planMetrica(metrica, transactions),
};
