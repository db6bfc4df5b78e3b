import type { INodeProperties } from 'n8n-workflow';
import { InputDataError } from '../../shared/errors';
import { trimTrailing } from '../../shared/textScan';
import type { Transaction } from '../ledger/transactions';
import type { PushRequest, Rejection } from '../transport/request';
import { centsNumber } from './cents';
import { acceptAll, answerText, shownFor, type RevenueDestination } from './destination';
import { eventProblems, GA4_LIMITS, readValidationMessages, type Ga4Event } from './ga4Limits';

export interface Ga4Options {
	measurementId: string;
	/**
	 * Put into the URL's query when given, for sending without n8n (tests, benchmarks). The node leaves it out: n8n adds
	 * it to each request by the credential's `authenticate`, so no request built here carries it.
	 */
	apiSecret?: string;
	/** 'eu' sends to region1.google-analytics.com so the data is collected in the EU. */
	region: 'global' | 'eu';
	/** Send to /debug/mp/collect: GA validates and reports, records nothing. */
	debug: boolean;
	/**
	 * A deal with no GA client id: 'report' leaves it out and says so; 'orderIdAsClientId' sends it under a client id
	 * made from the order id, so GA's revenue totals match the CRM but the sale lands on no channel ((direct)).
	 */
	missingClientId: 'report' | 'orderIdAsClientId';
	/** A sale older than GA's 72-hour backdating limit: 'clamp' sends it dated just inside the limit, 'skip' reports it. */
	oldEvents: 'clamp' | 'skip';
	/** Epoch ms of the run. */
	now: number;
	/** engagement_time_msec sent with a known session_id (GA wants a positive value for the event to count as engaged). */
	engagementTimeMsec: number;
	/** Extra parameters on every event (e.g. affiliation); checked against GA's limits like the rest. */
	extraParams: Record<string, string | number>;
	/** Another collection host (a proxy, a test stand-in); the region's Google host when not given. */
	endpoint?: string;
}

export const DEFAULT_GA4_OPTIONS: Omit<Ga4Options, 'measurementId' | 'apiSecret' | 'now'> = {
	region: 'global',
	debug: false,
	missingClientId: 'report',
	oldEvents: 'clamp',
	engagementTimeMsec: 1,
	extraParams: {},
};

/** Clamped events are dated this far inside the 72-hour limit, so retries within the delivery budget still land. */
export const CLAMP_MARGIN_MS = 15 * 60_000;

/** Problems with the credential, in words; empty when it can be used. */
export function ga4CredentialProblems(measurementId: string, apiSecret: string): string[] {
	const problems: string[] = [];
	const id = measurementId.trim();
	if (/^UA-/i.test(id)) {
		problems.push(`"${id}" is a Universal Analytics property id; Universal Analytics stopped processing data in July 2023 (360 properties in 2024). Use the GA4 data stream's measurement id, "G-…" (Admin → Data streams).`);
	} else if (!/^G-[A-Z0-9]{4,20}$/.test(id)) {
		problems.push(`"${id}" is not a GA4 measurement id; it looks like "G-XXXXXXXXXX" (Admin → Data streams → your web stream)`);
	}
	if (apiSecret.trim().length === 0) problems.push('the Measurement Protocol API secret is empty (Admin → Data streams → your stream → Measurement Protocol API secrets → Create)');
	return problems;
}

/** The collection URL; it carries the API secret only when the options hold one (then show it only through redactSecrets). */
export function ga4Url(options: Pick<Ga4Options, 'measurementId' | 'apiSecret' | 'region' | 'debug' | 'endpoint'>): string {
	const host = trimTrailing(options.endpoint ?? '', '/') || (options.region === 'eu' ? 'https://region1.google-analytics.com' : 'https://www.google-analytics.com');
	const query = new URLSearchParams({ measurement_id: options.measurementId.trim() });
	if (options.apiSecret !== undefined) query.set('api_secret', options.apiSecret.trim());
	return `${host}${options.debug ? '/debug' : ''}/mp/collect?${query.toString()}`;
}

export interface PlannedGa4Event {
	transaction: Transaction;
	clientId: string;
	event: Ga4Event;
	/** Said in the report beside the deal, e.g. that its date was clamped. */
	notes: string[];
}

export interface Ga4Plan {
	events: PlannedGa4Event[];
	rejected: Rejection[];
}

/** A purchase or refund event per transaction, checked against GA's limits; what cannot be sent is reported. */
export function planGa4Events(transactions: Transaction[], options: Ga4Options): Ga4Plan {
	const plan: Ga4Plan = { events: [], rejected: [] };
	for (const transaction of transactions) {
		const notes: string[] = [];
		let clientId = transaction.gaClientId;
		if (!clientId) {
			if (options.missingClientId === 'report') {
				plan.rejected.push({ orderId: transaction.orderId, reason: 'no GA client id on the deal or its touches (choose "use the order id as client id" to send it unattributed)' });
				continue;
			}
			clientId = syntheticClientId(transaction);
			notes.push(`no GA client id: sent as client ${clientId}, so GA shows the revenue without a channel`);
		}
		const timestamp = eventTime(transaction.occurredAtMs, options);
		if (timestamp === null) {
			plan.rejected.push({ orderId: transaction.orderId, reason: `the sale is older than GA's 72-hour backdating limit (${new Date(transaction.occurredAtMs).toISOString()})` });
			continue;
		}
		if (timestamp !== transaction.occurredAtMs) notes.push(`dated ${new Date(timestamp).toISOString()} instead of ${new Date(transaction.occurredAtMs).toISOString()} (GA accepts at most 72 hours back)`);
		const event = ga4Event(transaction, timestamp, options);
		const problems = eventProblems(event);
		if (problems.length > 0) {
			plan.rejected.push({ orderId: transaction.orderId, reason: problems.join('; ') });
			continue;
		}
		plan.events.push({ transaction, clientId, event, notes });
	}
	return plan;
}

/** The event time, clamped into GA's window or null (skip). Future times (clock skew) are sent as now. */
function eventTime(occurredAtMs: number, options: Ga4Options): number | null {
	if (occurredAtMs > options.now) return options.now;
	const earliest = options.now - GA4_LIMITS.backdateMs;
	if (occurredAtMs >= earliest + CLAMP_MARGIN_MS) return occurredAtMs;
	return options.oldEvents === 'clamp' ? earliest + CLAMP_MARGIN_MS : null;
}

function ga4Event(transaction: Transaction, timestampMs: number, options: Ga4Options): Ga4Event {
	const params: Ga4Event['params'] = {
		transaction_id: transaction.orderId,
		value: centsNumber(transaction.valueCents),
		currency: transaction.currency,
	};
	// A refund without items is a full refund, which is what a cancelled deal is.
	if (transaction.kind === 'purchase' && transaction.items.length > 0) {
		params.items = transaction.items.map((item) => {
			const entry: Record<string, string | number> = { price: centsNumber(item.priceCents), quantity: item.quantity };
			if (item.id) entry.item_id = item.id;
			if (item.name) entry.item_name = item.name.length > 100 ? item.name.slice(0, 100) : item.name;
			return entry;
		});
	}
	if (transaction.gaSessionId) {
		params.session_id = transaction.gaSessionId;
		params.engagement_time_msec = options.engagementTimeMsec;
	}
	Object.assign(params, options.extraParams);
	return { name: transaction.kind, params, timestamp_micros: timestampMs * 1000 };
}

/**
 * A stable stand-in client id in GA's own shape (<random>.<seconds>), made from the order id and creation time so a
 * resend of the same deal reuses it.
 */
export function syntheticClientId(transaction: Transaction): string {
	let hash = 0x811c9dc5;
	for (let i = 0; i < transaction.orderId.length; i++) hash = Math.imul(hash ^ transaction.orderId.charCodeAt(i), 0x01000193);
	return `${(hash >>> 0) % 2_000_000_000}.${Math.floor(transaction.createdAtMs / 1000)}`;
}

const encoder = new TextEncoder();

/**
 * Requests of at most 25 events and under 130,000 bytes. One request speaks for one client_id, so events are grouped
 * by client first; a single event too big for a request is reported.
 */
export function ga4Requests(plan: PlannedGa4Event[], options: Ga4Options): { requests: PushRequest[]; rejected: Rejection[] } {
	const url = ga4Url(options);
	const byClient = new Map<string, PlannedGa4Event[]>();
	for (const planned of plan) {
		const list = byClient.get(planned.clientId) ?? [];
		list.push(planned);
		byClient.set(planned.clientId, list);
	}
	const requests: PushRequest[] = [];
	const rejected: Rejection[] = [];
	const emit = (clientId: string, batch: PlannedGa4Event[]) => {
		requests.push({
			key: `ga4:${requests.length}`,
			method: 'POST',
			url,
			headers: { 'Content-Type': 'application/json' },
			body: bodyText(clientId, batch),
			orderIds: batch.map((p) => p.transaction.orderId),
			versionKeys: batch.map((p) => p.transaction.versionKey),
		});
	};
	for (const [clientId, events] of byClient) {
		let batch: PlannedGa4Event[] = [];
		for (const planned of events) {
			if (encoder.encode(bodyText(clientId, [planned])).length >= GA4_LIMITS.bodyBytes) {
				rejected.push({ orderId: planned.transaction.orderId, reason: `the event alone is ${GA4_LIMITS.bodyBytes} bytes or more; GA takes smaller bodies (fewer items would fit)` });
				continue;
			}
			const candidate = [...batch, planned];
			if (candidate.length > GA4_LIMITS.eventsPerRequest || encoder.encode(bodyText(clientId, candidate)).length >= GA4_LIMITS.bodyBytes) {
				emit(clientId, batch);
				batch = [planned];
			} else batch = candidate;
		}
		if (batch.length > 0) emit(clientId, batch);
	}
	return { requests, rejected };
}

function bodyText(clientId: string, batch: PlannedGa4Event[]): string {
	return JSON.stringify({ client_id: clientId, events: batch.map((p) => p.event) });
}

const properties: INodeProperties[] = [
	{
		displayName: 'Validate Only',
		name: 'validateOnly',
		type: 'boolean',
		default: false,
		displayOptions: shownFor('ga4'),
		description: "Whether to send to GA's validation endpoint (/debug/mp/collect) and report its messages instead of recording sales",
	},
	{
		displayName: 'Deals Without a GA Client ID',
		name: 'missingClientId',
		type: 'options',
		options: [
			{ name: 'Report, Do Not Send', value: 'report' },
			{ name: 'Send With the Order ID as Client ID', value: 'orderIdAsClientId', description: 'Revenue totals match; the sale lands on no channel' },
		],
		default: 'report',
		displayOptions: shownFor('ga4'),
	},
	{
		displayName: 'Sales Older Than 72 Hours',
		name: 'oldEvents',
		type: 'options',
		options: [
			{ name: 'Send Dated 72 Hours Back', value: 'clamp' },
			{ name: 'Skip and Report', value: 'skip' },
		],
		default: 'clamp',
		displayOptions: shownFor('ga4'),
		description: 'GA accepts events at most 72 hours in the past',
	},
];

export interface Ga4Settings {
	destination: 'ga4';
	ga4: Ga4Options;
}

/**
 * GA4 Measurement Protocol. The API secret travels in the URL's query, as the protocol asks: n8n puts it there by the
 * credential's `authenticate` (httpRequestWithAuthentication), so the node checks it when it reads the credential
 * (a UA- id or no API secret fails the run) and leaves it out of the settings and of every request built here.
 */
export const ga4Destination: RevenueDestination<Ga4Settings> = {
	credential: 'ga4MeasurementProtocolApi',
	authenticatedByN8n: true,
	properties,
	read: (ctx, credential, run) => {
		const measurementId = String(credential.measurementId ?? '');
		const problems = ga4CredentialProblems(measurementId, String(credential.apiSecret ?? ''));
		if (problems.length > 0) throw new InputDataError(`The GA4 credential cannot be used: ${problems.join('; ')}`, 'Fix the GA4 Measurement Protocol credential.');
		return {
			destination: 'ga4',
			ga4: {
				...DEFAULT_GA4_OPTIONS,
				measurementId,
				endpoint: String(credential.endpoint ?? ''),
				debug: ctx.getNodeParameter('validateOnly', 0) as boolean,
				missingClientId: ctx.getNodeParameter('missingClientId', 0) as Ga4Options['missingClientId'],
				oldEvents: ctx.getNodeParameter('oldEvents', 0) as Ga4Options['oldEvents'],
				now: run.now,
			},
		};
	},
	screen: ({ ga4 }, transactions) => ({ rejected: planGa4Events(transactions, ga4).rejected, records: !ga4.debug }),
	plan: ({ ga4 }, transactions) => {
		const plan = planGa4Events(transactions, ga4);
		const built = ga4Requests(plan.events, ga4);
		return {
			requests: built.requests,
			rejected: [...plan.rejected, ...built.rejected],
			notes: plan.events.flatMap((event) => event.notes.map((reason) => ({ orderId: event.transaction.orderId, reason }))),
			limit: null,
			errorText: (result) => answerText(result.body),
			accepted: (request, result) => {
				if (!ga4.debug) return acceptAll(request);
				const messages = readValidationMessages(result.body);
				return { versionKeys: [], rejected: messages.length > 0 ? request.orderIds.map((orderId) => ({ orderId, reason: `GA4 validation: ${messages.join('; ')}` })) : [] };
			},
			records: !ga4.debug,
		};
	},
};
