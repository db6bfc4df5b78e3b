import { spawnSync } from 'child_process';
import { readFileSync, rmSync, writeFileSync } from 'fs';
import { performance } from 'perf_hooks';
import { FeedServer } from '../helpers/feedServer';
import { packPack, RealN8n, template, templateWithFeed, unflatten } from '../e2e/realN8n';
import { FEED_LOGIN, lastNodeOutput, pipelineCredentials } from '../e2e/setups';
import { memoryMb, n8nMainPid, ProcessWatch } from '../load/n8nProbe';
import { QueueN8n } from '../queue/queueN8n';
import { copyInto, copyLine, dataTableRow, payloadOf, postgresRow, TOUCH_COLUMNS, touchOf, type ShopYear, type TouchSpec } from './shopYear';

/**
 * The scale runs of a generated shop year (shopYear.ts) in real n8n, for the scale benchmark (scaleBench.ts) and its
 * small CI copy (test/queue/scale.e2e.test.ts): the Postgres templates in queue mode (main + 2 workers) and the Data
 * Table templates in a plain `n8n start`. Each stores the year's touches in bulk (rows as the intake writes them,
 * checked against rows the intake wrote), runs the order sync through its webhook with the feed of every order, then
 * with the feed of the new and changed ones, and measures each run: time from the webhook call to its answer, peak
 * resident memory of every n8n process.
 */

/** The pushes are off in these copies of the templates: the runs measure storage and matching, not the services. */
const PUSHES = ['Push Revenue to GA4', 'Push Revenue to amoCRM', 'Push Revenue to Metrica', 'Push Revenue to Google Ads', 'Cancelled Deals', 'Retract Refunds in Google Ads'];
/** The report period each sync answers with: December, the month of the new orders. */
const PERIOD = { periodStart: '2026-12-01', periodEnd: '2026-12-31' };
const FEED_PATH = '/orders.xml';

type Workflow = { nodes: Array<{ name: string; parameters: Record<string, unknown>; disabled?: boolean }> };

/** An order sync template pointed at the feed server, its pushes disabled. */
function orderSync(file: string, feedUrl: string): Workflow {
	const workflow = templateWithFeed(file, feedUrl) as Workflow;
	for (const name of PUSHES) {
		const node = workflow.nodes.find((candidate) => candidate.name === name);
		if (!node) throw new Error(`${file} has no "${name}" node`);
		node.disabled = true;
	}
	return workflow;
}

/** One process's peak resident memory over a run, MB. */
export interface ProcessPeak {
	process: string;
	mb: number;
	/** Where the peak was: the process's resident memory when the run began, its own high-water mark, and its group's (with the task runner) largest sample. */
	detail?: string;
}

export interface SyncFigures {
	/** Webhook call to its answer (to the execution's end when the answer did not come in the client's 280 s). */
	seconds: number;
	httpStatus: number;
	status: string;
	peaks: ProcessPeak[];
	/** Every process's peak added up, and the largest. */
	sumMb: number;
	maxMb: number;
}

/**
 * Peak resident memory of n8n processes over a stretch: each process's high-water mark is reset first (Linux'
 * clear_refs 5), so VmHWM then is this stretch's peak; ProcessWatch samples its process group (the task runner with
 * it) once a second beside. The larger of the two counts.
 */
class PeakWatch {
	private readonly watches: Array<{ process: string; watch: ProcessWatch; startMb: number }>;

	constructor(pids: Array<{ process: string; pid: number }>) {
		this.watches = pids.map(({ process, pid }) => {
			writeFileSync(`/proc/${pid}/clear_refs`, '5');
			return { process, watch: new ProcessWatch(pid), startMb: memoryMb(pid, 'VmRSS') };
		});
		for (const { watch } of this.watches) watch.start();
	}

	stop(): ProcessPeak[] {
		return this.watches.map(({ process, watch, startMb }) => {
			const { main, group } = watch.stop().peakRssMb;
			return { process, mb: Math.max(main, group), detail: `${process}: ${startMb.toFixed(0)} MB at the start, own peak ${main.toFixed(0)}, with its task runner ${group.toFixed(0)}` };
		});
	}
}

function pidOf(n8n: RealN8n, command: 'start' | 'worker'): number {
	const pid = n8nMainPid(n8n.userFolder, command);
	if (pid === null) throw new Error(`no n8n ${command} process runs from ${n8n.userFolder}`);
	return pid;
}

/** What a shop run has in common: the feed server, one timed sync through the webhook. */
abstract class ShopRun {
	protected readonly feed = new FeedServer(FEED_LOGIN.user, FEED_LOGIN.password);
	/** Syncs run so far (the executions to wait for). */
	private runs = 0;
	protected abstract readonly workflowId: string;
	protected abstract readonly path: string;

	constructor(
		readonly shop: ShopYear,
		protected readonly log: (line: string) => void,
	) {}

	protected abstract get main(): RealN8n;
	protected abstract processes(): Array<{ process: string; pid: number }>;

	/** Each n8n process's resident memory now, MB. */
	resident(): string {
		return this.processes().map(({ process, pid }) => `${process} ${memoryMb(pid, 'VmRSS').toFixed(0)}`).join(', ');
	}

	/** The feed the next sync reads. */
	serve(parts: Iterable<string>): number {
		const xml = Buffer.from([...parts].join(''));
		this.feed.feeds.set(FEED_PATH, xml);
		return xml.length;
	}

	/** Runs the order sync through its webhook and measures it. */
	async sync(label: string): Promise<SyncFigures> {
		this.runs++;
		const watch = new PeakWatch(this.processes());
		const started = performance.now();
		const answer = await this.main.callWebhook(this.path, PERIOD).catch((error: Error) => ({ status: 0, body: error.message }));
		const answered = performance.now();
		await this.main.waitForExecutions(this.workflowId, this.runs, 4 * 3_600_000);
		const seconds = ((answer.status === 0 ? performance.now() : answered) - started) / 1000;
		const peaks = watch.stop();
		const status = this.main.executions(this.workflowId)[0]?.status ?? 'none';
		const figures = { seconds, httpStatus: answer.status, status, peaks, sumMb: peaks.reduce((sum, peak) => sum + peak.mb, 0), maxMb: Math.max(...peaks.map((peak) => peak.mb)) };
		this.log(`${label}: ${seconds.toFixed(1)} s, answer ${answer.status}${answer.status === 200 ? '' : ` ${answer.body.slice(0, 300)}`}, execution ${status}, peak RSS ${peaks.map((peak) => `${peak.process} ${peak.mb.toFixed(0)}`).join(', ')} MB`);
		this.log(`${label}: ${peaks.map((peak) => peak.detail).join('; ')}`);
		if (status !== 'success') this.log(`${label} failed: ${this.lastError()}`);
		return figures;
	}

	/** What n8n stored of the last sync's execution, as text (n8n's flatted serialisation). */
	protected abstract lastExecutionData(): string;

	/** Why the last sync's execution failed: the node it stopped at and n8n's message, as stored. */
	lastError(): string {
		const data = unflatten(this.lastExecutionData()) as { resultData: { error?: { message?: string; description?: string; stack?: string }; lastNodeExecuted?: string } };
		const error = data.resultData.error;
		return `at "${data.resultData.lastNodeExecuted ?? '?'}": ${error?.message ?? 'no error stored'}${error?.description ? ` (${error.description})` : ''}${error?.stack ? `\n${error.stack.slice(0, 1500)}` : ''}`;
	}

	/** The last sync's slowest nodes: name and seconds (n8n's executionTime per node run), slowest first. */
	slowestNodes(count: number): Array<[node: string, seconds: number]> {
		const data = unflatten(this.lastExecutionData()) as { resultData: { runData: Record<string, Array<{ executionTime?: number }>> } };
		return Object.entries(data.resultData.runData)
			.map(([node, runs]): [string, number] => [node, runs.reduce((sum, run) => sum + (run.executionTime ?? 0), 0) / 1000])
			.sort((a, b) => b[1] - a[1])
			.slice(0, count);
	}
}

/** The Postgres templates (touch-intake-postgres.json, order-sync-postgres.json) in queue mode: main + 2 workers. */
export class PostgresShop extends ShopRun {
	protected readonly workflowId = 'saOrderSyncPg';
	protected readonly path = 'order-sync-pg';
	readonly queue: QueueN8n;

	constructor(shop: ShopYear, log: (line: string) => void, tarball = packPack(), env: NodeJS.ProcessEnv = {}) {
		super(shop, log);
		this.queue = new QueueN8n(tarball, 2, env);
	}

	protected get main(): RealN8n {
		return this.queue.main;
	}

	protected processes(): Array<{ process: string; pid: number }> {
		return [{ process: 'main', pid: pidOf(this.queue.main, 'start') }, ...this.queue.workers.map((worker, i) => ({ process: `worker ${i + 1}`, pid: pidOf(worker, 'worker') }))];
	}

	async start(): Promise<void> {
		await this.feed.start();
		await this.queue.prepare();
		const db = this.queue.db;
		this.main.importCredentials([
			{ id: 'saPostgres', name: 'Sales analytics Postgres', type: 'postgres', data: { host: '127.0.0.1', port: db.port, database: db.database, user: db.user, password: '', ssl: 'disable', allowUnauthorizedCerts: false, maxConnections: 20 } },
			...pipelineCredentials({ ga4: 'http://127.0.0.1:9/ga4', amo: 'http://127.0.0.1:9/amo', metrica: 'http://127.0.0.1:9/metrica' }, 'G-SCALE1234'),
		]);
		this.main.importWorkflow(template('touch-intake-postgres.json'));
		this.main.importWorkflow(orderSync('order-sync-postgres.json', this.feed.url(FEED_PATH)));
		this.main.publish('saTouchIntakePg');
		this.main.publish(this.workflowId);
		await this.queue.start();
	}

	/**
	 * Posts the first touch of each kind through the intake webhook, and returns, per touch, the row the intake wrote
	 * and the row the bulk load writes for it, each as Postgres reads them back (stored_at left out).
	 */
	async intakeRows(specs: TouchSpec[]): Promise<Array<{ intake: string; bulk: string }>> {
		const answer = await this.main.callWebhook('touches-pg', specs.map(payloadOf));
		if (answer.status !== 200) throw new Error(`the intake answered ${answer.status}: ${answer.body.slice(0, 500)}`);
		await this.main.waitForExecutions('saTouchIntakePg', 1);
		const read = (table: string) => this.queue.db.psql(`select ${TOUCH_COLUMNS.join(', ')} from ${table} where touch_id in (${specs.map((spec) => `'${touchOf(spec).touchId as string}'`).join(', ')}) order by touch_id`).split('\n');
		const intake = read('sales_analytics.touches');
		this.queue.db.psql('create table sales_analytics.bulk_check (like sales_analytics.touches including defaults)');
		await copyInto(this.queue.db, 'sales_analytics.bulk_check', TOUCH_COLUMNS, specs.map((spec) => copyLine(postgresRow(touchOf(spec)))));
		const bulk = read('sales_analytics.bulk_check');
		this.queue.db.psql('drop table sales_analytics.bulk_check');
		return intake.map((row, i) => ({ intake: row, bulk: bulk[i] }));
	}

	/** Stores the year's touches with COPY (those already stored by the intake left out); returns the seconds it took. */
	async bulkLoad(skip: Set<string>): Promise<number> {
		const started = performance.now();
		const lines = (function* (specs: Iterable<TouchSpec>) {
			for (const spec of specs) {
				const touch = touchOf(spec);
				if (!skip.has(touch.touchId as string)) yield copyLine(postgresRow(touch));
			}
		})(this.shop.touches());
		await copyInto(this.queue.db, 'sales_analytics.touches', TOUCH_COLUMNS, lines);
		this.queue.db.psql('analyze sales_analytics.touches');
		return (performance.now() - started) / 1000;
	}

	count(table: 'touches' | 'deals' | 'credits'): number {
		return Number(this.queue.db.psql(`select count(*) from sales_analytics.${table}`));
	}

	analyzeDeals(): void {
		this.queue.db.psql('analyze sales_analytics.deals');
	}

	/** Stops main and workers and starts them again on the same Redis and Postgres (fresh processes, as after a deploy); how long they took to be ready, in seconds. */
	async restartN8n(): Promise<number> {
		const processes = [this.queue.main, ...this.queue.workers];
		for (const process of processes) await process.stop();
		// After a year stored, a restarted worker was not ready within the suites' 2 minutes (twice): how long it takes is a finding.
		for (const process of processes) process.readyTimeoutMs = 1_800_000;
		const started = performance.now();
		await this.queue.start();
		return (performance.now() - started) / 1000;
	}

	/** Every deal's touch ids, sorted, by order id. */
	dealTouches(): Map<string, string[]> {
		return new Map(this.queue.db.rows<{ order_id: string; touch_ids: string[] }>('select order_id, touch_ids from sales_analytics.deals').map((row) => [row.order_id, [...row.touch_ids].sort()]));
	}

	/** updated_at of every deal, by order id. */
	dealVersions(): Map<string, string> {
		return new Map(this.queue.db.rows<{ order_id: string; updated_at: string }>('select order_id, updated_at::text from sales_analytics.deals').map((row) => [row.order_id, row.updated_at]));
	}

	/** How many touches and stored orders the last sync's Load Touches and Load Stored Orders read (pages of up to 1,000 each). */
	lastKeyRead(): { touches: number; orders: number } {
		// lastNodeOutput reads nothing of the instance but its lastExecutionData(): here this run's.
		const read = (node: string, field: string) =>
			lastNodeOutput({ lastExecutionData: () => this.lastExecutionData() } as unknown as RealN8n, this.workflowId, node).reduce((sum, page) => sum + ((page[field] as unknown[] | undefined)?.length ?? 0), 0);
		return { touches: read('Load Touches', 'touches'), orders: read('Load Stored Orders', 'orders') };
	}

	protected lastExecutionData(): string {
		return this.queue.db.psql(`select d.data from execution_data d where d."executionId" = (select max(id) from execution_entity where "workflowId" = '${this.workflowId}')`);
	}

	async stop(): Promise<void> {
		await this.queue.stop();
		await this.feed.stop();
	}
}

/** The answer of one n8n REST or public API call, parsed. */
async function api(url: string, init: { method: string; headers: Record<string, string>; body?: unknown }): Promise<{ status: number; json: unknown; cookie: string }> {
	const res = await fetch(url, { method: init.method, headers: { 'content-type': 'application/json', ...init.headers }, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
	const text = await res.text();
	let json: unknown = text;
	try {
		json = JSON.parse(text);
	} catch {
		// not JSON: kept as text for the error message
	}
	return { status: res.status, json, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] };
}

/**
 * The Data Table templates (touch-intake.json, order-sync.json) in a plain `n8n start` with its own SQLite, the
 * default Data Table cap (200 MB), as a small shop runs them. Touches are stored through n8n's public API (POST
 * /api/v1/data-tables/{id}/rows, 1,000 rows a call): n8n's own bulk path for Data Table rows, with an API key of
 * the instance's owner; the intake webhook would store them one execution per delivery.
 */
export class DataTableShop extends ShopRun {
	protected readonly workflowId = 'saOrderSync';
	protected readonly path = 'order-sync';
	readonly n8n: RealN8n;
	/** The order sync run: a template of workflows/ (a path relative to it for another version, set before start()). */
	syncTemplate = 'order-sync.json';
	private apiKey = '';

	constructor(shop: ShopYear, log: (line: string) => void, tarball = packPack(), env: NodeJS.ProcessEnv = {}) {
		super(shop, log);
		this.n8n = new RealN8n(tarball, env);
	}

	protected get main(): RealN8n {
		return this.n8n;
	}

	protected processes(): Array<{ process: string; pid: number }> {
		return [{ process: 'main', pid: pidOf(this.n8n, 'start') }];
	}

	async start(): Promise<void> {
		await this.feed.start();
		this.n8n.importCredentials(pipelineCredentials({ ga4: 'http://127.0.0.1:9/ga4', amo: 'http://127.0.0.1:9/amo', metrica: 'http://127.0.0.1:9/metrica' }, 'G-SCALE1234'));
		this.n8n.importWorkflow(template('touch-intake.json'));
		this.n8n.importWorkflow(orderSync(this.syncTemplate, this.feed.url(FEED_PATH)));
		this.n8n.publish('saTouchIntake');
		this.n8n.publish(this.workflowId);
		await this.n8n.start();
		// The owner, then an API key with every scope the owner may give (the public API only takes keys).
		const base = `http://127.0.0.1:${this.n8n.port}`;
		const browser = { 'browser-id': 'scale-bench' };
		const owner = await api(`${base}/rest/owner/setup`, { method: 'POST', headers: browser, body: { email: 'owner@shop.example', firstName: 'Shop', lastName: 'Owner', password: 'Scale-bench-2026' } });
		if (owner.status !== 200) throw new Error(`owner set-up: ${owner.status} ${JSON.stringify(owner.json).slice(0, 500)}`);
		const session = { ...browser, cookie: owner.cookie };
		const scopes = await api(`${base}/rest/api-keys/scopes`, { method: 'GET', headers: session });
		const key = await api(`${base}/rest/api-keys`, { method: 'POST', headers: session, body: { label: 'scale bench', scopes: (scopes.json as { data: string[] }).data, expiresAt: null } });
		const raw = (key.json as { data?: { rawApiKey?: string } }).data?.rawApiKey;
		if (!raw) throw new Error(`API key: ${key.status} ${JSON.stringify(key.json).slice(0, 500)}`);
		this.apiKey = raw;
	}

	private async tableId(name: string): Promise<string> {
		const list = await api(`http://127.0.0.1:${this.n8n.port}/api/v1/data-tables?filter=${encodeURIComponent(JSON.stringify({ name }))}`, { method: 'GET', headers: { 'X-N8N-API-KEY': this.apiKey } });
		const found = (list.json as { data?: Array<{ id: string; name: string }> }).data?.find((table) => table.name === name);
		if (!found) throw new Error(`no Data Table "${name}": ${JSON.stringify(list.json).slice(0, 500)}`);
		return found.id;
	}

	/** Posts touches through the intake webhook; returns the rows it wrote and the rows the bulk load writes for them. */
	async intakeRows(specs: TouchSpec[]): Promise<Array<{ intake: Record<string, unknown>; bulk: Record<string, unknown> }>> {
		const answer = await this.n8n.callWebhook('touches', specs.map(payloadOf));
		if (answer.status !== 200) throw new Error(`the intake answered ${answer.status}: ${answer.body.slice(0, 500)}`);
		await this.n8n.waitForExecutions('saTouchIntake', 1);
		const columns = Object.keys(dataTableRow(touchOf(specs[0])));
		const stored = new Map(this.n8n.dataTableRows('touches').map((row) => [String(row.touchId), Object.fromEntries(columns.map((column) => [column, row[column]]))]));
		return specs.map((spec) => {
			const bulk = dataTableRow(touchOf(spec));
			return { intake: stored.get(bulk.touchId as string) ?? {}, bulk };
		});
	}

	/**
	 * Inserts touches through the public API, 1,000 rows a call, until they are all in or n8n refuses one call (its size
	 * cap); returns how many went in, the seconds it took, and the refusal if there was one.
	 */
	async bulkLoad(specs: Iterable<TouchSpec>, skip: Set<string>): Promise<{ rows: number; seconds: number; refused: string | null }> {
		const id = await this.tableId('touches');
		const started = performance.now();
		let rows = 0;
		let batch: Array<Record<string, string | null>> = [];
		const send = async (): Promise<string | null> => {
			const answer = await api(`http://127.0.0.1:${this.n8n.port}/api/v1/data-tables/${id}/rows`, { method: 'POST', headers: { 'X-N8N-API-KEY': this.apiKey }, body: { data: batch, returnType: 'count' } });
			if (answer.status !== 200) return `${answer.status} ${JSON.stringify(answer.json).slice(0, 300)}`;
			rows += batch.length;
			batch = [];
			return null;
		};
		for (const spec of specs) {
			const row = dataTableRow(touchOf(spec));
			if (skip.has(row.touchId as string)) continue;
			batch.push(row);
			if (batch.length < 1000) continue;
			const refused = await send();
			if (refused) return { rows, seconds: (performance.now() - started) / 1000, refused };
		}
		const refused = batch.length ? await send() : null;
		return { rows, seconds: (performance.now() - started) / 1000, refused };
	}

	/** Rows of a Data Table, counted in n8n's SQLite. */
	count(table: string): number {
		return Number(this.sqlite(`found = db.execute("select id from data_table where name = ?", (sys.argv[2],)).fetchone()\nprint(0 if found is None else db.execute('select count(*) from "data_table_user_' + found[0] + '"').fetchone()[0])`, table));
	}

	/** What all Data Tables take against the cap: their SQLite pages, by n8n 2.40.7's own size query (see dataTableCap.e2e.test.ts). */
	bytes(): number {
		return Number(
			this.sqlite(`print(db.execute("""
WITH data_table_names(name) AS (SELECT name FROM sqlite_schema WHERE type = 'table' AND name GLOB 'data_table_user_*')
SELECT coalesce(sum((SELECT sum(pgsize) FROM dbstat WHERE name = t.name)), 0) FROM data_table_names AS t""").fetchone()[0])`),
		);
	}

	private sqlite(script: string, ...args: string[]): string {
		const file = `${this.n8n.userFolder}/.n8n/database.sqlite`;
		// Up to 1 GB of output: the default 1 MB held no more than a few thousand deal rows.
		const run = spawnSync('python3', ['-c', `import sqlite3, sys\ndb = sqlite3.connect(sys.argv[1], timeout=60)\n${script}`, file, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
		if (run.status !== 0) throw new Error(run.stderr);
		return run.stdout.trim();
	}

	/** Every deals row: its order id, the order's raw status and the ids of its touches, sorted (the template writes them anew each run and then drops the old ones). */
	dealRows(): Array<{ orderId: string; status: string; touchIds: string[] }> {
		return JSON.parse(
			this.sqlite(`import json
found = db.execute("select id from data_table where name = 'deals'").fetchone()
rows = [] if found is None else [(r[0], json.loads(r[1])) for r in db.execute('select "orderId", deal from "data_table_user_' + found[0] + '"')]
print(json.dumps([{"orderId": id, "status": deal.get("status"), "touchIds": sorted(t["touchId"] for t in (deal.get("touches") or []))} for id, deal in rows]))`),
		) as Array<{ orderId: string; status: string; touchIds: string[] }>;
	}

	protected lastExecutionData(): string {
		return this.n8n.lastExecutionData(this.workflowId);
	}

	async stop(): Promise<void> {
		await this.n8n.stop();
		await this.feed.stop();
		rmSync(this.n8n.userFolder, { recursive: true, force: true });
	}
}

/** The first touch of each kind: the ones a scale run posts through the intake to check the bulk rows against. */
export function firstOfEachKind(specs: Iterable<TouchSpec>): TouchSpec[] {
	const first = new Map<string, TouchSpec>();
	for (const spec of specs) {
		if (!first.has(spec.kind)) first.set(spec.kind, spec);
		if (first.size === 3) break;
	}
	return [...first.values()];
}

/** The load average of the machine (1, 5 and 15 minutes), to print beside timings on a shared machine. */
export function loadAverage(): string {
	return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}
