import type { ICredentialDataDecryptedObject, ICredentialType, IHttpRequestOptions } from 'n8n-workflow';
import { AmoCrmApi } from '../../credentials/AmoCrmApi.credentials';
import { Bitrix24WebhookApi } from '../../credentials/Bitrix24WebhookApi.credentials';
import { Ga4MeasurementProtocolApi } from '../../credentials/Ga4MeasurementProtocolApi.credentials';
import { GoogleAdsOAuth2Api } from '../../credentials/GoogleAdsOAuth2Api.credentials';
import { RevenueWebhookApi } from '../../credentials/RevenueWebhookApi.credentials';
import { YandexMetricaApi } from '../../credentials/YandexMetricaApi.credentials';
import type { Deal } from '../../nodes/shared/contracts';
import { AmoCrmServer } from '../helpers/standins/amocrmServer';
import { Bitrix24Server } from '../helpers/standins/bitrix24Server';
import { Ga4Server } from '../helpers/standins/ga4Server';
import { GoogleAdsServer } from '../helpers/standins/googleAdsServer';
import { MetricaServer } from '../helpers/standins/metricaServer';
import { csvRecords, type MultipartPart } from '../helpers/standins/parsing';
import { makeTouch, manyDeals } from '../helpers/standins/revenueDeals';
import type { Received, StandinServer } from '../helpers/standins/standinServer';
import { WebhookServer } from '../helpers/standins/webhookServer';

/**
 * The five Revenue Push destinations as the fault suite drives them: a fresh stand-in per try, the node's parameters
 * and credential for it, the secrets no report may show, and, read back from what the stand-in processed (faulted
 * requests excluded, requests whose answer was lost after processing included), every revenue version it took and
 * what the service itself de-duplicates that delivery by:
 * - GA4 keeps one purchase per transaction_id and user (Google: "deduplicates purchase events with the same
 *   transaction ID", web streams); refunds have no documented de-duplication, so each one counts;
 * - Metrica's offline conversions have none either (each accepted row counts); its CRM orders are keyed by order
 *   id (merge_mode=SAVE updates the order), so the same order sent again with the same values changes nothing;
 * - amoCRM and Bitrix24 updates set a price: the same price set twice leaves the same deal;
 * - a webhook receiver that honours the Idempotency-Key header the node sends acts on a key once;
 * - Google Ads keeps one click conversion per order id and conversion action (ORDER_ID_ALREADY_IN_USE for another).
 * A version is lost when nothing carrying it was processed, duplicated when the service counts it more than once.
 */
export type DestinationName = 'ga4' | 'metrica' | 'amocrm' | 'bitrix24' | 'webhook' | 'googleAds';

/** One delivery of a revenue version, and the key the service de-duplicates it by. */
export interface Delivery {
	versionKey: string;
	dedupKey: string;
}

export interface PushStandin {
	server: StandinServer;
	parameters: Record<string, unknown>;
	credential: ICredentialDataDecryptedObject;
	/** Strings no error or output item may contain. */
	secrets: string[];
	deliveries(): Delivery[];
}

export interface PushDestination {
	name: DestinationName;
	credentialType: ICredentialType;
	start(deals: Deal[]): Promise<PushStandin>;
}

const SECRETS = {
	ga4: 'mp-api-secret-7Q2xK9',
	metrica: 'y0_AgAAAAB-metrica-token-3f9',
	amocrm: 'amo-long-lived-token-5d1c',
	bitrix24: 'b24hooktoken8e4a1',
	webhookSigning: 'whsec-9b8a7c6d',
	webhookPath: 'hook-path-secret-41f0',
	googleAdsDeveloper: 'gads-dev-token-6c2e',
	googleAdsAccess: 'ya29.gads-access-8d3f',
};

/**
 * 60 won deals an hour old, each with a GA client id and a Google click id; for Metrica, some by Direct click (yclid),
 * some with no id (CRM orders). amoCRM and Bitrix24 get two requests (50 + 10), GA4 and the webhook one per deal,
 * Metrica three uploads, Google Ads three (25 a request).
 */
export function faultBatch(now = Date.now()): Deal[] {
	return manyDeals(60, new Date(now - 3_600_000).toISOString()).map((deal, i) => {
		const gclid = `Cj0KCQfaults${String(i).padStart(4, '0')}`;
		if (i % 8 === 3) return { ...deal, touches: deal.touches.map((touch) => ({ ...touch, ymClientId: null, yclid: `8000000000${String(i).padStart(4, '0')}`, gclid })) };
		if (i % 8 === 6) return { ...deal, touches: [makeTouch({ touchId: `t${i}`, gaClientId: deal.touches[0].gaClientId, gclid })] };
		return { ...deal, touches: deal.touches.map((touch) => ({ ...touch, gclid })) };
	});
}

/** The revenue version the suite expects per deal: `${destination}:${orderId}:purchase:${cents}:${currency}`. */
export function expectedVersion(destination: DestinationName, deal: Deal): string {
	return versionKey(destination, deal.orderId, 'purchase', Math.round((deal.total ?? 0) * 100), deal.currency ?? 'RUB');
}

function versionKey(destination: DestinationName, orderId: string, kind: string, cents: number, currency: string): string {
	return `${destination}:${orderId}:${kind}:${cents}:${currency}`;
}

const cents = (value: unknown) => Math.round(Number(value) * 100);
const processed = (server: StandinServer, path: RegExp, method = 'POST') =>
	server.received.filter((request) => request.method === method && path.test(request.path) && typeof request.outcome === 'number' && request.outcome >= 200 && request.outcome < 300);

const ga4: PushDestination = {
	name: 'ga4',
	credentialType: new Ga4MeasurementProtocolApi(),
	async start() {
		const server = await new Ga4Server().start();
		return {
			server,
			parameters: { destination: 'ga4', mode: 'won', validateOnly: false, missingClientId: 'report', oldEvents: 'clamp' },
			credential: { measurementId: 'G-FAULTS1234', apiSecret: SECRETS.ga4, endpoint: server.url },
			secrets: [SECRETS.ga4],
			deliveries: () =>
				processed(server, /^\/mp\/collect$/).flatMap((request, index) => {
					const body = request.body as { client_id: string; events: Array<{ name: string; params: { transaction_id: string; value: number; currency: string } }> };
					return body.events.map((event) => ({
						versionKey: versionKey('ga4', event.params.transaction_id, event.name, cents(event.params.value), event.params.currency),
						dedupKey: event.name === 'purchase' ? `purchase:${body.client_id}:${event.params.transaction_id}` : `${event.name}:${index}`,
					}));
				}),
		};
	},
};

const metrica: PushDestination = {
	name: 'metrica',
	credentialType: new YandexMetricaApi(),
	async start(deals) {
		const server = await new MetricaServer({ token: SECRETS.metrica }).start();
		const orderOfVisitor = new Map<string, string>();
		for (const deal of deals) for (const touch of deal.touches) for (const id of [touch.ymClientId, touch.yclid]) if (id) orderOfVisitor.set(id, deal.orderId);
		const rows = (request: Received) => csvRecords(((request.body as MultipartPart[]).find((part) => part.name === 'file')?.content ?? Buffer.alloc(0)).toString('utf8')).records;
		return {
			server,
			parameters: { destination: 'metrica', mode: 'won', counterId: '4455667', goal: 'crm_sale', withoutMetricaId: 'orders', counterTimeZone: 'Europe/Moscow' },
			credential: { token: SECRETS.metrica, apiBase: server.url },
			secrets: [SECRETS.metrica],
			deliveries: () => [
				...processed(server, /\/offline_conversions\/upload$/).flatMap((request, upload) =>
					rows(request).map((row, line) => ({
						versionKey: versionKey('metrica', orderOfVisitor.get(row.ClientId ?? row.Yclid) ?? `unknown visitor ${row.ClientId ?? row.Yclid}`, 'purchase', cents(row.Price), row.Currency),
						dedupKey: `conversion:${upload}:${line}`,
					})),
				),
				...processed(server, /\/data\/simple_orders$/).flatMap((request) =>
					rows(request).map((row) => ({
						versionKey: versionKey('metrica', row.id, row.order_status === 'CANCELLED' ? 'refund' : 'purchase', cents(row.revenue), row.currency),
						dedupKey: `order:${row.id}:${row.order_status}:${row.revenue}:${row.currency}`,
					})),
				),
			],
		};
	},
};

const amocrm: PushDestination = {
	name: 'amocrm',
	credentialType: new AmoCrmApi(),
	async start(deals) {
		const server = await new AmoCrmServer({ token: SECRETS.amocrm }).start();
		const totals = new Map(deals.map((deal) => [deal.orderId, deal]));
		return {
			server,
			parameters: { destination: 'amocrm', mode: 'won', crmIdFrom: 'orderId', wonStatusId: 142, customFields: {} },
			credential: { baseUrl: server.url, token: SECRETS.amocrm },
			secrets: [SECRETS.amocrm],
			// amoCRM keeps whole units: a lead set to its deal's rounded total carries that deal's version, any other price none.
			deliveries: () =>
				processed(server, /^\/api\/v4\/leads$/, 'PATCH').flatMap((request) =>
					(request.body as Array<{ id: number; price: number; status_id?: number }>).map((lead) => {
						const deal = totals.get(String(lead.id));
						const matches = deal !== undefined && lead.price === Math.floor((Math.round((deal.total ?? 0) * 100) + 50) / 100);
						return {
							versionKey: matches ? expectedVersion('amocrm', deal) : `amocrm:${lead.id}:price ${lead.price}`,
							dedupKey: `lead:${lead.id}:${lead.price}:${lead.status_id ?? ''}`,
						};
					}),
				),
		};
	},
};

const bitrix24: PushDestination = {
	name: 'bitrix24',
	credentialType: new Bitrix24WebhookApi(),
	async start(deals) {
		const server = await new Bitrix24Server({ userId: '1', token: SECRETS.bitrix24, deals: Object.fromEntries(deals.map((deal) => [Number(deal.orderId), { TITLE: `Deal ${deal.orderId}`, OPPORTUNITY: '0.00', CURRENCY_ID: 'RUB' }])) }).start();
		const webhookUrl = `${server.url}/rest/1/${SECRETS.bitrix24}/`;
		return {
			server,
			parameters: { destination: 'bitrix24', mode: 'won', crmIdFrom: 'orderId', writeUtm: true },
			credential: { webhookUrl },
			secrets: [SECRETS.bitrix24, webhookUrl],
			deliveries: () =>
				server.updateLog.map((update) => ({
					versionKey: versionKey('bitrix24', String(update.id), 'purchase', cents(update.fields.OPPORTUNITY), update.fields.CURRENCY_ID),
					dedupKey: `deal:${update.id}:${update.fields.OPPORTUNITY}:${update.fields.CURRENCY_ID}`,
				})),
		};
	},
};

const webhook: PushDestination = {
	name: 'webhook',
	credentialType: new RevenueWebhookApi(),
	async start() {
		const server = await new WebhookServer({ secret: SECRETS.webhookSigning }).start();
		const url = `${server.url}/hooks/${SECRETS.webhookPath}`;
		return {
			server,
			parameters: { destination: 'webhook', mode: 'won', webhookMode: 'perDeal' },
			credential: { url, secret: SECRETS.webhookSigning },
			secrets: [SECRETS.webhookSigning, SECRETS.webhookPath],
			deliveries: () =>
				processed(server, /^\/hooks\//).map((request, index) => {
					const body = request.body as { event: string; orderId: string; value: number; currency: string };
					const key = request.headers['idempotency-key'];
					return {
						versionKey: versionKey('webhook', body.orderId, body.event, cents(body.value), body.currency),
						dedupKey: typeof key === 'string' ? `key:${key}` : `no key:${index}`,
					};
				}),
		};
	},
};

/**
 * n8n signs a Google request with the OAuth2 token it keeps in oauthTokenData (requestOAuth2); the fake context knows
 * only `authenticate`, so this double of the real credential class does that one step (plumbing only).
 */
const googleAdsCredential: ICredentialType = Object.assign(new GoogleAdsOAuth2Api(), {
	properties: [...new GoogleAdsOAuth2Api().properties, { displayName: 'Token Data', name: 'oauthTokenData', type: 'json' as const, default: {} }],
	authenticate: async (credential: ICredentialDataDecryptedObject, options: IHttpRequestOptions) => ({
		...options,
		headers: { ...options.headers, Authorization: `Bearer ${(credential.oauthTokenData as { access_token: string }).access_token}` },
	}),
});

const googleAds: PushDestination = {
	name: 'googleAds',
	credentialType: googleAdsCredential,
	async start() {
		const server = await new GoogleAdsServer({ accessToken: SECRETS.googleAdsAccess, developerToken: SECRETS.googleAdsDeveloper, customerId: '1234567890', conversionActions: ['555'] }).start();
		return {
			server,
			// 25 conversions a request: three requests, so faults after the first one meet deals not yet sent.
			parameters: { destination: 'googleAds', mode: 'won', googleAdsCustomerId: '123-456-7890', conversionActionId: '555', googleAdsTimeZone: 'Europe/Moscow', googleAdsRowsPerRequest: 25 },
			credential: { developerToken: SECRETS.googleAdsDeveloper, apiUrl: server.url, oauthTokenData: { access_token: SECRETS.googleAdsAccess } },
			secrets: [SECRETS.googleAdsDeveloper, SECRETS.googleAdsAccess],
			// What the stand-in took: it refuses an order id it holds for the action, so each conversion is one it counts.
			deliveries: () =>
				server.taken.map((row) => ({
					versionKey: versionKey('googleAds', row.orderId, row.kind === 'RETRACTION' ? 'refund' : 'purchase', cents(row.value), row.currency),
					dedupKey: `${row.kind}:${row.orderId}:${row.conversionAction}`,
				})),
		};
	},
};

export const PUSH_DESTINATIONS: PushDestination[] = [ga4, metrica, amocrm, bitrix24, webhook, googleAds];
