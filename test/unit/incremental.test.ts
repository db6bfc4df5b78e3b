import { diffOrders, KEPT_TOTAL_WARNING, UNKNOWN_TOTAL_WARNING } from '../../nodes/CrmXmlImport/incremental';
import { STATUS_ONLY_WARNING } from '../../nodes/CrmXmlImport/orderBuilder';
import type { Order } from '../../nodes/shared/contracts';

function order(orderId: string, status: string, total: number, name = 'Anna'): Order {
	return {
		orderId, number: orderId, createdAt: null, updatedAt: null, status, statusCode: null, stage: null, total, currency: 'RUB',
		customer: { name, phones: [], emails: [], gaClientId: null, ymClientId: null },
		utm: { source: null, medium: null, campaign: null, content: null, term: null }, items: [], warnings: [],
	};
}

describe('diffOrders', () => {
	it('emits everything as new on the first run, nothing on an identical second run', () => {
		const first = diffOrders([order('1', 'Новый', 10), order('2', 'Новый', 20)], undefined);
		expect(first.changed.map((o) => [o.orderId, o.change])).toEqual([
			['1', { type: 'new', fields: [], previous: null }],
			['2', { type: 'new', fields: [], previous: null }],
		]);
		const second = diffOrders([order('1', 'Новый', 10), order('2', 'Новый', 20)], first.next);
		expect(second.changed).toEqual([]);
		expect(second.next).toEqual(first.next);
	});

	it('says what changed: status, total, or other fields, with the old values', () => {
		const { next } = diffOrders([order('1', 'Новый', 10), order('2', 'Новый', 20), order('3', 'Новый', 30)], undefined);
		const { changed } = diffOrders([order('1', 'Выполнен', 10), order('2', 'Новый', 25.5), order('3', 'Новый', 30, 'Olga')], next);
		expect(changed.map((o) => [o.orderId, o.change])).toEqual([
			['1', { type: 'changed', fields: ['status'], previous: { status: 'Новый', total: 10 } }],
			['2', { type: 'changed', fields: ['total'], previous: { status: 'Новый', total: 20 } }],
			['3', { type: 'changed', fields: ['other'], previous: { status: 'Новый', total: 30 } }],
		]);
	});

	it('keeps orders that a later (partial) feed does not mention', () => {
		const { next } = diffOrders([order('1', 'Новый', 10)], undefined);
		const later = diffOrders([order('2', 'Новый', 5)], next);
		expect(Object.keys(later.next).sort()).toEqual(['1', '2']);
		expect(diffOrders([order('1', 'Новый', 10)], later.next).changed).toEqual([]);
	});

	it('does not change the previous state it was given (a failed run leaves the mark)', () => {
		const { next } = diffOrders([order('1', 'Новый', 10)], undefined);
		const frozen = JSON.stringify(next);
		diffOrders([order('1', 'Выполнен', 10)], next);
		expect(JSON.stringify(next)).toBe(frozen);
	});

	describe('status-only documents (1C: no sum, no buyer)', () => {
		function statusOnly(orderId: string, status: string | null): Order {
			return { ...order(orderId, '', 0), status, total: null, statusOnly: true, warnings: [STATUS_ONLY_WARNING] };
		}

		it('apply their status to the order of the last run and keep its total', () => {
			const { next } = diffOrders([order('1', 'Новый', 1500)], undefined);
			const { changed, next: after } = diffOrders([statusOnly('1', 'Отгружен')], next);
			expect(changed).toEqual([
				{
					...statusOnly('1', 'Отгружен'),
					total: 1500,
					warnings: [KEPT_TOTAL_WARNING],
					change: { type: 'changed', fields: ['status'], previous: { status: 'Новый', total: 1500 } },
				},
			]);
			// A second status-only document with the same status changes nothing; one without a status keeps the old one.
			expect(diffOrders([statusOnly('1', 'Отгружен')], after).changed).toEqual([]);
			expect(diffOrders([statusOnly('1', null)], after).changed).toEqual([]);
		});

		it('emit an order not seen before with no total and say so', () => {
			const { changed, next } = diffOrders([statusOnly('9', 'Проведен')], undefined);
			expect(changed.map((o) => [o.orderId, o.total, o.warnings, o.change])).toEqual([['9', null, [UNKNOWN_TOTAL_WARNING], { type: 'new', fields: [], previous: null }]]);
			// The full order later: its total arrives as a change.
			const full = diffOrders([order('9', 'Проведен', 700)], next);
			expect(full.changed.map((o) => o.change)).toEqual([{ type: 'changed', fields: ['total'], previous: { status: 'Проведен', total: null } }]);
		});
	});
});
