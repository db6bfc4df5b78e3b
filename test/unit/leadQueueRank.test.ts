import { InputDataError } from '../../nodes/shared/errors';
import { newLead, type Lead } from '../../nodes/LeadQueue/lead';
import { DAY_RULES, EXAMPLE_EASTERN_CITIES, inZone, LOGISTICS_RULE_SETS, NIGHT_RULES } from '../../nodes/LeadQueue/presets';
import { rankLeads } from '../../nodes/LeadQueue/rank';
import type { RuleSet } from '../../nodes/LeadQueue/rankRules';

const lists = { eastern: EXAMPLE_EASTERN_CITIES };

/** Monday 3 June 2024; Moscow is UTC+3 all year. */
const DAY = '2024-06-03T07:00:00Z'; // 10:00 Moscow
const NIGHT = '2024-06-03T19:00:00Z'; // 22:00 Moscow

let counter = 0;
function lead(fields: Partial<Lead>): Lead {
	counter++;
	return newLead({ leadId: `L${String(counter).padStart(3, '0')}`, createdAt: '2024-06-03T09:00:00+03:00', from: 'Москва', to: 'Казань', weightKg: 500, phones: ['+79123456789'], ...fields });
}

const callback = (fields: Partial<Lead> = {}) => lead({ form: 'callback', from: null, to: null, weightKg: null, ...fields });

function summary(leads: Lead[]): Array<[string, string | number | null, number | null]> {
	return leads.map((l) => [l.leadId, l.tier, l.rank]);
}

describe('rankLeads with the logistics preset: day', () => {
	const a = lead({ leadId: 'a', from: 'Омск', to: 'г. Новосибирск', weightKg: 5000 });
	const b = lead({ leadId: 'b', from: 'Москва', to: 'Новосибирск', weightKg: 20000 });
	const c = lead({ leadId: 'c', from: 'Томск', to: 'омск', weightKg: 1000 });
	const d = lead({ leadId: 'd', from: 'Омск', to: 'Томск', weightKg: 20001, createdAt: '2024-06-03T08:00:00+03:00' });
	const e = callback({ leadId: 'e' });
	const f = lead({ leadId: 'f', weightKg: 999, createdAt: '2024-06-03T07:00:00+03:00' });
	const g = lead({ leadId: 'g', from: 'Москва', to: 'Казань', weightKg: 20000.5 });
	const h = lead({ leadId: 'h', from: 'Красноярск', to: 'Иркутск', weightKg: 20000 });

	it('puts eastern 1–20 t first, other 1–20 t second, call-backs third, the rest last', () => {
		const result = rankLeads([f, e, d, c, b, a, g, h], LOGISTICS_RULE_SETS, lists, DAY);
		expect(result.ruleSet).toBe('Day rules');
		expect(result.heading).toBe('Day rules 09:00–18:00 Europe/Moscow');
		expect(result.skipped).toEqual([]);
		expect(summary(result.ranked)).toEqual([
			['h', 1, 1],
			['a', 1, 2],
			['c', 1, 3],
			['b', 2, 4],
			['e', 3, 5],
			['f', 4, 6],
			['d', 4, 7],
			['g', 4, 8],
		]);
	});

	it('explains each place', () => {
		const ranked = rankLeads([a, b, e, d], LOGISTICS_RULE_SETS, lists, DAY).ranked;
		expect(ranked.map((l) => l.reason)).toEqual([
			'Day rules 09:00–18:00 Europe/Moscow, tier 1: both ends in «eastern», 1–20 t; heaviest first',
			'Day rules 09:00–18:00 Europe/Moscow, tier 2: 1–20 t; heaviest first',
			'Day rules 09:00–18:00 Europe/Moscow, tier 3: callback form; oldest first',
			'Day rules 09:00–18:00 Europe/Moscow, tier 4: any lead; oldest first',
		]);
	});

	it('treats exactly 1 t and 20 t as inside 1–20 t, and 20.001 t and 999 kg as outside', () => {
		const ranked = rankLeads([c, h, d, f], LOGISTICS_RULE_SETS, lists, DAY).ranked;
		expect(Object.fromEntries(ranked.map((l) => [l.weightKg, l.tier]))).toEqual({ 1000: 1, 20000: 1, 20001: 4, 999: 4 });
	});

	it('returns copies and leaves the input alone', () => {
		const input = [a, b];
		const ranked = rankLeads(input, LOGISTICS_RULE_SETS, lists, DAY).ranked;
		expect(a.rank).toBeNull();
		expect(ranked[0]).not.toBe(a);
		expect(ranked[0]).toEqual({ ...a, rank: 1, tier: 1, reason: ranked[0].reason });
		expect(input).toEqual([a, b]);
	});
});

describe('rankLeads with the logistics preset: night', () => {
	const cb1 = callback({ leadId: 'cb1', createdAt: '2024-06-03T20:00:00+03:00' });
	const cb2 = callback({ leadId: 'cb2', createdAt: '2024-06-03T19:00:00+03:00' });
	const both = lead({ leadId: 'both', from: 'Омск', to: 'Томск', weightKg: 300.5 });
	const both300 = lead({ leadId: 'both300', from: 'Омск', to: 'Томск', weightKg: 300, createdAt: '2024-06-03T08:00:00+03:00' });
	const one = lead({ leadId: 'one', from: 'Москва', to: 'Хабаровск', weightKg: 5000 });
	const oneFrom = lead({ leadId: 'oneFrom', from: 'Владивосток', to: 'Москва', weightKg: 7000 });
	const none = lead({ leadId: 'none', weightKg: 400 });
	const huge = lead({ leadId: 'huge', weightKg: 25000 });
	const light = lead({ leadId: 'light', weightKg: 100 });
	const tooLight = lead({ leadId: 'tooLight', weightKg: 99.9 });

	it('ranks call-backs, then over 300 kg by eastern ends, then 100–300 kg, then leads no tier takes', () => {
		const result = rankLeads([tooLight, light, huge, none, oneFrom, one, both300, both, cb1, cb2], LOGISTICS_RULE_SETS, lists, NIGHT);
		expect(result.ruleSet).toBe('Night rules');
		expect(summary(result.ranked)).toEqual([
			['cb2', 1, 1],
			['cb1', 1, 2],
			['both', 2, 3],
			['oneFrom', 3, 4],
			['one', 3, 5],
			['huge', 4, 6],
			['none', 4, 7],
			['both300', 5, 8],
			['light', 5, 9],
			['tooLight', null, 10],
		]);
	});

	it('explains the night tiers and the lead no tier takes', () => {
		const ranked = rankLeads([tooLight, light, none, one, both, cb1], LOGISTICS_RULE_SETS, lists, NIGHT).ranked;
		const head = 'Night rules 18:00–09:00 Europe/Moscow';
		expect(ranked.map((l) => l.reason)).toEqual([
			`${head}, tier 1: callback form; oldest first`,
			`${head}, tier 2: both ends in «eastern», over 300 kg; heaviest first`,
			`${head}, tier 3: either end in «eastern», over 300 kg; heaviest first`,
			`${head}, tier 4: neither end in «eastern», over 300 kg; heaviest first`,
			`${head}, tier 5: 100–300 kg; oldest first`,
			`${head}: no tier matches; oldest first`,
		]);
	});

	it('treats 300 kg as not over 300 kg and 300.5 kg as over it', () => {
		const ranked = rankLeads([both300, both], LOGISTICS_RULE_SETS, lists, NIGHT).ranked;
		expect(summary(ranked)).toEqual([
			['both', 2, 1],
			['both300', 5, 2],
		]);
	});
});

describe('choosing the rule set by Moscow time, whatever the machine zone', () => {
	const heavy = lead({ leadId: 'heavy', from: 'Омск', to: 'Томск', weightKg: 5000 });
	const cb = callback({ leadId: 'cb' });
	const at = (now: string | Date) => {
		const result = rankLeads([cb, heavy], LOGISTICS_RULE_SETS, lists, now);
		return [result.ruleSet, result.ranked[0].leadId];
	};

	it.each<[string, string | Date, string, string]>([
		['08:59:59', '2024-06-03T05:59:59Z', 'Night rules', 'cb'],
		['09:00:00', '2024-06-03T06:00:00Z', 'Day rules', 'heavy'],
		['09:00:00 as a Date', new Date(Date.UTC(2024, 5, 3, 6, 0, 0)), 'Day rules', 'heavy'],
		['09:00:00 written in Moscow', '2024-06-03T09:00:00+03:00', 'Day rules', 'heavy'],
		['17:59:59', '2024-06-03T14:59:59Z', 'Day rules', 'heavy'],
		['17:59:59.999', '2024-06-03T14:59:59.999Z', 'Day rules', 'heavy'],
		['18:00:00', '2024-06-03T15:00:00Z', 'Night rules', 'cb'],
		['00:00 (the night crosses midnight)', '2024-06-03T21:00:00Z', 'Night rules', 'cb'],
		['03:00 on Sunday', '2024-06-09T00:00:00Z', 'Night rules', 'cb'],
	])('at %s Moscow time', (_label, now, set, top) => {
		expect(at(now)).toEqual([set, top]);
	});

	it('gives the same answer when the machine runs in another zone', () => {
		const saved = process.env.TZ;
		try {
			for (const zone of ['UTC', 'Asia/Vladivostok', 'America/Los_Angeles']) {
				process.env.TZ = zone;
				expect([at('2024-06-03T05:59:59Z'), at('2024-06-03T06:00:00Z'), at('2024-06-03T14:59:59Z'), at('2024-06-03T15:00:00Z')]).toEqual([
					['Night rules', 'cb'],
					['Day rules', 'heavy'],
					['Day rules', 'heavy'],
					['Night rules', 'cb'],
				]);
			}
		} finally {
			if (saved === undefined) delete process.env.TZ;
			else process.env.TZ = saved;
		}
	});

	it('reads a naive now in the rules zone', () => {
		expect(at('2024-06-03 09:00:00')).toEqual(['Day rules', 'heavy']);
		expect(at('2024-06-03 08:59:59')).toEqual(['Night rules', 'cb']);
	});

	it('moves the preset to another zone with inZone', () => {
		const novosibirsk = inZone(LOGISTICS_RULE_SETS, 'Asia/Novosibirsk');
		// 06:00Z is 09:00 in Moscow but 13:00 in Novosibirsk (UTC+7); 02:00Z is 09:00 there.
		expect(rankLeads([cb], novosibirsk, lists, '2024-06-03T01:59:59Z').ruleSet).toBe('Night rules');
		expect(rankLeads([cb], novosibirsk, lists, '2024-06-03T02:00:00Z').heading).toBe('Day rules 09:00–18:00 Asia/Novosibirsk');
	});
});

describe('schedules by days of the week', () => {
	const any = { tiers: [{ sort: 'oldest' as const }] };
	const sets: RuleSet[] = [
		{ name: 'Weekday', schedule: { days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00', zone: 'Europe/Moscow' }, ...any },
		{ name: 'Weeknight', schedule: { days: [1, 2, 3, 4, 5], from: '18:00', to: '09:00', zone: 'Europe/Moscow' }, ...any },
		{ name: 'Saturday', schedule: { days: [6], from: '10:00', to: '16:00', zone: 'Europe/Moscow' }, ...any },
		{ name: 'Weekend', schedule: { days: [6, 7], from: '00:00', to: '00:00', zone: 'Europe/Moscow' }, ...any },
	];
	const setAt = (now: string) => rankLeads([lead({})], sets, {}, now).ruleSet;

	it.each([
		['Mon 10:00', '2024-06-03T10:00:00+03:00', 'Weekday'],
		['Fri 17:59', '2024-06-07T17:59:00+03:00', 'Weekday'],
		['Fri 18:00', '2024-06-07T18:00:00+03:00', 'Weeknight'],
		['Sat 03:00, the end of Friday night', '2024-06-08T03:00:00+03:00', 'Weeknight'],
		['Sat 09:00, after Friday night', '2024-06-08T09:00:00+03:00', 'Weekend'],
		['Sat 10:00, the first set that covers it', '2024-06-08T10:00:00+03:00', 'Saturday'],
		['Sat 16:00', '2024-06-08T16:00:00+03:00', 'Weekend'],
		['Sun 23:59', '2024-06-09T23:59:00+03:00', 'Weekend'],
		['Mon 03:00, Sunday night is not a weeknight', '2024-06-10T03:00:00+03:00', null],
		['Mon 08:59', '2024-06-10T08:59:00+03:00', null],
		['Mon 09:00', '2024-06-10T09:00:00+03:00', 'Weekday'],
	])('%s -> %s', (_label, now, set) => {
		expect(setAt(now)).toBe(set);
	});

	it('ranks oldest first with tier null when no set covers now, and says so', () => {
		const older = lead({ leadId: 'older', createdAt: '2024-06-01T10:00:00+03:00' });
		const newer = lead({ leadId: 'newer', createdAt: '2024-06-02T10:00:00+03:00' });
		const result = rankLeads([newer, older], sets, {}, '2024-06-10T03:00:00+03:00');
		expect(result.ruleSet).toBeNull();
		expect(result.heading).toBe('No rule set covers Mon 03:00 Europe/Moscow');
		expect(summary(result.ranked)).toEqual([
			['older', null, 1],
			['newer', null, 2],
		]);
		expect(result.ranked[0].reason).toBe('No rule set covers Mon 03:00 Europe/Moscow; oldest first');
	});

	it('names the days in the heading when not every day', () => {
		expect(rankLeads([lead({})], sets, {}, '2024-06-03T10:00:00+03:00').ranked[0].reason).toBe('Weekday Mon–Fri 09:00–18:00 Europe/Moscow, tier 1: any lead; oldest first');
		expect(rankLeads([lead({})], sets, {}, '2024-06-09T10:00:00+03:00').ranked[0].reason).toBe('Weekend Sat, Sun 00:00–00:00 Europe/Moscow, tier 1: any lead; oldest first');
	});
});

describe('schedules on daylight-saving days (Europe/Berlin)', () => {
	const any = { tiers: [{ sort: 'oldest' as const }] };
	const sets: RuleSet[] = [
		{ name: 'Short', schedule: { from: '02:30', to: '03:15', zone: 'Europe/Berlin' }, ...any },
		{ name: 'Rest', schedule: { from: '03:15', to: '02:30', zone: 'Europe/Berlin' }, ...any },
	];
	const setAt = (now: string) => rankLeads([lead({})], sets, {}, now).ruleSet;

	it.each([
		// 31 March 2024: at 01:00Z clocks jump from 02:00 CET to 03:00 CEST, so 02:30 does not exist.
		['01:59:59 CET', '2024-03-31T00:59:59Z', 'Rest'],
		['03:00 CEST, the first instant at or after the missing 02:30', '2024-03-31T01:00:00Z', 'Short'],
		['03:14:59 CEST', '2024-03-31T01:14:59Z', 'Short'],
		['03:15 CEST', '2024-03-31T01:15:00Z', 'Rest'],
		// 27 October 2024: at 01:00Z clocks go back from 03:00 CEST to 02:00 CET, so 02:00–02:59 happens twice.
		['02:29 CEST', '2024-10-27T00:29:00Z', 'Rest'],
		['02:30 CEST, the first 02:30', '2024-10-27T00:30:00Z', 'Short'],
		['02:59 CEST', '2024-10-27T00:59:00Z', 'Short'],
		['02:00 CET, after the clocks go back', '2024-10-27T01:00:00Z', 'Rest'],
		['02:30 CET, the second 02:30', '2024-10-27T01:30:00Z', 'Short'],
		['03:15 CET', '2024-10-27T02:15:00Z', 'Rest'],
	])('at %s', (_label, now, set) => {
		expect(setAt(now)).toBe(set);
	});
});

describe('sorting and ties', () => {
	it('breaks ties by createdAt then leadId, the same for any input order', () => {
		const t = '2024-06-03T09:00:00+03:00';
		const leads = [
			lead({ leadId: 'b', from: 'Омск', to: 'Томск', weightKg: 5000, createdAt: t }),
			lead({ leadId: 'a', from: 'Омск', to: 'Томск', weightKg: 5000, createdAt: t }),
			lead({ leadId: 'c', from: 'Омск', to: 'Томск', weightKg: 5000, createdAt: '2024-06-03T08:59:59+03:00' }),
			lead({ leadId: 'B', from: 'Омск', to: 'Томск', weightKg: 5000, createdAt: t }),
			// The same instant written in UTC ties with the ones written in Moscow time.
			lead({ leadId: 'aa', from: 'Омск', to: 'Томск', weightKg: 5000, createdAt: '2024-06-03T06:00:00Z' }),
		];
		const expected = ['c', 'B', 'a', 'aa', 'b'];
		for (let shift = 0; shift < leads.length; shift++) {
			const rotated = [...leads.slice(shift), ...leads.slice(0, shift)];
			expect(rankLeads(rotated, LOGISTICS_RULE_SETS, lists, DAY).ranked.map((l) => l.leadId)).toEqual(expected);
			expect(rankLeads([...rotated].reverse(), LOGISTICS_RULE_SETS, lists, NIGHT).ranked.map((l) => l.leadId)).toEqual(expected);
		}
	});

	it('sorts newest first, and puts leads without a weight or a valid time last', () => {
		const sets: RuleSet[] = [
			{
				name: 'Custom',
				schedule: { from: '00:00', to: '24:00', zone: 'Europe/Moscow' },
				tiers: [
					{ name: 'fresh', when: { form: 'callback' }, sort: 'newest' },
					{ name: 'big', sort: 'heaviest' },
				],
			},
		];
		const leads = [
			callback({ leadId: 'old', createdAt: '2024-06-01T10:00:00+03:00' }),
			callback({ leadId: 'broken', createdAt: 'not a time' }),
			callback({ leadId: 'new', createdAt: '2024-06-03T10:00:00+03:00' }),
			lead({ leadId: 'noWeight', weightKg: null }),
			lead({ leadId: 'w1', weightKg: 150 }),
			lead({ leadId: 'w2', weightKg: 1500 }),
		];
		const ranked = rankLeads(leads, sets, {}, DAY).ranked;
		expect(summary(ranked)).toEqual([
			['new', 'fresh', 1],
			['old', 'fresh', 2],
			['broken', 'fresh', 3],
			['w2', 'big', 4],
			['w1', 'big', 5],
			['noWeight', 'big', 6],
		]);
		expect(ranked[0].reason).toBe('Custom 00:00–24:00 Europe/Moscow, tier 1 (fresh): callback form; newest first');
	});
});

describe('tier conditions', () => {
	const rules = (when: RuleSet['tiers'][number]['when']): RuleSet[] => [
		{ name: 'T', schedule: { from: '00:00', to: '00:00', zone: 'UTC' }, tiers: [{ name: 'hit', when, sort: 'oldest' }] },
	];
	// Every lead has the same createdAt, so a tier lists its leads by leadId.
	const hits = (when: RuleSet['tiers'][number]['when'], leads: Lead[], extraLists: Record<string, readonly string[]> = {}) =>
		rankLeads(leads, rules(when), { ...lists, ...extraLists }, DAY)
			.ranked.filter((l) => l.tier === 'hit')
			.map((l) => l.leadId);

	it('matches routes against the named list (both, either, neither)', () => {
		const leads = [
			lead({ leadId: 'both', from: 'Омск', to: 'Томск' }),
			lead({ leadId: 'from', from: 'г. Чита', to: 'Москва' }),
			lead({ leadId: 'to', from: 'Москва', to: 'Якутск, Республика Саха' }),
			lead({ leadId: 'none', from: 'Москва', to: 'Казань' }),
			lead({ leadId: 'empty', from: null, to: null }),
		];
		expect(hits({ route: { match: 'both', list: 'eastern' } }, leads)).toEqual(['both']);
		expect(hits({ route: { match: 'either', list: 'EASTERN' } }, leads)).toEqual(['both', 'from', 'to']);
		expect(hits({ route: { match: 'neither', list: 'eastern' } }, leads)).toEqual(['empty', 'none']);
		expect(hits({ route: { match: 'both', list: 'volga' } }, leads, { volga: ['Казань', 'Москва'] })).toEqual(['none']);
	});

	it('applies inclusive min/max and exclusive over/under', () => {
		const leads = [99.9, 100, 200, 299.9, 300, 300.5].map((kg) => lead({ leadId: `w${kg}`, weightKg: kg }));
		expect(hits({ weightKg: { min: 100, max: 300 } }, leads)).toEqual(['w100', 'w200', 'w299.9', 'w300']);
		expect(hits({ weightKg: { over: 300 } }, leads)).toEqual(['w300.5']);
		expect(hits({ weightKg: { under: 200 } }, leads)).toEqual(['w100', 'w99.9']);
		expect(hits({ weightKg: { over: 100, under: 300 } }, leads)).toEqual(['w200', 'w299.9']);
		expect(hits({ weightKg: { max: 100 } }, leads)).toEqual(['w100', 'w99.9']);
	});

	it('compares any field, nested ones and lists included', () => {
		const leads = [
			lead({ leadId: 'y', name: 'Пётр Иванов', volumeM3: 12, channel: { source: 'Yandex', medium: 'cpc', campaign: null, content: null, term: null } }),
			lead({ leadId: 'g', name: 'Анна', volumeM3: 3, channel: { source: 'google', medium: 'cpc', campaign: null, content: null, term: null }, phones: ['+79990000000', '+79123456789'] }),
			lead({ leadId: 'n', name: null, volumeM3: null, channel: null, phones: [] }),
		];
		expect(hits({ fields: [{ field: 'channel.source', op: 'eq', value: 'yandex' }] }, leads)).toEqual(['y']);
		expect(hits({ fields: [{ field: 'channel.source', op: 'ne', value: 'yandex' }] }, leads)).toEqual(['g', 'n']);
		expect(hits({ fields: [{ field: 'name', op: 'contains', value: 'петр' }] }, leads)).toEqual(['y']);
		expect(hits({ fields: [{ field: 'volumeM3', op: 'gt', value: 3 }] }, leads)).toEqual(['y']);
		expect(hits({ fields: [{ field: 'volumeM3', op: 'gte', value: '3' }] }, leads)).toEqual(['g', 'y']);
		expect(hits({ fields: [{ field: 'volumeM3', op: 'lt', value: 12 }] }, leads)).toEqual(['g']);
		expect(hits({ fields: [{ field: 'volumeM3', op: 'lte', value: 12 }] }, leads)).toEqual(['g', 'y']);
		expect(hits({ fields: [{ field: 'name', op: 'eq', value: null }] }, leads)).toEqual(['n']);
		expect(hits({ fields: [{ field: 'phones', op: 'eq', value: '+79990000000' }] }, leads)).toEqual(['g']);
		expect(hits({ fields: [{ field: 'phones', op: 'ne', value: '+79990000000' }] }, leads)).toEqual(['n', 'y']);
		// All conditions of a tier must hold.
		expect(hits({ form: 'full', weightKg: { min: 100 }, fields: [{ field: 'channel.medium', op: 'eq', value: 'CPC' }, { field: 'volumeM3', op: 'lt', value: 10 }] }, leads)).toEqual(['g']);
	});

	it('throws InputDataError for rules that cannot work', () => {
		const base = rules({});
		const bad = (change: (set: RuleSet) => void) => {
			const set: RuleSet = JSON.parse(JSON.stringify(base[0]));
			change(set);
			return () => rankLeads([lead({})], [set], lists, DAY);
		};
		expect(() => rankLeads([], [], lists, DAY)).toThrow(InputDataError);
		expect(bad((s) => (s.tiers[0].when = { route: { match: 'both', list: 'western' } }))).toThrow('T, tier 1 refers to the list "western", which was not passed in');
		expect(bad((s) => (s.schedule.from = '9:60'))).toThrow('T: "9:60" is not a time of day');
		expect(bad((s) => (s.schedule.from = '24:00'))).toThrow('is not a time of day');
		expect(bad((s) => (s.schedule.days = [0]))).toThrow('T: "0" is not a day of the week');
		expect(bad((s) => (s.schedule.zone = 'Europe/Nowhere'))).toThrow('"Europe/Nowhere" is not a time zone');
		expect(bad((s) => (s.tiers[0].sort = 'cheapest' as never))).toThrow('T, tier 1: "cheapest" is not a sort order');
		expect(bad((s) => (s.tiers[0].when = { weightKg: { min: 500, max: 100 } }))).toThrow('T, tier 1: no weight is between 500 and 100 kg');
		expect(bad((s) => (s.tiers[0].when = { fields: [{ field: 'name', op: 'like' as never, value: 'x' }] }))).toThrow('T, tier 1: "like" is not a comparison');
		expect(bad((s) => (s.tiers = []))).toThrow('T has no tiers');
		expect(() => rankLeads([lead({})], LOGISTICS_RULE_SETS, lists, 'soon')).toThrow('"soon" is not a time');
	});
});

describe('leads that are not waiting', () => {
	it('are not ranked and come back unchanged in skipped', () => {
		const assigned = lead({ leadId: 'x', state: 'assigned', assignedTo: 'm1', rank: 1, tier: 1 });
		const closed = lead({ leadId: 'y', state: 'closed' });
		const waiting = lead({ leadId: 'z' });
		const result = rankLeads([assigned, waiting, closed], [DAY_RULES, NIGHT_RULES], lists, DAY);
		expect(result.ranked.map((l) => [l.leadId, l.rank])).toEqual([['z', 1]]);
		expect(result.skipped).toEqual([assigned, closed]);
		expect(result.skipped[0]).toBe(assigned);
	});

	it('an empty queue ranks to nothing', () => {
		expect(rankLeads([], LOGISTICS_RULE_SETS, lists, DAY)).toEqual({ ranked: [], skipped: [], ruleSet: 'Day rules', heading: 'Day rules 09:00–18:00 Europe/Moscow' });
	});
});
