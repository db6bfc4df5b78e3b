import { DEAL_SHAPE } from '../../nodes/shared/contracts';
import { parseAmount } from '../../nodes/shared/money';
import { checkShape, itemProblem, keepFirstById, numberParameter, quote, readMoney, readNumberParameter, type NumberRule } from '../../nodes/shared/validation';

describe('readMoney', () => {
	it.each([
		[1000, 1000],
		[-0.5, -0.5],
		['1234.56', 1234.56],
		['1 234,56', 1234.56],
		['1\u00a0234.56', 1234.56],
		['1\u2009234.56', 1234.56],
		['1\u202f234,56', 1234.56],
		['1234,5', 1234.5],
		['-10', -10],
		['1.234,56', 1234.56],
		['1,234.56', 1234.56],
		["1'234.50", 1234.5],
		['1 234.5 руб.', 1234.5],
		['  42  ', 42],
		['1.234.567,89', 1234567.89],
		['231.7400', 231.74],
	])('reads %j as %p', (written, value) => expect(readMoney(written)).toEqual({ value }));

	it.each([
		[null, 'is missing'],
		[undefined, 'is missing'],
		[NaN, 'is NaN, not an amount'],
		[Infinity, 'is Infinity, not an amount'],
		[{}, 'is an object, not an amount'],
		[[12], 'is an array, not an amount'],
		[true, 'is a boolean, not an amount'],
		['', '"" is empty'],
		['12abc', '"12abc" is not a number'],
		['abc', '"abc" is not a number'],
		['-', '"-" is not a number'],
		['1.234.567', '"1.234.567" has several "." and no decimal separator: write it without them, e.g. 1234567'],
		['1,234,567', '"1,234,567" has several "," and no decimal separator: write it without them, e.g. 1234567'],
		['1.234,5,6', '"1.234,5,6" has its decimal separator more than once'],
		['12 34', '"12 34" does not group its thousands by three digits'],
		['1,2,3.4', '"1,2,3.4" does not group its thousands by three digits'],
		['1234.', '"1234." has no digits after its decimal separator'],
		['9'.repeat(65), `${quote('9'.repeat(65))} is 65 characters long, not an amount`],
	])('refuses %j: %s', (written, reason) => expect(readMoney(written)).toEqual({ reason }));

	it('is the reading the CRM import uses too: one parser', () => {
		expect(['1 234,56', '1.234.567', '12abc', null].map(parseAmount)).toEqual([1234.56, null, null, null]);
	});
});

describe('readNumberParameter', () => {
	const lookback: NumberRule = { name: 'Lookback Window (Days)', min: 0, max: 3650 };
	const perPerson: NumberRule = { name: 'Max Values per Person', min: 1, max: 1000, integer: true };
	const minimum: NumberRule = { name: 'Minimum Weight (Kg)', min: 0, max: 1_000_000, optional: true };

	it('reads numbers and plain number text within the range', () => {
		expect(readNumberParameter(30, lookback)).toEqual({ value: 30 });
		expect(readNumberParameter(' 2.5 ', lookback)).toEqual({ value: 2.5 });
		expect(readNumberParameter(0, lookback)).toEqual({ value: 0 });
		expect(readNumberParameter(3650, lookback)).toEqual({ value: 3650 });
		expect(readNumberParameter(5, perPerson)).toEqual({ value: 5 });
	});

	it('names the parameter, the value and the range in every refusal', () => {
		expect(readNumberParameter('abc', lookback)).toEqual({ reason: 'Lookback Window (Days) "abc" is not a number: use a number from 0 to 3650' });
		expect(readNumberParameter(-1, lookback)).toEqual({ reason: 'Lookback Window (Days) -1 is too small: use a number from 0 to 3650' });
		expect(readNumberParameter(4000, lookback)).toEqual({ reason: 'Lookback Window (Days) 4000 is too large: use a number from 0 to 3650' });
		expect(readNumberParameter(NaN, lookback)).toEqual({ reason: 'Lookback Window (Days) NaN is not a number: use a number from 0 to 3650' });
		expect(readNumberParameter('', lookback)).toEqual({ reason: 'Lookback Window (Days) is empty: use a number from 0 to 3650' });
		expect(readNumberParameter('1e3', lookback)).toEqual({ reason: 'Lookback Window (Days) "1e3" is not a number: use a number from 0 to 3650' });
		expect(readNumberParameter(2.5, perPerson)).toEqual({ reason: 'Max Values per Person 2.5 is not a whole number: use a whole number from 1 to 1000' });
	});

	it('reads nothing as null when the parameter may be empty', () => {
		expect(readNumberParameter('', minimum)).toEqual({ value: null });
		expect(readNumberParameter(null, minimum)).toEqual({ value: null });
		expect(readNumberParameter(-5, minimum)).toEqual({ reason: 'Minimum Weight (Kg) -5 is too small: use a number from 0 to 1000000, or nothing' });
	});

	it('throws the reason with how to fix it', () => {
		expect(() => numberParameter('abc', lookback)).toThrow('Lookback Window (Days) "abc" is not a number: use a number from 0 to 3650');
		try {
			numberParameter(-2, lookback);
		} catch (error) {
			expect((error as { hint: string }).hint).toBe('Set Lookback Window (Days) to a number from 0 to 3650.');
		}
		expect.assertions(2);
	});
});

describe('checkShape', () => {
	const touch = { touchId: 't1', at: '2024-03-01T10:00:00+03:00', channel: { source: 'google', medium: 'cpc' } };
	const deal = { orderId: 'o1', createdAt: null, stage: 'won', currency: 'RUB', total: 10, touches: [touch] };

	it('passes a deal that keeps the contract, without allocating', () => {
		const first = checkShape(deal, DEAL_SHAPE);
		expect(first).toEqual([]);
		expect(checkShape({ ...deal, orderId: 7, touches: [{ ...touch, channel: null }] }, DEAL_SHAPE)).toBe(first);
	});

	it('gives the path of every field that breaks it', () => {
		expect(checkShape({ ...deal, touches: undefined }, DEAL_SHAPE)).toEqual([{ path: 'touches', problem: 'is missing' }]);
		expect(checkShape({ ...deal, touches: 'google' }, DEAL_SHAPE)).toEqual([{ path: 'touches', problem: 'is a string, not an array' }]);
		expect(checkShape({ ...deal, orderId: '  ', stage: 'WON' }, DEAL_SHAPE)).toEqual([
			{ path: 'orderId', problem: 'is empty' },
			{ path: 'stage', problem: 'is "WON", not one of new, in_progress, won, lost, other' },
		]);
		expect(checkShape({ ...deal, touches: [touch, { ...touch, touchId: {}, channel: 'google' }, 5, { touchId: 't4', at: null }] }, DEAL_SHAPE)).toEqual([
			{ path: 'touches[1].touchId', problem: 'is an object, not an id' },
			{ path: 'touches[1].channel', problem: 'is a string, not an object' },
			{ path: 'touches[2]', problem: 'is a number, not an object' },
			{ path: 'touches[3].at', problem: 'is null' },
		]);
		expect(checkShape('deal', DEAL_SHAPE)).toEqual([{ path: '(item)', problem: 'is a string, not an object' }]);
	});

	it('words an item problem with the record and at most five fields', () => {
		const fields = Array.from({ length: 7 }, (_, i) => ({ path: `f${i}`, problem: 'is missing' }));
		expect(itemProblem(3, 'orderId "o4"', fields.slice(0, 2), 'hint')).toEqual({ itemIndex: 3, message: 'Item 3 (orderId "o4"): f0 is missing; f1 is missing', description: 'hint' });
		expect(itemProblem(0, null, fields, 'hint').message).toBe('Item 0: f0 is missing; f1 is missing; f2 is missing; f3 is missing; f4 is missing; and 2 more');
	});

	it('cuts quoted values at 40 characters', () => {
		expect(quote('x'.repeat(100))).toBe(`"${'x'.repeat(38)}…`);
		expect(quote('x'.repeat(100))).toHaveLength(40);
	});
});

describe('keepFirstById', () => {
	it('keeps the first copy of each id and every record without one, warns on the kept copy, returns the others', () => {
		const items = [{ id: 'a', v: 1 }, { id: null, v: 2 }, { id: 'b', v: 3 }, { id: '', v: 4 }, { id: 'a', v: 5 }, { id: 7, v: 6 }, { id: '7', v: 7 }];
		const { kept, from, dropped } = keepFirstById(items, (item) => item.id, 'id');
		expect(kept.map((item) => item.v)).toEqual([1, 2, 3, 4, 6]);
		expect(from).toEqual([0, 1, 2, 3, 5]);
		expect(kept[0]).toEqual({ id: 'a', v: 1, warnings: ['id "a" is given again at item 4 with other values: only this first copy is used'] });
		expect(items[0]).toEqual({ id: 'a', v: 1 });
		expect(dropped).toEqual([
			{ index: 4, keptIndex: 0, id: 'a', same: false, reason: 'id "a" was already given at item 0; this copy differs from it and is left out', warning: 'id "a" is given again at item 4 with other values: only this first copy is used' },
			{
				index: 6,
				keptIndex: 5,
				id: '7',
				same: false,
				reason: 'id "7" was already given at item 5; this copy differs from it and is left out',
				warning: 'id "7" is given again at item 6 with other values: only this first copy is used',
			},
		]);
	});

	it('tells a copy with the same content (keys in any order) from one with other values, and counts input positions', () => {
		const items = [
			{ orderId: 'x', total: 1, extra: { a: 1, b: 2 }, warnings: ['from the import'] },
			{ extra: { b: 2, a: 1 }, total: 1, orderId: 'x', warnings: ['from the import'] },
		];
		const { kept, from, dropped } = keepFirstById(items, (item) => item.orderId, 'orderId', [3, 8]);
		expect(from).toEqual([3]);
		expect(kept[0].warnings).toEqual(['from the import', 'orderId "x" is given again at item 8 (the same record): only this first copy is used']);
		expect(dropped).toEqual([{ index: 8, keptIndex: 3, id: 'x', same: true, reason: 'orderId "x" was already given at item 3; this copy holds the same and is left out', warning: kept[0].warnings[1] }]);
	});

	it('finds a repeated id among many whose hashes collide, and keeps distinct ids as they are', () => {
		const ids = Array.from({ length: 300_000 }, (_, i) => ({ id: `t${i}` }));
		const distinct = keepFirstById(ids, (item) => item.id, 'id');
		expect(distinct.kept).toBe(ids);
		expect(distinct.from[299_999]).toBe(299_999);
		const repeated = keepFirstById([...ids, { id: 't123456' }], (item) => item.id, 'id');
		expect(repeated.kept).toHaveLength(300_000);
		expect(repeated.from[123_456]).toBe(123_456);
		expect(repeated.dropped.map((copy) => [copy.index, copy.keptIndex, copy.same])).toEqual([[300_000, 123_456, true]]);
	});
});
