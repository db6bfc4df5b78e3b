import { CALL_CATEGORIES, callCategories, DEFAULT_TAG_CATEGORIES, missedCalls, type CallCategory, type CallCategoryRow } from '../../nodes/SalesReport/callReport';
import { emptyUtm, type CallOutcome, type Touch } from '../../nodes/shared/contracts';
import { InputDataError } from '../../nodes/shared/errors';
import { touch } from '../helpers/records';

interface CallSpec {
	at?: string;
	phone?: string | null;
	answered?: boolean | null;
	outcome?: CallOutcome | null;
	tags?: string[];
	operator?: string;
	source?: string | null;
	medium?: string | null;
}

/** A call touch; answered unless told otherwise, from +79160000001 at 10:00 UTC, no channel. */
function call(touchId: string, spec: CallSpec = {}): Touch {
	const answered = spec.answered === undefined ? true : spec.answered;
	return touch(touchId, spec.at ?? '2024-03-05T10:00:00Z', {
		phones: spec.phone === null ? [] : [spec.phone ?? '+79160000001'],
		channel: { ...emptyUtm(), source: spec.source ?? null, medium: spec.medium ?? null },
		answered,
		outcome: spec.outcome !== undefined ? spec.outcome : answered === null ? null : answered ? 'answered' : 'missed',
		...(spec.tags ? { tags: spec.tags } : {}),
		...(spec.operator ? { operator: spec.operator } : {}),
	});
}

/** A row of callCategories: the channel, its calls and the categories that are not 0. */
function row(channel: string, counts: Partial<Record<CallCategory, number>>): CallCategoryRow {
	const all = Object.fromEntries(CALL_CATEGORIES.map((category) => [category, counts[category] ?? 0])) as Record<CallCategory, number>;
	return { channel, calls: Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0), ...all };
}

const CALLBACK = { timeZone: 'Europe/Moscow', callbackMinutes: 30 };

describe('call categories per channel', () => {
	it('reads the default tag table as whole phrases, case and spaces aside; a missed call without a mapping tag is lost, an answered one uncategorised', () => {
		const touches = [
			call('g1', { source: 'google', medium: 'cpc', tags: ['Оформил заказ'] }),
			call('g2', { source: 'google', medium: 'cpc', tags: ['Доставка', 'Консультация'] }),
			call('g3', { source: 'google', medium: 'cpc', answered: false }),
			call('y1', { source: 'yandex', medium: 'cpc' }),
			call('y2', { source: 'yandex', medium: 'cpc', tags: ['  НЕТ   в наличии '] }),
			call('d1', { tags: ['Спам'] }),
		];
		// google / cpc: g1 order, g2 consultation ("Доставка" maps to nothing), g3 lost call: 3 calls
		// yandex / cpc: y1 uncategorised, y2 out of stock: 2 calls; (direct) / (none): d1 non-target: 1 call
		expect(callCategories(touches)).toEqual([
			row('google / cpc', { order: 1, consultation: 1, 'lost call': 1 }),
			row('yandex / cpc', { uncategorised: 1, 'out of stock': 1 }),
			row('(direct) / (none)', { 'non-target': 1 }),
		]);
	});

	it("looks in the user's table first, over all the call's tags, then in the defaults", () => {
		const tagCategories = [
			{ tag: 'Спам', category: 'wrong number' as const },
			{ tag: 'Повторный клиент', category: 'order' as const },
		];
		const touches = [
			// "Консультация" comes first and the defaults map it, but the user's table maps "Повторный клиент": order
			call('a', { tags: ['Консультация', 'Повторный клиент'] }),
			// the user's "Спам" replaces the default non-target
			call('b', { tags: ['спам'] }),
			// a tag only the defaults know still maps
			call('c', { tags: ['Заказ'] }),
		];
		expect(callCategories(touches, { tagCategories })).toEqual([row('(direct) / (none)', { order: 2, 'wrong number': 1 })]);
	});

	it('never reads a negated or longer phrase as an order: "не заказ" is not "заказ"', () => {
		const touches = [
			call('a', { tags: ['не заказ'] }),
			call('b', { tags: ['Не заказ', 'Заказ оформлен?'] }),
			call('c', { answered: false, tags: ['не заказ'] }),
		];
		// a, b answered with no mapping tag: uncategorised; c missed with none: lost call
		expect(callCategories(touches)).toEqual([row('(direct) / (none)', { uncategorised: 2, 'lost call': 1 })]);
	});

	it("takes the first tag that maps, in the sender's order; a mapping tag wins over how the call ended", () => {
		const touches = [
			call('a', { tags: ['Доставка', 'Обрыв', 'Заказ'] }),
			call('b', { answered: false, tags: ['Заказ'] }),
			// a repeat nobody answered is a missed call; a repeat answered is not; answered unknown is not missed
			call('c', { answered: false, outcome: 'repeat' }),
			call('d', { answered: true, outcome: 'repeat' }),
			call('e', { answered: null }),
		];
		// a broken call ("Обрыв" is the first that maps), b order, c lost call, d and e uncategorised
		expect(callCategories(touches)).toEqual([row('(direct) / (none)', { 'broken call': 1, order: 1, 'lost call': 1, uncategorised: 2 })]);
	});

	it('counts a touch sent twice once, leaves out touches that are not calls, and groups by the channel the caller gives', () => {
		const chat: Touch = { ...call('chat-1', { tags: ['Заказ'] }), kind: 'chat', outcome: null };
		const touches = [call('a', { tags: ['Заказ'] }), call('a', { tags: ['Заказ'] }), chat, call('b', { source: 'google', medium: 'cpc' })];
		const byTouchSource = (touch: Touch) => touch.touchId.slice(0, 1);
		// by default: (direct) / (none) has a (order) once, google / cpc has b (uncategorised); ties sort by name
		expect(callCategories(touches)).toEqual([row('(direct) / (none)', { order: 1 }), row('google / cpc', { uncategorised: 1 })]);
		expect(callCategories(touches, { channelOf: byTouchSource }).map((r) => [r.channel, r.calls])).toEqual([
			['a', 1],
			['b', 1],
		]);
	});

	it('refuses a table row without a tag or with a category it does not know, naming the row', () => {
		const bad = [{ tag: 'Заказ', category: 'order' as const }, { tag: 'Брак', category: 'defect' as unknown as CallCategory }];
		expect(() => callCategories([call('a')], { tagCategories: bad })).toThrow(InputDataError);
		expect(() => callCategories([call('a')], { tagCategories: bad })).toThrow('Row 2 of the tag table ("Брак"): "defect" is not a call category');
		expect(() => callCategories([call('a')], { tagCategories: [{ tag: '  ', category: 'order' }] })).toThrow('Row 1 of the tag table has no tag');
	});

	it('has a default table in which every phrase maps once', () => {
		const phrases = DEFAULT_TAG_CATEGORIES.map(({ tag }) => tag.toLowerCase());
		expect(new Set(phrases).size).toBe(phrases.length);
		// a sample checked by hand against the categories
		const category = (tag: string) => callCategories([call('x', { tags: [tag] })])[0];
		expect(['Оформил заказ', 'Консультация', 'Нет в наличии', 'Ошиблись номером', 'Нецелевой', 'Сорвался', 'Замовлення'].map((tag) => CALL_CATEGORIES.find((c) => category(tag)[c] === 1))).toEqual([
			'order',
			'consultation',
			'out of stock',
			'wrong number',
			'non-target',
			'broken call',
			'order',
		]);
	});
});

describe('missed calls per operator and hour, and call-backs', () => {
	it('counts hours on the clock of the zone, daylight saving per call', () => {
		const touches = [
			// 21:30 UTC on 5 March is 00:30 on 6 March in Moscow (UTC+3), 16:30 in New York (EST, UTC-5)
			call('a', { at: '2024-03-05T21:30:00Z', answered: false }),
			// 10:00 UTC on 1 July: 13 in Moscow, 06 in New York (EDT, UTC-4)
			call('b', { at: '2024-07-01T10:00:00Z', answered: false, phone: '+79160000002' }),
		];
		const hours = (timeZone: string) =>
			missedCalls(touches, { timeZone, callbackMinutes: 30 })
				.byHour.filter((h) => h.missed > 0)
				.map((h) => [h.hour, h.missed]);
		expect(hours('Europe/Moscow')).toEqual([
			[0, 1],
			[13, 1],
		]);
		expect(hours('America/New_York')).toEqual([
			[6, 1],
			[16, 1],
		]);
		expect(missedCalls(touches, CALLBACK).byHour.map((h) => h.hour)).toEqual(Array.from({ length: 24 }, (_, h) => h));
	});

	it('counts a call back at exactly N minutes, not at N minutes and 1 second', () => {
		const report = missedCalls(
			[
				call('m1', { at: '2024-03-05T10:00:00Z', answered: false, phone: '+79160000001', operator: 'Иван' }),
				call('c1', { at: '2024-03-05T10:30:00Z', phone: '+79160000001' }),
				call('m2', { at: '2024-03-05T11:00:00Z', answered: false, phone: '+79160000002', operator: 'Иван' }),
				call('c2', { at: '2024-03-05T11:30:01Z', phone: '+79160000002' }),
			],
			CALLBACK,
		);
		// m1: 10:30:00 − 10:00:00 = 30 min = N: called back; m2: 30 min 1 s > N: not
		expect(report.calls).toEqual([
			{ touchId: 'm1', at: '2024-03-05T10:00:00Z', phone: '+79160000001', operator: 'Иван', calledBackAt: '2024-03-05T10:30:00Z', minutesToCallback: 30 },
			{ touchId: 'm2', at: '2024-03-05T11:00:00Z', phone: '+79160000002', operator: 'Иван', calledBackAt: null, minutesToCallback: null },
		]);
		// 1 of 2 called back: share 0.5; the one call-back took 30 min
		expect(report.byOperator).toEqual([{ operator: 'Иван', missed: 2, calledBack: 1, withoutPhone: 0, calledBackShare: 0.5, medianCallbackMinutes: 30 }]);
		// 10:00 and 11:00 UTC are 13 and 14 in Moscow
		expect(report.byHour.filter((h) => h.missed > 0)).toEqual([
			{ hour: 13, missed: 1, calledBack: 1 },
			{ hour: 14, missed: 1, calledBack: 0 },
		]);
	});

	it('counts two missed calls called back by one later answered call, both, with the median of their waits', () => {
		const report = missedCalls(
			[
				call('m1', { at: '2024-03-05T10:00:00Z', answered: false, operator: 'Анна' }),
				call('m2', { at: '2024-03-05T10:05:00Z', answered: false, operator: 'Анна' }),
				call('c', { at: '2024-03-05T10:20:00Z' }),
			],
			CALLBACK,
		);
		// m1 waited 20 min, m2 15 min; median of {15, 20} = (15 + 20) / 2 = 17.5
		expect(report.calls.map((c) => [c.touchId, c.calledBackAt, c.minutesToCallback])).toEqual([
			['m1', '2024-03-05T10:20:00Z', 20],
			['m2', '2024-03-05T10:20:00Z', 15],
		]);
		expect(report.byOperator).toEqual([{ operator: 'Анна', missed: 2, calledBack: 2, withoutPhone: 0, calledBackShare: 1, medianCallbackMinutes: 17.5 }]);
	});

	it('counts a missed call without a phone, says so, and never calls it back', () => {
		const report = missedCalls([call('m', { answered: false, phone: null }), call('later', { at: '2024-03-05T10:05:00Z', phone: null })], CALLBACK);
		expect(report.calls).toEqual([{ touchId: 'm', at: '2024-03-05T10:00:00Z', phone: null, operator: null, calledBackAt: null, minutesToCallback: null }]);
		expect(report.byOperator).toEqual([{ operator: '(unknown)', missed: 1, calledBack: 0, withoutPhone: 1, calledBackShare: 0, medianCallbackMinutes: null }]);
	});

	it('takes the first later answered call of that phone: not one at the same instant, not a missed one, any answered outcome', () => {
		const report = missedCalls(
			[
				call('m1', { at: '2024-03-05T10:00:00Z', answered: false }),
				// the same instant is not later
				call('same', { at: '2024-03-05T10:00:00Z' }),
				// missed again at 10:03: not a call-back (and itself missed)
				call('m2', { at: '2024-03-05T10:03:00Z', answered: false }),
				// another phone answered in between does not count
				call('other', { at: '2024-03-05T10:04:00Z', phone: '+79160000009' }),
				// a short answered call (10 s) is answered
				{ ...call('short', { at: '2024-03-05T10:09:30Z' }), durationSec: 5, outcome: 'short' },
				// a missed call whose first later answered call is a repeat that was answered
				call('m3', { at: '2024-03-05T12:00:00Z', answered: false, phone: '+79160000003' }),
				call('rep', { at: '2024-03-05T12:10:00Z', phone: '+79160000003', outcome: 'repeat' }),
			],
			CALLBACK,
		);
		// m1 → short at 10:09:30 (9.5 min); m2 → short (6.5 min); m3 → rep (10 min)
		expect(report.calls.map((c) => [c.touchId, c.calledBackAt, c.minutesToCallback])).toEqual([
			['m1', '2024-03-05T10:09:30Z', 9.5],
			['m2', '2024-03-05T10:09:30Z', 6.5],
			['m3', '2024-03-05T12:10:00Z', 10],
		]);
	});

	it('counts a repeat nobody answered as missed, and a touch sent twice once; operators with most missed calls first', () => {
		const touches = [
			call('a', { at: '2024-03-05T09:00:00Z', answered: false, operator: 'Борис', phone: '+79160000001' }),
			// the same phone again within the repeat window: outcome 'repeat', answered false
			call('b', { at: '2024-03-05T09:10:00Z', answered: false, outcome: 'repeat', operator: 'Борис', phone: '+79160000001' }),
			call('b', { at: '2024-03-05T09:10:00Z', answered: false, outcome: 'repeat', operator: 'Борис', phone: '+79160000001' }),
			call('c', { at: '2024-03-05T09:20:00Z', answered: false, operator: 'Алла', phone: '+79160000002' }),
			call('d', { at: '2024-03-05T09:25:00Z', answered: false, phone: '+79160000004' }),
		];
		// Борис 2 (a, b once), then Алла 1 and (unknown) 1 in name order ("(" sorts before letters)
		expect(missedCalls(touches, CALLBACK).byOperator.map((o) => [o.operator, o.missed, o.calledBack])).toEqual([
			['Борис', 2, 0],
			['(unknown)', 1, 0],
			['Алла', 1, 0],
		]);
	});

	it('refuses an unknown zone, a negative window and a call without a readable time', () => {
		expect(() => missedCalls([], { timeZone: 'Mars/Olympus', callbackMinutes: 30 })).toThrow('"Mars/Olympus" is not a time zone');
		expect(() => missedCalls([], { timeZone: 'UTC', callbackMinutes: -1 })).toThrow('The call-back window must be a number of minutes of 0 or more, not -1');
		expect(() => missedCalls([call('x', { at: 'yesterday' })], CALLBACK)).toThrow('Touch x: "yesterday" is not a time');
	});

	it('runs in about linear time: 10^5 touches, half of them missed and each called back 5 minutes later', () => {
		const start = Date.parse('2024-03-01T00:00:00Z');
		const touches: Touch[] = [];
		for (let i = 0; i < 50_000; i++) {
			const phone = `+7916${String(i).padStart(7, '0')}`;
			const at = start + i * 60_000;
			touches.push(call(`m${i}`, { at: new Date(at).toISOString(), answered: false, phone, operator: `op${i % 10}` }), call(`c${i}`, { at: new Date(at + 5 * 60_000).toISOString(), phone }));
		}
		// latest first, so that the report has to sort them
		touches.reverse();
		const began = performance.now();
		const report = missedCalls(touches, CALLBACK);
		const elapsedMs = performance.now() - began;
		// 50 000 missed, every one called back after 5 min; 10 operators of 5 000 each
		expect(report.calls).toHaveLength(50_000);
		expect(report.byOperator.map((o) => [o.missed, o.calledBack, o.medianCallbackMinutes])).toEqual(Array.from({ length: 10 }, () => [5_000, 5_000, 5]));
		expect(report.byHour.reduce((sum, h) => sum + h.calledBack, 0)).toBe(50_000);
		// a quadratic pass would compare 5·10^9 pairs; the bound leaves room for a loaded machine
		expect(elapsedMs).toBeLessThan(5_000);
	});
});
