import { attributeDeals, ATTRIBUTION_MODELS } from '../../nodes/Attribution/attribute';
import { callOutcomesByChannel, lostCallsByHour } from '../../nodes/Attribution/calls';
import { channelReport } from '../../nodes/Attribution/report';
import { countTouchesByChannel } from '../../nodes/Attribution/touchCounts';
import { emptyUtm, type CallOutcome, type Credit } from '../../nodes/shared/contracts';
import { generateDeals, generateJourneys, makeDeal, makeTouch } from '../bench/attributionBench';

const GOOGLE = 'google / cpc';
const YANDEX = 'yandex / cpc';
const DIRECT = '(direct) / (none)';

function credit(model: string, orderId: string, channel: string, share: number, revenue: number, currency: string | null = 'RUB'): Credit {
	return { orderId, touchId: `${orderId}-${channel}`, model, channel, share, revenue, currency };
}

const credits = [
	credit('linear', 'o1', GOOGLE, 0.5, 50),
	credit('linear', 'o1', YANDEX, 0.5, 50),
	credit('linear', 'o2', GOOGLE, 1, 200),
	credit('linear', 'o3', YANDEX, 1, 100),
	credit('linear', 'o4', DIRECT, 1, 30),
	credit('first', 'o1', GOOGLE, 1, 100),
	credit('first', 'o1', YANDEX, 0, 0),
	credit('first', 'o2', GOOGLE, 1, 200),
	credit('first', 'o3', YANDEX, 1, 100),
	credit('first', 'o4', DIRECT, 1, 30),
];

const touchesByChannel = { [GOOGLE]: 10, [YANDEX]: 3, [DIRECT]: 6 };

const spend = [
	{ channel: 'Google / CPC', periodStart: '2024-01-01', periodEnd: '2024-01-31', spend: 100, currency: 'RUB' },
	// 60 days, 29 of them in January: 29/60 of 100 = 48.33.
	{ source: 'Yandex', medium: 'CPC', periodStart: '2023-12-01', periodEnd: '2024-01-29', spend: 100, currency: null },
	{ channel: 'vk/cpc', periodStart: '2024-01-01T00:00:00+03:00', periodEnd: '2024-01-31', spend: 50, currency: 'руб' },
	{ channel: 'google / cpc', periodStart: '2024-02-01', periodEnd: '2024-02-29', spend: 1000, currency: 'RUB' },
];

const january = { start: '2024-01-01', end: '2024-01-31' };

describe('channelReport', () => {
	it('computes orders, revenue, share, average order, conversion, spend, CPO and ROMI per model and channel', () => {
		const rows = channelReport(credits, { touchesByChannel, spend, period: january });
		expect(rows.filter((row) => row.model === 'linear')).toEqual([
			{ model: 'linear', channel: GOOGLE, currency: 'RUB', orders: 1.5, revenue: 250, revenueShare: 250 / 430, averageOrder: 166.67, touches: 10, conversion: 0.15, spend: 100, cpo: 66.67, romi: 1.5 },
			{ model: 'linear', channel: YANDEX, currency: 'RUB', orders: 1.5, revenue: 150, revenueShare: 150 / 430, averageOrder: 100, touches: 3, conversion: 0.5, spend: 48.33, cpo: 32.22, romi: (150 - 48.33) / 48.33 },
			{ model: 'linear', channel: DIRECT, currency: 'RUB', orders: 1, revenue: 30, revenueShare: 30 / 430, averageOrder: 30, touches: 6, conversion: 1 / 6, spend: 0, cpo: 0, romi: null },
			// Spend and no orders: a row of its own, ROMI -100 %.
			{ model: 'linear', channel: 'vk / cpc', currency: 'RUB', orders: 0, revenue: 0, revenueShare: 0, averageOrder: null, touches: 0, conversion: null, spend: 50, cpo: null, romi: -1 },
		]);
		const first = rows.filter((row) => row.model === 'first');
		expect(first.map((row) => [row.channel, row.orders, row.revenue, row.cpo, row.romi])).toEqual([
			[GOOGLE, 2, 300, 50, 2],
			[YANDEX, 1, 100, 48.33, (100 - 48.33) / 48.33],
			[DIRECT, 1, 30, 0, null],
			['vk / cpc', 0, 0, null, -1],
		]);
		expect(rows.map((row) => row.model)).toEqual(['linear', 'linear', 'linear', 'linear', 'first', 'first', 'first', 'first']);
	});

	it('counts spend rows whole without a period, and leaves spend out without a table', () => {
		const whole = channelReport(credits, { spend });
		expect(whole.find((row) => row.model === 'linear' && row.channel === GOOGLE)).toMatchObject({ spend: 1100, cpo: 733.33, touches: 0, conversion: null });
		const plain = channelReport(credits);
		expect(plain).toHaveLength(6);
		expect(plain.some((row) => 'spend' in row || 'cpo' in row || 'romi' in row)).toBe(false);
		expect(channelReport([], { spend })).toEqual([]);
	});

	it('adds revenue in cents, so channel revenues sum exactly to the credited revenue', () => {
		const cents = [credit('linear', 'a', GOOGLE, 1 / 3, 0.1), credit('linear', 'b', GOOGLE, 1 / 3, 0.2), credit('linear', 'c', YANDEX, 1 / 3, 0.7)];
		const rows = channelReport(cents);
		expect(rows.map((row) => row.revenue)).toEqual([0.7, 0.3]);
		expect(rows[1].averageOrder).toBe(0.45);
	});

	it('keeps currencies apart and matches spend to them', () => {
		const mixed = [credit('linear', 'r', GOOGLE, 1, 100, 'RUB'), credit('linear', 'k', GOOGLE, 1, 5000, 'KZT')];
		const rows = channelReport(mixed, { spend: [{ channel: GOOGLE, periodStart: '2024-01-01', periodEnd: '2024-01-01', spend: 2500, currency: 'KZT' }] });
		expect(rows.map((row) => [row.currency, row.revenue, row.spend, row.romi])).toEqual([
			['KZT', 5000, 2500, 1],
			['RUB', 100, 0, null],
		]);
		expect(() => channelReport(mixed, { spend: [{ channel: GOOGLE, periodStart: '2024-01-01', periodEnd: '2024-01-01', spend: 1, currency: null }] })).toThrow(/row 1 has no currency and the orders are in several/);
	});

	it('refuses spend it cannot set against the orders', () => {
		const row = { channel: GOOGLE, periodStart: '2024-01-01', periodEnd: '2024-01-31', spend: 10, currency: 'RUB' };
		expect(() => channelReport(credits, { spend: [row, { ...row, currency: 'USD' }] })).toThrow(/Ad spend row 2 is in USD, the orders are in RUB/);
		expect(() => channelReport(credits, { spend: [{ ...row, currency: 'тугрики' }] })).toThrow(/unknown currency "тугрики"/);
		expect(() => channelReport(credits, { spend: [{ ...row, periodEnd: '2024-02-30' }] })).toThrow(/period end "2024-02-30" is not a date/);
		expect(() => channelReport(credits, { spend: [{ ...row, periodStart: '2024-02-01' }] })).toThrow(/ends before it starts/);
		expect(() => channelReport(credits, { spend: [{ ...row, spend: -5 }] })).toThrow(/spend -5 is not a non-negative number/);
	});

	it('balances against the deals end to end: attribution, touch counts, report', () => {
		const deals = generateDeals(500, 3);
		const journeys = generateJourneys(300, 4);
		const result = attributeDeals(deals, { models: [...ATTRIBUTION_MODELS], nonConvertingTouches: journeys });
		const touches = countTouchesByChannel(deals, { nonConvertingTouches: journeys });
		const rows = channelReport(result.credits, { touchesByChannel: touches, period: result.period });
		const totalCents = deals.reduce((sum, deal) => sum + Math.round((deal.total ?? 0) * 100), 0);
		const allTouches = deals.reduce((sum, deal) => sum + deal.touches.length, 0) + journeys.reduce((sum, journey) => sum + journey.length, 0);
		expect(Object.values(touches).reduce((a, b) => a + b, 0)).toBe(allTouches);
		for (const model of ATTRIBUTION_MODELS) {
			const own = rows.filter((row) => row.model === model);
			expect(own.reduce((sum, row) => sum + Math.round(row.revenue * 100), 0)).toBe(totalCents);
			expect(own.reduce((sum, row) => sum + row.orders, 0)).toBeCloseTo(500, 9);
			expect(own.reduce((sum, row) => sum + (row.revenueShare ?? 0), 0)).toBeCloseTo(1, 12);
		}
	});
});

describe('countTouchesByChannel', () => {
	it('counts a touch linked to two deals once, and non-converting touches and paths', () => {
		const shared = makeTouch({ touchId: 'call-1', at: '2024-01-01T10:00:00Z', channel: { ...emptyUtm(), source: 'google', medium: 'cpc' } });
		const visit = makeTouch({ touchId: 'visit-1', at: '2024-01-02T10:00:00Z' });
		const deals = [makeDeal({ orderId: 'a', touches: [shared, visit] }), makeDeal({ orderId: 'b', touches: [shared] })];
		const lost = makeTouch({ touchId: 'lost-1', at: '2024-01-03T10:00:00Z', channel: { ...emptyUtm(), source: 'Google', medium: 'CPC' } });
		expect(countTouchesByChannel(deals, { nonConvertingTouches: [[lost]], nonConvertingPaths: [{ channels: [GOOGLE, YANDEX, GOOGLE], nonConversions: 4 }] })).toEqual({
			[GOOGLE]: 1 + 1 + 8,
			[DIRECT]: 1,
			[YANDEX]: 4,
		});
	});
});

function call(at: string, outcome: CallOutcome | null, source: string | null = 'google'): ReturnType<typeof makeTouch> {
	return makeTouch({ touchId: at, at, kind: 'call', outcome, channel: { ...emptyUtm(), source, medium: 'cpc' } });
}

describe('calls', () => {
	const missed = [
		call('2024-01-15T10:00:00Z', 'missed'), // Berlin 11 (CET), Moscow 13
		call('2024-07-15T13:00:00+03:00', 'missed'), // 10:00 UTC: Berlin 12 (CEST), Moscow 13
		call('2024-03-31T00:30:00Z', 'missed'), // Berlin 01:30 CET, just before the spring change; Moscow 03
		call('2024-03-31T01:30:00Z', 'missed'), // Berlin 03:30 CEST, 02:00-03:00 does not exist that night; Moscow 04
		call('2024-10-27T00:30:00Z', 'missed'), // Berlin 02:30 CEST, the first 02:30 of the autumn night; Moscow 03
		call('2024-10-27T01:30:00Z', 'missed'), // Berlin 02:30 CET, the second one; Moscow 04
	];
	const others = [call('2024-01-15T10:00:00Z', 'answered'), call('2024-01-15T11:00:00Z', 'short'), makeTouch({ touchId: 'form', at: '2024-01-15T10:00:00Z', kind: 'form', outcome: 'missed' })];

	it('counts missed calls by local hour in a zone with daylight saving and in one without', () => {
		const hours = (counts: Record<number, number>) => Array.from({ length: 24 }, (_, hour) => counts[hour] ?? 0);
		expect(lostCallsByHour([...missed, ...others], 'Europe/Berlin')).toEqual(hours({ 1: 1, 2: 2, 3: 1, 11: 1, 12: 1 }));
		expect(lostCallsByHour([...missed, ...others], 'Europe/Moscow')).toEqual(hours({ 3: 2, 4: 2, 13: 2 }));
	});

	it('refuses an unknown time zone and an unreadable time', () => {
		expect(() => lostCallsByHour(missed, 'Europe/Atlantis')).toThrow(/"Europe\/Atlantis" is not a time zone/);
		expect(() => lostCallsByHour([call('yesterday', 'missed')], 'UTC')).toThrow(/Touch yesterday: "yesterday" is not an ISO 8601 time/);
	});

	it('tallies call outcomes per channel', () => {
		const touches = [...missed, ...others, call('2024-01-16T10:00:00Z', 'repeat', null), call('2024-01-16T11:00:00Z', null, null)];
		expect(callOutcomesByChannel(touches)).toEqual([
			{ channel: GOOGLE, calls: 8, answered: 1, missed: 6, short: 1, repeat: 0, unknown: 0 },
			{ channel: DIRECT, calls: 2, answered: 0, missed: 0, short: 0, repeat: 1, unknown: 1 },
		]);
	});
});

describe('channelReport: spend in a currency no order has, when some orders have none', () => {
	it('names the currencies there are and says that some orders have none, instead of an empty name', () => {
		const mixed = [credit('linear', 'r', GOOGLE, 1, 100, 'RUB'), credit('linear', 'n', GOOGLE, 1, 70, null), credit('linear', 'u', GOOGLE, 1, 5, 'USD')];
		const row = { channel: GOOGLE, periodStart: '2024-01-01', periodEnd: '2024-01-31', spend: 10, currency: 'EUR' };
		expect(() => channelReport(mixed, { spend: [row] })).toThrow('Ad spend row 1 is in EUR, the orders are in RUB, USD (and there are orders without a currency)');
		expect(() => channelReport([mixed[0], mixed[1]], { spend: [row] })).toThrow('Ad spend row 1 is in EUR, the orders are in RUB (and there are orders without a currency)');
	});
});
