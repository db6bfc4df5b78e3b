import { pushRevenue, type PushRun, type SentLedger } from '../../nodes/RevenuePush/pushRevenue';
import type { DestinationSettings } from '../../nodes/RevenuePush/destinations';
import { AmoCrmServer } from '../helpers/standins/amocrmServer';
import { fetchSend } from '../helpers/standins/fetchSend';
import { Ga4Server } from '../helpers/standins/ga4Server';
import { makeDeal, manyDeals, makeTouch } from '../helpers/standins/revenueDeals';
import { WebhookServer } from '../helpers/standins/webhookServer';
import { DEFAULT_GA4_OPTIONS } from '../../nodes/RevenuePush/ga4';

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
			const settings: DestinationSettings = { destination: 'amocrm', amocrm: { baseUrl: server.url, token: 's3cret-token', leadId: { from: 'orderId' }, customFields: [] } };
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
});
