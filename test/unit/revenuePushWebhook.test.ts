import { createHmac } from 'crypto';
import { SIGNATURE_HEADER, signBody, verifySignature, webhookPayload, webhookRequests } from '../../nodes/RevenuePush/destinations/webhook';
import { buildTransactions } from '../../nodes/RevenuePush/ledger/transactions';
import { makeDeal, manyDeals } from '../helpers/standins/revenueDeals';

const NOW = Date.parse('2024-01-02T00:00:00Z');
const transactions = (count: number) => buildTransactions(manyDeals(count), { destination: 'webhook', mode: 'won', defaultCurrency: null, timeZone: 'UTC', now: NOW }).transactions;

describe('webhook', () => {
	it('signs the exact body bytes with HMAC-SHA256', () => {
		const [request] = webhookRequests(transactions(1), { url: 'https://hooks.example/x', mode: 'perDeal', secret: 'k' });
		expect(request.headers[SIGNATURE_HEADER]).toBe(`sha256=${createHmac('sha256', 'k').update(request.body).digest('hex')}`);
		expect(verifySignature(request.body, request.headers[SIGNATURE_HEADER], 'k')).toBe(true);
		expect(verifySignature(request.body + ' ', request.headers[SIGNATURE_HEADER], 'k')).toBe(false);
		expect(verifySignature(request.body, 'sha256=00', 'k')).toBe(false);
		expect(signBody(new TextEncoder().encode('Ж'), 'k')).toBe(signBody('Ж', 'k'));
	});

	it('sends one deal per request or batches, with a stable idempotency key', () => {
		const perDeal = webhookRequests(transactions(3), { url: 'https://h/x', mode: 'perDeal' });
		expect(perDeal.map((r) => r.headers['Idempotency-Key'])).toEqual(['webhook:5000:purchase:10025:RUB', 'webhook:5001:purchase:10125:RUB', 'webhook:5002:purchase:10225:RUB']);
		expect(perDeal[0].headers[SIGNATURE_HEADER]).toBeUndefined();
		const batches = webhookRequests(transactions(5), { url: 'https://h/x', mode: 'batch', batchSize: 2 });
		expect(batches.map((r) => r.orderIds)).toEqual([['5000', '5001'], ['5002', '5003'], ['5004']]);
		expect(JSON.parse(batches[0].body as string).deals).toHaveLength(2);
		expect(webhookRequests(transactions(5), { url: 'https://h/x', mode: 'batch', batchSize: 2 })[0].headers['Idempotency-Key']).toBe(batches[0].headers['Idempotency-Key']);
		const cyrillic = buildTransactions([makeDeal({ orderId: 'Заказ-1' })], { destination: 'webhook', mode: 'won', defaultCurrency: null, timeZone: 'UTC', now: NOW }).transactions;
		expect(webhookRequests(cyrillic, { url: 'https://h/x', mode: 'perDeal' })[0].headers['Idempotency-Key']).toMatch(/^[0-9a-f]{64}$/);
	});

	it('carries value, ids, utm and the idempotency key per deal', () => {
		expect(webhookPayload(transactions(1)[0])).toMatchObject({ event: 'purchase', orderId: '5000', value: 100.25, currency: 'RUB', idempotencyKey: 'webhook:5000:purchase:10025:RUB', clientIds: { ga: '1000.1700000000' } });
	});
});
