import { join } from 'path';
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { JOURNAL_LIMIT, sentEntry } from '../../nodes/RevenuePush/ledger/ledger';
import type { Deal } from '../../nodes/shared/contracts';
import { Ga4MeasurementProtocolApi } from '../../credentials/Ga4MeasurementProtocolApi.credentials';
import { RevenueWebhookApi } from '../../credentials/RevenueWebhookApi.credentials';
import { fakeExecuteFunctions, type NodeUnderTest } from '../faults/fakeContext';
import { ProcessedStore, previousLedger } from '../faults/processedStore';
import { makeDeal, makeTouch } from '../helpers/standins/revenueDeals';

/**
 * The Revenue Push ledger (ledger.ts) through the real node's execute(), with the fake n8n context and the in-memory
 * store that keeps n8n's rows, modes and eviction (test/faults/processedStore.ts). HTTP is faked at the node's
 * httpRequest: GA4 answers 204 and the webhook 200, and every deal a request carried is counted as delivered (by
 * destination and order id), or the request hangs forever (the process killed while it waits).
 */
type NodeModule = typeof import('../../nodes/RevenuePush/RevenuePush.node');
const { RevenuePush } = require(join(__dirname, '..', '..', 'nodes', 'RevenuePush', 'RevenuePush.node.ts')) as NodeModule;

type Destination = 'ga4' | 'webhook';

const NODES: Record<Destination, { parameters: Record<string, unknown>; credential: ICredentialDataDecryptedObject; node: NodeUnderTest }> = {
	ga4: {
		parameters: { destination: 'ga4', mode: 'won', missingClientId: 'report', oldEvents: 'clamp', options: { maxAttempts: 1 } },
		credential: { measurementId: 'G-LEDGER123', apiSecret: 'ledger-secret', endpoint: 'http://ga4.invalid' },
		node: target('ledger-ga4', 'ga4MeasurementProtocolApi'),
	},
	webhook: {
		parameters: { destination: 'webhook', mode: 'won', webhookMode: 'batch', options: { maxAttempts: 1 } },
		credential: { url: 'http://hook.invalid/revenue' },
		node: target('ledger-webhook', 'revenueWebhookApi'),
	},
};

function target(id: string, credential: string): NodeUnderTest {
	return {
		type: new RevenuePush(),
		node: { id, name: id, type: 'n8n-nodes-sales-analytics.revenuePush', typeVersion: 1, position: [0, 0], parameters: {}, credentials: { [credential]: { id, name: id } } },
		credentials: [new Ga4MeasurementProtocolApi(), new RevenueWebhookApi()],
	};
}

/** Deliveries per "destination:orderId" over every run of a test. */
class Services {
	readonly delivered = new Map<string, number>();
	requests = 0;
	/** Requests answered before every later one hangs; Infinity: all answered. */
	answerFirst = Infinity;
	/** Requests answered 500 from now on (none when 0). */
	failing = 0;
	/** Told when a request hangs: the run is as good as killed. */
	onHang?: () => void;

	async httpRequest(options: IHttpRequestOptions): Promise<unknown> {
		if (this.requests >= this.answerFirst) {
			this.onHang?.();
			return await new Promise(() => undefined);
		}
		this.requests++;
		if (this.failing > 0) {
			this.failing--;
			return { statusCode: 500, headers: {}, body: 'down' };
		}
		const body = JSON.parse(String(options.body)) as { events?: Array<{ params: { transaction_id: string } }>; deals?: Array<{ orderId: string }> };
		const carried = body.events ? body.events.map((event) => `ga4:${event.params.transaction_id}`) : (body.deals ?? []).map((deal) => `webhook:${deal.orderId}`);
		// GA4's validation server records nothing.
		if (!options.url.includes('/debug/')) for (const key of carried) this.delivered.set(key, (this.delivered.get(key) ?? 0) + 1);
		if (options.url.includes('/debug/')) return { statusCode: 200, headers: {}, body: '{"validationMessages":[]}' };
		return { statusCode: body.events ? 204 : 200, headers: {}, body: '' };
	}

	count(destination: Destination, ids: string[]): number {
		return ids.filter((id) => this.delivered.has(`${destination}:${id}`)).length;
	}

	/** Deliveries beyond the first of any deal. */
	twice(): number {
		return [...this.delivered.values()].reduce((sum, times) => sum + times - 1, 0);
	}

	total(): number {
		return [...this.delivered.values()].reduce((sum, times) => sum + times, 0);
	}
}

const AT = new Date(Date.now() - 3_600_000).toISOString();
/** Won deals with ids from..to-1, paid an hour ago; GA client ids shared by 25 deals in a row (one GA4 request). */
function deals(from: number, to: number): Deal[] {
	return Array.from({ length: to - from }, (_, i) => {
		const id = String(from + i);
		return makeDeal({ orderId: id, number: id, updatedAt: AT, total: 100 + ((from + i) % 900), items: [], touches: [makeTouch({ touchId: id, at: AT, gaClientId: `${Math.floor((from + i) / 25)}.1700000000` })] });
	});
}
const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => String(from + i));

/** One run of the node; `undefined` when it never ended (killed while a request hung). */
async function push(destination: Destination, input: Deal[], store: ProcessedStore, services: Services, parameters: Record<string, unknown> = {}): Promise<Array<{ orderId: string; status: string }> | undefined> {
	const setup = NODES[destination];
	const ctx = fakeExecuteFunctions(
		{ parameters: { ...setup.parameters, ...parameters }, credential: setup.credential, staticData: {}, continueOnFail: true, input: input.map((deal) => ({ json: deal as unknown as IDataObject })), processed: store },
		setup.node,
	);
	// Every request the node makes, plain or signed by n8n with the credential (GA4), goes to the counting services.
	const helpers = ctx.helpers as unknown as Record<string, unknown>;
	helpers.httpRequest = async (options: IHttpRequestOptions) => await services.httpRequest(options);
	helpers.httpRequestWithAuthentication = async (_type: string, options: IHttpRequestOptions) => await services.httpRequest(options);
	const run = (setup.node.type.execute as (this: IExecuteFunctions) => Promise<Array<Array<{ json: IDataObject }>>>).call(ctx);
	const killed = new Promise<undefined>((resolve) => (services.onHang = () => resolve(undefined)));
	const ended = await Promise.race([run, killed]);
	return ended?.[0].map((item) => item.json as unknown as { orderId: string; status: string });
}

const statuses = (outcomes: Array<{ status: string }> | undefined) => {
	const counts: Record<string, number> = {};
	for (const outcome of outcomes ?? []) counts[outcome.status] = (counts[outcome.status] ?? 0) + 1;
	return counts;
};
/** Bytes of a row of `entries` MD5 hashes in base64 as n8n writes it: {"mode":"entries","data":["<24 chars>",...]}. */
const rowBytes = (entries: number) => '{"mode":"entries","data":[]}'.length + entries * 26 + Math.max(0, entries - 1);

describe('Revenue Push ledger: never forgets, costs what is new', () => {
	jest.setTimeout(300_000);

	it('300,000 versions over three runs to GA4 and a webhook, then a rerun of all 150,000 deals: nothing sent twice', async () => {
		const store = new ProcessedStore();
		const services = new Services();
		for (let run = 0; run < 3; run++) {
			for (const destination of ['ga4', 'webhook'] as const) {
				store.resetCosts();
				const outcomes = await push(destination, deals(run * 50_000, (run + 1) * 50_000), store, services);
				expect(statuses(outcomes)).toEqual({ sent: 50_000 });
				// The ledger row: the run's look, then one merge per JOURNAL_LIMIT deliveries.
				const ledger = store.costs('workflow');
				expect([ledger.rowsRead + (run === 0 && destination === 'ga4' ? 1 : 0), ledger.rowsWritten]).toEqual([1 + 50_000 / JOURNAL_LIMIT, 1 + 50_000 / JOURNAL_LIMIT]);
				// Each request (25 GA4 purchases, 100 webhook deals) rewrites only the journal, never longer than the limit.
				const journal = store.costs('node', NODES[destination].node.node.id);
				expect(journal.rowsWritten).toBe(50_000 / (destination === 'ga4' ? 25 : 100));
				expect(journal.largestWrite).toBe(rowBytes(JOURNAL_LIMIT));
			}
		}
		expect(services.total()).toBe(300_000);
		for (const destination of ['ga4', 'webhook'] as const) {
			store.resetCosts();
			const rerun = await push(destination, deals(0, 150_000), store, services);
			expect(statuses(rerun)).toEqual({ alreadySent: 150_000 });
			// The look and the seen-before check: two reads and two writes of the ledger, nothing else.
			expect(store.costs('workflow')).toMatchObject({ rowsRead: 2, rowsWritten: 2 });
			expect(store.costs('node', NODES[destination].node.node.id)).toMatchObject({ rowsRead: 0, rowsWritten: 0 });
		}
		expect(services.total()).toBe(300_000);
		expect(services.twice()).toBe(0);
		// 300,000 versions, three entries each ("~seen:", the bare key, "~sent:"): nothing evicted.
		expect(store.size('workflow')).toBe(900_000);
	});

	it('the previous ledger (200,000 entries shared by the workflow) forgot the oldest 100,000 of the same 300,000', async () => {
		const store = new ProcessedStore();
		const services = new Services();
		// The same three runs as the node recorded them before: the same list, in the same order (40 requests a call here).
		for (let run = 0; run < 3; run++) {
			for (const [destination, size] of [['ga4', 25], ['webhook', 100]] as const) {
				const old = previousLedger(store, NODES[destination].node.node.id);
				const runIds = ids(run * 50_000, (run + 1) * 50_000);
				for (let start = 0; start < runIds.length; start += size * 40) await old.record(runIds.slice(start, start + size * 40).map((id) => versionKey(destination, id)));
			}
		}
		expect(store.size('workflow')).toBe(200_000);
		for (const destination of ['ga4', 'webhook'] as const) {
			const rerun = await push(destination, deals(0, 150_000), store, services);
			// The first run's 50,000 of each destination were evicted: sent again (GA4 and Metrica count them twice).
			expect(statuses(rerun)).toEqual({ sent: 50_000, alreadySent: 100_000 });
			expect(services.count(destination, ids(0, 50_000))).toBe(50_000);
			expect(services.count(destination, ids(50_000, 150_000))).toBe(0);
		}
	});

	it('honours an old-format ledger: versions the previous node recorded are not sent again, and stay sent', async () => {
		const store = new ProcessedStore();
		const services = new Services();
		await previousLedger(store, NODES.ga4.node.node.id).record(ids(0, 1000).map((id) => versionKey('ga4', id)));
		await previousLedger(store, NODES.webhook.node.node.id).record(ids(0, 500).map((id) => versionKey('webhook', id)));
		expect(statuses(await push('ga4', deals(0, 1500), store, services))).toEqual({ alreadySent: 1000, sent: 500 });
		expect(statuses(await push('webhook', deals(0, 1500), store, services))).toEqual({ alreadySent: 500, sent: 1000 });
		expect(services.count('ga4', ids(0, 1000)) + services.count('webhook', ids(0, 500))).toBe(0);
		// The old versions are now in the new format too: a third look still finds every one.
		expect(ids(0, 1000).every((id) => store.has(sentEntry(versionKey('ga4', id))))).toBe(true);
		expect(statuses(await push('ga4', deals(0, 1500), store, services))).toEqual({ alreadySent: 1500 });
		expect(statuses(await push('webhook', deals(0, 1500), store, services))).toEqual({ alreadySent: 1500 });
		expect(services.total()).toBe(1500);
		expect(services.twice()).toBe(0);
	});

	it('a run killed after 500 GA4 requests (12,500 purchases, two journal merges), then reruns: nothing delivered is sent again', async () => {
		const store = new ProcessedStore();
		const services = new Services();
		services.answerFirst = 500;
		expect(await push('ga4', deals(0, 20_000), store, services)).toBeUndefined();
		expect(services.total()).toBe(12_500);
		// 10,000 merged into the ledger, 2,500 in the journal the kill left.
		expect(JOURNAL_LIMIT).toBe(5_000);
		expect(store.size('node', NODES.ga4.node.node.id)).toBe(2_500);
		services.answerFirst = Infinity;
		// The next run carries only the first 11,000 deals: 1,500 of the journal's are not among them and it is kept.
		expect(statuses(await push('ga4', deals(0, 11_000), store, services))).toEqual({ alreadySent: 11_000 });
		expect(store.size('node', NODES.ga4.node.node.id)).toBe(1_500);
		expect(statuses(await push('ga4', deals(0, 20_000), store, services))).toEqual({ alreadySent: 12_500, sent: 7_500 });
		expect(store.size('node', NODES.ga4.node.node.id)).toBe(0);
		expect(statuses(await push('ga4', deals(0, 20_000), store, services))).toEqual({ alreadySent: 20_000 });
		expect(services.total()).toBe(20_000);
		expect(services.twice()).toBe(0);
	});

	it('a request that failed is sent by the next run, once, and its look taken back; a validation run leaves the ledger as it was', async () => {
		const store = new ProcessedStore();
		const services = new Services();
		services.failing = 1;
		expect(statuses(await push('webhook', deals(0, 300), store, services))).toEqual({ failed: 100, sent: 200 });
		// The look (2 entries a deal), the merge of the 200 sent, and the look at the 100 failed taken back at the end.
		expect(store.costs('workflow')).toMatchObject({ rowsWritten: 3 });
		expect(store.size('workflow')).toBe(200 * 3);
		store.resetCosts();
		expect(statuses(await push('webhook', deals(0, 300), store, services))).toEqual({ alreadySent: 200, sent: 100 });
		// The look, the seen-before check of the 200, the merge of the 100: nothing to take back.
		expect(store.costs('workflow')).toMatchObject({ rowsWritten: 3 });
		expect(store.size('workflow')).toBe(300 * 3);
		expect(statuses(await push('webhook', deals(0, 300), store, services))).toEqual({ alreadySent: 300 });
		expect(services.count('webhook', ids(0, 300))).toBe(300);
		expect(services.twice()).toBe(0);

		const before = store.size('workflow');
		const validated = await push('ga4', deals(0, 50), store, services, { validateOnly: true });
		expect(statuses(validated)).toEqual({ validated: 50 });
		expect(store.size('workflow')).toBe(before);
		expect(statuses(await push('ga4', deals(0, 50), store, services))).toEqual({ sent: 50 });
	});
});

/** The revenue version of a deal of deals(): destination, order, kind, cents, currency. */
function versionKey(destination: Destination, id: string): string {
	return `${destination}:${id}:purchase:${(100 + (Number(id) % 900)) * 100}:RUB`;
}
