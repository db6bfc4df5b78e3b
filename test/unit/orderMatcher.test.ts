import { matchOrders } from '../../nodes/OrderMatcher/matchOrders';
import { AFTER_LAST_ORDER, assignTouchesToOrders, BEFORE_LOOKBACK, groupBy, sortByTime } from '../../nodes/OrderMatcher/timeline';
import type { Unmatched } from '../../nodes/OrderMatcher/matchOrders';
import { order, touch } from '../helpers/records';

/** id -> reason of the records that found no partner. */
function reasons<T extends { orderId: string } | { touchId: string }>(unmatched: Unmatched<T>): Record<string, string> {
	return Object.fromEntries(unmatched.records.map((record, i) => ['orderId' in record ? record.orderId : record.touchId, unmatched.reasons[i]]));
}

const zone = { timeZone: 'Europe/Moscow' };

describe('matchOrders: keys', () => {
	it('links by phone written in any form the market uses', () => {
		const forms = ['8 (912) 345-67-89', '+7 912 345 67 89', '79123456789', '9123456789', '+7 (912) 345-67-89 доб. 123', '810 7 912 345 67 89'];
		const touches = forms.map((phone, i) => touch(`t${i}`, '2024-03-01T10:00:00+03:00', { phones: [phone] }));
		const result = matchOrders([order('o1', '2024-03-02T10:00:00+03:00', { phones: ['+79123456789'] })], touches, zone);
		expect(result.deals).toHaveLength(1);
		expect(result.deals[0].touches.map((t) => t.touchId).sort()).toEqual(['t0', 't1', 't2', 't3', 't4', 't5']);
		expect(result.deals[0].match.keys.every((link) => link.key === 'phone' && link.value === '+79123456789')).toBe(true);
		expect(result.unmatchedTouches.records).toHaveLength(0);
	});

	it('links Ukrainian numbers through the fallback country', () => {
		const touches = ['067 123 45 67', '380671234567', '00380671234567'].map((phone, i) => touch(`u${i}`, '2024-03-01T10:00:00+02:00', { phones: [phone] }));
		const result = matchOrders([order('o1', '2024-03-01T12:00:00+02:00', { phones: ['+380 67 123 4567'] })], touches, zone);
		expect(result.deals[0].touches).toHaveLength(3);
		expect(result.deals[0].match.keys[0].value).toBe('+380671234567');
	});

	it('reports a value that is not a phone instead of matching it', () => {
		const result = matchOrders(
			[order('o1', '2024-03-02T10:00:00+03:00', { phones: ['12345'], emails: ['a@b.ru'] })],
			[touch('t1', '2024-03-01T10:00:00+03:00', { phones: ['not a phone'], emails: ['A@B.ru '] })],
			zone,
		);
		expect(result.deals).toHaveLength(1);
		expect(result.deals[0].match.method).toBe('email');
		expect(result.deals[0].warnings).toEqual(['"12345" is not a phone number: not used to match']);
		expect(result.deals[0].touches[0].warnings).toEqual(['"not a phone" is not a phone number: not used to match']);
	});

	it('prefers an order id named in the touch over everything else, even outside the window', () => {
		const result = matchOrders(
			[order('o1', '2024-03-02T10:00:00+03:00', { phones: ['+79123456789'] }, { number: 'A-17' }), order('o2', '2024-05-02T10:00:00+03:00', { phones: ['+79123456789'] })],
			[touch('t1', '2024-04-30T10:00:00+03:00', { orderRef: 'A-17', phones: ['+79123456789'] })],
			zone,
		);
		const deal = result.deals.find((d) => d.orderId === 'o1');
		expect(deal?.match.method).toBe('orderRef');
		expect(deal?.match.keys[0]).toMatchObject({ key: 'orderRef', value: 'A-17', rule: 'the touch names order A-17' });
		expect(Object.keys(reasons(result.unmatchedOrders))).toEqual(['o2']);
	});

	it('chooses the strongest shared key to explain a link', () => {
		const result = matchOrders(
			[order('o1', '2024-03-02T10:00:00+03:00', { phones: ['+79123456789'], gaClientId: '111.222' })],
			[touch('t1', '2024-03-01T10:00:00+03:00', { phones: ['89123456789'], gaClientId: '111.222' })],
			zone,
		);
		expect(result.deals[0].match).toMatchObject({ method: 'gaClientId', keys: [{ key: 'gaClientId', value: '111.222', rule: '1 days before the order'.replace('1 days', '24 h') }] });
	});
});

describe('matchOrders: identity stitching', () => {
	it('matches a customer who called from one number and ordered with another, joined by e-mail', () => {
		const result = matchOrders(
			[order('o1', '2024-03-05T12:00:00+03:00', { phones: ['+79990000002'] })],
			[
				touch('call', '2024-03-01T10:00:00+03:00', { phones: ['+79990000001'] }),
				touch('chat', '2024-03-02T10:00:00+03:00', { kind: 'chat', phones: ['+79990000002'], emails: ['ivan@example.ru'] }),
				touch('form', '2024-03-03T10:00:00+03:00', { kind: 'form', phones: ['+79990000001'], emails: ['ivan@example.ru'] }),
			],
			zone,
		);
		expect(result.deals[0].touches.map((t) => t.touchId)).toEqual(['call', 'chat', 'form']);
		const call = result.deals[0].match.keys[0];
		expect(call).toMatchObject({ touchId: 'call', key: 'phone', value: '+79990000001' });
		expect(call.rule).toMatch(/^same person through identity stitching, 4 days before the order$/);
	});

	it('does not weld people through a shared office phone', () => {
		const office = '+74951234567';
		const orders = Array.from({ length: 8 }, (_, i) => order(`o${i}`, '2024-03-05T12:00:00+03:00', { phones: [office], emails: [`p${i}@corp.ru`] }));
		const touches = [touch('t0', '2024-03-04T12:00:00+03:00', { emails: ['p0@corp.ru'] }), touch('t1', '2024-03-04T12:00:00+03:00', { phones: [office] })];
		const result = matchOrders(orders, touches, { ...zone, maxValuesPerKind: 5 });
		expect(result.blockedValues).toEqual([{ key: `phone:${office}`, reason: 'seen with 8 different e-mails' }]);
		expect(result.deals.map((d) => d.orderId)).toEqual(['o0']);
		expect(reasons(result.unmatchedTouches)).toEqual({ t1: 'its only identity values are blocked as shared' });
	});

	it('never matches on a listed placeholder value, in any written form', () => {
		const result = matchOrders(
			[order('o1', '2024-03-05T12:00:00+03:00', { emails: ['NO@EMAIL.RU'], phones: ['+70000000000'] })],
			[touch('t1', '2024-03-04T12:00:00+03:00', { emails: ['no@email.ru'] })],
			{ ...zone, blockedValues: ['no@email.ru'] },
		);
		expect(result.deals).toHaveLength(0);
		expect(reasons(result.unmatchedOrders)).toEqual({ o1: 'its only identity values are blocked as shared' });
		expect(result.unmatchedOrders.records[0].warnings).toEqual(['"+70000000000" is not a phone number: not used to match']);
	});
});

describe('matchOrders: windows and repeat buyers', () => {
	const phone = { phones: ['+79123456789'] };
	it('credits each touch to the next order only, with a grace after it', () => {
		const result = matchOrders(
			[order('first', '2024-03-10T12:00:00+03:00', phone), order('second', '2024-03-20T12:00:00+03:00', phone)],
			[
				touch('old', '2024-01-01T12:00:00+03:00', phone),
				touch('before1', '2024-03-09T12:00:00+03:00', phone),
				touch('confirm1', '2024-03-10T13:30:00+03:00', phone),
				touch('before2', '2024-03-15T12:00:00+03:00', phone),
				touch('late', '2024-03-20T14:00:01+03:00', phone),
			],
			zone,
		);
		const touchesOf = (id: string) => result.deals.find((d) => d.orderId === id)?.touches.map((t) => t.touchId);
		expect(touchesOf('first')).toEqual(['before1', 'confirm1']);
		expect(touchesOf('second')).toEqual(['before2']);
		expect(reasons(result.unmatchedTouches)).toEqual({
			old: "earlier than the lookback window before the customer's next order",
			late: "after the customer's last order and its grace window",
		});
	});

	it('compares times as instants and reads naive times in the configured zone', () => {
		// 10:30 Moscow is 07:30 UTC: 30 minutes after an order placed at 07:00Z, inside a 1-hour grace.
		const result = matchOrders([order('o1', '2024-03-10T07:00:00Z', phone)], [touch('t1', '2024-03-10 10:30:00', phone)], { ...zone, graceHours: 1 });
		expect(result.deals[0].match.keys[0].rule).toBe('30 min after the order');
		const utc = matchOrders([order('o1', '2024-03-10T07:00:00Z', phone)], [touch('t1', '2024-03-10 10:30:00', phone)], { timeZone: 'UTC', graceHours: 1 });
		expect(utc.deals).toHaveLength(0);
	});

	it('boundaries: exactly the lookback and exactly the grace count', () => {
		const assigned: Record<number, number | string> = {};
		assignTouchesToOrders(
			Int32Array.of(0),
			Int32Array.of(0, 1, 2, 3),
			Float64Array.of(1000),
			Float64Array.of(900, 1100, 899, 1101),
			{ lookbackMs: 100, graceMs: 100 },
			(t, o) => (assigned[t] = o),
			(t, why) => (assigned[t] = why),
		);
		expect(assigned).toEqual({ 0: 0, 1: 0, 2: BEFORE_LOOKBACK, 3: AFTER_LAST_ORDER });
	});
});

describe('matchOrders: outputs', () => {
	it('splits into deals, orders with no touch and touches with no order, each with a reason', () => {
		const result = matchOrders(
			[order('o1', '2024-03-05T12:00:00+03:00', { phones: ['+79123456789'] }), order('o2', '2024-03-05T12:00:00+03:00', {}), order('o3', 'yesterday', { emails: ['x@y.ru'] })],
			[touch('t1', '2024-03-04T12:00:00+03:00', { phones: ['+79123456789'] }), touch('t2', 'soon', { phones: ['+79123456789'] }), touch('t3', '2024-03-04T12:00:00+03:00', { emails: ['z@y.ru'] })],
			zone,
		);
		expect(result.deals.map((d) => d.orderId)).toEqual(['o1']);
		expect(result.deals[0].match.reason).toBe('1 touch (1 by phone) within 30 days before the order or 2 h after it');
		expect(reasons(result.unmatchedOrders)).toEqual({
			o2: 'the order has no phone, e-mail or client id',
			o3: 'its createdAt "yesterday" is not a date and time',
		});
		expect(reasons(result.unmatchedTouches)).toEqual({
			t2: 'its time "soon" is not a date and time',
			t3: 'no order from this customer',
		});
	});

	it('keeps the first copy of a repeated id: a copy with other values is an error, the same record again a warning', () => {
		const phone = { phones: ['+79123456789'] };
		const result = matchOrders(
			[order('o1', '2024-03-05T12:00:00+03:00', phone, { total: 1 }), order('o1', '2024-03-05T12:00:00+03:00', phone, { total: 2 })],
			[touch('t1', '2024-03-04T12:00:00+03:00', phone), touch('t1', '2024-03-04T12:00:00+03:00', phone)],
			zone,
		);
		expect(result.deals).toHaveLength(1);
		expect(result.deals[0].total).toBe(1);
		expect(result.deals[0].warnings).toEqual(['orderId "o1" is given again at item 1 with other values: only this first copy is used']);
		expect(result.dealInputs).toEqual([{ order: 0, touches: [0] }]);
		expect(result.orderProblems).toEqual([
			{
				itemIndex: 1,
				message: 'Item 1: orderId "o1" was already given at item 0; this copy differs from it and is left out',
				description: 'Give each record once: remove the repeated one at its source, or keep the version you want before this node (Remove Duplicates).',
			},
		]);
		expect(result.deals[0].touches.map((t) => [t.touchId, t.warnings])).toEqual([['t1', ['touchId "t1" is given again at item 1 (the same record): only this first copy is used']]]);
		expect(result.touchProblems).toEqual([]);
		expect(result.unmatchedOrders.records).toEqual([]);
	});

	it('keeps input positions when a bad item and a repeated id come together (the kept records are read twice)', () => {
		const phone = { phones: ['+79123456789'] };
		const result = matchOrders(
			[
				{ ...order('x', '2024-03-05T12:00:00+03:00', phone), orderId: undefined } as never,
				order('o1', '2024-03-05T12:00:00+03:00', phone, { total: 1 }),
				order('o1', '2024-03-05T12:00:00+03:00', phone, { total: 2 }),
				order('o2', '2024-03-06T12:00:00+03:00', { emails: ['a@b.ru'] }),
			],
			[{ ...touch('t0', '2024-03-04T12:00:00+03:00'), channel: 'google' } as never, touch('t1', '2024-03-04T12:00:00+03:00', phone), touch('t2', '2024-03-06T11:00:00+03:00', { emails: ['a@b.ru'] })],
			zone,
		);
		expect(result.deals.map((deal) => [deal.orderId, deal.total, deal.touches.map((t) => t.touchId)])).toEqual([
			['o1', 1, ['t1']],
			['o2', 1000, ['t2']],
		]);
		expect(result.dealInputs).toEqual([
			{ order: 1, touches: [1] },
			{ order: 3, touches: [2] },
		]);
		expect(result.orderProblems.map((problem) => problem.message)).toEqual(['Item 0: orderId is missing', 'Item 2: orderId "o1" was already given at item 1; this copy differs from it and is left out']);
		expect(result.touchProblems.map((problem) => problem.message)).toEqual(['Item 0 (touchId "t0"): channel is a string, not an object']);
	});

	it('reports records that break their contract by input position and matches the others', () => {
		const phone = { phones: ['+79123456789'] };
		const result = matchOrders(
			[{ ...order('x', '2024-03-05T12:00:00+03:00', phone), orderId: undefined } as never, order('o2', '2024-03-05T12:00:00+03:00', phone), { ...order('o3', '2024-03-05T12:00:00+03:00'), createdAt: 20240305 } as never],
			[touch('t1', '2024-03-04T12:00:00+03:00', phone), { ...touch('t2', '2024-03-04T12:00:00+03:00'), channel: 'google' } as never],
			zone,
		);
		expect(result.deals.map((deal) => deal.orderId)).toEqual(['o2']);
		expect(result.dealInputs).toEqual([{ order: 1, touches: [0] }]);
		expect(result.orderProblems.map((problem) => problem.message)).toEqual(['Item 0: orderId is missing', 'Item 2 (orderId "o3"): createdAt is a number, not text']);
		expect(result.touchProblems.map((problem) => problem.message)).toEqual(['Item 1 (touchId "t2"): channel is a string, not an object']);
	});
});

describe('matchOrders: building blocks', () => {
	it('groups records by key in record order and sorts a range by time, then by index', () => {
		const groups = groupBy([2, -1, 0, 2, 0], 3);
		expect(groups.keys).toEqual([0, 2]);
		expect(Array.from(groups.members.subarray(groups.start[2], groups.start[3]))).toEqual([0, 3]);
		const indexes = Int32Array.from({ length: 40 }, (_, i) => 39 - i);
		const at = Array.from({ length: 40 }, (_, i) => i % 3);
		for (const [from, to] of [[0, 5], [0, 40]]) {
			const range = indexes.slice(from, to);
			sortByTime(range, 0, range.length, at);
			expect(Array.from(range)).toEqual(Array.from(indexes.slice(from, to)).sort((a, b) => at[a] - at[b] || a - b));
		}
	});

	it('words each offset in its unit: days from 48 h, hours from 1 h, else minutes', () => {
		const phone = { phones: ['+79123456789'] };
		const at = ['2024-03-01T12:00:00+03:00', '2024-03-09T11:00:00+03:00', '2024-03-10T11:20:00+03:00', '2024-03-10T12:00:00+03:00', '2024-03-10T12:20:00+03:00', '2024-03-08T12:00:00+03:00'];
		const result = matchOrders([order('o1', '2024-03-10T12:00:00+03:00', phone)], at.map((time, i) => touch(`t${i}`, time, phone)), zone);
		const rules = result.deals[0].match.keys.map((link) => link.rule);
		expect(rules).toEqual(['9 days before the order', '2 days before the order', '25 h before the order', '40 min before the order', '0 min before the order', '20 min after the order']);
	});
});

