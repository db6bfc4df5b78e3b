import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'child_process';
import { randomBytes } from 'crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'fs';
import { connect } from 'net';
import { join } from 'path';
import { freePort, RealN8n, ROOT, type ExecutionRow } from '../e2e/realN8n';

/**
 * n8n in queue mode, as it scales past one machine: a main instance (editor, webhooks, schedules) that puts every
 * execution on a Redis queue, and two workers that run them, all on one Postgres database. Redis and Postgres are
 * Debian's packages (scripts/install-queue-env.sh), started here on free loopback ports with their data in .tmp/ and
 * taken down after; the system services are never used. Each n8n process has its own user folder with the packed
 * pack installed in it, as each machine of a real deployment would, and all share one encryption key.
 */

async function waitUntil(what: string, ready: () => Promise<boolean>, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await ready())) {
		if (Date.now() > deadline) throw new Error(`${what} did not come up in ${timeoutMs / 1000} s`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

function checked(run: SpawnSyncReturns<string>, what: string): string {
	if (run.error) throw new Error(`${what}: ${run.error.message}`);
	if (run.status !== 0) throw new Error(`${what} failed (${run.status}): ${run.stderr}${run.stdout.slice(-2000)}`);
	return run.stdout;
}

/** One redis-server on a free loopback port, no persistence. */
export class Redis {
	port = 0;
	private process?: ChildProcess;
	log = '';

	async start(): Promise<void> {
		this.port = await freePort();
		const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
		this.process = child;
		child.on('error', (error) => (this.log += `${error.message}\n`));
		child.stdout?.on('data', (d: Buffer) => (this.log += d.toString()));
		child.stderr?.on('data', (d: Buffer) => (this.log += d.toString()));
		await waitUntil('redis-server', async () => {
			if (child.exitCode !== null || this.log.includes('ENOENT')) throw new Error(`redis-server did not start (run scripts/install-queue-env.sh): ${this.log}`);
			return (await this.ping()) === '+PONG';
		}, 30000);
	}

	private ping(): Promise<string> {
		return new Promise((done) => {
			const socket = connect(this.port, '127.0.0.1');
			socket.setTimeout(2000, () => socket.destroy());
			socket.on('error', () => done(''));
			socket.on('data', (d) => {
				done(d.toString().trim());
				socket.end();
			});
			socket.on('connect', () => socket.write('PING\r\n'));
		});
	}

	async stop(): Promise<void> {
		const child = this.process;
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		await new Promise<void>((done) => {
			child.once('exit', () => done());
			child.kill('SIGKILL');
		});
	}
}

/**
 * A throw-away Postgres cluster (initdb into .tmp/, pg_ctl on a free loopback port, trust auth on loopback only)
 * with one database, `n8n`. Postgres refuses to run as root, so as root the cluster belongs to the `postgres` user
 * that Debian's package creates, and its binaries run through runuser.
 */
export class Postgres {
	port = 0;
	readonly database = 'n8n';
	readonly user = 'postgres';
	private readonly dir: string;
	private readonly bin: string;
	private readonly runAs: string[];

	constructor() {
		const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').filter((v) => existsSync(join('/usr/lib/postgresql', v, 'bin', 'initdb'))) : [];
		if (versions.length === 0) throw new Error('PostgreSQL is not installed: run scripts/install-queue-env.sh');
		this.bin = join('/usr/lib/postgresql', versions.sort((a, b) => Number(b) - Number(a))[0], 'bin');
		this.runAs = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
		mkdirSync(join(ROOT, '.tmp'), { recursive: true });
		this.dir = mkdtempSync(join(ROOT, '.tmp', 'queue-pg-'));
	}

	private run(binary: string, args: string[], what: string): string {
		const [command, ...prefix] = [...this.runAs, join(this.bin, binary)];
		return checked(spawnSync(command, [...prefix, ...args], { encoding: 'utf8', cwd: this.dir, maxBuffer: 1 << 28, timeout: 180000 }), what);
	}

	async start(): Promise<void> {
		this.port = await freePort();
		const data = join(this.dir, 'data');
		if (this.runAs.length > 0) {
			const owner = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
			const group = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
			if (owner.status !== 0) throw new Error('running as root, and there is no "postgres" user to own the test cluster (Debian\'s postgresql package creates it)');
			chownSync(this.dir, Number(owner.stdout), Number(group.stdout));
			chmodSync(this.dir, 0o700);
		}
		this.run('initdb', ['-D', data, '-U', this.user, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'], 'initdb');
		this.resume();
		this.psql(`create database ${this.database}`, 'postgres');
	}

	/** Starts the cluster made by start() again (after halt()), on the same port, with its data. */
	resume(): void {
		// A test database: durability off (fsync, synchronous commit), only loopback TCP, the socket in the cluster's folder.
		const options = [`-p ${this.port}`, `-k ${this.dir}`, "-c listen_addresses='127.0.0.1'", '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=200', ...(process.env.PG_EXTRA_OPTIONS ? [process.env.PG_EXTRA_OPTIONS] : [])];
		this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-l', join(this.dir, 'postgres.log'), '-o', options.join(' '), '-w', '-t', '120', 'start'], 'pg_ctl start');
	}

	/** Stops the server as an admin does (pg_ctl stop, fast mode: sessions are ended), keeping its data for resume(). */
	halt(): void {
		this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'fast', '-w', 'stop'], 'pg_ctl stop');
	}

	/** Runs SQL through psql and returns what it prints (unaligned, tuples only). */
	psql(sql: string, database = this.database): string {
		return checked(spawnSync('psql', ['-h', '127.0.0.1', '-p', String(this.port), '-U', this.user, '-d', database, '-v', 'ON_ERROR_STOP=1', '-AtqX', '-c', sql], { encoding: 'utf8', maxBuffer: 1 << 30 }), `psql ${sql.slice(0, 80)}`).trim();
	}

	/** A query's rows, as JSON objects (the query's columns become their keys). */
	rows<T = Record<string, unknown>>(query: string): T[] {
		return JSON.parse(this.psql(`select coalesce(json_agg(q), '[]'::json) from (${query}) q`)) as T[];
	}

	/** Rows of an n8n Data Table by its name (n8n keeps each table as data_table_user_<id>). */
	dataTableRows(name: string): Array<Record<string, unknown>> {
		const id = this.psql(`select id from data_table where name = '${name.replace(/'/g, "''")}'`);
		return id === '' ? [] : this.rows(`select * from "data_table_user_${id}" order by id`);
	}

	/** Every execution: id, workflow, status, oldest first. */
	executionRows(): ExecutionRow[] {
		// None before n8n's migrations have made the table.
		if (this.psql("select coalesce(to_regclass('public.execution_entity')::text, '')") === '') return [];
		return this.rows<{ id: number; workflowId: string; status: string }>(`select id, "workflowId", status from execution_entity order by id`).map((row) => ({ ...row, id: String(row.id) }));
	}

	async stop(): Promise<void> {
		const data = join(this.dir, 'data');
		if (existsSync(join(data, 'postmaster.pid'))) {
			const [command, ...prefix] = [...this.runAs, join(this.bin, 'pg_ctl')];
			spawnSync(command, [...prefix, '-D', data, '-m', 'immediate', '-w', 'stop'], { encoding: 'utf8', timeout: 60000 });
		}
		rmSync(this.dir, { recursive: true, force: true });
	}
}

/** One n8n process of the queue-mode setup: Data Tables and executions are read from the shared Postgres. */
export class QueueProcess extends RealN8n {
	constructor(
		tarball: string,
		env: NodeJS.ProcessEnv,
		private readonly db: Postgres,
	) {
		super(tarball, env);
	}

	override dataTableRows(name: string): Array<Record<string, unknown>> {
		return this.db.dataTableRows(name);
	}

	protected override executionRows(): ExecutionRow[] {
		return this.db.executionRows();
	}

	override successfulExecutions(workflowId: string): Array<{ startedAt: string; stoppedAt: string; data: string }> {
		const rows = this.db.rows<{ id: number; startedAt: string; stoppedAt: string; data: string }>(
			`select e.id, e."startedAt", e."stoppedAt", d.data from execution_entity e join execution_data d on d."executionId" = e.id where e."workflowId" = '${workflowId.replace(/'/g, "''")}' and e.status = 'success' order by e.id`,
		);
		return rows.filter((row) => !this.setupExecutions.has(String(row.id))).map(({ startedAt, stoppedAt, data }) => ({ startedAt, stoppedAt, data }));
	}

	/** Ids of the executions this worker ran, from its own log ("Worker started execution N"). */
	ranExecutions(): string[] {
		return [...this.log.matchAll(/Worker started execution (\d+)/g)].map((match) => match[1]);
	}
}

/** Redis, Postgres, a main n8n and `workers` n8n workers, the pack installed on each. */
export class QueueN8n {
	readonly redis = new Redis();
	readonly db = new Postgres();
	main!: QueueProcess;
	workers: QueueProcess[] = [];

	constructor(
		private readonly tarball: string,
		private readonly workerCount = 2,
		/** Added to (and overriding) every n8n process's environment. */
		private readonly extraEnv: NodeJS.ProcessEnv = {},
	) {}

	/** Starts Redis and Postgres and prepares the n8n processes; import workflows through `main`, then call start(). */
	async prepare(): Promise<void> {
		await this.redis.start();
		await this.db.start();
		const env: NodeJS.ProcessEnv = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(this.redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.db.port),
			DB_POSTGRESDB_DATABASE: this.db.database,
			DB_POSTGRESDB_USER: this.db.user,
			DB_POSTGRESDB_PASSWORD: '',
			// Up to 10 jobs at once per worker, each with a few queries in flight, on a busy 2-core machine.
			DB_POSTGRESDB_POOL_SIZE: '20',
			DB_POSTGRESDB_CONNECTION_TIMEOUT: '120000',
			N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
			// Manual runs go to the workers too (n8n 2.x announces this as the only behaviour of 3.x).
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			// Workers log "Worker started execution N" at info: the proof of where each execution ran.
			N8N_LOG_LEVEL: 'info',
			// A job's lock on Redis: 10 minutes, not n8n's 1. A worker renews it every 10 s from its event loop, and a node
			// that holds the loop longer than the lock (an IF or Filter node's expression per item over the 100,000
			// orders of a full re-sync: about 1 ms an item here) lets Bull declare the job stalled and n8n fail it. A shop
			// whose full re-sync is that large sets the same (docs/benchmarks.md, "A year of a shop").
			QUEUE_WORKER_LOCK_DURATION: '600000',
			...this.extraEnv,
		};
		this.main = new QueueProcess(this.tarball, env, this.db);
		this.workers = Array.from({ length: this.workerCount }, () => new QueueProcess(this.tarball, env, this.db));
	}

	async start(): Promise<void> {
		// The main first: it runs the database migrations the workers expect. The templates' set-up at start (their
		// Data Tables) runs on the workers, so it is awaited once they are up.
		this.main.awaitSetUpAtStart = false;
		await this.main.start('start');
		await Promise.all(this.workers.map((worker) => worker.start('worker')));
		await this.main.setUpDone();
	}

	/** Which worker ran each execution id (its index), read from the workers' logs. */
	workerOf(): Map<string, number> {
		const ran = new Map<string, number>();
		this.workers.forEach((worker, index) => {
			for (const id of worker.ranExecutions()) ran.set(id, index);
		});
		return ran;
	}

	async stop(): Promise<void> {
		const processes = [this.main, ...this.workers].filter(Boolean);
		await Promise.all(processes.map((n8n) => n8n.stop()));
		await this.redis.stop();
		await this.db.stop();
		for (const n8n of processes) rmSync(n8n.userFolder, { recursive: true, force: true });
	}
}
