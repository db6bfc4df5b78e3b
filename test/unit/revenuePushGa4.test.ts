import { CLAMP_MARGIN_MS, DEFAULT_GA4_OPTIONS, ga4CredentialProblems, ga4Requests, ga4Url, planGa4Events, type Ga4Options } from '../../nodes/RevenuePush/destinations/ga4';
import { eventProblems, readValidationMessages } from '../../nodes/RevenuePush/destinations/ga4Limits';
import { buildTransactions, type Transaction } from '../../nodes/RevenuePush/ledger/transactions';
import { makeDeal, makeTouch, manyDeals } from '../helpers/standins/revenueDeals';
import type { Deal } from '../../nodes/shared/contracts';

const NOW = Date.parse('2024-01-02T00:00:00Z');
const options: Ga4Options = { ...DEFAULT_GA4_OPTIONS, measurementId: 'G-ABCDE12345', apiSecret: 's3cr3t', now: NOW };

function transactions(deals: Deal[], mode: 'won' | 'refund' = 'won'): Transaction[] {
	return buildTransactions(deals, { destination: 'ga4', mode, defaultCurrency: null, timeZone: 'UTC', now: NOW }).transactions;
}

const withClient = (overrides: Partial<Deal> = {}) => makeDeal({ touches: [makeTouch({ gaClientId: '123.456', gaSessionId: '1704067000' })], ...overrides });
const encoder = new TextEncoder();

describe('GA4 credentials and endpoint', () => {
	it('rejects Universal Analytics ids with the reason and checks the secret', () => {
		expect(ga4CredentialProblems('UA-1234567-1', 'x')[0]).toMatch(/Universal Analytics stopped processing data in July 2023/);
		expect(ga4CredentialProblems('G-ABCDE12345', '')).toEqual([expect.stringMatching(/API secret is empty/)]);
		expect(ga4CredentialProblems('123456789', 'x')[0]).toMatch(/not a GA4 measurement id/);
		expect(ga4CredentialProblems(' G-ABCDE12345 ', 'x')).toEqual([]);
	});

	it('builds the collection URL for the global, EU and debug endpoints', () => {
		expect(ga4Url(options)).toBe('https://www.google-analytics.com/mp/collect?measurement_id=G-ABCDE12345&api_secret=s3cr3t');
		expect(ga4Url({ ...options, region: 'eu', debug: true })).toBe('https://region1.google-analytics.com/debug/mp/collect?measurement_id=G-ABCDE12345&api_secret=s3cr3t');
	});
});

describe('GA4 events', () => {
	it('builds a purchase with transaction, value, items, session and microsecond timestamp', () => {
		const plan = planGa4Events(transactions([withClient()]), options);
		expect(plan.rejected).toEqual([]);
		expect(plan.events[0].clientId).toBe('123.456');
		expect(plan.events[0].event).toEqual({
			name: 'purchase',
			params: {
				transaction_id: '1001',
				value: 1500.5,
				currency: 'RUB',
				items: [
					{ item_id: 'sku-1', item_name: 'Чайник', price: 1000.5, quantity: 1 },
					{ item_id: 'sku-2', item_name: 'Кружка', price: 250, quantity: 2 },
				],
				session_id: '1704067000',
				engagement_time_msec: 1,
			},
			timestamp_micros: Date.parse('2024-01-01T10:00:00Z') * 1000,
		});
	});

	it('builds a full refund without items', () => {
		const plan = planGa4Events(transactions([withClient({ stage: 'lost' })], 'refund'), options);
		expect(plan.events[0].event.name).toBe('refund');
		expect(plan.events[0].event.params).toEqual({ transaction_id: '1001', value: 1500.5, currency: 'RUB', session_id: '1704067000', engagement_time_msec: 1 });
	});

	it('reports a deal without a client id, or sends it under a stable id made from the order', () => {
		const noClient = transactions([makeDeal()]);
		expect(planGa4Events(noClient, options).rejected).toEqual([{ orderId: '1001', reason: expect.stringMatching(/no GA client id/) }]);
		const fallback = planGa4Events(noClient, { ...options, missingClientId: 'orderIdAsClientId' });
		expect(fallback.events[0].clientId).toMatch(/^\d+\.\d{10}$/);
		expect(planGa4Events(noClient, { ...options, missingClientId: 'orderIdAsClientId' }).events[0].clientId).toBe(fallback.events[0].clientId);
		expect(fallback.events[0].notes[0]).toMatch(/without a channel/);
	});

	it('clamps sales older than 72 hours into the window, or skips them, and says which', () => {
		const old = transactions([withClient({ updatedAt: '2023-12-20T10:00:00Z' })]);
		const clamped = planGa4Events(old, options);
		expect(clamped.events[0].event.timestamp_micros).toBe((NOW - 72 * 3_600_000 + CLAMP_MARGIN_MS) * 1000);
		expect(clamped.events[0].notes[0]).toMatch(/72 hours/);
		const skipped = planGa4Events(old, { ...options, oldEvents: 'skip' });
		expect(skipped.events).toEqual([]);
		expect(skipped.rejected[0].reason).toMatch(/older than GA's 72-hour/);
		const future = planGa4Events(transactions([withClient({ updatedAt: '2024-01-05T00:00:00Z' })]), options);
		expect(future.events[0].event.timestamp_micros).toBe(NOW * 1000);
	});

	it('pre-validates names and limits and reports them per deal', () => {
		const badParam = planGa4Events(transactions([withClient()]), { ...options, extraParams: { google_source: 'x', affiliation: 'y'.repeat(101) } });
		expect(badParam.events).toEqual([]);
		expect(badParam.rejected[0].reason).toMatch(/reserved prefix "google_"/);
		expect(badParam.rejected[0].reason).toMatch(/"affiliation" is 101 characters long/);
		expect(planGa4Events(transactions([withClient({ orderId: 'x'.repeat(120) })]), options).rejected[0].reason).toMatch(/transaction_id/);
		const lotsOfItems = withClient({ items: Array.from({ length: 201 }, (_, i) => ({ id: `s${i}`, name: null, price: 1, quantity: 1, total: 1 })) });
		expect(planGa4Events(transactions([lotsOfItems]), options).rejected[0].reason).toMatch(/201 items/);
		expect(eventProblems({ name: '1st_purchase', params: {} })[0]).toMatch(/must start with a letter/);
		expect(eventProblems({ name: 'session_start', params: {} })[0]).toMatch(/reserved event name/);
		expect(eventProblems({ name: 'a'.repeat(41), params: {} })[0]).toMatch(/longer than 40/);
		expect(eventProblems({ name: 'x', params: Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`p${i}`, i])) })[0]).toMatch(/26 parameters/);
	});

	it('truncates long item names to GA\'s 100 characters instead of dropping the sale', () => {
		const plan = planGa4Events(transactions([withClient({ items: [{ id: 'a', name: 'Ч'.repeat(150), price: 1500.5, quantity: 1, total: 1500.5 }] })]), options);
		const items = plan.events[0].event.params.items as Array<{ item_name: string }>;
		expect(items[0].item_name).toHaveLength(100);
	});
});

describe('GA4 batching', () => {
	it('groups events by client into requests of at most 25', () => {
		const deals = manyDeals(60).map((deal) => ({ ...deal, touches: [makeTouch({ gaClientId: '1.1' })] }));
		const { requests } = ga4Requests(planGa4Events(transactions(deals), options).events, options);
		expect(requests.map((r) => r.orderIds.length)).toEqual([25, 25, 10]);
		const body = JSON.parse(requests[0].body as string);
		expect(body.client_id).toBe('1.1');
		expect(body.events).toHaveLength(25);
		expect(requests[0].versionKeys[0]).toBe('ga4:5000:purchase:10025:RUB');
	});

	it('never mixes clients in one request', () => {
		const { requests } = ga4Requests(planGa4Events(transactions(manyDeals(5)), options).events, options);
		expect(requests).toHaveLength(5);
		expect(new Set(requests.map((r) => JSON.parse(r.body as string).client_id)).size).toBe(5);
	});

	it('keeps every body under 130,000 bytes measured as UTF-8', () => {
		// Cyrillic names take two bytes a character: a character count would let the body pass the limit.
		const items = Array.from({ length: 200 }, (_, i) => ({ id: `sku-${i}`, name: 'Ж'.repeat(100), price: 1, quantity: 1, total: 1 }));
		const deals = Array.from({ length: 6 }, (_, i) => makeDeal({ orderId: `o${i}`, items, total: 200, touches: [makeTouch({ gaClientId: '7.7' })] }));
		const { requests, rejected } = ga4Requests(planGa4Events(transactions(deals), options).events, options);
		expect(rejected).toEqual([]);
		expect(requests.length).toBeGreaterThan(1);
		for (const request of requests) expect(encoder.encode(request.body as string).length).toBeLessThan(130_000);
		expect(requests.flatMap((r) => r.orderIds)).toEqual(deals.map((d) => d.orderId));
	});
});

describe('GA4 debug answers', () => {
	it('turns validationMessages into readable lines', () => {
		expect(readValidationMessages({ validationMessages: [{ fieldPath: 'events', description: 'Event at index: [0] has invalid name [_x].', validationCode: 'NAME_INVALID' }] })).toEqual(['events: Event at index: [0] has invalid name [_x]. (NAME_INVALID)']);
		expect(readValidationMessages('{"validationMessages":[]}')).toEqual([]);
		expect(readValidationMessages('<html>')).toEqual(['the validation server answered something that is not JSON']);
	});
});
