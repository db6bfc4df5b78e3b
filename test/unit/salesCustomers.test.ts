import { customerReport, type CustomerOptions } from '../../nodes/SalesReport/customers';
import type { Credit, Customer, Deal } from '../../nodes/shared/contracts';
import { InputDataError } from '../../nodes/shared/errors';
import { order, touch } from '../helpers/records';

const MSK = 'Europe/Moscow';
const APRIL = { start: '2026-04-01', end: '2026-04-30' };
const OPTIONS: CustomerOptions = { period: APRIL, timeZone: MSK, lapsedAfterDays: 180 };

const GOOGLE = 'google / cpc';
const YANDEX = 'yandex / cpc';
const VK = 'vk / cpc';
const FACEBOOK = 'facebook / cpc';
const DIRECT = '(direct) / (none)';
const NO_SOURCE = '(no source)';

/**
 * A won deal. The report reads the credits, not the touches: deals are given no touches unless a test needs them
 * (a deal without touches and without credits is "(no source)").
 */
function deal(orderId: string, createdAt: string | null, total: number | null, customer: Partial<Customer>, currency: string | null = 'RUB'): Deal {
	return { ...order(orderId, createdAt as string, customer, { total, currency }), touches: [], match: { method: 'phone', keys: [], reason: 'test' } };
}

function credit(orderId: string, channel: string, share: number, revenue: number, currency: string | null = 'RUB', model = 'linear'): Credit {
	return { orderId, touchId: `${orderId}-${channel}`, model, channel, share, revenue, currency };
}

/**
 * Five people over a year, Moscow time (UTC+3 all year), period April 2026, N = 180 days:
 * - Ann: two phones, joined by one e-mail written two ways. a1 2026-03-02 10:00, a2 2026-04-01 10:00: 30 days
 *   (March has 31 days) <= 180, so returning. a3 2026-05-01 00:30 is after the period: left out.
 * - Boris (GA client id): b1 2025-09-22 12:00, b2 2026-04-10 12:00: 30 (to 10-22) + 31 + 30 + 31 + 31 + 28 (to 03-22)
 *   + 19 = 200 days > 180, so reactivated. b1 has no touches and no credits: its channel is "(no source)".
 * - Vera (Metrica client id), UAH: v1 2026-04-15 and v2 2026-04-20, no order before: new, two orders in the period.
 * - Gleb: g1 2025-05-01, g2 2025-08-01, nothing since: 2025-08-01 10:00 to the period's end (2026-05-01 00:00) is
 *   about 273 days > 180, so lapsed.
 * - Dina: d1 2026-01-15 10:00 only: about 106 days before the end <= 180, in no segment yet.
 * - u1 has no phone, e-mail or client id (unidentified); x1 has no date (undated).
 */
const DEALS: Deal[] = [
	deal('g1', '2025-05-01T10:00:00+03:00', 700, { phones: ['+79160000005'] }),
	deal('a1', '2026-03-02T10:00:00+03:00', 1000, { phones: ['+79160000001'], emails: [' Ann@Mail.RU '] }),
	deal('g2', '2025-08-01T10:00:00+03:00', 300, { phones: ['+79160000005'] }),
	deal('b1', '2025-09-22T12:00:00+03:00', 500, { gaClientId: 'GA1.1.111.222' }),
	deal('d1', '2026-01-15T10:00:00+03:00', 400, { phones: ['+79160000009'] }),
	deal('a2', '2026-04-01T10:00:00+03:00', 3000, { phones: ['+79160000002'], emails: ['ann@mail.ru'] }),
	deal('u1', '2026-04-05T12:00:00+03:00', 250, {}),
	deal('b2', '2026-04-10T12:00:00+03:00', 2000.01, { gaClientId: 'GA1.1.111.222' }),
	deal('v1', '2026-04-15T09:00:00+03:00', 800, { ymClientId: '1700000000123' }, 'UAH'),
	deal('v2', '2026-04-20T18:00:00+03:00', 200, { ymClientId: '1700000000123' }, 'UAH'),
	deal('x1', 'yesterday', 100, { phones: ['+79160000001'] }),
	deal('a3', '2026-05-01T00:30:00+03:00', 999, { phones: ['+79160000001'] }),
];

/** Linear credits: two-touch deals split 50 / 50, to the cent. */
const CREDITS: Credit[] = [
	credit('g1', YANDEX, 1, 700),
	credit('a1', GOOGLE, 1, 1000),
	credit('g2', GOOGLE, 0.5, 150),
	credit('g2', YANDEX, 0.5, 150),
	credit('d1', VK, 1, 400),
	credit('a2', YANDEX, 0.5, 1500),
	credit('a2', GOOGLE, 0.5, 1500),
	credit('u1', DIRECT, 1, 250),
	// 2000.01 is 200001 cents: 100001 + 100000.
	credit('b2', VK, 0.5, 1000.01),
	credit('b2', YANDEX, 0.5, 1000),
	// Equal shares: the first credit (facebook) is v1's channel.
	credit('v1', FACEBOOK, 0.5, 400, 'UAH'),
	credit('v1', GOOGLE, 0.5, 400, 'UAH'),
	credit('v2', GOOGLE, 1, 200, 'UAH'),
	credit('a3', GOOGLE, 1, 999),
];

describe('customerReport: five people over a year', () => {
	const report = customerReport(DEALS, CREDITS, OPTIONS);

	it('puts each person in a segment by their first order in the period, per channel and currency', () => {
		expect(report.segments).toEqual([
			// Vera, new (UAH): v1 + v2 = 2 orders, 800 + 200 = 1000. google 0.5 (v1) + 1 (v2) = 1.5 orders, 400 + 200 = 600.
			{ segment: 'new', channel: '(all)', currency: 'UAH', orders: 2, revenue: 1000, customers: 1, ordersPerCustomer: 2, revenuePerCustomer: 1000 },
			{ segment: 'new', channel: GOOGLE, currency: 'UAH', orders: 1.5, revenue: 600, customers: 1, ordersPerCustomer: 1.5, revenuePerCustomer: 600 },
			{ segment: 'new', channel: FACEBOOK, currency: 'UAH', orders: 0.5, revenue: 400, customers: 1, ordersPerCustomer: 0.5, revenuePerCustomer: 400 },
			// Ann, returning: a2 only (a3 is after the period); equal revenue, so by name.
			{ segment: 'returning', channel: '(all)', currency: 'RUB', orders: 1, revenue: 3000, customers: 1, ordersPerCustomer: 1, revenuePerCustomer: 3000 },
			{ segment: 'returning', channel: GOOGLE, currency: 'RUB', orders: 0.5, revenue: 1500, customers: 1, ordersPerCustomer: 0.5, revenuePerCustomer: 1500 },
			{ segment: 'returning', channel: YANDEX, currency: 'RUB', orders: 0.5, revenue: 1500, customers: 1, ordersPerCustomer: 0.5, revenuePerCustomer: 1500 },
			// Boris, reactivated: b2.
			{ segment: 'reactivated', channel: '(all)', currency: 'RUB', orders: 1, revenue: 2000.01, customers: 1, ordersPerCustomer: 1, revenuePerCustomer: 2000.01 },
			{ segment: 'reactivated', channel: VK, currency: 'RUB', orders: 0.5, revenue: 1000.01, customers: 1, ordersPerCustomer: 0.5, revenuePerCustomer: 1000.01 },
			{ segment: 'reactivated', channel: YANDEX, currency: 'RUB', orders: 0.5, revenue: 1000, customers: 1, ordersPerCustomer: 0.5, revenuePerCustomer: 1000 },
			// Gleb, lapsed: his orders before the period, g1 + g2 = 2 orders, 700 + 300 = 1000;
			// yandex 1 (g1) + 0.5 (g2) = 1.5 orders, 700 + 150 = 850; google 0.5, 150.
			{ segment: 'lapsed', channel: '(all)', currency: 'RUB', orders: 2, revenue: 1000, customers: 1, ordersPerCustomer: 2, revenuePerCustomer: 1000 },
			{ segment: 'lapsed', channel: YANDEX, currency: 'RUB', orders: 1.5, revenue: 850, customers: 1, ordersPerCustomer: 1.5, revenuePerCustomer: 850 },
			{ segment: 'lapsed', channel: GOOGLE, currency: 'RUB', orders: 0.5, revenue: 150, customers: 1, ordersPerCustomer: 0.5, revenuePerCustomer: 150 },
		]);
	});

	it('counts the repeat part of each channel over the identified orders of the period', () => {
		expect(report.repeatSales).toEqual([
			// a2 (Ann's second order) 0.5 / 1500 and b2 (Boris's second) 0.5 / 1000: all repeat.
			{ channel: YANDEX, currency: 'RUB', orders: 1, revenue: 2500, repeatOrders: 1, repeatRevenue: 2500, repeatRevenueShare: 1 },
			{ channel: GOOGLE, currency: 'RUB', orders: 0.5, revenue: 1500, repeatOrders: 0.5, repeatRevenue: 1500, repeatRevenueShare: 1 },
			{ channel: VK, currency: 'RUB', orders: 0.5, revenue: 1000.01, repeatOrders: 0.5, repeatRevenue: 1000.01, repeatRevenueShare: 1 },
			// v1 is Vera's first order (google 0.5 / 400, not repeat), v2 her second (google 1 / 200): 200 of 600.
			{ channel: GOOGLE, currency: 'UAH', orders: 1.5, revenue: 600, repeatOrders: 1, repeatRevenue: 200, repeatRevenueShare: 1 / 3 },
			{ channel: FACEBOOK, currency: 'UAH', orders: 0.5, revenue: 400, repeatOrders: 0, repeatRevenue: 0, repeatRevenueShare: 0 },
		]);
	});

	it("sets the channel of each person's first order beside the channels of their repeat orders", () => {
		expect(report.firstVersusRepeat).toEqual([
			// Ann's first order a1: google (share 1); a2 splits to yandex and google. Equal revenue: by name.
			{ firstChannel: GOOGLE, repeatChannel: GOOGLE, currency: 'RUB', orders: 0.5, revenue: 1500 },
			{ firstChannel: GOOGLE, repeatChannel: YANDEX, currency: 'RUB', orders: 0.5, revenue: 1500 },
			// Boris's first order b1 had no touches.
			{ firstChannel: NO_SOURCE, repeatChannel: VK, currency: 'RUB', orders: 0.5, revenue: 1000.01 },
			{ firstChannel: NO_SOURCE, repeatChannel: YANDEX, currency: 'RUB', orders: 0.5, revenue: 1000 },
			// Vera's first order v1: facebook and google 0.5 each, facebook credited first.
			{ firstChannel: FACEBOOK, repeatChannel: GOOGLE, currency: 'UAH', orders: 1, revenue: 200 },
		]);
	});

	it('sums the period per currency with the unidentified and undated deals', () => {
		expect(report.summary).toEqual([
			// a2 3000 + b2 2000.01 + u1 250 = 5250.01 over 3 orders; Ann and Boris: 2 identified orders,
			// 500001 cents / 2 = 250000.5, rounded half up to 2500.01. x1 has no date.
			{ currency: 'RUB', customers: 2, orders: 3, revenue: 5250.01, ordersPerCustomer: 1, revenuePerCustomer: 2500.01, unidentifiedOrders: 1, unidentifiedRevenue: 250, undated: 1 },
			{ currency: 'UAH', customers: 1, orders: 2, revenue: 1000, ordersPerCustomer: 2, revenuePerCustomer: 1000, unidentifiedOrders: 0, unidentifiedRevenue: 0, undated: 0 },
		]);
	});
});

/** Segment, channel, orders, revenue and customers of each row: enough where the per-customer ratios are not the point. */
function brief(deals: Deal[], credits: Credit[] = [], options: CustomerOptions = OPTIONS) {
	return customerReport(deals, credits, options).segments.map((row) => [row.segment, row.channel, row.currency, row.orders, row.revenue, row.customers]);
}

describe('customerReport: boundaries', () => {
	it('counts a previous order exactly N days before as returning, one second more as reactivated', () => {
		const deals = [
			// P: 2026-03-02 10:00 to 2026-04-01 10:00 = 30 × 24 h exactly.
			deal('p1', '2026-03-02T10:00:00+03:00', 100, { phones: ['+79160000011'] }),
			deal('p2', '2026-04-01T10:00:00+03:00', 100, { phones: ['+79160000011'] }),
			// Q: 30 × 24 h and 1 s.
			deal('q1', '2026-03-02T09:59:59+03:00', 100, { phones: ['+79160000012'] }),
			deal('q2', '2026-04-01T10:00:00+03:00', 200, { phones: ['+79160000012'] }),
		];
		expect(brief(deals, [], { ...OPTIONS, lapsedAfterDays: 30 })).toEqual([
			['returning', '(all)', 'RUB', 1, 100, 1],
			['returning', NO_SOURCE, 'RUB', 1, 100, 1],
			['reactivated', '(all)', 'RUB', 1, 200, 1],
			['reactivated', NO_SOURCE, 'RUB', 1, 200, 1],
		]);
	});

	it('reads dates on the clock of the time zone: 2026-03-31T22:30:00Z is 1 April in Moscow, 31 March in UTC', () => {
		const deals = [
			deal('t1', '2026-03-31T22:30:00Z', 100, { phones: ['+79160000021'] }),
			// 23:59:59 on 30 April in Moscow: in the period; one second later it is May: left out.
			deal('t2', '2026-04-30T20:59:59Z', 200, { phones: ['+79160000022'] }),
			deal('t3', '2026-04-30T21:00:00Z', 400, { phones: ['+79160000023'] }),
		];
		expect(brief(deals)).toEqual([
			['new', '(all)', 'RUB', 2, 300, 2],
			['new', NO_SOURCE, 'RUB', 2, 300, 2],
		]);
		// In UTC t1 is before the period and 30 days before its end (not lapsed); t2 and t3 (30 April 21:00) are new.
		const utc = customerReport(deals, [], { ...OPTIONS, timeZone: 'UTC' });
		expect(utc.segments.map((row) => [row.segment, row.channel, row.orders, row.revenue, row.customers])).toEqual([
			['new', '(all)', 2, 600, 2],
			['new', NO_SOURCE, 2, 600, 2],
		]);
		expect(utc.summary.map((row) => [row.currency, row.customers, row.orders, row.revenue])).toEqual([['RUB', 2, 2, 600]]);
	});

	it('calls a customer lapsed only when their last order is more than N days before the end of the period', () => {
		const deals = [
			// The period ends at 2026-05-01 00:00 Moscow; 40 days before is 2026-03-22 00:00 (9 days of March + 31 of April).
			deal('l1', '2026-03-22T00:00:00+03:00', 50, { emails: ['exactly@example.com'] }),
			deal('l2', '2026-03-21T23:59:59+03:00', 70, { emails: ['second.more@example.com'] }),
		];
		const report = customerReport(deals, [], { ...OPTIONS, lapsedAfterDays: 40 });
		expect(report.segments).toEqual([
			{ segment: 'lapsed', channel: '(all)', currency: 'RUB', orders: 1, revenue: 70, customers: 1, ordersPerCustomer: 1, revenuePerCustomer: 70 },
			{ segment: 'lapsed', channel: NO_SOURCE, currency: 'RUB', orders: 1, revenue: 70, customers: 1, ordersPerCustomer: 1, revenuePerCustomer: 70 },
		]);
		// No order in the period: no summary row.
		expect(report.summary).toEqual([]);
	});

	it('orders two orders at one instant as the deals give them', () => {
		const e1 = deal('e1', '2026-04-05T10:00:00+03:00', 100, { phones: ['+79160000031'] });
		const e2 = deal('e2', '2026-04-05T10:00:00+03:00', 200, { phones: ['+79160000031'] });
		const credits = [credit('e1', GOOGLE, 1, 100), credit('e2', YANDEX, 1, 200)];
		const forward = customerReport([e1, e2], credits, OPTIONS);
		// e1 is the first order, e2 the repeat one.
		expect(forward.firstVersusRepeat).toEqual([{ firstChannel: GOOGLE, repeatChannel: YANDEX, currency: 'RUB', orders: 1, revenue: 200 }]);
		expect(forward.repeatSales.map((row) => [row.channel, row.repeatOrders, row.repeatRevenue])).toEqual([
			[YANDEX, 1, 200],
			[GOOGLE, 0, 0],
		]);
		const backward = customerReport([e2, e1], credits, OPTIONS);
		expect(backward.firstVersusRepeat).toEqual([{ firstChannel: YANDEX, repeatChannel: GOOGLE, currency: 'RUB', orders: 1, revenue: 100 }]);
	});
});

describe('customerReport: people and odd deals', () => {
	it('joins deals into one person through any shared value, not across kinds of value', () => {
		const o1 = deal('o1', '2026-01-01T10:00:00+03:00', 100, { phones: ['+79160000041'] });
		const o2 = deal('o2', '2026-04-10T10:00:00+03:00', 200, { emails: ['Olga@Example.com'] });
		// o3 has both: o1 and o2 become one person, whose previous order before o2 is o1, 99 days before (returning).
		const o3 = deal('o3', '2026-04-20T10:00:00+03:00', 300, { phones: [' +79160000041'], emails: [' olga@example.com'] });
		expect(brief([o1, o2, o3])).toEqual([
			['returning', '(all)', 'RUB', 2, 500, 1],
			['returning', NO_SOURCE, 'RUB', 2, 500, 1],
		]);
		// Without o3: o2 is a new customer; o1's person (no order in April, 120 days before its end) is in no segment.
		expect(brief([o1, o2])).toEqual([
			['new', '(all)', 'RUB', 1, 200, 1],
			['new', NO_SOURCE, 'RUB', 1, 200, 1],
		]);
		// A GA client id and a Metrica client id with the same text are two people.
		const k1 = deal('k1', '2026-04-02T10:00:00+03:00', 10, { gaClientId: '1700000000123' });
		const k2 = deal('k2', '2026-04-03T10:00:00+03:00', 20, { ymClientId: '1700000000123' });
		expect(brief([k1, k2])).toEqual([
			['new', '(all)', 'RUB', 2, 30, 2],
			['new', NO_SOURCE, 'RUB', 2, 30, 2],
		]);
	});

	it('counts deals without a date as undated and nowhere else, and deals without a customer as unidentified', () => {
		const deals = [
			deal('n1', '2026-04-12T10:00:00+03:00', 100, { phones: ['+79160000051'] }),
			// An earlier order of the same phone, but without a date: n1 stays new.
			deal('n2', null, 1000, { phones: ['+79160000051'] }),
			deal('n3', 'not a date', 1000, { phones: ['+79160000051'] }),
			deal('n4', '2026-02-30T10:00:00+03:00', 1000, { phones: ['+79160000051'] }),
			deal('n5', `2026-03-01T10:00:00+03:00${' '.repeat(100)}`, 1000, { phones: ['+79160000051'] }),
			deal('n6', null, 5, {}, null),
			{ ...deal('n7', '2026-04-13T10:00:00+03:00', 40, {}), customer: null as unknown as Customer },
		];
		const report = customerReport(deals, [], OPTIONS);
		expect(report.segments.map((row) => [row.segment, row.channel, row.orders, row.revenue, row.customers])).toEqual([
			['new', '(all)', 1, 100, 1],
			['new', NO_SOURCE, 1, 100, 1],
		]);
		expect(report.summary).toEqual([
			{ currency: null, customers: 0, orders: 0, revenue: 0, ordersPerCustomer: null, revenuePerCustomer: null, unidentifiedOrders: 0, unidentifiedRevenue: 0, undated: 1 },
			// n1 100 + n7 40 (unidentified) = 140 over 2 orders; n2 to n5 undated.
			{ currency: 'RUB', customers: 1, orders: 2, revenue: 140, ordersPerCustomer: 1, revenuePerCustomer: 100, unidentifiedOrders: 1, unidentifiedRevenue: 40, undated: 4 },
		]);
		expect(report.repeatSales).toEqual([{ channel: NO_SOURCE, currency: 'RUB', orders: 1, revenue: 100, repeatOrders: 0, repeatRevenue: 0, repeatRevenueShare: 0 }]);
	});

	it('reads createdAt as luxon reads ISO 8601: a time without an offset in the zone, a date alone as its midnight', () => {
		const deals = [
			// 00:30 on 1 April on the Moscow clock: in April.
			deal('i1', '2026-04-01T00:30:00', 10, { phones: ['+79160000081'] }),
			// 00:00 on 15 April in Moscow.
			deal('i2', '2026-04-15', 20, { phones: ['+79160000082'] }),
			// A space for the "T" is not ISO 8601 as luxon reads it: undated, not guessed.
			deal('i3', '2026-04-10 10:00:00+03:00', 40, { phones: ['+79160000083'] }),
		];
		const report = customerReport(deals, [], OPTIONS);
		expect(report.segments.map((row) => [row.segment, row.channel, row.orders, row.revenue, row.customers])).toEqual([
			['new', '(all)', 2, 30, 2],
			['new', NO_SOURCE, 2, 30, 2],
		]);
		expect(report.summary.map((row) => [row.currency, row.orders, row.revenue, row.undated])).toEqual([['RUB', 2, 30, 1]]);
	});

	it('leaves out the touches a single-touch model credits nothing', () => {
		const f1 = deal('f1', '2026-04-08T10:00:00+03:00', 500, { phones: ['+79160000061'] });
		// First click: google gets all, yandex share 0.
		const credits = [credit('f1', GOOGLE, 1, 500, 'RUB', 'first'), credit('f1', YANDEX, 0, 0, 'RUB', 'first')];
		expect(brief([f1], credits)).toEqual([
			['new', '(all)', 'RUB', 1, 500, 1],
			['new', GOOGLE, 'RUB', 1, 500, 1],
		]);
	});

	it('gives empty tables for no deals', () => {
		expect(customerReport([], [], OPTIONS)).toEqual({ segments: [], repeatSales: [], firstVersusRepeat: [], summary: [] });
	});
});

describe('customerReport: refused input', () => {
	it('refuses a lapse window that is not a positive number of days, an unknown zone and a bad period', () => {
		for (const lapsedAfterDays of [0, -5, Number.NaN, Number.POSITIVE_INFINITY, '180' as unknown as number]) {
			expect(() => customerReport([], [], { ...OPTIONS, lapsedAfterDays })).toThrow(InputDataError);
		}
		expect(() => customerReport([], [], { ...OPTIONS, timeZone: 'Mars/Olympus' })).toThrow(InputDataError);
		expect(() => customerReport([], [], { ...OPTIONS, period: { start: '2026-4-1', end: '2026-04-30' } })).toThrow(InputDataError);
		expect(() => customerReport([], [], { ...OPTIONS, period: { start: '2026-04-31', end: '2026-05-30' } })).toThrow(InputDataError);
		expect(() => customerReport([], [], { ...OPTIONS, period: { start: '2026-04-30', end: '2026-04-01' } })).toThrow(/ends \(2026-04-01\) before it starts/);
	});

	it('refuses credits that would count an order twice or a deal credited by a guess', () => {
		const d = deal('r1', '2026-04-08T10:00:00+03:00', 500, { phones: ['+79160000071'] });
		const twoModels = [credit('r1', GOOGLE, 1, 500, 'RUB', 'linear'), credit('r1', GOOGLE, 1, 500, 'RUB', 'first')];
		expect(() => customerReport([d], twoModels, OPTIONS)).toThrow(/two attribution models/);
		expect(() => customerReport([d, d], [credit('r1', GOOGLE, 1, 500)], OPTIONS)).toThrow(/Order r1 is given twice/);
		const touched = { ...d, touches: [touch('r1-t', '2026-04-07T10:00:00+03:00')] };
		expect(() => customerReport([touched], [], OPTIONS)).toThrow(/Order r1 has touches and no credit/);
		expect(() => customerReport([d], [credit('r1', GOOGLE, Number.NaN, 500)], OPTIONS)).toThrow(InputDataError);
	});
});

describe('customerReport: size', () => {
	it('handles 100,000 deals of 20,000 people in linear time (CPU time at most 25x that of 10,000 deals of 2,000)', () => {
		const start = Date.UTC(2025, 4, 1);
		// The deals share the fields the report does not read, so that the test's own heap is small.
		const template = deal('template', null, 100, {});
		const shop = (count: number, people: number) => {
			const deals: Deal[] = [];
			const credits: Credit[] = [];
			for (let i = 0; i < count; i++) {
				const person = i % people;
				// Each person's five orders 73 days apart, from 1 May 2025: the last ones fall in April 2026.
				const createdAt = new Date(start + (Math.floor(i / people) * 73 + (person % 60)) * 86_400_000).toISOString();
				const orderId = `o${i}`;
				const customer = { ...template.customer, phones: [`+7916${String(person).padStart(7, '0')}`], emails: [`p${person}@example.com`] };
				deals.push({ ...template, orderId, createdAt, customer });
				credits.push(credit(orderId, GOOGLE, 0.5, 50), credit(orderId, YANDEX, 0.5, 50));
			}
			return { deals, credits };
		};
		// CPU time, not wall time (a shared machine's wall clock counts other jobs' turns), and against the same work at a
		// tenth of the size measured in the same process, not a fixed figure: linear is about 10x, quadratic about 100x.
		const cpuMs = (run: () => unknown) => {
			const began = process.cpuUsage();
			const result = run();
			const { user, system } = process.cpuUsage(began);
			return { ms: (user + system) / 1000, result };
		};
		const small = shop(10_000, 2_000);
		const large = shop(100_000, 20_000);
		customerReport(small.deals, small.credits, OPTIONS);
		const tenth = cpuMs(() => customerReport(small.deals, small.credits, OPTIONS));
		const whole = cpuMs(() => customerReport(large.deals, large.credits, OPTIONS));
		expect(whole.ms).toBeLessThan(25 * Math.max(tenth.ms, 20));
		const report = whole.result as ReturnType<typeof customerReport>;
		// Every person orders every 73 days (<= 180): nobody is new, reactivated or lapsed. 1 April 2026 is day 335
		// after 1 May 2025, so the fifth order (day 292 + person % 60) is in April when person % 60 >= 43: 17 of each
		// 60 people, 333 full sixties (19,980 people; the last 20 have person % 60 < 20): 333 × 17 = 5661.
		expect(report.segments[0]).toEqual({ segment: 'returning', channel: '(all)', currency: 'RUB', orders: 5661, revenue: 566100, customers: 5661, ordersPerCustomer: 1, revenuePerCustomer: 100 });
		expect(new Set(report.segments.map((row) => row.segment))).toEqual(new Set(['returning']));
	});
});
