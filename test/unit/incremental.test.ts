import { diffOrders } from '../../nodes/CrmXmlImport/incremental';
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
});
