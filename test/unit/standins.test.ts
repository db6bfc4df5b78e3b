import { amoLeadPatches, amoProblemText, amoRejectedPositions, amoRequests, type AmoOptions } from '../../nodes/RevenuePush/destinations/amocrm';
import { batchResult, bitrixBatchRequests, bitrixErrorText, dealUpdates, parseBitrixWebhook } from '../../nodes/RevenuePush/destinations/bitrix24';
import { deliver, type DeliverOptions } from '../../nodes/RevenuePush/transport/deliver';
import { DEFAULT_GA4_OPTIONS, ga4Requests, ga4Url, planGa4Events, type Ga4Options } from '../../nodes/RevenuePush/destinations/ga4';
import { readValidationMessages } from '../../nodes/RevenuePush/destinations/ga4Limits';
import { conversionRequests, metricaErrorText, planConversions, readUploading } from '../../nodes/RevenuePush/destinations/metricaConversions';
import { orderRequests, planOrders } from '../../nodes/RevenuePush/destinations/metricaOrders';
import { multipartBody } from '../../nodes/RevenuePush/transport/multipart';
import { AMOCRM_RATE, RateLimiter } from '../../nodes/RevenuePush/transport/rateLimiter';
import type { PushRequest } from '../../nodes/RevenuePush/transport/request';
import { buildTransactions, type Destination, type Transaction } from '../../nodes/RevenuePush/ledger/transactions';
import { SIGNATURE_HEADER, webhookRequests } from '../../nodes/RevenuePush/destinations/webhook';
import type { Deal } from '../../nodes/shared/contracts';
import { AmoCrmServer } from '../helpers/standins/amocrmServer';
import { Bitrix24Server } from '../helpers/standins/bitrix24Server';
import { realClock } from '../helpers/standins/clocks';
import { fetchSend, toStandin } from '../helpers/standins/fetchSend';
import { Ga4Server } from '../helpers/standins/ga4Server';
import { MetricaServer } from '../helpers/standins/metricaServer';
import { makeDeal, makeTouch, manyDeals } from '../helpers/standins/revenueDeals';
import type { StandinServer } from '../helpers/standins/standinServer';
import { WebhookServer } from '../helpers/standins/webhookServer';
import { secretProblems } from '../faults/runServiceFaults';

jest.setTimeout(20_000);

const servers: StandinServer[] = [];
async function started<T extends StandinServer>(server: T): Promise<T> {
	servers.push(server);
	return server.start();
}
afterEach(async () => {
	await Promise.all(servers.splice(0).map((server) => server.close()));
});

const fast: DeliverOptions = { retry: { maxAttempts: 5, maxTotalMs: 10_000, baseMs: 20, capMs: 200 }, sleep: realClock.sleep, now: realClock.now };
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
	fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

function transactions(deals: Deal[], destination: Destination, mode: 'won' | 'refund' = 'won', now = Date.now()): Transaction[] {
	return buildTransactions(deals, { destination, mode, defaultCurrency: null, timeZone: 'UTC', now }).transactions;
}
const recent = () => new Date(Date.now() - 3_600_000).toISOString();

describe('fault injection (on the webhook stand-in)', () => {
	it('answers injected statuses with Retry-After, then serves normally', async () => {
		const server = await started(new WebhookServer());
		server.faults.next(1, 500).next(1, { kind: 'status', status: 429, retryAfter: '3' }).next(1, 503);
		const answers = [];
		for (let i = 0; i < 4; i++) {
			const response = await post(server.url, { i });
			answers.push([response.status, response.headers.get('retry-after')]);
		}
		expect(answers).toEqual([[500, null], [429, '3'], [503, null], [200, null]]);
		expect(server.received.map((r) => r.outcome)).toEqual([500, 429, 503, 200]);
		expect(server.deliveries).toHaveLength(1);
	});

	it('holds a request without answering, drops a connection mid-body, resets one', async () => {
		const server = await started(new WebhookServer());
		server.faults.next(1, 'timeout').next(1, 'drop').next(1, 'reset');
		await expect(fetch(server.url, { method: 'POST', body: '{}', signal: AbortSignal.timeout(150) })).rejects.toMatchObject({ name: 'TimeoutError' });
		const dropped = await fetch(server.url, { method: 'POST', body: '{}' });
		await expect(dropped.text()).rejects.toThrow();
		await expect(fetch(server.url, { method: 'POST', body: '{}' })).rejects.toThrow();
		expect(server.received.map((r) => r.outcome)).toEqual(['timeout', 'dropped', 'reset']);
	});

	it('lets deliver ride out 503, a timeout, a dropped answer and a reset', async () => {
		const server = await started(new WebhookServer({ secret: 'k' }));
		const requests = webhookRequests(transactions([makeDeal()], 'webhook'), { url: server.url, mode: 'perDeal', secret: 'k' });
		server.faults.next(1, 503).next(1, 'timeout').next(1, 'drop').next(1, 'reset');
		const result = await deliver(requests, fetchSend(150), fast);
		expect(result.outcomes[0]).toMatchObject({ state: 'delivered', attempts: 5 });
		expect(server.received.map((r) => r.outcome)).toEqual([503, 'timeout', 'dropped', 'reset', 200]);
		expect(server.deliveries).toHaveLength(1);
	});

	it('echoes the credential a request carried in an error page: Authorization header, query and path', async () => {
		const server = await started(new WebhookServer());
		server.faults.next(3, { kind: 'echo', status: 502 });
		const ga4Like = await fetch(`${server.url}/mp/collect?measurement_id=G-1&api_secret=ga4-s3cret`, { method: 'POST', body: '{}' });
		expect([ga4Like.status, ga4Like.headers.get('content-type'), await ga4Like.text()]).toEqual([
			502,
			'text/html; charset=utf-8',
			'<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>POST /mp/collect?measurement_id=G-1&api_secret=ga4-s3cret</p></body></html>',
		]);
		const metricaLike = await fetch(`${server.url}/management/v1/counter/1/offline_conversions/upload`, { method: 'POST', body: '', headers: { authorization: 'OAuth y0_metrica-t0ken' } });
		expect(await metricaLike.text()).toContain('<p>Authorization: OAuth y0_metrica-t0ken</p><p>POST /management/v1/counter/1/offline_conversions/upload</p>');
		const bitrixLike = await fetch(`${server.url}/rest/1/b24-s3cret/batch.json`, { method: 'POST', body: '' });
		expect(await bitrixLike.text()).toContain('<p>POST /rest/1/b24-s3cret/batch.json</p>');
		expect(server.received.map((r) => [r.outcome, r.answer !== undefined])).toEqual([[502, true], [502, true], [502, true]]);
		expect(server.deliveries).toEqual([]);
	});

	it('the fault suite\'s secret check fails on an unredacted report, and on echo pages that carried no secret', () => {
		const secret = 'amo-l0ng-t0ken';
		const echoed = { secrets: [secret], server: { received: [{ answer: `<p>Authorization: Bearer ${secret}</p>` }] } } as unknown as Parameters<typeof secretProblems>[1];
		expect(secretProblems(`amocrm: HTTP 502: <p>Authorization: Bearer ${secret}</p>`, echoed)).toEqual(['a secret is in the report (14 characters)']);
		expect(secretProblems('amocrm: HTTP 502: <p>Authorization: Bearer ***</p>', echoed)).toEqual([]);
		const blank = { secrets: [secret], server: { received: [{ answer: '<p>POST /api/v4/leads</p>' }] } } as unknown as Parameters<typeof secretProblems>[1];
		expect(secretProblems('amocrm: HTTP 502: <p>POST /api/v4/leads</p>', blank)).toEqual(["the stand-in's echoed error pages carried no secret: the redaction check proved nothing"]);
	});

	it('gives up within the attempt budget and reports the last failure', async () => {
		const server = await started(new WebhookServer());
		server.faults.next(10, 'timeout');
		const requests = webhookRequests(transactions([makeDeal()], 'webhook'), { url: server.url, mode: 'perDeal' });
		const result = await deliver(requests, fetchSend(100), { ...fast, retry: { ...fast.retry, maxAttempts: 3 } });
		expect(result.delivered).toEqual([]);
		expect(result.outcomes[0]).toMatchObject({ state: 'failed', attempts: 3, maybeDelivered: true, reason: expect.stringMatching(/network error: TimeoutError.*gave up after 3 attempts/) });
		expect(server.received).toHaveLength(3);
	});
});

describe('GA4 stand-in', () => {
	const gaOptions = (now: number): Ga4Options => ({ ...DEFAULT_GA4_OPTIONS, measurementId: 'G-TEST123456', apiSecret: 'secret', now });

	it('answers 204 to anything on /mp/collect, as GA does', async () => {
		const server = await started(new Ga4Server());
		expect((await post(`${server.url}/mp/collect`, 'not json')).status).toBe(204);
		expect((await post(`${server.url}/mp/collect?measurement_id=G-X&api_secret=s`, { events: [] })).status).toBe(204);
	});

	it('validates on /debug/mp/collect with GA-like messages', async () => {
		const server = await started(new Ga4Server());
		const debug = async (query: string, body: unknown) => (await (await post(`${server.url}/debug/mp/collect${query}`, body)).json()).validationMessages;
		const messages = await debug('?measurement_id=G-X', {
			events: [
				{ name: '_bad', params: {} },
				{ name: 'purchase', params: { currency: 'rub', note: 'x'.repeat(101), google_x: 1 }, timestamp_micros: Date.now() },
				...Array.from({ length: 24 }, () => ({ name: 'ok_event' })),
			],
		});
		expect(messages.map((m: { validationCode: string }) => m.validationCode).sort()).toEqual(
			['EXCEEDED_MAX_ENTITIES', 'NAME_INVALID', 'NAME_RESERVED', 'VALUE_INVALID', 'VALUE_INVALID', 'VALUE_OUT_OF_BOUNDS', 'VALUE_REQUIRED', 'VALUE_REQUIRED'].sort(),
		);
		expect(messages).toContainEqual({ fieldPath: 'client_id', description: 'Measurement requires a client_id.', validationCode: 'VALUE_REQUIRED' });
		expect(readValidationMessages({ validationMessages: messages })).toContain('events: Event at index: [0] has invalid name [_bad]. Names must start with an alphabetic character and contain only alphanumeric characters and underscores. (NAME_INVALID)');
		const old = await debug('?measurement_id=G-X&api_secret=s', { client_id: '1.1', events: [{ name: 'purchase', params: {}, timestamp_micros: (Date.now() - 73 * 3_600_000) * 1000 }] });
		expect(old).toEqual([expect.objectContaining({ validationCode: 'VALUE_OUT_OF_BOUNDS', fieldPath: 'events[0].timestamp_micros' })]);
	});

	it('finds nothing to complain about in what the builders send', async () => {
		const server = await started(new Ga4Server());
		const now = Date.now();
		const deals = [...manyDeals(30, recent()), makeDeal({ orderId: 'old', updatedAt: '2020-01-01T00:00:00Z', touches: [makeTouch({ gaClientId: '5.5' })] })];
		const options = { ...gaOptions(now), debug: true };
		const { requests } = ga4Requests(planGa4Events(transactions(deals, 'ga4', 'won', now), options).events, options);
		for (const request of requests) {
			const answer = await fetchSend()({ ...request, url: toStandin(server.url)(request.url) });
			expect(readValidationMessages(answer.body)).toEqual([]);
		}
	});

	it('end to end: 60 deals delivered through a 503, every event arriving once', async () => {
		const server = await started(new Ga4Server());
		const now = Date.now();
		const options = gaOptions(now);
		const plan = planGa4Events(transactions(manyDeals(60, recent()), 'ga4', 'won', now), options);
		const { requests } = ga4Requests(plan.events, options);
		expect(requests[0].url).toBe(ga4Url(options));
		server.faults.next(1, 503);
		const result = await deliver(requests, fetchSend(1000, toStandin(server.url)), fast);
		expect(result.delivered).toHaveLength(60);
		const ids = server.collected().map((c) => c.event.params?.transaction_id);
		expect(new Set(ids).size).toBe(60);
		expect(ids).toHaveLength(60);
		expect(server.received[0].query).toEqual({ measurement_id: 'G-TEST123456', api_secret: 'secret' });
	});
});

describe('Metrica stand-in', () => {
	it('refuses a wrong token with Metrica\'s error body', async () => {
		const server = await started(new MetricaServer({ token: 'good' }));
		const response = await post(`${server.url}/management/v1/counter/1/offline_conversions/upload?client_id_type=CLIENT_ID`, {}, { Authorization: 'OAuth bad' });
		expect(response.status).toBe(403);
		const body = await response.json();
		expect(body).toEqual({ errors: [{ error_type: 'invalid_token', message: 'Invalid oauth_token' }], code: 403, message: 'Invalid oauth_token' });
		expect(metricaErrorText(body)).toBe('invalid_token: Invalid oauth_token');
	});

	it('validates uploaded CSV: future DateTime, wrong id column, bad phones', async () => {
		const server = await started(new MetricaServer({ token: 't' }));
		const upload = (path: string, csv: string) => {
			const { body, contentType } = multipartBody({ field: 'file', filename: 'f.csv', contentType: 'text/csv', content: csv });
			return fetch(`${server.url}${path}`, { method: 'POST', headers: { Authorization: 'OAuth t', 'Content-Type': contentType }, body: Buffer.from(body) });
		};
		const future = Math.floor(Date.now() / 1000) + 3600;
		const conversions = '/management/v1/counter/1/offline_conversions/upload?client_id_type=CLIENT_ID';
		expect(metricaErrorText(await (await upload(conversions, `ClientId,Target,DateTime\n1,g,${future}\n`)).json())).toMatch(/DateTime is in the future/);
		expect(metricaErrorText(await (await upload(conversions, `Yclid,Target,DateTime\n1,g,1700000000\n`)).json())).toMatch(/no ClientId column/);
		const orders = '/cdp/api/v1/counter/1/data/simple_orders?merge_mode=SAVE';
		expect(metricaErrorText(await (await upload(orders, 'id,create_date_time,phones\n1,2024-01-01 10:00:00,+7 912 345\n')).json())).toMatch(/digits with the country code/);
		expect(server.conversions).toEqual([]);
	});

	it('limits requests per second with 429', async () => {
		const server = await started(new MetricaServer({ token: 't', ratePerSec: 3 }));
		const statuses = await Promise.all(Array.from({ length: 6 }, () => post(`${server.url}/x`, {}, { Authorization: 'OAuth t' }).then((r) => r.status)));
		expect(statuses.filter((s) => s === 429)).toHaveLength(3);
	});

	it('end to end: conversions by ClientId and yclid, the rest as CRM orders', async () => {
		const server = await started(new MetricaServer({ token: 't' }));
		const now = Date.now();
		const deals = [
			...manyDeals(20, recent()),
			makeDeal({ orderId: 'y1', updatedAt: recent(), raw: { landing: '/?yclid=55566677788' } }),
			makeDeal({ orderId: 'p1', updatedAt: recent(), customer: { ...makeDeal().customer, phones: ['+79990001122'], emails: ['Buyer@Mail.RU'] } }),
		];
		const options = { counterId: '2215573', goal: 'paid', now, token: 't', apiBase: server.url };
		const plan = planConversions(transactions(deals, 'metrica', 'won', now), options);
		const orderPlan = planOrders(plan.viaOrders, { counterId: '2215573', timeZone: 'Europe/Moscow' });
		const requests: PushRequest[] = [...conversionRequests(plan, options), ...orderRequests(orderPlan, { counterId: '2215573', timeZone: 'Europe/Moscow', token: 't', apiBase: server.url })];
		server.faults.next(1, 'drop');
		const result = await deliver(requests, fetchSend(), fast);
		expect(result.delivered).toHaveLength(3);
		const uploads = result.outcomes.map((o) => (o.state === 'delivered' ? readUploading(o.response.body) : null));
		expect(uploads[0]).toMatchObject({ status: 'UPLOADED', sourceQuantity: 20, clientIdType: 'CLIENT_ID' });
		expect(server.conversions).toHaveLength(21);
		expect(server.conversions.find((c) => c.idType === 'YCLID')).toMatchObject({ Yclid: '55566677788', Target: 'paid', Price: '1500.50', Currency: 'RUB' });
		expect(server.orders.get('p1')).toMatchObject({ phones: '79990001122', emails: 'buyer@mail.ru', order_status: 'PAID', revenue: '1500.50' });
	});
});

describe('amoCRM stand-in', () => {
	const amo = (url: string, batchSize?: number): AmoOptions => ({ baseUrl: url, leadId: { from: 'orderId' }, customFields: [], writePrice: true, token: 'tok', batchSize });

	it('answers problem+json for a bad token and for invalid leads, refusing the whole request', async () => {
		const server = await started(new AmoCrmServer({ token: 'tok', leadIds: [1, 2] }));
		const noAuth = await fetch(`${server.url}/api/v4/leads`, { method: 'PATCH', body: '[]' });
		expect([noAuth.status, noAuth.headers.get('content-type')]).toEqual([401, 'application/problem+json']);
		expect(amoProblemText(await noAuth.json())).toBe('Unauthorized: Unauthorized');
		const invalid = await fetch(`${server.url}/api/v4/leads`, { method: 'PATCH', headers: { Authorization: 'Bearer tok', 'Content-Type': 'application/json' }, body: JSON.stringify([{ id: 1, price: 100 }, { id: 2, price: 10.5, request_id: '1' }, { id: 3, price: 1 }]) });
		const problem = await invalid.json();
		expect(invalid.status).toBe(400);
		expect([...amoRejectedPositions(problem).keys()]).toEqual([1, 2]);
		expect(amoProblemText(problem)).toMatch(/lead #1: price This value should be of type int\..*lead #2: id Lead 3 not found/);
		expect(server.leads.get(1)?.price).toBeNull();
	});

	it('gives 429 beyond 7 requests a second and blocks a client that keeps hammering', async () => {
		const server = await started(new AmoCrmServer({ token: 'tok', blockAfter: 10 }));
		const hammer = () => fetch(`${server.url}/api/v4/leads`, { method: 'PATCH', headers: { Authorization: 'Bearer tok', 'Content-Type': 'application/json' }, body: '[{"id":1,"price":1}]' }).then((r) => r.status);
		const statuses = await Promise.all(Array.from({ length: 30 }, hammer));
		expect(statuses.filter((s) => s === 200)).toHaveLength(7);
		expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(10);
		expect(server.blocked).toBe(true);
		expect(await hammer()).toBe(403);
	});

	it('end to end at the real limits: 200 deals in 4 PATCHes, zero 429s', async () => {
		const server = await started(new AmoCrmServer({ token: 'tok' }));
		const { leads } = amoLeadPatches(transactions(manyDeals(200), 'amocrm'), amo(server.url));
		const requests = amoRequests(leads, amo(server.url));
		const result = await deliver(requests, fetchSend(), { ...fast, limiter: new RateLimiter(AMOCRM_RATE, realClock), errorText: (r) => amoProblemText(r.body) });
		expect(result.delivered).toHaveLength(4);
		expect(server.tooManyRequests).toBe(0);
		expect(server.leads.size).toBe(200);
		expect(server.leads.get(5199)?.price).toBe(299);
	});

	it('end to end on a faster clock: 50 single-lead PATCHes paced close to the floor, zero 429s, retrying injected ones', async () => {
		// The stand-in's window is 500 ms instead of 1 s (7 per 500 ms); the limiter is told the same, with a margin
		// for the time between a request leaving and arriving (on a loaded 2-core machine 40 ms was not always enough).
		const server = await started(new AmoCrmServer({ token: 'tok', windowMs: 500 }));
		const { leads } = amoLeadPatches(transactions(manyDeals(50), 'amocrm'), amo(server.url));
		const limiter = new RateLimiter({ ratePerSec: 14, burst: 7, window: { limit: 7, ms: 500, marginMs: 150 } }, realClock);
		const started_ = Date.now();
		const result = await deliver(amoRequests(leads, amo(server.url, 1)), fetchSend(), { ...fast, limiter });
		const elapsed = Date.now() - started_;
		const floor = Math.floor(49 / 7) * 650;
		expect(result.delivered).toHaveLength(50);
		expect(server.tooManyRequests).toBe(0);
		expect(elapsed).toBeGreaterThanOrEqual(floor - 5);
		expect(elapsed).toBeLessThan(floor + 1500);

		server.faults.next(2, 429);
		const again = await deliver(amoRequests(leads.slice(0, 3), amo(server.url, 1)), fetchSend(), { ...fast, limiter });
		expect(again.delivered).toHaveLength(3);
		expect(server.blocked).toBe(false);
	});
});

describe('Bitrix24 stand-in', () => {
	const deals = (ids: number[]) => Object.fromEntries(ids.map((id) => [id, { TITLE: `Deal ${id}`, OPPORTUNITY: '0.00', CURRENCY_ID: 'RUB' }]));

	it('refuses a wrong token without echoing it, and answers Not found for an unknown deal', async () => {
		const server = await started(new Bitrix24Server({ userId: '1', token: 'tok', deals: deals([7]) }));
		const wrong = await post(`${server.url}/rest/1/nope/crm.deal.update.json`, { id: 7, fields: {} });
		expect(wrong.status).toBe(401);
		const text = await wrong.text();
		expect(text).not.toContain('nope');
		expect(bitrixErrorText(text)).toBe('INVALID_CREDENTIALS: Invalid request credentials');
		const missing = await post(`${server.url}/rest/1/tok/crm.deal.update.json`, { id: 8, fields: { OPPORTUNITY: '1.00' } });
		expect([missing.status, await missing.json()]).toEqual([400, expect.objectContaining({ error: '', error_description: 'Not found' })]);
	});

	it('reads form bodies with bracket keys, keeping "&" inside values', async () => {
		const server = await started(new Bitrix24Server({ userId: '1', token: 'tok', deals: deals([7]) }));
		const form = `id=7&fields[OPPORTUNITY]=12.50&fields[UTM_CAMPAIGN]=${encodeURIComponent('a&b=c')}`;
		const response = await fetch(`${server.url}/rest/1/tok/crm.deal.update.json`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form });
		expect((await response.json()).result).toBe(true);
		expect(server.deals.get(7)).toMatchObject({ OPPORTUNITY: '12.50', UTM_CAMPAIGN: 'a&b=c' });
	});

	it('refuses batches over 50 commands and overflowing the leaky bucket with QUERY_LIMIT_EXCEEDED', async () => {
		const server = await started(new Bitrix24Server({ userId: '1', token: 'tok', deals: deals([1]) }));
		const cmd = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`c${i}`, 'crm.deal.get?id=1']));
		const tooLong = await post(`${server.url}/rest/1/tok/batch.json`, { halt: 0, cmd });
		expect([tooLong.status, (await tooLong.json()).error]).toEqual([400, 'ERROR_BATCH_LENGTH_EXCEEDED']);
		const statuses = await Promise.all(Array.from({ length: 60 }, () => post(`${server.url}/rest/1/tok/crm.deal.get.json`, { id: 1 }).then(async (r) => [r.status, (await r.json()).error])));
		expect(statuses.filter(([s]) => s === 503).length).toBeGreaterThanOrEqual(9);
		expect(statuses.find(([s]) => s === 503)).toEqual([503, 'QUERY_LIMIT_EXCEEDED']);
		expect(server.overflows).toBeGreaterThanOrEqual(9);
	});

	it('end to end: 120 deals in 3 batches, per-deal failures split out, state updated', async () => {
		const ids = manyDeals(120).map((d) => Number(d.orderId));
		const server = await started(new Bitrix24Server({ userId: '1', token: 'tok', deals: deals(ids.filter((id) => id !== 5010)) }));
		const hook = parseBitrixWebhook(`${server.url}/rest/1/tok/`, { allowHttp: true });
		const { updates } = dealUpdates(transactions(manyDeals(120), 'bitrix24'), { dealId: { from: 'orderId' }, writeUtm: true, writeAmount: true });
		const requests = bitrixBatchRequests(updates, hook);
		const result = await deliver(requests, fetchSend(), { ...fast, limiter: new RateLimiter({ ratePerSec: 2, burst: 48 }, realClock), errorText: (r) => bitrixErrorText(r.body) });
		expect(result.delivered).toHaveLength(3);
		const split = result.outcomes.map((o) => (o.state === 'delivered' ? batchResult(o.request, o.response.body) : null));
		expect(split.flatMap((s) => s?.rejected ?? [])).toEqual([{ orderId: '5010', reason: 'Not found' }]);
		expect(split.flatMap((s) => s?.acceptedVersionKeys ?? [])).toHaveLength(119);
		expect(server.deals.get(5119)).toMatchObject({ OPPORTUNITY: '219.25', IS_MANUAL_OPPORTUNITY: 'Y', CURRENCY_ID: 'RUB', UTM_CAMPAIGN: 'spring & sale' });
		expect(server.overflows).toBe(0);
	});

	it('end to end on a faster clock: 30 requests through a 5-deep bucket draining 20/s, never overflowing', async () => {
		const ids = manyDeals(30).map((d) => Number(d.orderId));
		const server = await started(new Bitrix24Server({ userId: '1', token: 'tok', deals: deals(ids), capacity: 5, drainPerSec: 20 }));
		const hook = parseBitrixWebhook(`${server.url}/rest/1/tok/`, { allowHttp: true });
		const { updates } = dealUpdates(transactions(manyDeals(30), 'bitrix24'), { dealId: { from: 'orderId' }, writeUtm: false, writeAmount: true });
		const start = Date.now();
		const result = await deliver(bitrixBatchRequests(updates, hook, { batchSize: 1 }), fetchSend(), { ...fast, limiter: new RateLimiter({ ratePerSec: 20, burst: 4 }, realClock) });
		const elapsed = Date.now() - start;
		expect(result.delivered).toHaveLength(30);
		expect(server.overflows).toBe(0);
		expect(server.peakLevel).toBeLessThanOrEqual(5);
		expect(elapsed).toBeGreaterThanOrEqual(((30 - 4) / 20) * 1000 - 10);
		expect(elapsed).toBeLessThan(((30 - 4) / 20) * 1000 + 1500);
	});
});

describe('webhook stand-in', () => {
	it('verifies signatures over the exact bytes and stops the run on a wrong secret', async () => {
		const server = await started(new WebhookServer({ secret: 'right' }));
		const signed = webhookRequests(transactions(manyDeals(3), 'webhook'), { url: server.url, mode: 'perDeal', secret: 'right' });
		expect((await deliver(signed, fetchSend(), fast)).delivered).toHaveLength(3);
		expect(server.deliveries.every((d) => d.signatureValid)).toBe(true);
		const wrong = webhookRequests(transactions(manyDeals(3), 'webhook'), { url: server.url, mode: 'perDeal', secret: 'wrong' });
		const refused = await deliver(wrong, fetchSend(), fast);
		expect(refused.delivered).toEqual([]);
		expect(refused.outcomes.map((o) => o.attempts)).toEqual([1, 0, 0]);
		expect(wrong[0].headers[SIGNATURE_HEADER]).toMatch(/^sha256=[0-9a-f]{64}$/);
	});

	it('sees a resend of the same version under the same idempotency key', async () => {
		const server = await started(new WebhookServer());
		const requests = webhookRequests(transactions(manyDeals(2), 'webhook'), { url: server.url, mode: 'batch' });
		await deliver(requests, fetchSend(), fast);
		await deliver(requests, fetchSend(), fast);
		expect(server.deliveries).toHaveLength(2);
		expect(server.duplicates).toBe(1);
	});
});
