import { spawn, spawnSync, type ChildProcess } from 'child_process';
import { createHash } from 'crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { request } from 'http';
import { createServer } from 'net';
import { join, resolve } from 'path';

/**
 * A real n8n for the end-to-end suite: the pinned version from .cache/ (N8N_VERSION picks another line), a scratch
 * user folder, and this pack packed with `npm pack` and installed into `.n8n/nodes` the way n8n installs
 * community packages.
 */
export const ROOT = resolve(__dirname, '..', '..');
const pins = require(join(ROOT, 'test/e2e/n8n-version.json')) as { default: string };
export const N8N_VERSION = process.env.N8N_VERSION ?? pins.default;
const major = Number(N8N_VERSION.split('.')[0]);
const home = join(ROOT, '.cache', `n8n-${N8N_VERSION}`);
const nodeBinary = major >= 2 ? join(home, 'node_modules/.bin/node') : process.execPath;
const n8nBin = join(home, 'node_modules/n8n/bin/n8n');

/** The header every template webhook checks with n8n's Header Auth (the templates' "Webhook Auth" notes name it). */
export const WEBHOOK_TOKEN_HEADER = 'X-Webhook-Token';

/** The test secret of a Header Auth credential (by id): one of its own per credential, so no token opens another's webhook. */
export function webhookSecret(credentialId: string): string {
	return `${credentialId}-t0ken-${createHash('sha256').update(credentialId).digest('hex').slice(0, 16)}`;
}

export interface ExecutionRow {
	id: string;
	workflowId: string;
	status: string;
}

interface WorkflowNode {
	type: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}

export function packPack(): string {
	const out = join(ROOT, '.tmp');
	mkdirSync(out, { recursive: true });
	const packed = spawnSync('npm', ['pack', '--pack-destination', out, '--silent'], { cwd: ROOT, encoding: 'utf8' });
	if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
	return join(out, packed.stdout.trim().split('\n').pop() as string);
}

/** The ports freePort handed out in this process: the system may offer a port again once its probe closed it. */
const handedOut = new Set<number>();

/**
 * A loopback port nothing listens on, and that this process has not handed out before: two n8n workers started at
 * once each ask for their ports before either listens, and the system offered both the same one (a worker then
 * exited, "Port … is already in use", 2026-12-07 CI).
 */
export async function freePort(): Promise<number> {
	for (;;) {
		const port = await new Promise<number>((done, fail) => {
			const server = createServer();
			server.on('error', fail);
			server.listen(0, '127.0.0.1', () => {
				const address = server.address();
				server.close(() => done(typeof address === 'object' && address ? address.port : 0));
			});
		});
		if (!handedOut.has(port)) {
			handedOut.add(port);
			return port;
		}
	}
}

/** `n8n start` (the main instance, which also serves webhooks), or a queue-mode `n8n worker`. */
export type N8nCommand = 'start' | 'worker';

export class RealN8n {
	readonly userFolder: string;
	private process?: ChildProcess;
	/** The HTTP port: the editor and webhooks for `start`, the health endpoint for a worker. */
	port = 0;
	private brokerPort = 0;
	private command: N8nCommand = 'start';
	log = '';
	/** Header Auth credentials imported, by id: the header each checks. */
	private readonly headerAuth = new Map<string, Record<string, string>>();
	/** Per webhook path of the imported workflows: the header its Header Auth credential checks. */
	private readonly webhookAuth = new Map<string, Record<string, string>>();
	/** Workflows with an n8n Trigger that runs at every start (the templates set up their Data Tables so), and those published. */
	private readonly setUpAtStart = new Set<string>();
	private readonly published = new Set<string>();
	/** The executions those triggers ran: set-up, not what a test caused, so executions() leaves them out. */
	protected readonly setupExecutions = new Set<string>();
	private executionsBeforeStart: ExecutionRow[] = [];
	/** Imports and publishes not yet run (see flushImports), in the order asked, and credentials to import. */
	private readonly pending: Array<{ workflow?: object; publish?: string }> = [];
	private readonly pendingCredentials: object[] = [];
	/** start() waits for the set-up runs; off where other processes run them (queue mode's workers): call setUpDone() then. */
	awaitSetUpAtStart = true;
	/** How long start() waits for n8n's readiness endpoint. */
	readyTimeoutMs = 120000;

	/** `extraEnv` is added to (and overrides) the environment of every n8n process and CLI call of this instance. */
	constructor(tarball: string, private readonly extraEnv: NodeJS.ProcessEnv = {}) {
		if (!existsSync(n8nBin)) throw new Error(`n8n ${N8N_VERSION} is not installed: run scripts/install-n8n.sh ${N8N_VERSION}`);
		mkdirSync(join(ROOT, '.tmp'), { recursive: true });
		this.userFolder = mkdtempSync(join(ROOT, '.tmp', 'n8n-user-'));
		const nodesDir = join(this.userFolder, '.n8n', 'nodes');
		mkdirSync(nodesDir, { recursive: true });
		writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }));
		const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--legacy-peer-deps', '--loglevel=error', tarball], { cwd: nodesDir, encoding: 'utf8' });
		if (install.status !== 0) throw new Error(`installing the pack into n8n failed: ${install.stderr}`);
	}

	private env(): NodeJS.ProcessEnv {
		return {
			...process.env,
			PATH: `${join(home, 'node_modules/.bin')}:${process.env.PATH}`,
			N8N_USER_FOLDER: this.userFolder,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_LOG_LEVEL: 'warn',
			GENERIC_TIMEZONE: 'Europe/Moscow',
			NODE_ENV: 'production',
			N8N_RELEASE_TYPE: 'stable',
			...(major < 2 ? { N8N_EXPRESSION_ENGINE: 'legacy' } : {}),
			...(this.command === 'worker' ? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(this.port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' } : {}),
			...this.extraEnv,
		};
	}

	cli(...args: string[]): string {
		this.flushImports();
		return this.runCli(args);
	}

	private runCli(args: string[]): string {
		const run = spawnSync(nodeBinary, [n8nBin, ...args], { env: this.env(), encoding: 'utf8', maxBuffer: 1 << 28, timeout: 240000 });
		if (run.status !== 0) throw new Error(`n8n ${args.join(' ')} failed (${run.status}): ${run.stderr.slice(-2000)}\n${run.stdout.slice(-2000)}`);
		return run.stdout;
	}

	/**
	 * Imports a workflow. A webhook of it that authenticates with Header Auth gets its credential imported first when
	 * this instance has none by that id (header WEBHOOK_TOKEN_HEADER, secret webhookSecret(id)), as a user creates it
	 * before the template runs; callWebhook then sends that header to the webhook's path.
	 */
	importWorkflow(workflow: object): void {
		const { id, nodes = [] } = workflow as { id?: string; nodes?: WorkflowNode[] };
		if (id && nodes.some((node) => node.type === 'n8n-nodes-base.n8nTrigger' && (node.parameters.events as string[] | undefined)?.includes('init'))) this.setUpAtStart.add(id);
		for (const node of nodes) {
			const credential = node.credentials?.httpHeaderAuth;
			if (node.type !== 'n8n-nodes-base.webhook' || node.parameters.authentication !== 'headerAuth' || !credential) continue;
			if (!this.headerAuth.has(credential.id)) {
				this.importCredentials([{ id: credential.id, name: credential.name, type: 'httpHeaderAuth', data: { name: WEBHOOK_TOKEN_HEADER, value: webhookSecret(credential.id) } }]);
			}
			this.webhookAuth.set(String(node.parameters.path), this.headerAuth.get(credential.id) as Record<string, string>);
		}
		this.pending.push({ workflow });
		if (this.process?.exitCode === null) this.flushImports();
	}

	importCredentials(credentials: object[]): void {
		this.pendingCredentials.push(...credentials);
		if (this.process?.exitCode === null) this.flushImports();
		for (const credential of credentials as Array<{ id: string; type: string; data: { name?: string; value?: string } }>) {
			if (credential.type === 'httpHeaderAuth') this.headerAuth.set(credential.id, { [String(credential.data.name)]: String(credential.data.value) });
		}
	}

	/** The header a webhook path of an imported workflow checks (none when it does not authenticate). */
	webhookHeaders(path: string): Record<string, string> {
		return { ...this.webhookAuth.get(path) };
	}

	/** The secrets of every Header Auth credential imported: no answer and no stored execution may show them. */
	webhookSecrets(): string[] {
		return [...this.headerAuth.values()].flatMap((header) => Object.values(header));
	}

	/** Whether `text` is anywhere in n8n's SQLite database files, in plain text (credentials are stored encrypted). */
	databaseHolds(text: string): boolean {
		const needle = Buffer.from(text, 'utf8');
		return ['database.sqlite', 'database.sqlite-wal'].some((name) => {
			const file = join(this.userFolder, '.n8n', name);
			return existsSync(file) && readFileSync(file).includes(needle);
		});
	}

	publish(workflowId: string): void {
		this.published.add(workflowId);
		this.pending.push({ publish: workflowId });
		if (this.process?.exitCode === null) this.flushImports();
	}

	/**
	 * Runs the imports and publishes asked for so far, in their order, with the fewest CLI calls (each loads n8n, about
	 * 4 s here): every credential in one import (credentials depend on nothing), consecutive workflows in one import.
	 */
	private flushImports(): void {
		const write = (kind: string, items: object[]): string => {
			const file = join(this.userFolder, `${kind}-${Date.now()}-${this.pending.length}.json`);
			writeFileSync(file, JSON.stringify(items));
			return `--input=${file}`;
		};
		if (this.pendingCredentials.length) this.runCli(['import:credentials', write('credentials', this.pendingCredentials.splice(0))]);
		const ops = this.pending.splice(0);
		for (let i = 0; i < ops.length; i++) {
			const { publish } = ops[i];
			if (publish !== undefined) {
				this.runCli(major >= 2 ? ['publish:workflow', `--id=${publish}`] : ['update:workflow', `--id=${publish}`, '--active=true']);
				continue;
			}
			const workflows: object[] = [];
			for (; i < ops.length && ops[i].workflow; i++) workflows.push(ops[i].workflow as object);
			i--;
			this.runCli(['import:workflow', write('workflows', workflows)]);
		}
	}

	/** Starts `n8n start` (or a worker) and waits until its readiness endpoint answers. */
	async start(command: N8nCommand = 'start'): Promise<void> {
		this.command = command;
		this.flushImports();
		this.executionsBeforeStart = command === 'start' ? this.executionRows() : [];
		this.port = await freePort();
		this.brokerPort = await freePort();
		// Its own process group, so kill() takes its task runner down with it, as a crashed machine would.
		const child = spawn(nodeBinary, [n8nBin, command], { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		this.process = child;
		child.stdout?.on('data', (d: Buffer) => (this.log += d.toString()));
		child.stderr?.on('data', (d: Buffer) => (this.log += d.toString()));
		const deadline = Date.now() + this.readyTimeoutMs;
		for (;;) {
			if (child.exitCode !== null) throw new Error(`n8n ${command} exited: ${this.log.slice(-3000)}`);
			if (Date.now() > deadline) throw new Error(`n8n ${command} did not become ready: ${this.log.slice(-3000)}`);
			const ready = await fetch(`http://127.0.0.1:${this.port}/healthz/readiness`).then(
				(res) => res.ok,
				() => false, // not listening yet
			);
			if (ready) break;
			await new Promise((r) => setTimeout(r, 500));
		}
		if (this.awaitSetUpAtStart) await this.setUpDone(deadline);
	}

	/**
	 * Waits until every published workflow that sets itself up at start (its n8n Trigger on "Instance Started") has
	 * run that set-up once more than before this start, and remembers those executions as set-up.
	 */
	async setUpDone(deadline = Date.now() + 120000): Promise<void> {
		const expected = [...this.setUpAtStart].filter((id) => this.published.has(id));
		if (this.command !== 'start' || expected.length === 0) return;
		const known = new Set(this.executionsBeforeStart.map((row) => row.id));
		for (;;) {
			const fresh = this.executionRows().filter((row) => !known.has(row.id) && expected.includes(row.workflowId));
			const failed = fresh.find((row) => row.status === 'error' || row.status === 'crashed');
			if (failed) throw new Error(`${failed.workflowId}'s set-up at start failed: ${this.lastExecutionData(failed.workflowId).slice(0, 2000)}`);
			const done = fresh.filter((row) => row.status === 'success');
			if (expected.every((id) => done.some((row) => row.workflowId === id))) {
				for (const row of done) this.setupExecutions.add(row.id);
				return;
			}
			if (Date.now() > deadline) throw new Error(`the set-up at start of ${expected.join(', ')} did not finish in time: ${this.log.slice(-2000)}`);
			await new Promise((r) => setTimeout(r, 300));
		}
	}

	/** Every execution n8n stored: id, workflow, status, oldest first. */
	protected executionRows(): ExecutionRow[] {
		const db = join(this.userFolder, '.n8n', 'database.sqlite');
		if (!existsSync(db)) return [];
		const script = `
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(json.dumps([{"id": str(r[0]), "workflowId": r[1], "status": r[2]} for r in db.execute("select id, workflowId, status from execution_entity order by id")]))
`;
		const run = spawnSync('python3', ['-c', script, db], { encoding: 'utf8', maxBuffer: 1 << 28 });
		if (run.status !== 0) throw new Error(run.stderr);
		return JSON.parse(run.stdout) as ExecutionRow[];
	}

	async stop(): Promise<void> {
		const child = this.process;
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		await new Promise<void>((done) => {
			const kill = setTimeout(() => child.kill('SIGKILL'), 20000);
			child.once('exit', () => {
				clearTimeout(kill);
				done();
			});
			child.kill('SIGTERM');
		});
	}

	/** Kills n8n and its task runner at once (SIGKILL): no shutdown, whatever was running stops dead. */
	async kill(): Promise<void> {
		const child = this.process;
		if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise<void>((done) => child.once('exit', () => done()));
		process.kill(-child.pid, 'SIGKILL');
		await exited;
	}

	/**
	 * POSTs to a production webhook (an object goes as JSON, a string as form-encoded unless `contentType` says
	 * otherwise) with `headers`, by default the header the webhook's credential checks (see importWorkflow); pass
	 * `{}` to send none. Right after start n8n may not have registered it yet, so 404 is retried briefly.
	 */
	async callWebhook(path: string, payload?: object | string, contentType?: string, headers: Record<string, string> = this.webhookHeaders(path)): Promise<{ status: number; body: string }> {
		const deadline = Date.now() + 60000;
		const sent = payload === undefined ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload);
		const type = contentType ?? (typeof payload === 'string' ? 'application/x-www-form-urlencoded' : 'application/json');
		const sentHeaders = sent === undefined ? headers : { 'content-type': type, ...headers };
		for (;;) {
			const res = await postOnce(`http://127.0.0.1:${this.port}/webhook/${path}`, sent, sentHeaders);
			if (res.status !== 404 || Date.now() > deadline) return res;
			await new Promise((r) => setTimeout(r, 500));
		}
	}

	/** Rows of a Data Table by its name, read from n8n's own SQLite database. */
	dataTableRows(name: string): Array<Record<string, unknown>> {
		const script = `
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.row_factory = sqlite3.Row
found = db.execute("select id from data_table where name = ?", (sys.argv[2],)).fetchone()
rows = [] if found is None else [dict(r) for r in db.execute('select * from "data_table_user_' + found["id"] + '" order by id')]
print(json.dumps(rows, ensure_ascii=False))
`;
		const db = join(this.userFolder, '.n8n', 'database.sqlite');
		const run = spawnSync('python3', ['-c', script, db, name], { encoding: 'utf8', maxBuffer: 1 << 28 });
		if (run.status !== 0) throw new Error(`reading the data table failed: ${run.stderr}`);
		return JSON.parse(run.stdout) as Array<Record<string, unknown>>;
	}

	/**
	 * Changes a Data Table's SQLite table behind n8n's back (`{table}` in `statement` is its name), as a broken or full
	 * disk would: n8n keeps its own list of the columns, so taking one out makes its writes to the table fail.
	 */
	alterDataTable(name: string, statement: string): void {
		const script = `
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=60)
found = db.execute("select id from data_table where name = ?", (sys.argv[2],)).fetchone()
if found is None: sys.exit("no data table " + sys.argv[2])
db.execute(sys.argv[3].replace("{table}", '"data_table_user_' + found[0] + '"'))
db.commit()
`;
		const run = spawnSync('python3', ['-c', script, join(this.userFolder, '.n8n', 'database.sqlite'), name, statement], { encoding: 'utf8' });
		if (run.status !== 0) throw new Error(`changing the data table ${name} failed: ${run.stderr}`);
	}

	/** Waits until the workflow has `count` finished executions (a webhook that answers early keeps running). */
	async waitForExecutions(workflowId: string, count: number, timeoutMs = 240000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const finished = this.executions(workflowId).filter((run) => run.status !== 'running' && run.status !== 'new');
			if (finished.length >= count) return;
			if (Date.now() > deadline) throw new Error(`${workflowId}: ${finished.length} of ${count} executions finished in time`);
			await new Promise((r) => setTimeout(r, 500));
		}
	}

	/** What n8n stored of the workflow's newest execution (its own serialisation of every node's output and error), as text. */
	lastExecutionData(workflowId: string): string {
		const script = `
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
skip = set(sys.argv[3].split(",")) if sys.argv[3] else set()
row = next((r[1] for r in db.execute("select e.id, d.data from execution_data d join execution_entity e on e.id = d.executionId where e.workflowId = ? order by e.id desc", (sys.argv[2],)) if str(r[0]) not in skip), None)
sys.stdout.write("" if row is None else row)
`;
		const run = spawnSync('python3', ['-c', script, join(this.userFolder, '.n8n', 'database.sqlite'), workflowId, [...this.setupExecutions].join(',')], { encoding: 'utf8', maxBuffer: 1 << 28 });
		if (run.status !== 0) throw new Error(run.stderr);
		return run.stdout;
	}

	/** The workflow's successful executions, oldest first, set-up runs left out: start and stop times, stored data (flatted JSON). */
	successfulExecutions(workflowId: string): Array<{ startedAt: string; stoppedAt: string; data: string }> {
		const script = `
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=60)
skip = set(sys.argv[3].split(",")) if sys.argv[3] else set()
rows = db.execute("select e.id, e.startedAt, e.stoppedAt, d.data from execution_entity e join execution_data d on d.executionId = e.id where e.workflowId = ? and e.status = 'success' order by e.id", (sys.argv[2],))
print(json.dumps([{"startedAt": r[1], "stoppedAt": r[2], "data": r[3]} for r in rows if str(r[0]) not in skip]))
`;
		const run = spawnSync('python3', ['-c', script, join(this.userFolder, '.n8n', 'database.sqlite'), workflowId, [...this.setupExecutions].join(',')], { encoding: 'utf8', maxBuffer: 1 << 30 });
		if (run.status !== 0) throw new Error(run.stderr);
		return JSON.parse(run.stdout) as Array<{ startedAt: string; stoppedAt: string; data: string }>;
	}

	/** The last executions' status, newest first; the set-up runs at start left out (see setUpDone). */
	executions(workflowId: string): Array<{ id: string; status: string }> {
		return this.executionRows()
			.filter((row) => row.workflowId === workflowId && !this.setupExecutions.has(row.id))
			.reverse()
			.map((row) => ({ id: row.id, status: row.status }));
	}
}

/** A template of workflows/ as it is shipped. */
/**
 * n8n's stored execution data, decoded: flatted JSON, an array whose first entry is the data, every object and string
 * value in it replaced by the index of its entry (shared and circular references kept).
 */
export function unflatten(text: string): unknown {
	const entries = JSON.parse(text) as unknown[];
	const built = new Map<number, unknown>();
	const entry = (index: number): unknown => {
		const value = entries[index];
		if (value === null || typeof value !== 'object') return value;
		if (built.has(index)) return built.get(index);
		const copy: Record<string, unknown> = Array.isArray(value) ? ([] as unknown as Record<string, unknown>) : {};
		built.set(index, copy);
		for (const [key, inner] of Object.entries(value)) copy[key] = typeof inner === 'string' ? entry(Number(inner)) : inner;
		return copy;
	};
	return entry(0);
}

export function template(file: string): Record<string, unknown> {
	return JSON.parse(readFileSync(join(ROOT, 'workflows', file), 'utf8')) as Record<string, unknown>;
}

/** A template whose "Import Orders" node is pointed at `feedUrl`, as a user would set it up. */
export function templateWithFeed(file: string, feedUrl: string): Record<string, unknown> {
	const workflow = template(file) as { nodes: Array<{ name: string; parameters: Record<string, unknown> }> };
	const importNode = workflow.nodes.find((node) => node.name === 'Import Orders');
	if (!importNode) throw new Error(`the template ${file} has no "Import Orders" node`);
	importNode.parameters.url = feedUrl;
	return workflow;
}

/**
 * One POST on a connection of its own: fetch reuses idle keep-alive sockets, and when n8n closes one just as the
 * next request goes out (its keep-alive timeout is 5 s) the POST fails with "other side closed" and is not retried.
 */
function postOnce(url: string, body: string | undefined, headers: Record<string, string>): Promise<{ status: number; body: string }> {
	return new Promise((done, fail) => {
		const req = request(url, { method: 'POST', headers: { ...headers, connection: 'close' }, agent: false, timeout: 280000 }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
			res.on('error', fail);
		});
		req.on('timeout', () => req.destroy(new Error(`POST ${url} timed out`)));
		req.on('error', fail);
		req.end(body);
	});
}
