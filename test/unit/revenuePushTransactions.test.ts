import { toCents } from '../../nodes/shared/money';
import { centsText, centsToWholeUnits } from '../../nodes/RevenuePush/destinations/cents';
import { buildTransaction, buildTransactions, type Transaction, type TransactionOptions } from '../../nodes/RevenuePush/ledger/transactions';
import { makeDeal, makeTouch } from '../helpers/standins/revenueDeals';

const NOW = Date.parse('2024-01-02T00:00:00Z');
const options: TransactionOptions = { destination: 'ga4', mode: 'won', defaultCurrency: null, timeZone: 'Europe/Moscow', now: NOW };

function built(deal = makeDeal(), extra: Partial<TransactionOptions> = {}): Transaction {
	const result = buildTransaction(deal, { ...options, ...extra });
	if ('reason' in result) throw new Error(result.reason);
	return result;
}

describe('cents', () => {
	it.each([
		[1.005, 101],
		[1500.5, 150050],
		[0.1 + 0.2, 30],
		[1234.449, 123445],
		[-2.675, -268],
		[19.999, 2000],
	])('%p -> %p cents, half up on the decimal text', (amount, cents) => expect(toCents(amount)).toBe(cents));

	it('prints cents and rounds to whole units half up', () => {
		expect(centsText(150050)).toBe('1500.50');
		expect(centsText(7)).toBe('0.07');
		expect([123450, 123449, 50, 49, -150].map(centsToWholeUnits)).toEqual([1235, 1234, 1, 0, -2]);
	});
});

describe('transactions', () => {
	it('derives the version key from destination, order, kind, cents and currency', () => {
		const t = built();
		expect(t.versionKey).toBe('ga4:1001:purchase:150050:RUB');
		expect(built(makeDeal({ total: 1600 })).versionKey).toBe('ga4:1001:purchase:160000:RUB');
		expect(built(makeDeal({ stage: 'lost' }), { mode: 'refund' }).versionKey).toBe('ga4:1001:refund:150050:RUB');
		expect(built(makeDeal(), { destination: 'amocrm' }).versionKey).toBe('amocrm:1001:purchase:150050:RUB');
	});

	it('takes the GA client id of the most recent touch that has one, and a session of that same client', () => {
		const deal = makeDeal({
			customer: { ...makeDeal().customer, gaClientId: '999.1' },
			touches: [
				makeTouch({ touchId: 'a', gaClientId: '111.1', gaSessionId: 's-old' }),
				makeTouch({ touchId: 'b', gaClientId: '222.2', gaSessionId: null }),
				makeTouch({ touchId: 'c', gaClientId: '222.2', gaSessionId: null, ymClientId: '1700000000123456789' }),
				makeTouch({ touchId: 'd', gaClientId: null, gaSessionId: null }),
			],
		});
		const t = built(deal);
		expect(t.gaClientId).toBe('222.2');
		expect(t.gaSessionId).toBeNull();
		expect(t.ymClientId).toBe('1700000000123456789');
		deal.touches[1].gaSessionId = 's-new';
		expect(built(deal).gaSessionId).toBe('s-new');
	});

	it('falls back to the customer ids and finds a yclid in kept raw records', () => {
		const deal = makeDeal({
			customer: { ...makeDeal().customer, gaClientId: '999.1', ymClientId: '555' },
			touches: [makeTouch({ raw: { page: 'https://shop.ru/?utm_source=yandex&yclid=4283749823749' } })],
		});
		const t = built(deal);
		expect([t.gaClientId, t.ymClientId, t.yclid]).toEqual(['999.1', '555', '4283749823749']);
		expect(built(makeDeal({ raw: { lead: { yclid: 98765432 } } })).yclid).toBe('98765432');
		const clicked = makeDeal({ touches: [makeTouch({ touchId: 'a', yclid: '111111' }), makeTouch({ touchId: 'b', raw: { page: '?yclid=222222' } }), makeTouch({ touchId: 'c', yclid: '333333' })] });
		expect(built(clicked).yclid).toBe('333333');
	});

	it('reads times in the zone, lower-cases e-mails and prices items in cents', () => {
		const t = built(makeDeal({ createdAt: '2024-01-01 12:00:00', updatedAt: null }));
		expect(new Date(t.createdAtMs).toISOString()).toBe('2024-01-01T09:00:00.000Z');
		expect(t.occurredAtMs).toBe(t.createdAtMs);
		expect(t.emails).toEqual(['ivan@example.ru']);
		expect(t.items).toEqual([
			{ id: 'sku-1', name: 'Чайник', priceCents: 100050, quantity: 1 },
			{ id: 'sku-2', name: 'Кружка', priceCents: 25000, quantity: 2 },
		]);
	});

	it('skips what cannot be pushed, with the reason', () => {
		const result = buildTransactions(
			[makeDeal({ orderId: 'a', stage: 'in_progress' }), makeDeal({ orderId: 'b', currency: null }), makeDeal({ orderId: 'c', total: null, items: [] }), makeDeal({ orderId: 'd', total: 0 }), makeDeal({ orderId: 'e', currency: 'тугрики' })],
			options,
		);
		expect(result.transactions).toEqual([]);
		expect(result.skipped.map((s) => s.orderId)).toEqual(['a', 'b', 'c', 'd', 'e']);
		expect(result.skipped[0].reason).toMatch(/not won/);
		expect(result.skipped[1].reason).toMatch(/no currency/);
		expect(buildTransactions([makeDeal({ currency: null })], { ...options, defaultCurrency: 'руб' }).transactions[0].currency).toBe('RUB');
		expect(built(makeDeal({ total: null })).valueCents).toBe(150050);
	});
});
