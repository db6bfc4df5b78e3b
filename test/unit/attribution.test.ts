import { attributeDeals, type AttributionModel } from '../../nodes/Attribution/attribute';
import { channelKey, DEFAULT_DIRECT_SOURCES, isDirect } from '../../nodes/Attribution/channels';
import { readDeals } from '../../nodes/Attribution/dealInput';
import { globalShareWeigher, splitCents } from '../../nodes/Attribution/credits';
import type { TouchSpan } from '../../nodes/Attribution/dealTable';
import { DEFAULT_HEURISTIC_SETTINGS, heuristicWeigher, type HeuristicModel, type HeuristicSettings } from '../../nodes/Attribution/heuristicModels';
import { emptyUtm, type Credit, type Deal, type Touch } from '../../nodes/shared/contracts';
import { generateDeals, makeDeal, makeTouch, unbalancedDeals } from '../bench/attributionBench';

/** Spans start at position 2 of their arrays, so a model that ignores span.start writes where it must not. */
const OFFSET = 2;

function spanOf(touches: Array<{ direct?: boolean; ageDays?: number; channel?: number }>): TouchSpan {
	const pad = <T>(values: T[], filler: T): T[] => [...new Array<T>(OFFSET).fill(filler), ...values];
	return {
		start: OFFSET,
		end: OFFSET + touches.length,
		channel: Int32Array.from(pad(touches.map((t) => t.channel ?? 0), 0)),
		direct: Uint8Array.from(pad(touches.map((t) => (t.direct ? 1 : 0)), 0)),
		ageDays: Float64Array.from(pad(touches.map((t) => t.ageDays ?? 0), 0)),
	};
}

function weigh(weigher: (span: TouchSpan, out: Float64Array) => void, span: TouchSpan): number[] {
	const out = new Float64Array(span.end).fill(-1);
	weigher(span, out);
	expect([...out.subarray(0, OFFSET)]).toEqual([-1, -1]);
	return [...out.subarray(OFFSET)];
}

function weights(model: HeuristicModel, touches: Array<{ direct?: boolean; ageDays?: number }>, settings: HeuristicSettings = DEFAULT_HEURISTIC_SETTINGS): number[] {
	return weigh(heuristicWeigher(model, settings), spanOf(touches));
}

const paid = { direct: false };
const direct = { direct: true };

describe('channels', () => {
	it('keys a touch as "source / medium", trimmed and lower-cased, with direct for no source', () => {
		expect(channelKey({ source: ' Google ', medium: 'CPC' })).toBe('google / cpc');
		expect(channelKey({ source: 'yandex', medium: null })).toBe('yandex / (none)');
		expect(channelKey({ source: null, medium: 'cpc' })).toBe('(direct) / (none)');
		expect(channelKey({ source: '  ', medium: null })).toBe('(direct) / (none)');
	});

	it('treats no source, listed sources and subdomains of own domains as direct', () => {
		const list = ['direct', 'internal', 'example.com'];
		expect(isDirect({ source: null }, list)).toBe(true);
		expect(isDirect({ source: 'Direct' }, list)).toBe(true);
		expect(isDirect({ source: 'example.com' }, list)).toBe(true);
		expect(isDirect({ source: 'shop.example.com' }, list)).toBe(true);
		expect(isDirect({ source: 'notexample.com' }, list)).toBe(false);
		expect(isDirect({ source: 'google' }, list)).toBe(false);
		expect(isDirect({ source: 'direct' }, [])).toBe(false);
	});

	it('keys a touch without a channel object as (not set), which is not direct: its source is unknown, not none', () => {
		expect(channelKey(null)).toBe('(not set) / (not set)');
		expect(channelKey(undefined)).toBe('(not set) / (not set)');
		expect(isDirect(null, DEFAULT_DIRECT_SOURCES)).toBe(false);
		// Last non-direct passes over the direct last touch and credits the unknown one before it.
		const unknown = { ...touch('2024-03-01T10:00:00Z', 'google'), channel: null } as unknown as Touch;
		const deal = makeDeal({ orderId: 'n', createdAt: '2024-03-02T10:00:00Z', total: 80, touches: [touch('2024-02-28T10:00:00Z', 'google'), unknown, touch('2024-03-01T12:00:00Z', null)] });
		const credits = attributeDeals([deal], { models: ['lastNonDirect'] }).credits;
		expect(credits.map((credit) => [credit.channel, credit.revenue])).toEqual([
			['google / cpc', 0],
			['(not set) / (not set)', 80],
			['(direct) / (none)', 0],
		]);
	});
});

describe('readDeals', () => {
	const deal = (orderId: string, total: unknown, stage: Deal['stage'] = 'won') =>
		({ ...makeDeal({ orderId, createdAt: '2024-03-02T10:00:00Z', total: 0, touches: [touch('2024-03-01T10:00:00Z', 'google')] }), total, stage }) as unknown as Deal;

	it('reads totals as CRMs write them, passes over stages not attributed, and reports the rest by item', () => {
		const input = readDeals([deal('a', '1 234,56'), deal('b', 'n/a', 'lost'), deal('c', 'n/a'), deal('d', 10, 'WON' as Deal['stage']), deal('e', -10)], ['won']);
		expect(input.deals.map((d) => [d.orderId, d.total])).toEqual([
			['a', 1234.56],
			['e', -10],
		]);
		expect(input.from).toEqual([0, 4]);
		expect(input.problems.map((p) => p.message)).toEqual(['Item 2 (orderId "c"): total "n/a" is not a number', 'Item 3 (orderId "d"): stage is "WON", not one of new, in_progress, won, lost, other']);
		expect(input.warnings.size).toBe(0);
	});
});

describe('heuristic models', () => {
	it('gives a single touch everything under every model', () => {
		for (const model of ['first', 'last', 'lastNonDirect', 'linear', 'timeDecay', 'positionBased'] as const) {
			expect(weights(model, [{ ageDays: 3 }])).toEqual([1]);
			expect(weights(model, [direct])).toEqual([1]);
		}
	});

	it('credits the first, the last, or all touches equally', () => {
		const four = [paid, paid, paid, paid];
		expect(weights('first', four)).toEqual([1, 0, 0, 0]);
		expect(weights('last', four)).toEqual([0, 0, 0, 1]);
		expect(weights('linear', four)).toEqual([0.25, 0.25, 0.25, 0.25]);
		expect(weights('first', [paid, paid])).toEqual([1, 0]);
		expect(weights('last', [paid, paid])).toEqual([0, 1]);
		expect(weights('linear', [paid, paid])).toEqual([0.5, 0.5]);
	});

	it('last non-direct skips direct touches at the end, and falls back to the last touch when all are direct', () => {
		expect(weights('lastNonDirect', [paid, paid, direct, direct])).toEqual([0, 1, 0, 0]);
		expect(weights('lastNonDirect', [direct, paid])).toEqual([0, 1]);
		expect(weights('lastNonDirect', [paid, direct])).toEqual([1, 0]);
		expect(weights('lastNonDirect', [direct, direct, direct])).toEqual([0, 0, 1]);
	});

	it('decays by 2^(-age / half-life)', () => {
		// Half-life 7 days: ages 14, 7 and 0 days weigh 1/4, 1/2 and 1, i.e. 1/7, 2/7, 4/7.
		const week = weights('timeDecay', [{ ageDays: 14 }, { ageDays: 7 }, { ageDays: 0 }]);
		[1 / 7, 2 / 7, 4 / 7].forEach((expected, i) => expect(week[i]).toBeCloseTo(expected, 15));
		const settings = { ...DEFAULT_HEURISTIC_SETTINGS, halfLifeDays: 3.5 };
		const a = Math.pow(2, -1 / 3.5);
		const b = Math.pow(2, -2.5 / 3.5);
		const custom = weights('timeDecay', [{ ageDays: 2.5 }, { ageDays: 1 }], settings);
		expect(custom[0]).toBeCloseTo(b / (a + b), 15);
		expect(custom[1]).toBeCloseTo(a / (a + b), 15);
		expect(weights('timeDecay', [{ ageDays: 3 }, { ageDays: 3 }])).toEqual([0.5, 0.5]);
	});

	it('keeps time decay finite for touches thousands of half-lives old', () => {
		const old = weights('timeDecay', [{ ageDays: 10_007 }, { ageDays: 10_000 }]);
		expect(old[0]).toBeCloseTo(1 / 3, 15);
		expect(old[1]).toBeCloseTo(2 / 3, 15);
	});

	it('splits 40/20/40 by position: 100 % for one touch, first:last for two, middles share the middle part', () => {
		expect(weights('positionBased', [paid, paid])).toEqual([0.5, 0.5]);
		expect(weights('positionBased', [paid, paid, paid])).toEqual([0.4, 0.2, 0.4]);
		const five = weights('positionBased', [paid, paid, paid, paid, paid]);
		[0.4, 0.2 / 3, 0.2 / 3, 0.2 / 3, 0.4].forEach((expected, i) => expect(five[i]).toBeCloseTo(expected, 15));
	});

	it('takes position weights on any scale and splits two touches first:last', () => {
		const settings = (first: number, middle: number, last: number): HeuristicSettings => ({ ...DEFAULT_HEURISTIC_SETTINGS, positionWeights: { first, middle, last } });
		expect(weights('positionBased', [paid, paid], settings(60, 20, 20))).toEqual([0.75, 0.25]);
		expect(weights('positionBased', [paid, paid, paid, paid], settings(30, 40, 30))).toEqual([0.3, 0.2, 0.2, 0.3]);
		expect(weights('positionBased', [paid, paid], settings(0, 100, 0))).toEqual([0.5, 0.5]);
		expect(weights('positionBased', [paid, paid, paid], settings(0, 100, 0))).toEqual([0, 1, 0]);
	});
});

describe('splitCents', () => {
	function split(cents: number, parts: number[]): number[] {
		const w = Float64Array.from(parts);
		const out = new Float64Array(parts.length);
		splitCents(cents, w, 0, parts.length, out);
		return [...out];
	}
	const equal = (n: number): number[] => new Array<number>(n).fill(1 / n);

	it('splits awkward amounts exactly, extra cents to the earliest touches', () => {
		expect(split(1, equal(3))).toEqual([1, 0, 0]);
		expect(split(10000, equal(3))).toEqual([3334, 3333, 3333]);
		expect(split(99999999, equal(7))).toEqual([14285715, 14285714, 14285714, 14285714, 14285714, 14285714, 14285714]);
		expect(split(0, equal(4))).toEqual([0, 0, 0, 0]);
	});

	it('gives leftover cents by largest remainder, ties to the earlier touch', () => {
		// 10 cents at 25/35/40 %: exact 2.5, 3.5, 4; one cent left, the remainders tie at 0.5.
		expect(split(10, [0.25, 0.35, 0.4])).toEqual([3, 3, 4]);
		// 7 cents at 10/30/60 %: exact 0.7, 2.1, 4.2; floors 0, 2, 4; the one left goes to 0.7.
		expect(split(7, [0.1, 0.3, 0.6])).toEqual([1, 2, 4]);
		// 100 cents over 1/6, 1/3, 1/2: 16.67, 33.33, 50 -> 17, 33, 50.
		expect(split(100, [1 / 6, 1 / 3, 1 / 2])).toEqual([17, 33, 50]);
	});

	it('splits a refund as the mirror of the amount, without -0', () => {
		const refund = split(-100, equal(3));
		expect(refund).toEqual([-34, -33, -33]);
		expect(Object.is(split(-1, [0.5, 0.5])[1], 0)).toBe(true);
	});

	it('adds up exactly for time-decay weights over many amounts', () => {
		const decay = weights('timeDecay', [0.3, 1.7, 2.2, 5, 8.9, 13, 29.5].map((ageDays) => ({ ageDays })));
		for (const cents of [1, 2, 3, 99, 10000, 123457, 99999999]) {
			const parts = split(cents, decay);
			expect(parts.reduce((a, b) => a + b, 0)).toBe(cents);
			parts.forEach((part, i) => expect(Math.abs(part - decay[i] * cents)).toBeLessThan(1));
		}
	});
});

describe('globalShareWeigher', () => {
	it('splits a deal over its channels by global share, and a channel evenly over its touches', () => {
		// Channels 0, 1, 2 score 0.5, 0.3, 0.2; path 0 > 1 > 0: channel 0 gets 0.5 / 0.8 over two touches.
		const weigher = globalShareWeigher(Float64Array.from([0.5, 0.3, 0.2]));
		const result = weigh(weigher, spanOf([{ channel: 0 }, { channel: 1 }, { channel: 0 }]));
		[0.3125, 0.375, 0.3125].forEach((expected, i) => expect(result[i]).toBeCloseTo(expected, 15));
		// The counters are reset between deals: the same weigher on the next deal.
		expect(weigh(weigher, spanOf([{ channel: 2 }, { channel: 0 }]))).toEqual([0.2 / 0.7, 0.5 / 0.7]);
	});

	it('falls back to linear when every channel on the path scores 0', () => {
		const weigher = globalShareWeigher(Float64Array.from([0, 0, 1]));
		expect(weigh(weigher, spanOf([{ channel: 0 }, { channel: 1 }, { channel: 1 }, { channel: 0 }]))).toEqual([0.25, 0.25, 0.25, 0.25]);
	});
});

let touchNumber = 0;

function touch(at: string, source: string | null, medium: string | null = 'cpc'): Touch {
	return makeTouch({ touchId: `t${++touchNumber}`, at, channel: { ...emptyUtm(), source, medium } });
}

function deal(orderId: string, createdAt: string | null, total: number | null, touches: Touch[]): Deal {
	return makeDeal({ orderId, createdAt, total, touches });
}

function expectShares(actual: Record<string, number>, expected: Record<string, number>): void {
	expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
	for (const [channel, share] of Object.entries(expected)) expect(actual[channel]).toBeCloseTo(share, 12);
}

const byModel = (credits: Credit[], model: string) => credits.filter((credit) => credit.model === model);
const revenues = (credits: Credit[], model: string) => byModel(credits, model).map((credit) => credit.revenue);

describe('attributeDeals', () => {
	const deals = [
		deal('o1', '2024-03-10T12:00:00+03:00', 100, [
			touch('2024-02-25T12:00:00+03:00', 'google'),
			touch('2024-03-03T12:00:00+03:00', 'yandex'),
			touch('2024-03-10T10:00:00+03:00', 'shop.example.com', 'referral'),
		]),
		deal('o2', '2024-03-12T09:00:00+03:00', 0.01, [touch('2024-03-11T09:00:00+03:00', 'google')]),
		deal('o3', '2024-03-15T09:00:00+03:00', null, [touch('2024-03-14T09:00:00+03:00', null, null), touch('2024-03-15T08:00:00+03:00', 'yandex')]),
		deal('o4', '2024-03-01T09:00:00+03:00', 50, []),
	];
	const options = { models: ['first', 'last', 'lastNonDirect', 'linear', 'timeDecay', 'positionBased'] as AttributionModel[], directSources: ['direct', 'example.com'] };

	it('credits every touch under each model, to the cent', () => {
		const { credits } = attributeDeals(deals, options);
		expect(credits).toHaveLength(6 * 6);
		expect(byModel(credits, 'first')[0]).toEqual({ orderId: 'o1', touchId: deals[0].touches[0].touchId, model: 'first', channel: 'google / cpc', share: 1, revenue: 100, currency: 'RUB' });
		expect(revenues(credits, 'first')).toEqual([100, 0, 0, 0.01, 0, 0]);
		expect(revenues(credits, 'last')).toEqual([0, 0, 100, 0.01, 0, 0]);
		expect(revenues(credits, 'lastNonDirect')).toEqual([0, 100, 0, 0.01, 0, 0]);
		expect(revenues(credits, 'linear')).toEqual([33.34, 33.33, 33.33, 0.01, 0, 0]);
		expect(revenues(credits, 'positionBased')).toEqual([40, 20, 40, 0.01, 0, 0]);
		expect(byModel(credits, 'linear').map((credit) => credit.share)).toEqual([1 / 3, 1 / 3, 1 / 3, 1, 0.5, 0.5]);
	});

	it('measures time decay from the order time', () => {
		// o1's touches are 14 days, 7 days and 2 hours before the order: weights 1/4, 1/2, 2^(-1/84) = 0.99178.
		const { credits } = attributeDeals(deals, { models: ['timeDecay'] });
		const w = [Math.pow(2, -2), Math.pow(2, -1), Math.pow(2, -2 / 24 / 7)];
		const sum = w[0] + w[1] + w[2];
		byModel(credits, 'timeDecay').slice(0, 3).forEach((credit, i) => expect(credit.share).toBeCloseTo(w[i] / sum, 12));
		// 10000 cents x (0.143530, 0.287059, 0.569411) = 1435.30, 2870.59, 5694.11: the cent left goes to 2870.59.
		expect(revenues(credits, 'timeDecay').slice(0, 3)).toEqual([14.35, 28.71, 56.94]);
	});

	it('counts touches after the order time as at the order, and an order without a time from its last touch', () => {
		const late = deal('late', '2024-03-10T00:00:00Z', 30, [touch('2024-03-09T00:00:00Z', 'google'), touch('2024-03-10T00:00:00Z', 'vk'), touch('2024-03-12T00:00:00Z', 'ok')]);
		const lateShares = byModel(attributeDeals([late], { models: ['timeDecay'] }).credits, 'timeDecay').map((credit) => credit.share);
		const day = Math.pow(2, -1 / 7);
		[day / (day + 2), 1 / (day + 2), 1 / (day + 2)].forEach((expected, i) => expect(lateShares[i]).toBeCloseTo(expected, 15));
		const undated = deal('undated', null, 30, [touch('2024-03-03T00:00:00Z', 'google'), touch('2024-03-10T00:00:00Z', 'vk')]);
		const undatedShares = byModel(attributeDeals([undated], { models: ['timeDecay'] }).credits, 'timeDecay').map((credit) => credit.share);
		expect(undatedShares[0]).toBeCloseTo(1 / 3, 15);
		expect(undatedShares[1]).toBeCloseTo(2 / 3, 15);
	});

	it('reports deals without a total or touches, the order period, and channel shares', () => {
		const result = attributeDeals(deals, options);
		expect(result.dealsWithoutTotal).toEqual(['o3']);
		expect(result.dealsWithoutTouches).toEqual(['o4']);
		expect(result.period).toEqual({ start: '2024-03-01', end: '2024-03-15' });
		expect(result.channelShares.first).toEqual({ 'google / cpc': 2 / 3, 'yandex / cpc': 0, 'shop.example.com / referral': 0, '(direct) / (none)': 1 / 3 });
		const linear = result.channelShares.linear ?? {};
		expect(linear['yandex / cpc']).toBeCloseTo((1 / 3 + 0.5) / 3, 15);
		expect(Object.values(linear).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
	});

	it('splits Markov and Shapley credit by global channel shares', () => {
		const result = attributeDeals(deals, { models: ['markov', 'shapley'] });
		// Shapley: o1 gives each of its 3 channels 1/3, o2 gives google 1, o3 splits between direct and yandex.
		expect(result.channelShares.shapley).toEqual({
			'google / cpc': (1 / 3 + 1) / 3,
			'yandex / cpc': (1 / 3 + 1 / 2) / 3,
			'shop.example.com / referral': 1 / 3 / 3,
			'(direct) / (none)': 1 / 2 / 3,
		});
		const shapley = byModel(result.credits, 'shapley');
		// o1: 100.00 in proportion 4/9 : 5/18 : 1/9 -> 8/15, 5/15, 2/15 of it; the remainders tie, the first touch wins.
		expect(shapley.slice(0, 3).map((credit) => credit.revenue)).toEqual([53.34, 33.33, 13.33]);
		// Every path converts, so removing any channel on a path loses that path: Markov shares follow the conversions
		// each channel carries, all of o2 to google.
		expect(byModel(result.credits, 'markov')[3]).toMatchObject({ orderId: 'o2', channel: 'google / cpc', share: 1, revenue: 0.01 });
		expect(Object.values(result.channelShares.markov ?? {}).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
	});

	it('feeds non-converting journeys and pre-counted paths to Markov', () => {
		const shop = (at: string) => touch(at, 'shop.example.com', 'referral');
		const plain = attributeDeals(deals, { models: ['markov'] }).channelShares.markov ?? {};
		// Every path converts: removal effects are the chances of reaching each channel, 2/3, 2/3, 1/3, 1/3.
		expectShares(plain, { 'google / cpc': 1 / 3, 'yandex / cpc': 1 / 3, 'shop.example.com / referral': 1 / 6, '(direct) / (none)': 1 / 6 });
		// Two people left after the shop (one of them visited it twice: a repeat collapses). Now start -> google 2/5,
		// direct 1/5, shop 2/5; shop converts 1/3, yandex 2/3, google 5/6, P(conversion) = 3/5; removal effects
		// google 5/9, yandex 4/9, shop 3/9, direct 2/9.
		const journeys = [[shop('2024-03-01T10:00:00Z'), shop('2024-03-02T10:00:00Z')], [shop('2024-03-01T10:00:00Z')]];
		const withTouches = attributeDeals(deals, { models: ['markov'], nonConvertingTouches: journeys }).channelShares.markov ?? {};
		const withPaths = attributeDeals(deals, { models: ['markov'], nonConvertingPaths: [{ channels: ['shop.example.com / referral'], nonConversions: 2 }] }).channelShares.markov ?? {};
		const expected = { 'google / cpc': 5 / 14, 'yandex / cpc': 4 / 14, 'shop.example.com / referral': 3 / 14, '(direct) / (none)': 2 / 14 };
		expectShares(withTouches, expected);
		expectShares(withPaths, expected);
	});

	it('refuses unknown or repeated models and impossible settings', () => {
		expect(() => attributeDeals(deals, { models: [] })).toThrow(/No attribution model chosen/);
		expect(() => attributeDeals(deals, { models: ['lastClick' as AttributionModel] })).toThrow(/Unknown attribution model "lastClick"/);
		expect(() => attributeDeals(deals, { models: ['linear', 'linear'] })).toThrow(/"linear" is chosen twice/);
		expect(() => attributeDeals(deals, { models: ['timeDecay'], halfLifeDays: 0 })).toThrow(/half-life must be a positive number/);
		expect(() => attributeDeals(deals, { models: ['positionBased'], positionWeights: { first: 0, middle: 0, last: 0 } })).toThrow(/not all 0/);
		expect(() => attributeDeals(deals, { models: ['positionBased'], positionWeights: { first: -1, middle: 1, last: 1 } })).toThrow(/non-negative/);
		expect(() => attributeDeals(deals, { models: ['markov'], nonConvertingPaths: [{ channels: ['a / b'], nonConversions: -2 }] })).toThrow(/path 1: -2 people is not a count/);
	});

	it('credits awkward amounts exactly under every model', () => {
		const sources = ['google', 'yandex', null, 'vk', 'google', 'direct', 'ok'];
		const seven = sources.map((source, k) => touch(`2024-03-0${k + 1}T10:00:00Z`, source));
		const awkward = [
			deal('big', '2024-03-09T10:00:00Z', 999999.99, seven),
			deal('hundred', '2024-03-09T10:00:00Z', 100, seven.slice(0, 3)),
			deal('cent', '2024-03-09T10:00:00Z', 0.01, seven.slice(3, 6)),
		];
		const models: AttributionModel[] = ['first', 'last', 'lastNonDirect', 'linear', 'timeDecay', 'positionBased', 'markov', 'shapley'];
		const { credits } = attributeDeals(awkward, { models });
		for (const model of models) {
			const cents = (orderId: string) => byModel(credits, model).filter((c) => c.orderId === orderId).map((c) => Math.round(c.revenue * 100));
			expect(cents('big').reduce((a, b) => a + b, 0)).toBe(99999999);
			expect(cents('hundred').reduce((a, b) => a + b, 0)).toBe(10000);
			expect(cents('cent').sort()).toEqual([0, 0, 1]);
			for (const c of byModel(credits, model)) expect(Math.round(c.revenue * 100) / 100).toBe(c.revenue);
		}
		expect(revenues(credits, 'linear').slice(0, 7)).toEqual([142857.15, 142857.14, 142857.14, 142857.14, 142857.14, 142857.14, 142857.14]);
		// 40 % of 99999999 cents is 39999999.6, 4 % is 3999999.96: the five middles' .96 get a cent first, then the
		// first and last tie at .6 for the sixth and the first touch takes it.
		expect(revenues(credits, 'positionBased').slice(0, 7)).toEqual([400000, 40000, 40000, 40000, 40000, 40000, 399999.99]);
	});

	it('balances every deal to the cent over 2,000 generated deals and all models', () => {
		const generated = generateDeals(2000, 7);
		const models: AttributionModel[] = ['first', 'last', 'lastNonDirect', 'linear', 'timeDecay', 'positionBased', 'markov', 'shapley'];
		const { credits, channelShares } = attributeDeals(generated, { models });
		const touches = generated.reduce((sum, d) => sum + d.touches.length, 0);
		expect(credits).toHaveLength(touches * models.length);
		expect(unbalancedDeals(generated, credits)).toEqual([]);
		for (const model of models) expect(Object.values(channelShares[model] ?? {}).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
	});
});
