/**
 * A year of a mid-size shop in real n8n (issue 18, item 4): the year's touches stored in bulk, then the order sync
 * through its webhook, (b) with the feed of every order of the year and (a) with a feed of the new and changed ones.
 * - Postgres (order-sync-postgres.json) in queue mode, main + 2 workers as `npm run test:queue` starts them: at a
 *   tenth of the history and at the full size, one after the other, each in its own fresh n8n, Redis and Postgres;
 *   (a)'s time and peak memory against the targets (<= 60 s, <= 2 GB), and the full size's (a) against the tenth's
 *   (<= 1.5x for 10x the history); after (a), exactly the new and changed orders' deals changed.
 * - Data Tables (order-sync.json) in a plain `n8n start` (its SQLite, the default 200 MB cap), at --dt-touches: the
 *   Data Table template imports every order and rewrites every deal each run, so its (a) reads the feed of every
 *   order with the changes in it; then touches are added until n8n refuses them: the ceiling with the year's deals in.
 * Touches go in as rows exactly as the intake templates write them (checked against rows the intake wrote): COPY
 * through psql for Postgres, n8n's public Data Table API for Data Tables (see scaleRuns.ts). The machine is shared:
 * the load average is printed beside the figures. Needs `npm run build`, the pinned n8n (scripts/install-n8n.sh), and
 * Postgres and Redis (scripts/install-queue-env.sh).
 * Usage: ts-node test/bench/scaleBench.ts [--touches 1000000] [--orders 100000] [--changed 1000]
 *        [--storage postgres|datatable|both] [--dt-touches 200000] [--store-in 100000]
 *        [--dt-template order-sync.json] [--no-fill] [--restart-before-a] [--same-pace]
 * (--dt-template: the Data Table order sync to run, a path relative to workflows/, e.g. an earlier version saved with
 * `git show REV:workflows/order-sync.json > .tmp/order-sync-REV.json` and given as ../.tmp/order-sync-REV.json;
 * --no-fill: leave out filling the Data Tables to the cap after the syncs; --restart-before-a: Postgres's (a) on a
 * main and workers started again after (b), whose heap a worker keeps for a while, with n8n's simple crash recovery
 * (see postgresYear); --same-pace: the tenth is the year's last 36.5 days at the year's pace, so that 10x the history
 * is 10x as long, not 10x as dense: the report's month then holds the same deals at both sizes.)
 */
import { cpus, totalmem } from 'os';
import { packPack } from '../e2e/realN8n';
import { printFigures, type Figure } from './figures';
import { DataTableShop, firstOfEachKind, loadAverage, PostgresShop, type SyncFigures } from './scaleRuns';
import { checkWithParser, ShopYear, touchOf, type ShopSize } from './shopYear';

function argument(name: string, fallback: number): number {
	const at = process.argv.indexOf(`--${name}`);
	const value = at > 0 ? Number(process.argv[at + 1]) : fallback;
	if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a whole number of at least 1`);
	return value;
}

const TOUCHES = argument('touches', 1_000_000);
const ORDERS = argument('orders', 100_000);
const CHANGED = argument('changed', 1000);
const DT_TOUCHES = argument('dt-touches', 200_000);
const STORE_IN = argument('store-in', ORDERS);
const templateAt = process.argv.indexOf('--dt-template');
const DT_TEMPLATE = templateAt > 0 ? process.argv[templateAt + 1] : 'order-sync.json';
const FILL = !process.argv.includes('--no-fill');
const RESTART = process.argv.includes('--restart-before-a');
const SAME_PACE = process.argv.includes('--same-pace');
const storageAt = process.argv.indexOf('--storage');
const STORAGE = storageAt > 0 ? process.argv[storageAt + 1] : 'both';
if (!['postgres', 'datatable', 'both'].includes(STORAGE)) throw new Error('--storage takes postgres, datatable or both');

const TARGET_SECONDS = 60;
const TARGET_MB = 2048;
const TARGET_RATIO = 1.5;
const BENCH = 'year of a shop';
/** The nodes of the order sync on Postgres that compute the answer's report from the store (the period's deals and touches). */
const REPORT_NODES = ['Load Spend', 'Report Period', 'Period Deals', 'Restore Period Deals', 'Period Touches', 'Restore Period Touches', 'Period Report', 'Source Report'];

const figures: Figure[] = [];
let failed = false;
const rows: Array<[figure: string, value: string, target: string, ratio: string, result: string]> = [];
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)} load ${loadAverage()}] ${line}`);

function figure(name: string, value: number, unit: string, target: string, met: boolean, baseline: string | null = null, ratio: string | null = null): void {
	figures.push({ bench: BENCH, figure: name, value, unit, baseline, ratio, target, met });
	rows.push([name, `${value >= 100 ? value.toFixed(0) : value.toFixed(2)} ${unit}`, baseline ? `${baseline}; ${target}` : target, ratio ?? '', met ? 'MET' : 'MISSED']);
}

/** Where a sync's time went: its slowest nodes, from the execution n8n stored. */
function logSlowest(run: { slowestNodes(count: number): Array<[string, number]> }, what: string): void {
	try {
		log(`${what}'s slowest nodes: ${run.slowestNodes(6).map(([node, seconds]) => `${node} ${seconds.toFixed(1)} s`).join(', ')}`);
	} catch (error) {
		// At a million touches an execution's stored data can pass what one read of it holds (psql's output, a string).
		log(`${what}'s slowest nodes: not read (${(error as Error).message.slice(0, 160)})`);
	}
}

function sizeOf(size: ShopSize): string {
	return `${size.touches.toLocaleString('en')} touches, ${size.orders.toLocaleString('en')} orders${size.days === undefined ? '' : ` over ${size.days} days`}`;
}

function memory(sync: SyncFigures): string {
	return `sum ${sync.sumMb.toFixed(0)} MB, max ${sync.maxMb.toFixed(0)} MB (${sync.peaks.map((peak) => `${peak.process} ${peak.mb.toFixed(0)}`).join(', ')})`;
}

/** Deals whose touches are not exactly their order's own touches (the generator's links), sorted ids compared. */
function misLinked(deals: Map<string, string[]>, own: Map<string, string[]>): number {
	return [...deals].filter(([id, touches]) => JSON.stringify(touches) !== JSON.stringify(own.get(id))).length;
}

/** The orders whose deal row changed between two snapshots of updated_at (new rows included). */
function changedBetween(before: Map<string, string>, after: Map<string, string>): string[] {
	return [...after].filter(([id, at]) => before.get(id) !== at).map(([id]) => id).sort();
}

/**
 * (b): the order sync with the feed of every order of the year, or, with --store-in N below the year's orders, with
 * feeds of N orders each, one after the other (the same documents), as a shop whose full re-sync is too large for
 * one run stores its year: then the time is their sum and the memory the largest of any.
 */
async function storeTheYear(run: PostgresShop, shop: ShopYear, perSync: number): Promise<SyncFigures> {
	const syncs: SyncFigures[] = [];
	const feeds = [...shop.fullFeedIn(perSync)];
	for (const [k, feed] of feeds.entries()) {
		const feedBytes = run.serve(feed);
		const label = feeds.length === 1 ? '(b) full sync' : `(b) part ${k + 1} of ${feeds.length}`;
		log(`${label}: the feed of ${feeds.length === 1 ? 'every order' : `${perSync} orders`}, ${(feedBytes / 1e6).toFixed(0)} MB`);
		const sync = await run.sync(label);
		logSlowest(run, label);
		syncs.push(sync);
		if (sync.status !== 'success') break;
	}
	const peaks = syncs[0].peaks.map((peak, p) => ({ process: peak.process, mb: Math.max(...syncs.map((sync) => sync.peaks[p].mb)) }));
	return {
		seconds: syncs.reduce((sum, sync) => sum + sync.seconds, 0),
		httpStatus: syncs[syncs.length - 1].httpStatus,
		status: syncs.every((sync) => sync.status === 'success') ? 'success' : syncs[syncs.length - 1].status,
		peaks,
		sumMb: Math.max(...syncs.map((sync) => sync.sumMb)),
		maxMb: Math.max(...syncs.map((sync) => sync.maxMb)),
	};
}

interface PostgresResult {
	size: ShopSize;
	full: SyncFigures;
	incremental: SyncFigures;
}

/** One shop year on Postgres in queue mode: bulk load, (b), (a); every check logged, a failed one throws. */
async function postgresYear(size: ShopSize, tarball: string): Promise<PostgresResult> {
	log(`Postgres, queue mode (main + 2 workers): ${sizeOf(size)}, ${size.changed} new or changed`);
	const shop = new ShopYear(size);
	// A restarted worker's crash recovery (n8n's default, "extensive") reads again every execution its event log shows
	// as started and not finished: after the year's ten feeds that took 248 s and held 4 GB before the worker took a
	// job (measured). "simple" marks such executions crashed without reading them (only those still new or running).
	const run = new PostgresShop(shop, log, tarball, RESTART ? { N8N_EVENTBUS_RECOVERY_MODE: 'simple' } : {});
	try {
		await run.start();
		const probes = firstOfEachKind(shop.touches());
		const pairs = await run.intakeRows(probes);
		const differing = pairs.filter((pair) => pair.intake !== pair.bulk);
		if (differing.length) throw new Error(`bulk rows differ from the intake's: ${JSON.stringify(differing)}`);
		log(`a form, a call and a chat stored by the intake webhook: the bulk rows for them are the same, column by column`);
		const seconds = await run.bulkLoad(new Set(probes.map((spec) => touchOf(spec).touchId as string)));
		const stored = run.count('touches');
		if (stored !== size.touches) throw new Error(`${stored} touches stored, ${size.touches} generated`);
		log(`bulk load (COPY): ${stored} touches in ${seconds.toFixed(1)} s (${(stored / seconds).toFixed(0)} rows/s)`);
		figure(`Postgres bulk load, ${sizeOf(size)}`, stored / seconds, 'rows/s', 'stated', true);

		const full = await storeTheYear(run, shop, size.orders > STORE_IN ? STORE_IN : size.orders);
		// The deals written in bulk, analysed at once, as Postgres' autovacuum does within its minute: (a) follows (b) by
		// seconds here, a shop's next run by hours, and on an empty table's statistics the planner walks the deals by a
		// sequential scan per key ((a)'s stored orders took 4.0 s instead of under 0.3 s at 30,000 touches).
		run.analyzeDeals();
		const deals = run.count('deals');
		const credits = run.count('credits');
		const wrong = misLinked(run.dealTouches(), shop.ownTouches());
		log(`after (b): ${deals} deals (orders ${size.orders}), ${credits} credits; deals whose touches are not exactly their order's own: ${wrong}`);
		if (full.status !== 'success' || deals !== size.orders || credits === 0 || wrong > 0) throw new Error(`(b) did not store every order once: execution ${full.status}, ${deals} deals, ${credits} credits`);

		if (RESTART) {
			// A shop stores its year once and syncs twice a day after: (a) on processes that did not just run (b).
			const seconds = await run.restartN8n();
			log(`n8n restarted (main and workers) after (b), ready in ${seconds.toFixed(0)} s: (a) runs on fresh processes`);
			log(`resident memory after the restart: ${run.resident()} MB; 30 s later:`);
			await new Promise((resolve) => setTimeout(resolve, 30_000));
			log(`${run.resident()} MB`);
		}
		const before = run.dealVersions();
		run.serve(shop.changedFeed());
		const incremental = await run.sync('(a) incremental sync');
		logSlowest(run, '(a)');
		const changed = changedBetween(before, run.dealVersions());
		const expected = shop.changedIds().sort();
		const same = changed.length === expected.length && changed.every((id, i) => id === expected[i]);
		log(`after (a): ${changed.length} deals changed (expected exactly the ${expected.length} new and changed orders: ${same ? 'yes' : 'NO'}), ${run.count('deals')} deals`);
		if (incremental.status !== 'success' || !same) throw new Error(`(a) changed other deals than the feed's: execution ${incremental.status}, ${changed.length} changed`);
		const report = run.slowestNodes(Infinity).filter(([node]) => REPORT_NODES.includes(node)).reduce((sum, [, seconds]) => sum + seconds, 0);
		log(`(a)'s report of December (${REPORT_NODES.join(', ')}): ${report.toFixed(1)} s of its nodes' time; the month's stored deals and unlinked touches grow with the shop`);
		const read = run.lastKeyRead();
		const keyRead = shop.keyRead();
		log(`(a) read by key ${read.touches} touches and ${read.orders} stored orders (the generator's count of the run's customers' within its windows: ${keyRead.touches} and ${keyRead.orders}); the time range from the oldest order's lookback to the newest's grace holds ${shop.windowTouches()} of ${size.touches} touches`);
		if (read.touches !== keyRead.touches || read.orders !== keyRead.orders) throw new Error(`(a) read ${JSON.stringify(read)} by key, the generator says ${JSON.stringify(keyRead)}`);
		return { size, full, incremental };
	} finally {
		await run.stop();
	}
}

async function postgres(tarball: string): Promise<void> {
	const tenth: ShopSize = { touches: Math.round(TOUCHES / 10), orders: Math.round(ORDERS / 10), changed: CHANGED, ...(SAME_PACE ? { days: 36.5 } : {}) };
	const small = await postgresYear(tenth, tarball);
	const large = await postgresYear({ touches: TOUCHES, orders: ORDERS, changed: CHANGED }, tarball);
	const ratio = large.incremental.seconds / small.incremental.seconds;
	figure(`Postgres (a) incremental, ${CHANGED} orders, ${sizeOf(large.size)}: time`, large.incremental.seconds, 's', `<= ${TARGET_SECONDS} s`, large.incremental.seconds <= TARGET_SECONDS);
	figure(`Postgres (a) peak RSS, largest n8n process (main + 2 workers: ${large.incremental.sumMb.toFixed(0)} MB summed)`, large.incremental.maxMb, 'MB', `<= ${TARGET_MB} MB`, large.incremental.maxMb <= TARGET_MB);
	figure(`Postgres (a) at 10x the history`, ratio, 'x', `<= ${TARGET_RATIO}x`, ratio <= TARGET_RATIO, `(a) at ${sizeOf(small.size)} ${small.incremental.seconds.toFixed(1)} s`, `${ratio.toFixed(2)}x`);
	figure(`Postgres (b) ${STORE_IN < ORDERS ? `the year's ${ORDERS} orders in syncs of ${STORE_IN}` : `full sync, ${ORDERS} orders`}: time`, large.full.seconds, 's', 'stated', true);
	figure(`Postgres (b) peak RSS, largest n8n process (${large.full.sumMb.toFixed(0)} MB summed)`, large.full.maxMb, 'MB', 'stated', true);
	figure(`Postgres (b) at a tenth (${sizeOf(small.size)}): time`, small.full.seconds, 's', 'stated', true);
	log(`Postgres: (a) ${memory(large.incremental)}; (b) ${memory(large.full)}`);
}

async function dataTables(tarball: string): Promise<void> {
	const size: ShopSize = { touches: DT_TOUCHES, orders: Math.round(DT_TOUCHES / 10), changed: CHANGED };
	log(`Data Tables, plain n8n start (SQLite, default 200 MB cap), ${DT_TEMPLATE}: ${sizeOf(size)}, ${size.changed} new or changed`);
	const shop = new ShopYear(size);
	const run = new DataTableShop(shop, log, tarball);
	run.syncTemplate = DT_TEMPLATE;
	try {
		await run.start();
		const probes = firstOfEachKind(shop.touches());
		const pairs = await run.intakeRows(probes);
		const differing = pairs.filter((pair) => JSON.stringify(pair.intake) !== JSON.stringify(pair.bulk));
		if (differing.length) throw new Error(`bulk rows differ from the intake's: ${JSON.stringify(differing).slice(0, 3000)}`);
		log('a form, a call and a chat stored by the intake webhook: the bulk rows for them are the same, column by column');
		const loaded = await run.bulkLoad(shop.touches(), new Set(probes.map((spec) => touchOf(spec).touchId as string)));
		const stored = run.count('touches');
		log(`bulk load (public API): ${loaded.rows} rows in ${loaded.seconds.toFixed(1)} s${loaded.refused ? `, refused: ${loaded.refused}` : ''}; ${stored} touches, ${(run.bytes() / 1e6).toFixed(1)} MB of Data Tables`);
		figure(`Data Table bulk load (public API), ${sizeOf(size)}`, loaded.rows / loaded.seconds, 'rows/s', 'stated', loaded.refused === null);
		if (loaded.refused) throw new Error(`the cap refused the year's touches at ${stored}: lower --dt-touches`);

		run.serve(shop.fullFeed());
		const full = await run.sync('(b) full sync');
		logSlowest(run, '(b)');
		const dealRows = run.dealRows();
		const afterFull = dealRows.map((row) => row.orderId);
		const wrong = misLinked(new Map(dealRows.map((row) => [row.orderId, row.touchIds])), shop.ownTouches());
		log(`after (b): ${afterFull.length} deals rows, ${new Set(afterFull).size} orders (${size.orders} in the feed), ${run.count('credits')} credits; deals whose touches are not exactly their order's own: ${wrong}`);
		run.serve(shop.changedFeed(true));
		const incremental = await run.sync('(a) sync of every order with the new and changed ones');
		logSlowest(run, '(a)');
		const afterIncremental = run.dealRows().map((row) => row.orderId);
		const expectedOrders = size.orders + shop.newIndexes.length;
		const once = afterIncremental.length === expectedOrders && new Set(afterIncremental).size === expectedOrders;
		log(`after (a): ${afterIncremental.length} deals rows (every order once: ${once ? 'yes' : 'NO'}), ${run.count('credits')} credits, ${(run.bytes() / 1e6).toFixed(1)} MB of Data Tables`);
		figure(`Data Tables (b) full sync, ${sizeOf(size)}: time (${memory(full)})`, full.seconds, 's', 'stated', full.status === 'success');
		figure(`Data Tables (a) ${CHANGED} new or changed in a feed of every order: time (${memory(incremental)})`, incremental.seconds, 's', 'stated', incremental.status === 'success' && once);
		figure('Data Tables (a) peak RSS', incremental.maxMb, 'MB', `<= ${TARGET_MB} MB`, incremental.maxMb <= TARGET_MB);
		if (!FILL) return;

		// The ceiling: touches of people who never ordered, added until n8n refuses them, the year's deals and credits in.
		const more = new ShopYear({ touches: 2_000_000, orders: 1, changed: 0 });
		const extra = (function* () {
			for (const spec of more.touches()) yield { ...spec, serial: spec.serial + 10_000_000 };
		})();
		const filled = await run.bulkLoad(extra, new Set());
		const ceiling = run.count('touches');
		log(`to the cap: ${filled.rows} more touches in ${filled.seconds.toFixed(1)} s, then ${filled.refused ?? 'never refused'}; ${ceiling} touches with ${afterIncremental.length} deals and their credits, ${(run.bytes() / 1e6).toFixed(1)} MB`);
		figure(`Data Table ceiling: touches held beside ${afterIncremental.length} deals (default cap)`, ceiling, 'touches', 'stated', filled.refused !== null);
	} finally {
		await run.stop();
	}
}

async function main(): Promise<void> {
	log(`machine: ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}`);
	const started = Date.now();
	const shop = new ShopYear({ touches: TOUCHES, orders: ORDERS, changed: CHANGED });
	log(`generated touches checked against the Touchpoint parser: ${checkWithParser(shop.touches(), 5000)} (every 5,000th and the first of each kind), all the same`);
	const tarball = packPack();
	// A storage whose run fails (a process out of memory, a check) is reported as such; the other still runs.
	const attempt = async (name: string, run: (tarball: string) => Promise<void>) => {
		try {
			await run(tarball);
		} catch (error) {
			log(`${name} stopped: ${(error as Error).stack ?? error}`);
			failed = true;
			figure(`${name}: the run finished (${(error as Error).message.slice(0, 200)})`, 0, '', 'finishes', false);
		}
	};
	if (STORAGE !== 'datatable') await attempt('Postgres', postgres);
	if (STORAGE !== 'postgres') await attempt('Data Tables', dataTables);

	console.log(`\nA year of a shop: ${(Date.now() - started) / 60000 < 1 ? '' : `${((Date.now() - started) / 60000).toFixed(1)} min, `}load average at the end ${loadAverage()}`);
	console.log('| figure | value | baseline / target | ratio | result |\n|---|---:|---|---|---|');
	for (const row of rows) console.log(`| ${row.join(' | ')} |`);
	printFigures(figures);
	if (failed) process.exit(1);
}

main().catch((error: Error) => {
	console.error(error.stack ?? error.message);
	process.exit(1);
});
