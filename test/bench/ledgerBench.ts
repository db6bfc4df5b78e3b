/**
 * The Revenue Push ledger's cost: a GA4 run with 1,000 new won deals on top of 0, 30,000 and 300,000 versions
 * already sent, with the ledger of issue 15 (ledger.ts) and, in the same process as the baseline, the ledger before it
 * (the workflow's list, maxEntries 200,000, recorded request by request). In process, through pushRevenue with GA4's
 * requests answered at once by a fake send (no network: only the ledger and the planning cost time), over the
 * in-memory store of test/faults/processedStore.ts, which parses and writes each row whole as JSON as n8n 2.40.7's
 * database-backed store does; rows and bytes are what it read and wrote. Two inputs: only the 1,000 new deals, and
 * every deal (the order-sync template imports the whole feed each run).
 * The floor: n8n's store keeps a workflow's list in one row and reads, rebuilds and rewrites all of it on every call,
 * so any ledger kept there pays at least one such call per run, whose cost grows with the history; it is measured in
 * the same run (one look-and-record of the 1,000 new keys on the same row) and the run is given as a ratio to it.
 * Usage: ts-node test/bench/ledgerBench.ts [--sizes 0,30000,300000]
 */
import { StoreLedger } from '../../nodes/RevenuePush/ledger/ledger';
import { DEFAULT_GA4_OPTIONS } from '../../nodes/RevenuePush/destinations/ga4';
import { pushRevenue, type PushRun, type SentLedger } from '../../nodes/RevenuePush/pushRevenue';
import type { Deal } from '../../nodes/shared/contracts';
import { PREVIOUS_LEDGER, ProcessedStore, previousLedger, type StoreCosts } from '../faults/processedStore';
import { makeDeal, makeTouch } from '../helpers/standins/revenueDeals';
import { printFigures } from './figures';

const NODE = 'bench-ga4';
const NEW = 1000;
const PREVIOUS_KEPT = PREVIOUS_LEDGER.maxEntries ?? Infinity;
const sizesAt = process.argv.indexOf('--sizes');
const sizes = (sizesAt >= 0 ? process.argv[sizesAt + 1] : '0,30000,300000').split(',').map(Number);
const at = new Date(Date.now() - 3_600_000).toISOString();

/** Won deals from..to-1; 25 deals share a GA client id, so a GA4 request carries 25 purchases. */
function deals(from: number, to: number): Deal[] {
	return Array.from({ length: to - from }, (_, i) => {
		const n = from + i;
		return makeDeal({ orderId: String(n), number: String(n), updatedAt: at, total: 100 + (n % 900), items: [], touches: [makeTouch({ touchId: String(n), at, gaClientId: `${Math.floor(n / 25)}.1700000000` })] });
	});
}

function run(): PushRun {
	return {
		settings: { destination: 'ga4', ga4: { ...DEFAULT_GA4_OPTIONS, measurementId: 'G-BENCH1234', apiSecret: 'bench', endpoint: 'http://ga4.invalid', now: Date.now() } },
		mode: 'won',
		defaultCurrency: 'RUB',
		timeZone: 'Europe/Moscow',
		retry: { maxAttempts: 1, maxTotalMs: 1000 },
		secrets: [],
		send: async () => ({ status: 204, headers: {}, body: '' }),
		sleep: async () => undefined,
		now: () => Date.now(),
	};
}

interface Measured {
	ms: number;
	costs: StoreCosts;
	sent: number;
}

async function measure(store: ProcessedStore, ledger: SentLedger, input: Deal[]): Promise<Measured> {
	store.resetCosts();
	const started = performance.now();
	const outcomes = await pushRevenue(input, run(), ledger);
	return { ms: performance.now() - started, costs: store.costs(), sent: outcomes.filter((o) => o.status === 'sent').length };
}

/** A store holding `old` versions as each design leaves them. */
async function history(design: 'new' | 'previous', old: number): Promise<ProcessedStore> {
	const store = new ProcessedStore();
	if (old === 0) return store;
	if (design === 'new') {
		for (let start = 0; start < old; start += 50_000) await pushRevenue(deals(start, Math.min(old, start + 50_000)), run(), new StoreLedger(store.helpers(NODE)));
	} else {
		// What the previous node recorded, in its order (a call per 40 requests here: the same list).
		const ledger = previousLedger(store, NODE);
		for (let start = 0; start < old; start += 1000) {
			await ledger.record(deals(start, Math.min(old, start + 1000)).map((deal) => `ga4:${deal.orderId}:purchase:${(100 + (Number(deal.orderId) % 900)) * 100}:RUB`));
		}
	}
	return store;
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

async function main(): Promise<void> {
	console.log(`Revenue Push ledger: a GA4 run with ${NEW} new deals on top of N sent versions, in process (fake send, in-memory store with n8n's row costs), Node ${process.version}`);
	console.log('| design | input | N old | run, ms | in the store, ms | rows read / written | MB read / written | sent |\n|---|---|---:|---:|---:|---:|---:|---:|');
	// One run first, unmeasured, so that neither design pays for the JIT's warm-up.
	await measure(new ProcessedStore(), new StoreLedger(new ProcessedStore().helpers(NODE)), deals(0, NEW));
	const results = new Map<string, Measured>();
	for (const design of ['new', 'previous'] as const) {
		for (const old of sizes) {
			const past = await history(design, old);
			for (const input of ['new only', 'all'] as const) {
				if (design === 'previous' && input === 'all' && old > PREVIOUS_KEPT) {
					console.log(`| previous | all | ${old} | not run: its look takes back the ${old - PREVIOUS_KEPT + NEW} versions it does not hold, one scan of ${PREVIOUS_KEPT} entries each, and the ${old - PREVIOUS_KEPT} it evicted would be sent again | | | | |`);
					continue;
				}
				const store = past.copy();
				const ledger = design === 'new' ? new StoreLedger(store.helpers(NODE)) : previousLedger(store, NODE);
				const result = await measure(store, ledger, deals(input === 'all' ? 0 : old, old + NEW));
				results.set(`${design}/${input}/${old}`, result);
				const c = result.costs;
				console.log(`| ${design === 'new' ? 'issue 15 (journal + ledger)' : 'previous (maxEntries 200,000)'} | ${input} | ${old} | ${result.ms.toFixed(0)} | ${c.ms.toFixed(0)} | ${c.rowsRead} / ${c.rowsWritten} | ${mb(c.bytesRead)} / ${mb(c.bytesWritten)} | ${result.sent} |`);
			}
		}
	}
	const largest = Math.max(...sizes);
	const ratio = (design: string, input: string) => (results.get(`${design}/${input}/${largest}`)?.ms ?? NaN) / (results.get(`${design}/${input}/0`)?.ms ?? NaN);
	const storeRatio = (design: string, input: string) => (results.get(`${design}/${input}/${largest}`)?.costs.ms ?? NaN) / (results.get(`${design}/${input}/0`)?.costs.ms ?? NaN);
	for (const input of ['new only', 'all']) {
		console.log(`${largest} old / 0 old, input ${input}: run time issue 15 ${ratio('new', input).toFixed(1)}x, previous ${ratio('previous', input).toFixed(1)}x; store time issue 15 ${storeRatio('new', input).toFixed(1)}x, previous ${storeRatio('previous', input).toFixed(1)}x`);
	}
	// The floor at the largest history: one call on the ledger row, as any ledger in n8n's store makes at least once.
	const floorStore = (await history('new', largest)).copy();
	floorStore.resetCosts();
	await floorStore.helpers(NODE).checkProcessedAndRecord(deals(largest, largest + NEW).map((deal) => `floor:${deal.orderId}`), 'workflow', { mode: 'entries' });
	const floorMs = floorStore.costs().ms;
	const fresh = results.get(`new/new only/${largest}`);
	if (fresh) console.log(`floor at ${largest} old: one call on the ledger row ${floorMs.toFixed(0)} ms; the issue-15 run is ${(fresh.ms / floorMs).toFixed(1)}x the floor`);
	const before = results.get(`previous/new only/${largest}`);
	if (fresh && before) {
		printFigures([
			{
				bench: 'Revenue Push ledger',
				figure: `${NEW} new GA4 deals on ${largest} sent versions`,
				value: fresh.ms,
				unit: 'ms',
				baseline: `previous ${before.ms.toFixed(0)} ms; floor (one call on the row) ${floorMs.toFixed(0)} ms`,
				ratio: `${(before.ms / fresh.ms).toFixed(1)}x faster; ${(fresh.ms / floorMs).toFixed(1)}x the floor; ${ratio('new', 'new only').toFixed(1)}x its time on 0`,
				target: 'each version once; ledger rows touched a constant number of times per run',
				met: fresh.sent === NEW && fresh.costs.rowsWritten <= 2 + NEW / 25,
			},
		]);
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
