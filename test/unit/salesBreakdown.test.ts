import { linearBoundMs } from '../helpers/linearTime';
import type { AdSpendRow } from '../../nodes/Attribution/adSpend';
import type { Credit, Deal, TouchKind, Utm } from '../../nodes/shared/contracts';
import { emptyUtm } from '../../nodes/shared/contracts';
import { breakdown, campaignName } from '../../nodes/SalesReport/breakdown';
import type { BreakdownRow, OrdersAndRevenue } from '../../nodes/SalesReport/reportModel';
import { makeDeal } from '../bench/attributionBench';
import { touch } from '../helpers/records';

/*
 * The fixture: six won deals, figures worked out by hand below. Campaigns are written as they reach a CRM: "Brand",
 * " brand ", "BRAND" are one campaign; "brand%20spring" and "brand spring" one; "Summer+Sale" and «Summer Sale» one.
 *
 * deal  total   currency  touches (kind, time, source / medium / campaign)                    converting touch
 * d1    1000    RUB       form 1 Mar google/cpc/Brand, call 2 Mar Google/CPC/" brand "        call (the later)
 * d2    600.30  RUB       chat 3 Mar yandex/cpc/brand%20spring, cart 4 Mar yandex/cpc/brand spring   cart
 * d3    333.33  RUB       call 5 Mar 10:00+03:00 vk/cpc/Summer+Sale, form 5 Mar 07:00Z google/cpc/BRAND
 *                         (the same instant: the later in the array, the form, converts)       form
 * d4    200     RUB       form 8 Mar google/cpc/«Summer Sale», call 7 Mar (no source: direct)  form (by time, not array order)
 * d5    100     none      chat 9 Mar, no channel object: not set                               chat
 * d6    50      USD       call 10 Mar google/cpc/Brand                                         call
 * Kinds each deal had: d1 form+call, d2 chat+cart, d3 call+form, d4 form+call, d5 chat, d6 call.
 */
function utm(source: string | null, medium: string | null, campaign: string | null): Utm {
	return { ...emptyUtm(), source, medium, campaign };
}

const deals: Deal[] = [
	makeDeal({
		orderId: 'd1',
		total: 1000,
		touches: [
			touch('d1-form', '2024-03-01T10:00:00+03:00', { kind: 'form', channel: utm('google', 'cpc', 'Brand') }),
			touch('d1-call', '2024-03-02T10:00:00+03:00', { kind: 'call', channel: utm('Google', 'CPC', ' brand ') }),
		],
	}),
	makeDeal({
		orderId: 'd2',
		total: 600.3,
		touches: [
			touch('d2-chat', '2024-03-03T10:00:00+03:00', { kind: 'chat', channel: utm('yandex', 'cpc', 'brand%20spring') }),
			touch('d2-cart', '2024-03-04T10:00:00+03:00', { kind: 'cart', channel: utm('yandex', 'cpc', 'brand spring') }),
		],
	}),
	makeDeal({
		orderId: 'd3',
		total: 333.33,
		touches: [
			touch('d3-call', '2024-03-05T10:00:00+03:00', { kind: 'call', channel: utm('vk', 'cpc', 'Summer+Sale') }),
			touch('d3-form', '2024-03-05T07:00:00Z', { kind: 'form', channel: utm('google', 'cpc', 'BRAND') }),
		],
	}),
	makeDeal({
		orderId: 'd4',
		total: 200,
		touches: [
			touch('d4-form', '2024-03-08T10:00:00+03:00', { kind: 'form', channel: utm('google', 'cpc', '«Summer Sale»') }),
			// A blank source is no source: direct, and its medium and campaign are not read ("(none)").
			touch('d4-call', '2024-03-07T10:00:00+03:00', { kind: 'call', channel: utm('  ', 'cpc', 'brand') }),
		],
	}),
	makeDeal({ orderId: 'd5', total: 100, currency: null, touches: [touch('d5-chat', '2024-03-09T10:00:00+03:00', { kind: 'chat', channel: null as unknown as Utm })] }),
	makeDeal({ orderId: 'd6', total: 50, currency: 'USD', touches: [touch('d6-call', '2024-03-10T10:00:00+03:00', { kind: 'call', channel: utm('google', 'cpc', 'Brand') })] }),
];

function credit(orderId: string, touchId: string, share: number, revenue: number, currency: string | null = 'RUB'): Credit {
	return { orderId, touchId, model: 'test', channel: '(not read by breakdown)', share, revenue, currency };
}

/** Linear, written by hand: each of a deal's two touches gets half; d3's 333.33 splits 166.67 + 166.66, d2's 600.30 into 300.10 + 300.20. */
const linear: Credit[] = [
	credit('d1', 'd1-form', 0.5, 500),
	credit('d1', 'd1-call', 0.5, 500),
	credit('d2', 'd2-chat', 0.5, 300.1),
	credit('d2', 'd2-cart', 0.5, 300.2),
	credit('d3', 'd3-call', 0.5, 166.67),
	credit('d3', 'd3-form', 0.5, 166.66),
	credit('d4', 'd4-form', 0.5, 100),
	credit('d4', 'd4-call', 0.5, 100),
	credit('d5', 'd5-chat', 1, 100, null),
	credit('d6', 'd6-call', 1, 50, 'USD'),
];

/** Last touch, written by hand: the whole deal to its converting touch. */
const lastTouch: Credit[] = [
	credit('d1', 'd1-call', 1, 1000),
	credit('d2', 'd2-cart', 1, 600.3),
	credit('d3', 'd3-form', 1, 333.33),
	credit('d4', 'd4-form', 1, 200),
	credit('d5', 'd5-chat', 1, 100, null),
	credit('d6', 'd6-call', 1, 50, 'USD'),
];

/** RUB revenue of every model in cents: 100000 + 60030 + 33333 + 20000. */
const RUB_CENTS = 213363;

function figures([orders, revenue]: [number, number]): OrdersAndRevenue {
	return { orders, revenue };
}

/** Every kind, zeros where none is given. */
function kinds(given: Partial<Record<TouchKind, [number, number]>>): Record<TouchKind, OrdersAndRevenue> {
	const zero: [number, number] = [0, 0];
	return {
		call: figures(given.call ?? zero),
		chat: figures(given.chat ?? zero),
		form: figures(given.form ?? zero),
		cart: figures(given.cart ?? zero),
		email: figures(given.email ?? zero),
		visit: figures(given.visit ?? zero),
	};
}

interface Expected {
	values: string[];
	currency: string | null;
	total: [number, number];
	share: number | null;
	converting: Partial<Record<TouchKind, [number, number]>>;
	touched: Partial<Record<TouchKind, [number, number]>>;
	phone: [number, number];
	online: [number, number];
}

const CAMPAIGN_LEVELS = ['source', 'medium', 'campaign'] as const;

function row(e: Expected, levels: readonly string[] = CAMPAIGN_LEVELS): BreakdownRow {
	return {
		group: Object.fromEntries(levels.map((level, i) => [level, e.values[i]])),
		name: e.values.join(' / '),
		currency: e.currency,
		orders: e.total[0],
		revenue: e.total[1],
		revenueShare: e.share,
		byConvertingKind: kinds(e.converting),
		byKindTouched: kinds(e.touched),
		phone: figures(e.phone),
		online: figures(e.online),
	};
}

/** The linear rows at source / medium / campaign, in the order the report gives them. */
const linearRows: BreakdownRow[] = [
	// No currency first. d5: one chat, no channel.
	row({ values: ['(not set)', '(not set)', '(not set)'], currency: null, total: [1, 100], share: 1, converting: { chat: [1, 100] }, touched: { chat: [1, 100] }, phone: [0, 0], online: [1, 100] }),
	// d1 form 0.5/500 + d1 call 0.5/500 + d3 form 0.5/166.66 = 1.5 orders, 116666 cents. d1 converts by call (1, 1000),
	// d3 by form (0.5, 166.66). Both deals had a call and a form.
	row({
		values: ['google', 'cpc', 'brand'],
		currency: 'RUB',
		total: [1.5, 1166.66],
		share: 116666 / RUB_CENTS,
		converting: { call: [1, 1000], form: [0.5, 166.66] },
		touched: { call: [1.5, 1166.66], form: [1.5, 1166.66] },
		phone: [1, 1000],
		online: [0.5, 166.66],
	}),
	// d2 chat 300.10 + d2 cart 300.20 = 600.30 exactly (in cents: 30010 + 30020); d2 converts by its cart.
	row({
		values: ['yandex', 'cpc', 'brand spring'],
		currency: 'RUB',
		total: [1, 600.3],
		share: 60030 / RUB_CENTS,
		converting: { cart: [1, 600.3] },
		touched: { chat: [1, 600.3], cart: [1, 600.3] },
		phone: [0, 0],
		online: [1, 600.3],
	}),
	// d3's call: a phone touch, but d3 converted by its form: online.
	row({
		values: ['vk', 'cpc', 'summer sale'],
		currency: 'RUB',
		total: [0.5, 166.67],
		share: 16667 / RUB_CENTS,
		converting: { form: [0.5, 166.67] },
		touched: { call: [0.5, 166.67], form: [0.5, 166.67] },
		phone: [0, 0],
		online: [0.5, 166.67],
	}),
	// 100 each, by name: "(direct)…" before "google…". d4 converts by its form (8 March).
	row({
		values: ['(direct)', '(none)', '(none)'],
		currency: 'RUB',
		total: [0.5, 100],
		share: 10000 / RUB_CENTS,
		converting: { form: [0.5, 100] },
		touched: { call: [0.5, 100], form: [0.5, 100] },
		phone: [0, 0],
		online: [0.5, 100],
	}),
	row({
		values: ['google', 'cpc', 'summer sale'],
		currency: 'RUB',
		total: [0.5, 100],
		share: 10000 / RUB_CENTS,
		converting: { form: [0.5, 100] },
		touched: { call: [0.5, 100], form: [0.5, 100] },
		phone: [0, 0],
		online: [0.5, 100],
	}),
	row({ values: ['google', 'cpc', 'brand'], currency: 'USD', total: [1, 50], share: 1, converting: { call: [1, 50] }, touched: { call: [1, 50] }, phone: [1, 50], online: [0, 0] }),
];

const march = { start: '2024-03-01', end: '2024-03-31' };

function spendRow(fields: Partial<AdSpendRow>): AdSpendRow {
	return { periodStart: '2024-03-01', periodEnd: '2024-03-31', spend: 0, currency: 'RUB', ...fields };
}

const spend: AdSpendRow[] = [
	spendRow({ source: 'Google', medium: 'CPC', campaign: 'Brand', spend: 310 }),
	// 16 Feb - 16 Mar is 30 days (2024 is a leap year: 14 in February), 16 in March: 100 * 16 / 30 = 53.33.
	spendRow({ channel: 'yandex / cpc', campaign: 'brand+spring', periodStart: '2024-02-16', periodEnd: '2024-03-16', spend: 100 }),
	// No campaign: cannot be split over vk's campaigns.
	spendRow({ source: 'vk', medium: 'cpc', spend: 40 }),
	// A campaign that brought no order.
	spendRow({ source: 'google', medium: 'cpc', campaign: 'Retargeting', spend: 90 }),
	// April: outside the period.
	spendRow({ source: 'google', medium: 'cpc', campaign: 'brand', periodStart: '2024-04-01', periodEnd: '2024-04-30', spend: 1000 }),
];

function spendFigures(rows: BreakdownRow[]): Array<[string, string | null, number, number, number | undefined, number | null | undefined, number | null | undefined]> {
	return rows.map((r) => [r.name, r.currency, r.orders, r.revenue, r.spend, r.cpo, r.romi]);
}

describe('campaignName', () => {
	it('writes a campaign one way however it was typed, encoded or quoted', () => {
		const cases: Array<[string, string]> = [
			['Brand', 'brand'],
			[' brand ', 'brand'],
			['BRAND', 'brand'],
			['brand%20spring', 'brand spring'],
			['Summer+Sale', 'summer sale'],
			['%D0%BB%D0%B5%D1%82%D0%BE', 'лето'],
			['%D0%9B%D0%B5%D1%82%D0%BE+2024', 'лето 2024'],
			['%F0%9F%98%80x', '😀x'],
			['«Summer Sale»', 'summer sale'],
			['"Brand"', 'brand'],
			["'Brand'", 'brand'],
			['“Brand”', 'brand'],
			['„Бренд“', 'бренд'],
			// Nested quotes, and the spaces inside them.
			['« "Brand" »', 'brand'],
			['brand \t\n  spring\u00a0sale', 'brand spring sale'],
			// A space inside: decoded already, so "+" is a plus.
			['C++ course', 'c++ course'],
			// Decoded once: "%25" is a percent sign, and what it forms is not read again.
			['50%2520off', '50%20off'],
			// Only a pair of quotes is taken off.
			['«Brand', '«brand'],
		];
		expect(cases.map(([value]) => campaignName(value))).toEqual(cases.map(([, name]) => name));
	});

	it('leaves an escape that is not whole UTF-8 as written, without throwing', () => {
		expect(campaignName('%D0%BA%D0')).toBe('к%d0');
		expect(campaignName('%E2%82')).toBe('%e2%82');
		// Overlong "/", a surrogate (U+D800), past U+10FFFF: refused by RFC 3629, kept as written.
		expect(campaignName('%C0%AF')).toBe('%c0%af');
		expect(campaignName('%ED%A0%80')).toBe('%ed%a0%80');
		expect(campaignName('%F4%90%80%80')).toBe('%f4%90%80%80');
		expect(campaignName('100%+off')).toBe('100% off');
		expect(campaignName('%zz%4')).toBe('%zz%4');
	});

	it('is null for nothing, blanks and empty quotes', () => {
		expect([null, undefined, '', '   ', '%20%20', '+', '""', '« »'].map(campaignName)).toEqual([null, null, null, null, null, null, null, null]);
	});

	it('cuts a value longer than 200 characters to 200, never inside a surrogate pair', () => {
		expect(campaignName(`${'A'.repeat(250)}`)).toBe('a'.repeat(200));
		// 199 letters and an emoji (2 code units): cutting at 200 would split the emoji, so it goes whole.
		expect(campaignName(`${'a'.repeat(199)}😀b`)).toBe('a'.repeat(199));
		// Decoding shortens first: 200 escapes of "a" are 200 characters.
		expect(campaignName('%61'.repeat(200))).toBe('a'.repeat(200));
		// A cut that ends on a space drops it.
		expect(campaignName(`${'a'.repeat(199)} b`)).toBe('a'.repeat(199));
	});

	it('takes linear time on a megabyte of hostile text (< 100 ms each), reading its first 4096 characters', () => {
		const hostile = (size: number) => [
			'%'.repeat(size),
			'%D0'.repeat(size / 3),
			'%41'.repeat(size / 3),
			'+'.repeat(size),
			`${' '.repeat(size - 1)}a`,
			'a\u00a0'.repeat(size / 2),
			`${'«'.repeat(size / 2)}${'»'.repeat(size / 2)}`,
			'"'.repeat(size),
		];
		for (const text of hostile(1_048_576)) {
			// Flattens the test's own string (built by repeat) before the clock starts.
			text.charCodeAt(text.length - 1);
			const started = performance.now();
			campaignName(text);
			expect(performance.now() - started).toBeLessThan(linearBoundMs(text, 100));
		}
		// Within the characters read every step is one pass: 50 runs over each 4096-character text in < 100 ms (about
		// 10 ms here; a step that went back over the text would take some 4096 times as long).
		for (const text of hostile(4096)) {
			campaignName(text);
			const started = performance.now();
			for (let run = 0; run < 50; run++) campaignName(text);
			// 100 ms on a quiet machine, or 5,000 plain passes over 50 copies of the text timed now (about 1 s here; a step
			// that went back over the text would take some 40 s: test/helpers/linearTime.ts).
			expect(performance.now() - started).toBeLessThan(linearBoundMs(text.repeat(50), 100, 5000));
		}
		expect(campaignName('%'.repeat(1_048_576))).toBe('%'.repeat(200));
		expect(campaignName('%41'.repeat(1_000_000))).toBe('a'.repeat(200));
		expect(campaignName(`${' '.repeat(4095)}a`)).toBe('a');
		expect(campaignName(`${'«'.repeat(2048)}${'»'.repeat(2048)}`)).toBeNull();
		// 4096 characters read: 2049 opening quotes and 2047 closing ones, so two opening ones stay.
		expect(campaignName(`${'«'.repeat(2049)}${'»'.repeat(2049)}`)).toBe('««');
	});
});

describe('breakdown', () => {
	it('computes every figure of the linear credits by source / medium / campaign', () => {
		expect(breakdown(deals, linear, { levels: ['source', 'medium', 'campaign'] })).toEqual(linearRows);
	});

	it('computes every figure of the last-touch credits by source / medium / campaign', () => {
		expect(breakdown(deals, lastTouch, { levels: ['source', 'medium', 'campaign'] })).toEqual([
			row({ values: ['(not set)', '(not set)', '(not set)'], currency: null, total: [1, 100], share: 1, converting: { chat: [1, 100] }, touched: { chat: [1, 100] }, phone: [0, 0], online: [1, 100] }),
			// d1's call 1000 + d3's form 333.33 = 1333.33 (133333 cents).
			row({
				values: ['google', 'cpc', 'brand'],
				currency: 'RUB',
				total: [2, 1333.33],
				share: 133333 / RUB_CENTS,
				converting: { call: [1, 1000], form: [1, 333.33] },
				touched: { call: [2, 1333.33], form: [2, 1333.33] },
				phone: [1, 1000],
				online: [1, 333.33],
			}),
			row({
				values: ['yandex', 'cpc', 'brand spring'],
				currency: 'RUB',
				total: [1, 600.3],
				share: 60030 / RUB_CENTS,
				converting: { cart: [1, 600.3] },
				touched: { chat: [1, 600.3], cart: [1, 600.3] },
				phone: [0, 0],
				online: [1, 600.3],
			}),
			row({
				values: ['google', 'cpc', 'summer sale'],
				currency: 'RUB',
				total: [1, 200],
				share: 20000 / RUB_CENTS,
				converting: { form: [1, 200] },
				touched: { call: [1, 200], form: [1, 200] },
				phone: [0, 0],
				online: [1, 200],
			}),
			row({ values: ['google', 'cpc', 'brand'], currency: 'USD', total: [1, 50], share: 1, converting: { call: [1, 50] }, touched: { call: [1, 50] }, phone: [1, 50], online: [0, 0] }),
		]);
	});

	it('groups by source alone', () => {
		const levels = ['source'] as const;
		expect(breakdown(deals, linear, { levels: ['source'] })).toEqual([
			row({ values: ['(not set)'], currency: null, total: [1, 100], share: 1, converting: { chat: [1, 100] }, touched: { chat: [1, 100] }, phone: [0, 0], online: [1, 100] }, levels),
			// d1 1/1000 (converts by call) + d3's form 0.5/166.66 + d4's form 0.5/100 (both convert by form): 2, 1266.66.
			row(
				{
					values: ['google'],
					currency: 'RUB',
					total: [2, 1266.66],
					share: 126666 / RUB_CENTS,
					converting: { call: [1, 1000], form: [1, 266.66] },
					touched: { call: [2, 1266.66], form: [2, 1266.66] },
					phone: [1, 1000],
					online: [1, 266.66],
				},
				levels,
			),
			row({ values: ['yandex'], currency: 'RUB', total: [1, 600.3], share: 60030 / RUB_CENTS, converting: { cart: [1, 600.3] }, touched: { chat: [1, 600.3], cart: [1, 600.3] }, phone: [0, 0], online: [1, 600.3] }, levels),
			row({ values: ['vk'], currency: 'RUB', total: [0.5, 166.67], share: 16667 / RUB_CENTS, converting: { form: [0.5, 166.67] }, touched: { call: [0.5, 166.67], form: [0.5, 166.67] }, phone: [0, 0], online: [0.5, 166.67] }, levels),
			row({ values: ['(direct)'], currency: 'RUB', total: [0.5, 100], share: 10000 / RUB_CENTS, converting: { form: [0.5, 100] }, touched: { call: [0.5, 100], form: [0.5, 100] }, phone: [0, 0], online: [0.5, 100] }, levels),
			row({ values: ['google'], currency: 'USD', total: [1, 50], share: 1, converting: { call: [1, 50] }, touched: { call: [1, 50] }, phone: [1, 50], online: [0, 0] }, levels),
		]);
	});

	it('groups by campaign alone: one campaign from several sources is one row', () => {
		const levels = ['campaign'] as const;
		expect(breakdown(deals, linear, { levels: ['campaign'] })).toEqual([
			row({ values: ['(not set)'], currency: null, total: [1, 100], share: 1, converting: { chat: [1, 100] }, touched: { chat: [1, 100] }, phone: [0, 0], online: [1, 100] }, levels),
			row(
				{
					values: ['brand'],
					currency: 'RUB',
					total: [1.5, 1166.66],
					share: 116666 / RUB_CENTS,
					converting: { call: [1, 1000], form: [0.5, 166.66] },
					touched: { call: [1.5, 1166.66], form: [1.5, 1166.66] },
					phone: [1, 1000],
					online: [0.5, 166.66],
				},
				levels,
			),
			row({ values: ['brand spring'], currency: 'RUB', total: [1, 600.3], share: 60030 / RUB_CENTS, converting: { cart: [1, 600.3] }, touched: { chat: [1, 600.3], cart: [1, 600.3] }, phone: [0, 0], online: [1, 600.3] }, levels),
			// vk's "Summer+Sale" 0.5/166.67 + google's «Summer Sale» 0.5/100: 1 order, 266.67.
			row({ values: ['summer sale'], currency: 'RUB', total: [1, 266.67], share: 26667 / RUB_CENTS, converting: { form: [1, 266.67] }, touched: { call: [1, 266.67], form: [1, 266.67] }, phone: [0, 0], online: [1, 266.67] }, levels),
			// The direct touch: "(none)", its own campaign "brand" is not read.
			row({ values: ['(none)'], currency: 'RUB', total: [0.5, 100], share: 10000 / RUB_CENTS, converting: { form: [0.5, 100] }, touched: { call: [0.5, 100], form: [0.5, 100] }, phone: [0, 0], online: [0.5, 100] }, levels),
			row({ values: ['brand'], currency: 'USD', total: [1, 50], share: 1, converting: { call: [1, 50] }, touched: { call: [1, 50] }, phone: [1, 50], online: [0, 0] }, levels),
		]);
	});

	it('names the groups in the order of the levels asked', () => {
		const rows = breakdown(deals, linear, { levels: ['campaign', 'source'] });
		expect(rows.map((r) => r.name)).toEqual(['(not set) / (not set)', 'brand / google', 'brand spring / yandex', 'summer sale / vk', '(none) / (direct)', 'summer sale / google', 'brand / google']);
		expect(Object.keys(rows[1].group)).toEqual(['campaign', 'source']);
		expect(rows[1].group).toEqual({ campaign: 'brand', source: 'google' });
	});

	it('reads direct and not-set touches at every level, and a missing value as "(none)"', () => {
		const one = (orderId: string, channel: Utm | null | undefined) =>
			makeDeal({ orderId, total: 10, touches: [touch(`${orderId}-t`, '2024-03-01T10:00:00+03:00', { kind: 'form', channel: channel as Utm })] });
		const cases = [
			one('no-source', { source: null, medium: 'cpc', campaign: 'x', content: 'y', term: 'z' }),
			// "%20" decodes to a space: blank, so direct too.
			one('encoded-blank', { source: '%20', medium: 'cpc', campaign: 'x', content: null, term: null }),
			one('null-channel', null),
			one('no-channel', undefined),
			one('no-medium', { source: 'Telegram', medium: null, campaign: null, content: ' ', term: 'Shoes' }),
		];
		const rows = breakdown(
			cases,
			cases.map((deal) => credit(String(deal.orderId), `${deal.orderId}-t`, 1, 10)),
			{ levels: ['source', 'medium', 'campaign', 'content', 'term'] },
		);
		// 20 each for direct and not set (two deals of 10), 10 for telegram; ties go by name.
		expect(rows.map((r) => [r.name, r.orders, r.revenue, r.revenueShare])).toEqual([
			['(direct) / (none) / (none) / (none) / (none)', 2, 20, 0.4],
			['(not set) / (not set) / (not set) / (not set) / (not set)', 2, 20, 0.4],
			['telegram / (none) / (none) / (none) / shoes', 1, 10, 0.2],
		]);
		expect(rows[2].group).toEqual({ source: 'telegram', medium: '(none)', campaign: '(none)', content: '(none)', term: 'shoes' });
	});

	it('picks the converting touch by time; unreadable times do not compete; a kind outside the six counts under none', () => {
		const at = (day: number) => `2024-03-0${day}T10:00:00+03:00`;
		const google = utm('google', 'cpc', 'brand');
		const cases = [
			// The call is the latest that can be read; the form's time cannot be.
			makeDeal({ orderId: 'a', total: 10, touches: [touch('a1', at(1), { kind: 'form', channel: google }), touch('a2', at(2), { kind: 'call', channel: google }), touch('a3', 'not a time', { kind: 'form', channel: google })] }),
			// No time can be read: the last in the array, the chat.
			makeDeal({ orderId: 'b', total: 10, touches: [touch('b1', 'soon', { kind: 'call', channel: google }), touch('b2', '', { kind: 'chat', channel: google })] }),
			// Converted by a kind the contract does not know: neither phone nor online.
			makeDeal({ orderId: 'c', total: 10, touches: [touch('c1', at(1), { kind: 'email', channel: google }), touch('c2', at(3), { kind: 'sms' as TouchKind, channel: google })] }),
		];
		const [only] = breakdown(cases, [credit('a', 'a1', 1, 10), credit('b', 'b1', 1, 10), credit('c', 'c1', 1, 10)], { levels: ['campaign'] });
		expect(only).toEqual(
			row(
				{
					values: ['brand'],
					currency: 'RUB',
					total: [3, 30],
					share: 1,
					converting: { call: [1, 10], chat: [1, 10] },
					touched: { call: [2, 20], form: [1, 10], chat: [1, 10], email: [1, 10] },
					phone: [1, 10],
					online: [1, 10],
				},
				['campaign'],
			),
		);
	});

	it('sets spend, cost per order and ROMI on each campaign, with spend that names no campaign in a row of its own', () => {
		expect(spendFigures(breakdown(deals, linear, { levels: ['source', 'medium', 'campaign'], spend, period: march }))).toEqual([
			// Spend 0 with orders: CPO 0, ROMI null.
			['(not set) / (not set) / (not set)', null, 1, 100, 0, 0, null],
			// 310 / 1.5 = 206.666… -> 206.67.
			['google / cpc / brand', 'RUB', 1.5, 1166.66, 310, 206.67, (1166.66 - 310) / 310],
			['yandex / cpc / brand spring', 'RUB', 1, 600.3, 53.33, 53.33, (600.3 - 53.33) / 53.33],
			['vk / cpc / summer sale', 'RUB', 0.5, 166.67, 0, 0, null],
			['(direct) / (none) / (none)', 'RUB', 0.5, 100, 0, 0, null],
			['google / cpc / summer sale', 'RUB', 0.5, 100, 0, 0, null],
			// Effort that brought nothing: ROMI -100 %.
			['google / cpc / retargeting', 'RUB', 0, 0, 90, null, -1],
			// Spend that cannot be split over vk's campaigns: its return is in the vk rows, so no ROMI here.
			['vk / cpc / (all campaigns)', 'RUB', 0, 0, 40, null, null],
			['google / cpc / brand', 'USD', 1, 50, 0, 0, null],
		]);
		const rows = breakdown(deals, linear, { levels: ['source', 'medium', 'campaign'], spend, period: march });
		expect(rows.find((r) => r.name === 'google / cpc / retargeting')).toEqual({
			...row({ values: ['google', 'cpc', 'retargeting'], currency: 'RUB', total: [0, 0], share: 0, converting: {}, touched: {}, phone: [0, 0], online: [0, 0] }),
			spend: 90,
			cpo: null,
			romi: -1,
		});
	});

	it('adds up campaign spend for a source / medium breakdown', () => {
		expect(spendFigures(breakdown(deals, linear, { levels: ['source', 'medium'], spend, period: march }))).toEqual([
			['(not set) / (not set)', null, 1, 100, 0, 0, null],
			// Brand 310 + Retargeting 90 = 400; orders d1 1 + d3 0.5 + d4 0.5 = 2: CPO 200.
			['google / cpc', 'RUB', 2, 1266.66, 400, 200, (1266.66 - 400) / 400],
			['yandex / cpc', 'RUB', 1, 600.3, 53.33, 53.33, (600.3 - 53.33) / 53.33],
			// vk's row names both levels asked: 40 / 0.5 = 80.
			['vk / cpc', 'RUB', 0.5, 166.67, 40, 80, (166.67 - 40) / 40],
			['(direct) / (none)', 'RUB', 0.5, 100, 0, 0, null],
			['google / cpc', 'USD', 1, 50, 0, 0, null],
		]);
	});

	it('gives no spend figures without an ad-spend table or with an empty one', () => {
		for (const options of [{}, { spend: [] }]) {
			const rows = breakdown(deals, linear, { levels: ['source', 'medium', 'campaign'], ...options });
			expect(rows).toEqual(linearRows);
			expect(rows.some((r) => 'spend' in r || 'cpo' in r || 'romi' in r)).toBe(false);
		}
	});

	it('matches spend currencies as the channel report does', () => {
		const levels: ['source'] = ['source'];
		expect(() => breakdown(deals, linear, { levels, spend: [spendRow({ source: 'google', spend: 1, currency: 'EUR' })] })).toThrow('Ad spend row 1 is in EUR, the orders are in');
		expect(() => breakdown(deals, linear, { levels, spend: [spendRow({ source: 'google', spend: 1, currency: null })] })).toThrow('Ad spend row 1 has no currency and the orders are in several');
		// Orders in one currency: a spend row without one is in it.
		const rub = linear.filter((c) => c.currency === 'RUB');
		const [google] = breakdown(deals, rub, { levels, spend: [spendRow({ source: 'google', spend: 633.33, currency: null })] });
		// 633.33 / 2 orders = 316.665 -> 316.67 (binary 316.665 is a hair above); ROMI (1266.66 - 633.33) / 633.33 = 1.
		expect([google.name, google.currency, google.spend, google.cpo, google.romi]).toEqual(['google', 'RUB', 633.33, 316.67, 1]);
	});

	it('shows spend without any credit in its own currency, and no share when the revenue is 0', () => {
		expect(breakdown([], [], { levels: ['source', 'medium'], spend: [spendRow({ channel: 'Google/CPC', spend: 100, currency: 'rub' })] })).toEqual([
			{
				...row({ values: ['google', 'cpc'], currency: 'RUB', total: [0, 0], share: null, converting: {}, touched: {}, phone: [0, 0], online: [0, 0] }, ['source', 'medium']),
				spend: 100,
				cpo: null,
				romi: -1,
			},
		]);
		const free = makeDeal({ orderId: 'gift', total: 0, touches: [touch('g', '2024-03-01T10:00:00+03:00', { kind: 'form', channel: utm('google', 'cpc', null) })] });
		const [gift] = breakdown([free], [credit('gift', 'g', 1, 0)], { levels: ['source'] });
		expect([gift.orders, gift.revenue, gift.revenueShare]).toEqual([1, 0, null]);
		expect(breakdown(deals, [], { levels: ['source'] })).toEqual([]);
	});

	it('adds revenue up in whole cents: 1.10 + 2.20 is 3.30, not 3.3000000000000007', () => {
		const google = utm('google', 'cpc', 'brand');
		const small = makeDeal({ orderId: 's', total: 3.3, touches: [touch('s1', '2024-03-01T10:00:00+03:00', { kind: 'form', channel: google }), touch('s2', '2024-03-02T10:00:00+03:00', { kind: 'call', channel: google })] });
		const [only] = breakdown([small], [credit('s', 's1', 0.5, 1.1), credit('s', 's2', 0.5, 2.2)], { levels: ['source'] });
		// 110 + 220 cents; the kinds add up the same way.
		expect([only.orders, only.revenue, only.byConvertingKind.call.revenue, only.byKindTouched.form.revenue, only.phone.revenue]).toEqual([1, 3.3, 3.3, 3.3, 3.3]);
	});

	it('refuses a credit whose order or touch is not among the deals', () => {
		expect(() => breakdown(deals, [credit('d1', 'd2-chat', 1, 10)], { levels: ['source'] })).toThrow('A credit of order "d1" names touch "d2-chat", which that deal does not have');
		expect(() => breakdown(deals, [credit('d9', 'd1-call', 1, 10)], { levels: ['source'] })).toThrow('A credit names order "d9", which is not among the deals');
		expect(() => breakdown([...deals, deals[0]], [], { levels: ['source'] })).toThrow('Order "d1" is among the deals twice');
	});

	it('refuses no level, a repeated level and an unknown one', () => {
		expect(() => breakdown(deals, linear, { levels: [] })).toThrow('No utm level to group by');
		expect(() => breakdown(deals, linear, { levels: ['source', 'campaign', 'source'] })).toThrow('The utm level "source" is asked twice');
		expect(() => breakdown(deals, linear, { levels: ['channel' as 'source'] })).toThrow('"channel" is not a utm level');
	});

	it('reads a megabyte campaign in linear time and names it by its first 200 characters', () => {
		const long = `Brand${'+x'.repeat(500_000)}`;
		const big = makeDeal({ orderId: 'big', total: 10, touches: [touch('t', '2024-03-01T10:00:00+03:00', { kind: 'call', channel: utm('google', 'cpc', long) })] });
		const started = performance.now();
		const [only] = breakdown([big], [credit('big', 't', 1, 10)], { levels: ['campaign'] });
		expect(performance.now() - started).toBeLessThan(linearBoundMs(long, 100));
		// "+" decodes to a space (no whitespace inside): "brand x x x …"; its first 200 characters are "brand" (5) and 97
		// " x" (194), then a space, which the cut drops: 199.
		expect(only.name).toBe(`brand${' x'.repeat(97)}`);
	});
});
