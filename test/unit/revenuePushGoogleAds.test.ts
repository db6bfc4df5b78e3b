import type { DestinationSettings } from '../../nodes/RevenuePush/destinations';
import { googleAdsAcceptance, googleRetryDelay, type GoogleAdsOptions } from '../../nodes/RevenuePush/destinations/googleAds';
import { StoreLedger, type DeduplicationStore } from '../../nodes/RevenuePush/ledger/ledger';
import { pushRevenue, type PushRun } from '../../nodes/RevenuePush/pushRevenue';
import type { PushRequest } from '../../nodes/RevenuePush/transport/request';
import type { Deal } from '../../nodes/shared/contracts';
import { ProcessedStore } from '../faults/processedStore';
import { fetchSend } from '../helpers/standins/fetchSend';
import { GoogleAdsServer, quotaExhausted } from '../helpers/standins/googleAdsServer';
import { makeDeal, makeTouch } from '../helpers/standins/revenueDeals';

const ACCESS = 'ya29.unit-access-token';
const DEV = 'unit-developer-token';
const NOW = Date.parse('2026-11-06T09:00:00Z');
const ACTION = 'customers/1234567890/conversionActions/555';

function options(server: GoogleAdsServer, overrides: Partial<GoogleAdsOptions> = {}): DestinationSettings {
	return {
		destination: 'googleAds',
		googleAds: { apiUrl: server.url, version: 'v25', customerId: '1234567890', loginCustomerId: '9876543210', conversionActionId: '555', timeZone: 'Europe/Moscow', consent: 'GRANTED', validateOnly: false, rowsPerRequest: 2000, developerToken: DEV, now: NOW, ...overrides },
	};
}

/** As n8n sends it: the OAuth2 bearer token added to what the destination built. */
const send = fetchSend(1000);
const signed = (request: PushRequest) => send({ ...request, headers: { ...request.headers, Authorization: `Bearer ${ACCESS}` } });

function run(settings: DestinationSettings, overrides: Partial<PushRun> = {}): PushRun {
	return {
		settings,
		mode: 'won',
		defaultCurrency: 'RUB',
		timeZone: 'Europe/Moscow',
		retry: { maxAttempts: 3, maxTotalMs: 5000, baseMs: 10, capMs: 50 },
		secrets: [DEV, ACCESS],
		send: signed,
		sleep: async () => undefined,
		now: () => NOW,
		...overrides,
	};
}

const ledger = () => new StoreLedger(new ProcessedStore().helpers('google-ads-unit') as unknown as DeduplicationStore);

/** A won deal of 12,345.67 RUB, won 2026-11-05 11:03:07 UTC, whose touch came by the Google click `gclid`. */
function wonDeal(orderId: string, click: Partial<{ gclid: string; gbraid: string; wbraid: string }>, overrides: Partial<Deal> = {}): Deal {
	return makeDeal({ orderId, total: 12345.67, currency: 'RUB', updatedAt: '2026-11-05T11:03:07Z', items: [], touches: [makeTouch({ touchId: `t${orderId}`, ...click })], ...overrides });
}

const uploads = (server: GoogleAdsServer, method: string) => server.received.filter((request) => request.path === `/v25/customers/1234567890:${method}`);

describe('Revenue Push to Google Ads: click conversions and adjustments, each revenue version once', () => {
	let server: GoogleAdsServer;
	afterEach(async () => await server.close());

	it('uploads a won deal of 12,345.67 RUB with a gclid as one conversion, in the account zone; a repeat run sends nothing', async () => {
		server = await new GoogleAdsServer({ accessToken: ACCESS, developerToken: DEV, customerId: '1234567890', managerId: '9876543210', conversionActions: ['555'] }).start();
		const store = ledger();
		const deal = wonDeal('1001', { gclid: 'Cj0KCQiA_gclid-1001' });
		const first = await pushRevenue([deal], run(options(server)), store);
		expect(first.map((outcome) => [outcome.orderId, outcome.status, outcome.versionKey, outcome.reason])).toEqual([['1001', 'sent', 'googleAds:1001:purchase:1234567:RUB', null]]);
		const [request] = uploads(server, 'uploadClickConversions');
		expect(request.headers['developer-token']).toBe(DEV);
		expect(request.headers['login-customer-id']).toBe('9876543210');
		// 11:03:07 UTC is 14:03:07 in Moscow (UTC+3 all year since 2014).
		expect(request.body).toEqual({
			conversions: [
				{ gclid: 'Cj0KCQiA_gclid-1001', conversionAction: ACTION, conversionDateTime: '2026-11-05 14:03:07+03:00', conversionValue: 12345.67, currencyCode: 'RUB', orderId: '1001', consent: { adUserData: 'GRANTED' } },
			],
			partialFailure: true,
		});
		const again = await pushRevenue([deal], run(options(server)), store);
		expect(again.map((outcome) => outcome.status)).toEqual(['alreadySent']);
		expect(server.received).toHaveLength(1);
	});

	it('restates a changed total (RESTATEMENT dated at the run) and retracts a refund (RETRACTION dated at the cancellation)', async () => {
		server = await new GoogleAdsServer({ accessToken: ACCESS, developerToken: DEV, customerId: '1234567890', managerId: '9876543210' }).start();
		const store = ledger();
		await pushRevenue([wonDeal('1001', { gclid: 'Cj0KCQiA_gclid-1001' })], run(options(server)), store);
		const changed = await pushRevenue([wonDeal('1001', { gclid: 'Cj0KCQiA_gclid-1001' }, { total: 15000 })], run(options(server)), store);
		expect(changed.map((outcome) => [outcome.status, outcome.versionKey])).toEqual([['sent', 'googleAds:1001:purchase:1500000:RUB']]);
		expect(uploads(server, 'uploadClickConversions')).toHaveLength(1);
		// NOW, 09:00 UTC, is 12:00 in Moscow.
		expect(uploads(server, 'uploadConversionAdjustments')[0].body).toEqual({
			conversionAdjustments: [{ orderId: '1001', conversionAction: ACTION, adjustmentDateTime: '2026-11-06 12:00:00+03:00', adjustmentType: 'RESTATEMENT', restatementValue: { adjustedValue: 15000, currencyCode: 'RUB' } }],
			partialFailure: true,
		});
		expect(server.conversions.get(`1001 ${ACTION}`)?.value).toBe(15000);

		const cancelled = wonDeal('1001', { gclid: 'Cj0KCQiA_gclid-1001' }, { total: 15000, stage: 'lost', updatedAt: '2026-11-06T08:00:00Z' });
		const refund = await pushRevenue([cancelled], run(options(server), { mode: 'refund' }), store);
		expect(refund.map((outcome) => [outcome.status, outcome.versionKey])).toEqual([['sent', 'googleAds:1001:refund:1500000:RUB']]);
		expect(uploads(server, 'uploadConversionAdjustments')[1].body).toEqual({
			conversionAdjustments: [{ orderId: '1001', conversionAction: ACTION, adjustmentDateTime: '2026-11-06 11:00:00+03:00', adjustmentType: 'RETRACTION' }],
			partialFailure: true,
		});
		expect(server.conversions.get(`1001 ${ACTION}`)).toMatchObject({ value: 0, retracted: true });
		const refundAgain = await pushRevenue([cancelled], run(options(server), { mode: 'refund' }), store);
		expect(refundAgain.map((outcome) => outcome.status)).toEqual(['alreadySent']);
		expect(server.received).toHaveLength(3);
	});

	it('skips the refund of a deal whose conversion it never uploaded (no RETRACTION Google would refuse), retracts it once it holds one', async () => {
		server = await new GoogleAdsServer({ accessToken: ACCESS, developerToken: DEV, customerId: '1234567890' }).start();
		const store = ledger();
		const cancelled = wonDeal('1002', { gclid: 'Cj0KCQiA_gclid-1002' }, { stage: 'lost' });
		const refund = await pushRevenue([cancelled], run(options(server), { mode: 'refund' }), store);
		expect(refund.map((outcome) => [outcome.status, outcome.reason])).toEqual([['skipped', 'no conversion of this order was uploaded to Google Ads from this workflow: nothing to retract']]);
		expect(server.received).toHaveLength(0);
		// Won later and uploaded, then cancelled: now there is a conversion to retract, and the refund goes once.
		await pushRevenue([wonDeal('1002', { gclid: 'Cj0KCQiA_gclid-1002' })], run(options(server)), store);
		const retracted = await pushRevenue([cancelled], run(options(server), { mode: 'refund' }), store);
		expect(retracted.map((outcome) => [outcome.status, outcome.versionKey])).toEqual([['sent', 'googleAds:1002:refund:1234567:RUB']]);
		expect(server.taken.map((row) => [row.kind, row.orderId])).toEqual([['conversion', '1002'], ['RETRACTION', '1002']]);
	});

	it('fails only the conversion Google refuses (index 1 of 3); the rerun sends just that one', async () => {
		server = await new GoogleAdsServer({ accessToken: ACCESS, developerToken: DEV, customerId: '1234567890', clicks: ['Cj0KCQiA_a', 'Cj0KCQiA_c'] }).start();
		const store = ledger();
		const deals = [wonDeal('A1', { gclid: 'Cj0KCQiA_a' }), wonDeal('B2', { gclid: 'Cj0KCQiA_b' }), wonDeal('C3', { gclid: 'Cj0KCQiA_c' })];
		const first = await pushRevenue(deals, run(options(server, { loginCustomerId: '', consent: '' })), store);
		expect(first.map((outcome) => [outcome.orderId, outcome.status])).toEqual([['A1', 'sent'], ['B2', 'failed'], ['C3', 'sent']]);
		expect(first[1].reason).toBe('Google Ads: EVENT_NOT_FOUND: The imported event could not be attributed to a click.');
		expect(uploads(server, 'uploadClickConversions')[0].headers['login-customer-id']).toBeUndefined();
		expect((uploads(server, 'uploadClickConversions')[0].body as { conversions: Array<Record<string, unknown>> }).conversions[0].consent).toBeUndefined();
		const rerun = await pushRevenue(deals, run(options(server)), store);
		expect(rerun.map((outcome) => outcome.status)).toEqual(['alreadySent', 'failed', 'alreadySent']);
		expect((uploads(server, 'uploadClickConversions')[1].body as { conversions: Array<{ orderId: string }> }).conversions.map((row) => row.orderId)).toEqual(['B2']);
	});

	it('reports a deal without a Google click id and sends gbraid / wbraid as such', async () => {
		server = await new GoogleAdsServer({ accessToken: ACCESS, developerToken: DEV, customerId: '1234567890' }).start();
		const deals = [wonDeal('N1', {}), wonDeal('G2', { gbraid: '0AAAAA-braid_2' }), wonDeal('W3', { wbraid: 'CkAwbraid3' }), wonDeal('X4', { gclid: 'not a click id!' })];
		const outcomes = await pushRevenue(deals, run(options(server)), ledger());
		expect(outcomes.map((outcome) => [outcome.orderId, outcome.status, outcome.reason])).toEqual([
			['N1', 'skipped', "no Google Ads click id (gclid, gbraid or wbraid) on the deal's touches"],
			['G2', 'sent', null],
			['W3', 'sent', null],
			['X4', 'skipped', 'the gclid "not a click id!" is not a Google click id'],
		]);
		const rows = (uploads(server, 'uploadClickConversions')[0].body as { conversions: Array<Record<string, unknown>> }).conversions;
		expect(rows.map((row) => [row.gbraid, row.wbraid, row.gclid])).toEqual([['0AAAAA-braid_2', undefined, undefined], [undefined, 'CkAwbraid3', undefined]]);
	});

	it('waits the retryDelay of a 429 RESOURCE_EXHAUSTED and counts a conversion Google already has (its answer was lost) as sent, once', async () => {
		server = await new GoogleAdsServer({ accessToken: ACCESS, developerToken: DEV, customerId: '1234567890' }).start();
		server.faults.next(1, { kind: 'status', status: 429, body: quotaExhausted('2s') });
		server.faults.next(1, { kind: 'lostAnswer', after: 'reset' });
		const waits: number[] = [];
		const outcomes = await pushRevenue([wonDeal('1001', { gclid: 'Cj0KCQiA_gclid-1001' })], run(options(server), { sleep: async (ms) => void waits.push(ms), retry: { maxAttempts: 3, maxTotalMs: 5000, baseMs: 10, capMs: 1000 } }), ledger());
		expect(outcomes.map((outcome) => [outcome.status, outcome.attempts])).toEqual([['sent', 3]]);
		expect(waits[0]).toBe(2000);
		expect(server.taken).toEqual([{ kind: 'conversion', orderId: '1001', conversionAction: ACTION, value: 12345.67, currency: 'RUB' }]);
	});

	it('stops at a 401 and keeps the tokens out of the report', async () => {
		server = await new GoogleAdsServer({ accessToken: 'another token', developerToken: DEV, customerId: '1234567890' }).start();
		const outcomes = await pushRevenue([wonDeal('1001', { gclid: 'Cj0KCQiA_1' })], run(options(server)), ledger());
		expect(outcomes[0].status).toBe('failed');
		expect(outcomes[0].reason).toBe('HTTP 401: Google Ads error authenticationError OAUTH_TOKEN_INVALID (UNAUTHENTICATED): Request had invalid authentication credentials.');
		expect(JSON.stringify(outcomes)).not.toContain(ACCESS);
	});

	it('validates only: Google checks the rows, nothing is recorded', async () => {
		server = await new GoogleAdsServer({ accessToken: ACCESS, developerToken: DEV, customerId: '1234567890', clicks: [] }).start();
		const store = ledger();
		const outcomes = await pushRevenue([wonDeal('1001', { gclid: 'Cj0KCQiA_1' })], run(options(server, { validateOnly: true })), store);
		expect(outcomes.map((outcome) => [outcome.status, outcome.reason])).toEqual([['failed', 'Google Ads validation: EVENT_NOT_FOUND: The imported event could not be attributed to a click.']]);
		expect((server.received[0].body as { validateOnly?: boolean }).validateOnly).toBe(true);
		expect(server.taken).toEqual([]);
	});
});

describe('reading Google Ads answers', () => {
	const row = (orderId: string) => ({ transaction: { orderId } as never, payload: {}, versionKeys: [`googleAds:${orderId}:purchase:100:RUB`] });

	it('takes rows without an error and those Google already has; an error naming no row fails the rest', () => {
		const failure = (errors: unknown[]) => ({ status: 200, headers: {}, body: { results: [{}, {}, {}], partialFailureError: { code: 3, message: 'x', details: [{ errors }] } } });
		const located = googleAdsAcceptance([row('a'), row('b'), row('c')], failure([{ errorCode: { conversionUploadError: 'ORDER_ID_ALREADY_IN_USE' }, message: 'used', location: { fieldPathElements: [{ fieldName: 'conversions', index: 2 }] } }]), false);
		expect(located).toEqual({ versionKeys: ['googleAds:a:purchase:100:RUB', 'googleAds:b:purchase:100:RUB', 'googleAds:c:purchase:100:RUB'], rejected: [] });
		const unplaced = googleAdsAcceptance([row('a'), row('b')], failure([{ errorCode: { internalError: 'INTERNAL_ERROR' }, message: 'boom' }]), false);
		expect(unplaced.versionKeys).toEqual([]);
		expect(unplaced.rejected.map((rejection) => rejection.orderId)).toEqual(['a', 'b']);
	});

	it('reads retryDelay from QuotaErrorDetails and from a RetryInfo detail, and nothing else', () => {
		expect(googleRetryDelay(quotaExhausted('30s'))).toBe('30');
		expect(googleRetryDelay({ error: { details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' }] } })).toBe('1.5');
		expect(googleRetryDelay({ error: { details: [{ retryDelay: '30 seconds' }] } })).toBeNull();
		expect(googleRetryDelay('Too many requests')).toBeNull();
	});
});
