import { InputDataError } from '../shared/errors';
import { amoLeadPatches, amoProblemText, amoRequests, type AmoOptions } from './amocrm';
import { batchResult, bitrixBatchRequests, bitrixErrorText, dealUpdates, parseBitrixWebhook, type BitrixOptions } from './bitrix24';
import type { CrmIdSource } from './dealIds';
import type { HttpResult } from './deliver';
import { ga4CredentialProblems, ga4Requests, planGa4Events, type Ga4Options } from './ga4';
import { readValidationMessages } from './ga4Limits';
import { conversionRequests, conversionsReceiptLookup, metricaErrorText, metricaRetryable, planConversions, readUploading, type MetricaOptions } from './metrica';
import { orderRequests, planOrders } from './metricaOrders';
import { AMOCRM_RATE, BITRIX24_RATE, METRICA_RATE, type RateLimit } from './rateLimiter';
import type { ReceiptLookup } from './receipts';
import type { PushRequest, Rejection } from './request';
import type { Transaction } from './transactions';
import { webhookRequests, type WebhookOptions } from './webhook';

/** Everything the node knows about one destination: its credential's values and the user's choices. */
export type DestinationSettings =
	| { destination: 'ga4'; ga4: Ga4Options }
	| { destination: 'metrica'; metrica: MetricaSettings }
	| { destination: 'amocrm'; amocrm: AmoOptions }
	| { destination: 'bitrix24'; webhookUrl: string; bitrix24: BitrixOptions }
	| { destination: 'webhook'; webhook: WebhookOptions };

export interface MetricaSettings extends MetricaOptions {
	/** create_date_time of the CRM orders upload is read in the counter's time zone. */
	counterTimeZone: string;
	/** Deals with no Metrica ClientId or yclid: uploaded as CRM orders matched by phone / e-mail, or only reported. */
	withoutId: 'orders' | 'report';
}

/** What an accepted request really delivered (a Bitrix24 batch can fail per command), and the service's receipt. */
export interface Acceptance {
	versionKeys: string[];
	rejected: Rejection[];
	/** The service's reference for the request, e.g. "Metrica upload 1001: UPLOADED". */
	receipt?: string;
}

/** The requests to send for a set of transactions, and how to read the service's answers. */
export interface DestinationPlan {
	requests: PushRequest[];
	/** Deals that cannot be sent as they are, with the reason. */
	rejected: Rejection[];
	/** Remarks on deals that are sent: a date moved into the service's window, a visit too old to link. */
	notes: Rejection[];
	limit: RateLimit | null;
	errorText(result: HttpResult): string;
	/** Default: 429, 408 and 5xx. */
	retryable?: (result: HttpResult) => boolean;
	accepted(request: PushRequest, result: HttpResult): Acceptance;
	/** false for GA4's validation mode: nothing is recorded as sent. */
	records: boolean;
	/** Where the service lists what it took, for requests it would count twice (those with a receiptKey). */
	receipts?: ReceiptLookup;
}

const everything = (request: PushRequest): Acceptance => ({ versionKeys: request.versionKeys, rejected: [] });

/** Throws when the destination's settings cannot be used at all (a malformed credential, counter or webhook). */
function assertUsable(settings: DestinationSettings): void {
	if (settings.destination === 'ga4') {
		const problems = ga4CredentialProblems(settings.ga4.measurementId, settings.ga4.apiSecret);
		if (problems.length > 0) throw new InputDataError(`The GA4 credential cannot be used: ${problems.join('; ')}`, 'Fix the GA4 Measurement Protocol credential.');
	}
	if (settings.destination === 'metrica' && !/^\d{1,12}$/.test(settings.metrica.counterId.trim())) {
		throw new InputDataError(`The Metrica counter ID "${settings.metrica.counterId}" is not a number`, 'Set Counter ID to the number in the counter\'s address (metrika.yandex.ru/dashboard?id=...).');
	}
	if (settings.destination === 'bitrix24') bitrixHook(settings.webhookUrl);
}

const bitrixHook = (url: string) => parseBitrixWebhook(url, { allowHttp: isLoopback(url) });

export function planDestination(settings: DestinationSettings, transactions: Transaction[]): DestinationPlan {
	assertUsable(settings);
	switch (settings.destination) {
		case 'ga4': {
			const plan = planGa4Events(transactions, settings.ga4);
			const built = ga4Requests(plan.events, settings.ga4);
			return {
				requests: built.requests,
				rejected: [...plan.rejected, ...built.rejected],
				notes: plan.events.flatMap((event) => event.notes.map((reason) => ({ orderId: event.transaction.orderId, reason }))),
				limit: null,
				errorText: (result) => textOf(result.body),
				accepted: (request, result) => {
					if (!settings.ga4.debug) return everything(request);
					const messages = readValidationMessages(result.body);
					return { versionKeys: [], rejected: messages.length > 0 ? request.orderIds.map((orderId) => ({ orderId, reason: `GA4 validation: ${messages.join('; ')}` })) : [] };
				},
				records: !settings.ga4.debug,
			};
		}
		case 'amocrm': {
			const patches = amoLeadPatches(transactions, settings.amocrm);
			return { requests: amoRequests(patches.leads, settings.amocrm), rejected: patches.rejected, notes: [], limit: AMOCRM_RATE, errorText: (result) => amoProblemText(result.body), accepted: everything, records: true };
		}
		case 'bitrix24': {
			const hook = bitrixHook(settings.webhookUrl);
			const updates = dealUpdates(transactions, settings.bitrix24);
			return {
				requests: bitrixBatchRequests(updates.updates, hook, settings.bitrix24),
				rejected: updates.rejected,
				notes: [],
				limit: BITRIX24_RATE,
				errorText: (result) => bitrixErrorText(result.body),
				accepted: (request, result) => {
					const outcome = batchResult(request, result.body);
					return { versionKeys: outcome.acceptedVersionKeys, rejected: outcome.rejected };
				},
				records: true,
			};
		}
		case 'metrica':
			return planMetrica(settings.metrica, transactions);
		case 'webhook':
			return { requests: webhookRequests(transactions, settings.webhook), rejected: [], notes: [], limit: null, errorText: (result) => textOf(result.body), accepted: everything, records: true };
	}
}

/**
 * The deals a destination cannot take as they are (no client id, no CRM id, a date it refuses), found without building
 * a request: what planDestination rejects before its requests; and whether the destination records what it takes
 * (not GA4's validation mode). Throws, as planDestination does, for settings that cannot be used at all.
 */
export function screenTransactions(settings: DestinationSettings, transactions: Transaction[]): { rejected: Rejection[]; records: boolean } {
	assertUsable(settings);
	switch (settings.destination) {
		case 'ga4':
			return { rejected: planGa4Events(transactions, settings.ga4).rejected, records: !settings.ga4.debug };
		case 'amocrm':
			return { rejected: amoLeadPatches(transactions, settings.amocrm).rejected, records: true };
		case 'bitrix24':
			return { rejected: dealUpdates(transactions, settings.bitrix24).rejected, records: true };
		case 'metrica':
			return { rejected: metricaUploads(settings.metrica, transactions).rejected, records: true };
		case 'webhook':
			return { rejected: [], records: true };
	}
}

/** Metrica's offline conversions and CRM orders for the deals, and the deals it cannot take. */
function metricaUploads(settings: MetricaSettings, transactions: Transaction[]) {
	const conversions = planConversions(transactions, settings);
	const rejected = [...conversions.rejected];
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
			return { ...everything(request), receipt: upload ? `Metrica upload ${upload.id}: ${upload.status ?? 'status unknown'}` : undefined };
		},
		records: true,
		// CRM orders need no receipt: an order id sent again updates the same order (merge_mode=SAVE).
		receipts: requests.some((request) => request.receiptKey !== undefined) ? conversionsReceiptLookup(settings) : undefined,
	};
}

export function crmIdSource(from: string, path: string): CrmIdSource {
	return from === 'raw' ? { from: 'raw', path } : from === 'number' ? { from: 'number' } : { from: 'orderId' };
}

/** http is refused for real portals (the token would travel in clear text); a portal on this machine is a test. */
function isLoopback(url: string): boolean {
	return /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(url.trim());
}

function textOf(body: unknown): string {
	if (typeof body === 'string') return body.slice(0, 300);
	return JSON.stringify(body ?? '').slice(0, 300);
}
