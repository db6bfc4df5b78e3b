import { pushRevenue, type PushRun, type SentLedger } from '../../nodes/RevenuePush/pushRevenue';
import type { DestinationSettings } from '../../nodes/RevenuePush/destinations';
import { AmoCrmServer } from '../helpers/standins/amocrmServer';
import { fetchSend } from '../helpers/standins/fetchSend';
import { Ga4Server } from '../helpers/standins/ga4Server';
import { MetricaServer } from '../helpers/standins/metricaServer';
import { makeDeal, manyDeals, makeTouch } from '../helpers/standins/revenueDeals';
import { WebhookServer } from '../helpers/standins/webhookServer';
import { DEFAULT_GA4_OPTIONS } from '../../nodes/RevenuePush/destinations/ga4';

/** The ledger n8n's de-duplication store gives the node: a set of recorded revenue versions. */
class MemoryLedger implements SentLedger {
	readonly recorded = new Set<string>();
	async unsent(keys: string[]): Promise<string[]> {
		return keys.filter((key) => !this.recorded.has(key));
	}
	async record(keys: string[]): Promise<void> {
		for (const key of keys) this.recorded.add(key);
	}
}

function run(settings: DestinationSettings, overrides: Partial<PushRun> = {}): PushRun {
	return {
		settings,
		mode: 'won',
		defaultCurrency: 'RUB',
		timeZone: 'Europe/Moscow',
		retry: { maxAttempts: 3, maxTotalMs: 5000, baseMs: 20, capMs: 100 },
		secrets: ['s3cret-token'],
		send: fetchSend(1000),
		sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
		now: () => Date.now(),
		...overrides,
	};
}

describe('pushRevenue: each revenue version once, recorded only when accepted', () => {
	it('sends deals to a webhook once; a second run sends nothing; a changed total is a new version', async () => {
		const server = await new WebhookServer({ secret: 'hmac-key' }).start();
		try {
			const ledger = new MemoryLedger();
			const settings: DestinationSettings = { destination: 'webhook', webhook: { url: `${server.url}/hook`, mode: 'perDeal', secret: 'hmac-key' } };
			const deals = [makeDeal({ orderId: '1' }), makeDeal({ orderId: '2', total: 99.99 }), makeDeal({ orderId: '3', stage: 'lost' })];
			const first = await pushRevenue(deals, run(settings), ledger);
			expect(first.map((o) => [o.orderId, o.status])).toEqual([
				['1', 'sent'],
				['2', 'sent'],
				['3', 'skipped'],
			]);
			expect(server.deliveries.map((d) => d.signatureValid)).toEqual([true, true]);
			const second = await pushRevenue(deals, run(settings), ledger);
			expect(second.map((o) => o.status)).toEqual(['alreadySent', 'alreadySent', 'skipped']);
			expect(server.deliveries).toHaveLength(2);
			const corrected = await pushRevenue([makeDeal({ orderId: '2', total: 120 })], run(settings), ledger);
			expect(corrected.map((o) => [o.status, o.versionKey])).toEqual([['sent', 'webhook:2:purchase:12000:RUB']]);
		} finally {
			await server.close();
		}
	});

	it('retries a 500, gives up on a persistent failure without recording it, and delivers it on the next run', async () => {
		const server = await new WebhookServer().start();
		try {
			const ledger = new MemoryLedger();
			const settings: DestinationSettings = { destination: 'webhook', webhook: { url: `${server.url}/hook`, mode: 'perDeal' } };
			server.faults.next(1, 500);
			const deals = [makeDeal({ orderId: '1' }), makeDeal({ orderId: '2' })];
			const first = await pushRevenue(deals, run(settings), ledger);
			expect(first.map((o) => [o.status, o.attempts])).toEqual([
				['sent', 2],
				['sent', 1],
			]);
			server.faults.next(3, 503);
			const failing = await pushRevenue([makeDeal({ orderId: '3' })], run(settings), ledger);
			expect(failing[0]).toMatchObject({ status: 'failed', attempts: 3 });
			expect(ledger.recorded.has('webhook:3:purchase:150050:RUB')).toBe(false);
			const rerun = await pushRevenue([makeDeal({ orderId: '3' })], run(settings), ledger);
			expect(rerun[0].status).toBe('sent');
			const bodies = server.deliveries.map((d) => (d.body as { orderId: string }).orderId);
			expect(bodies).toEqual(['1', '2', '3']);
		} finally {
			await server.close();
		}
	});

	it('pushes lead prices to amoCRM within its 7 requests per second and never shows the token', async () => {
		const server = await new AmoCrmServer({ token: 's3cret-token' }).start();
		try {
			const ledger = new MemoryLedger();
			const deals = manyDeals(120);
			const settings: DestinationSettings = { destination: 'amocrm', amocrm: { baseUrl: server.url, token: 's3cret-token', leadId: { from: 'orderId' }, customFields: [], writePrice: true } };
			const outcomes = await pushRevenue(deals, run(settings), ledger);
			expect(outcomes.every((o) => o.status === 'sent')).toBe(true);
			expect(server.received.filter((r) => r.method === 'PATCH')).toHaveLength(3);
			const wrong = await pushRevenue([makeDeal({ orderId: '77' })], run({ destination: 'amocrm', amocrm: { ...settings.amocrm, token: 'wrong-s3cret-token' } }, { secrets: ['wrong-s3cret-token'] }), new MemoryLedger());
			expect(wrong[0].status).toBe('failed');
			expect(wrong[0].reason).not.toContain('wrong-s3cret-token');
		} finally {
			await server.close();
		}
	});

	it('reports GA4 deals without a client id, sends the rest, and records nothing in validation mode', async () => {
		const server = await new Ga4Server().start();
		try {
			const ledger = new MemoryLedger();
			const ga4 = { ...DEFAULT_GA4_OPTIONS, measurementId: 'G-TEST1234', apiSecret: 's3cret-token', endpoint: server.url, now: Date.now() };
			const now = new Date().toISOString();
			const deals = [makeDeal({ orderId: '1', updatedAt: now, touches: [makeTouch({ gaClientId: '111.222' })] }), makeDeal({ orderId: '2', updatedAt: now })];
			const validated = await pushRevenue(deals, run({ destination: 'ga4', ga4: { ...ga4, debug: true } }), ledger);
			expect(validated.map((o) => o.status)).toEqual(['validated', 'skipped']);
			expect(ledger.recorded.size).toBe(0);
			const sent = await pushRevenue(deals, run({ destination: 'ga4', ga4 }), ledger);
			expect(sent.map((o) => o.status)).toEqual(['sent', 'skipped']);
			expect(sent[1].reason).toMatch(/no GA client id/);
			expect([...ledger.recorded]).toEqual(['ga4:1:purchase:150050:RUB']);
		} finally {
			await server.close();
		}
	});

	it('records each accepted request before the next goes out, so a run killed half way resends nothing it delivered', async () => {
		const server = await new WebhookServer().start();
		try {
			const events: string[] = [];
			const recorded = new Set<string>();
			const ledger: SentLedger = {
				unsent: async (keys) => keys.filter((key) => !recorded.has(key)),
				record: async (keys) => {
					keys.forEach((key) => recorded.add(key));
					events.push(`record ${keys.map((key) => key.split(':')[1]).join(',')}`);
				},
			};
			const send = fetchSend(1000);
			const settings: DestinationSettings = { destination: 'webhook', webhook: { url: `${server.url}/hook`, mode: 'perDeal' } };
			const logged = run(settings, {
				send: async (request) => {
					events.push(`send ${request.orderIds.join(',')}`);
					return await send(request);
				},
			});
			server.faults.next(2, 'reset');
			const deals = ['1', '2', '3'].map((orderId) => makeDeal({ orderId }));
			const outcomes = await pushRevenue(deals, { ...logged, retry: { ...logged.retry, maxAttempts: 2 } }, ledger);
			expect(outcomes.map((o) => o.status)).toEqual(['failed', 'sent', 'sent']);
			expect(events).toEqual(['send 1', 'send 1', 'send 2', 'record 2', 'send 3', 'record 3']);
			const rerun = await pushRevenue(deals, run(settings), ledger);
			expect(rerun.map((o) => o.status)).toEqual(['sent', 'alreadySent', 'alreadySent']);
			expect(server.deliveries.map((d) => (d.body as { orderId: string }).orderId)).toEqual(['2', '3', '1']);
		} finally {
			await server.close();
		}
	});

	it('uploads Metrica conversions by ClientId and yclid and the rest as CRM orders, with each upload as the receipt', async () => {
		const server = await new MetricaServer({ token: 's3cret-token' }).start();
		try {
			const ledger = new MemoryLedger();
			const now = Date.now();
			const metrica = { counterId: '44147844', goal: 'crm_sale', token: 's3cret-token', apiBase: server.url, counterTimeZone: 'Europe/Moscow', withoutId: 'orders' as const, now };
			const at = new Date(now - 3_600_000).toISOString();
			const deals = [
				makeDeal({ orderId: '1', updatedAt: at, touches: [makeTouch({ at, ymClientId: '1700000000123456789' })] }),
				makeDeal({ orderId: '2', updatedAt: at, raw: { landing: 'https://shop.example/?utm_source=yandex&yclid=6071471553466368' } }),
				makeDeal({ orderId: '3', updatedAt: at, customer: { name: null, phones: ['+79161234567'], emails: ['Buyer@Mail.RU'], gaClientId: null, ymClientId: null } }),
				makeDeal({ orderId: '4', updatedAt: at, customer: { name: null, phones: [], emails: [], gaClientId: null, ymClientId: null } }),
			];
			const outcomes = await pushRevenue(deals, run({ destination: 'metrica', metrica }), ledger);
			expect(outcomes.map((o) => [o.orderId, o.status])).toEqual([
				['1', 'sent'],
				['2', 'sent'],
				['3', 'sent'],
				['4', 'skipped'],
			]);
			expect(outcomes[3].reason).toMatch(/no Metrica ClientId, phone or e-mail/);
			expect(outcomes.slice(0, 3).map((o) => o.receipt)).toEqual(['Metrica upload 1001: UPLOADED', 'Metrica upload 1002: UPLOADED', 'Metrica upload 1003: UPLOADED']);
			expect(server.conversions.map((row) => [row.idType, row.ClientId ?? row.Yclid, row.Price, row.Currency])).toEqual([
				['CLIENT_ID', '1700000000123456789', '1500.50', 'RUB'],
				['YCLID', '6071471553466368', '1500.50', 'RUB'],
			]);
			expect(server.orders.get('3')).toMatchObject({ phones: '79161234567', emails: 'buyer@mail.ru', order_status: 'PAID', revenue: '1500.50' });

			const again = await pushRevenue(deals, run({ destination: 'metrica', metrica }), ledger);
			expect(again.map((o) => o.status)).toEqual(['alreadySent', 'alreadySent', 'alreadySent', 'skipped']);
			// Three uploads, and the list of uploads read once before them (what Metrica already took).
			expect(server.received.map((r) => r.method)).toEqual(['GET', 'POST', 'POST', 'POST']);

			const refund = await pushRevenue([makeDeal({ orderId: '1', stage: 'lost', updatedAt: at, touches: deals[0].touches })], run({ destination: 'metrica', metrica }, { mode: 'refund' }), ledger);
			expect(refund[0]).toMatchObject({ status: 'sent', receipt: 'Metrica upload 1004: UPLOADED' });
			expect(server.orders.get('1')).toMatchObject({ order_status: 'CANCELLED', client_ids: '1700000000123456789' });
		} finally {
			await server.close();
		}
	});

	it('retries Metrica\'s 420 quota answer and reports its own error text for a bad file, without the token', async () => {
		const server = await new MetricaServer({ token: 's3cret-token' }).start();
		try {
			const now = Date.now();
			const metrica = { counterId: '44147844', goal: 'crm_sale', token: 's3cret-token', apiBase: server.url, counterTimeZone: 'Europe/Moscow', withoutId: 'report' as const, now };
			const deal = makeDeal({ orderId: '9', updatedAt: new Date(now - 60_000).toISOString(), touches: [makeTouch({ ymClientId: '1700000000123456789' })] });
			// The first request reads the list of uploads (what Metrica already took); the upload after it meets the 420.
			server.faults.next(1, 'pass').next(1, { kind: 'status', status: 420, body: { errors: [{ error_type: 'quota_requests_by_ip', message: 'Too many requests' }], code: 420 } });
			const sent = await pushRevenue([deal, makeDeal({ orderId: '10' })], run({ destination: 'metrica', metrica }), new MemoryLedger());
			expect(sent.map((o) => [o.status, o.attempts])).toEqual([
				['sent', 2],
				['skipped', 0],
			]);
			expect(sent[1].reason).toBe('no Metrica ClientId or yclid');
			const wrongGoal = await pushRevenue([deal], run({ destination: 'metrica', metrica: { ...metrica, goal: '' } }), new MemoryLedger());
			expect(wrongGoal[0]).toMatchObject({ status: 'failed', reason: 'HTTP 400: invalid_parameter: line 2: Target is empty' });
			await expect(pushRevenue([deal], run({ destination: 'metrica', metrica: { ...metrica, counterId: 'my shop' } }), new MemoryLedger())).rejects.toThrow(/counter ID "my shop" is not a number/);
		} finally {
			await server.close();
		}
	});

	it('never uploads Metrica conversions twice when an answer is lost: it asks the list of uploads, in the run and in the next', async () => {
		const server = await new MetricaServer({ token: 's3cret-token' }).start();
		try {
			const ledger = new MemoryLedger();
			const now = Date.now();
			const metrica = { counterId: '44147844', goal: 'crm_sale', token: 's3cret-token', apiBase: server.url, counterTimeZone: 'Europe/Moscow', withoutId: 'report' as const, now };
			const at = new Date(now - 3_600_000).toISOString();
			const deals = manyDeals(3, at);
			// Metrica takes the upload but the connection breaks before its answer: the retry finds it in the list.
			server.faults.next(1, 'pass').next(1, { kind: 'lostAnswer', after: 'reset' });
			const first = await pushRevenue(deals.slice(0, 2), run({ destination: 'metrica', metrica }), ledger);
			expect(first.map((o) => [o.status, o.attempts, o.receipt])).toEqual([
				['sent', 1, 'Metrica upload 1001: UPLOADED'],
				['sent', 1, 'Metrica upload 1001: UPLOADED'],
			]);
			expect(server.conversions).toHaveLength(2);
			// Every answer lost until the run gives up: nothing recorded, and the next run finds the upload in the list.
			server.faults.next(1, 'pass').next(20, { kind: 'lostAnswer', after: 'reset' });
			const failing = await pushRevenue(deals.slice(2), run({ destination: 'metrica', metrica }), ledger);
			expect(failing[0]).toMatchObject({ status: 'failed', reason: expect.stringMatching(/may have reached the service/) });
			server.faults.clear();
			const rerun = await pushRevenue(deals.slice(2), run({ destination: 'metrica', metrica }), ledger);
			expect(rerun[0]).toMatchObject({ status: 'sent', attempts: 0, receipt: 'Metrica upload 1002: UPLOADED' });
			expect(server.conversions.map((row) => row.ClientId)).toEqual(deals.map((deal) => deal.touches[0].ymClientId));
			expect(server.received.filter((r) => r.method === 'GET').every((r) => r.query.comment === undefined && r.headers.authorization === 'OAuth s3cret-token')).toBe(true);
		} finally {
			await server.close();
		}
	});
});
