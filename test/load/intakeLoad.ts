/**
 * Load on the touch intake template in a real n8n (issue 7, "Load"): `count` touches posted to its webhook by
 * `clients` concurrent clients over loopback (keep-alive connections), bounded by a deadline, with deliberate
 * redeliveries (a share of the payloads posted twice: half of them both at once, half again a little later, as a call
 * tracker retries after a timeout). A failed post (non-2xx, reset, timeout) is retried as a sender would, a few times
 * with backoff. Then the Data Table `touches` is read from n8n's database: every touchId the Touchpoint node makes of
 * the payloads (its own parser, run in process) must be there exactly once, none missing, none extra.
 * Prints throughput, latency percentiles, n8n's peak memory, errors, lost and duplicated.
 * Needs `npm run build` and the pinned n8n in .cache (scripts/install-n8n.sh).
 * Usage: ts-node test/load/intakeLoad.ts [--count 50000] [--clients 20] [--redeliver 0.02] [--deadline SEC] [--seed 7] [--baseline 2000] [--keep]
 * Exit 1 on any loss or duplicate, or when the deadline stops the run.
 */
import { Agent, request, type ClientRequest } from 'http';
import { rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { printFigures, type Figure } from '../bench/figures';
import { packPack, RealN8n, ROOT, template } from '../e2e/realN8n';
import type { FaultResult } from '../faults/runFaults';
import { prng } from '../helpers/prng';
import { intakePosts, type IntakePost } from './intakePayloads';
import { n8nMainPid, ProcessWatch, rowsPerKey, unfinishedExecutions, type ProcessFigures } from './n8nProbe';

const WORKFLOW_ID = 'saTouchIntake';
const WEBHOOK_PATH = 'touches';
/** Attempts per delivery before the sender gives up, and how long it waits for one answer. */
const TRIES = 4;
const REQUEST_TIMEOUT_MS = 60_000;

export interface LoadOptions {
	count: number;
	clients: number;
	/** Share of the payloads delivered twice (half at once, half later). */
	redeliverShare: number;
	/** The posting stops here, and the run fails. */
	deadlineSec: number;
	seed: number;
	/** Progress lines while posting (every 10 s). */
	progress?: (line: string) => void;
	/** Keep n8n's user folder (its database) after the run, and say where it is; n8n's log goes to .tmp/load-n8n.log either way. */
	keep?: boolean;
	/**
	 * After the load, this many more payloads go to n8n's do-nothing webhook (a workflow of the template's Webhook node
	 * alone, same credential, same workflow settings, same clients) and to the intake, in alternating rounds in the
	 * same n8n: the baseline the intake's throughput is set against. 0 or left out: no baseline.
	 */
	baseline?: number;
}

/** One side of the paired rounds: the do-nothing webhook's or the intake's. */
export interface PairedSide {
	requests: number;
	seconds: number;
	requestsPerSec: number;
	p95Ms: number;
	/** n8n's CPU time per request, ms (null when its process could not be read). */
	cpuMsPerRequest: number | null;
	errors: number;
}

/**
 * Three workflows in the same n8n, posted the same fresh payloads in rounds whose order turns each round, so that a
 * change in the machine's speed during the run weighs on all alike: n8n's do-nothing webhook (the template's Webhook
 * node alone: n8n's floor for one authenticated webhook execution), n8n's store-the-request webhook (that Webhook node
 * and the template's Data Table upsert writing the raw request as a row: n8n's floor for any intake that keeps what it
 * is sent in a Data Table) and the intake.
 */
export interface BaselineResult {
	rounds: number;
	noop: PairedSide;
	store: PairedSide;
	intake: PairedSide;
	/** The intake's requests a second over the do-nothing webhook's, per round, in round order. */
	roundRatios: number[];
}

/**
 * The bound of a run: two minutes plus 3 touches a second. n8n itself spends about 100 ms of CPU on every webhook
 * execution here (a workflow of a Webhook node alone, measured), the template about 150 ms, so a busy two-core
 * machine gives 4 to 5 touches a second.
 */
export function defaultDeadlineSec(count: number): number {
	return Math.round(120 + count / 3);
}

export interface LoadResult {
	options: Omit<LoadOptions, 'progress' | 'keep'>;
	/** Distinct touches the payloads make, and the payloads delivered twice (at once / later). */
	touches: number;
	redelivered: { concurrent: number; later: number };
	/** HTTP requests sent (first deliveries, redeliveries and retries). */
	requests: number;
	seconds: number;
	touchesPerSec: number;
	requestsPerSec: number;
	latencyMs: { p50: number; p95: number; p99: number; max: number };
	/** Requests answered non-2xx or failed (reset, timeout), by kind; deliveries that a retry then got through. */
	errors: Record<string, number>;
	retriedOk: number;
	/** Deliveries that failed every try, and payloads never sent because the deadline came. */
	failed: number;
	notSent: number;
	timedOut: boolean;
	/** Requests resent because n8n had closed the idle keep-alive socket they went out on (nothing reached n8n). */
	staleSocketResends: number;
	/** 2xx answers whose touchIds differ from the ones the node's parser gives in process. */
	answerMismatches: number;
	firstError: string;
	rows: number;
	lost: number;
	duplicated: number;
	/** Rows whose touchId no payload makes. */
	extra: number;
	/** The same, among the redelivered payloads' touches. */
	redeliveredLost: number;
	redeliveredDuplicated: number;
	/** n8n's peak memory and CPU time while posting; null when its process could not be found. */
	n8nProcess: ProcessFigures | null;
	/** The do-nothing webhook in the same n8n just before; null when not asked for. */
	baseline: BaselineResult | null;
}

interface Answer {
	status: number;
	body: string;
	ms: number;
}

interface Job {
	post: number;
	copies: 1 | 2;
	/** Deliver this post again, `laterBy` jobs after its first delivery is answered. */
	laterBy?: number;
}

function percentile(sorted: number[], p: number): number {
	return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Posts the payloads and counts what came back; the deliveries' bookkeeping lives here. */
class Sender {
	readonly latencies: number[] = [];
	readonly errors: Record<string, number> = {};
	retriedOk = 0;
	failed = 0;
	staleSocketResends = 0;
	answerMismatches = 0;
	firstError = '';
	private readonly agent: Agent;
	private readonly open = new Set<ClientRequest>();
	private stopped = false;

	constructor(
		private readonly url: string,
		/** The header the webhook's credential checks, sent with every post. */
		private readonly auth: Record<string, string>,
		private readonly posts: IntakePost[],
		clients: number,
		private readonly deadline: number,
		/** Compare each 2xx answer's touchIds with the parser's (off for the do-nothing webhook, which answers the request). */
		private readonly checkAnswers = true,
	) {
		this.agent = new Agent({ keepAlive: true, maxSockets: clients * 2 });
	}

	get requests(): number {
		return this.latencies.length;
	}

	/** Runs the jobs with `clients` workers; false when the deadline stopped them, with the jobs never started. */
	async run(jobs: Job[], clients: number, seed: number, progress?: (line: string) => void): Promise<{ finished: boolean; notSent: number }> {
		const random = prng(seed + 1);
		let cursor = 0;
		let busy = 0;
		const started = Date.now();
		const ticker = setInterval(() => {
			const errors = Object.values(this.errors).reduce((sum, n) => sum + n, 0);
			progress?.(`${Math.round((Date.now() - started) / 1000)} s: ${cursor} of ${jobs.length} deliveries started, ${(this.requests / ((Date.now() - started) / 1000)).toFixed(0)} requests/s, ${errors} errors`);
		}, 10_000);
		const stopAtDeadline = setTimeout(() => this.stop(), Math.max(0, this.deadline - Date.now()));
		const worker = async () => {
			for (;;) {
				if (this.stopped) return;
				const job = jobs[cursor];
				if (!job) {
					if (busy === 0) return;
					await sleep(20); // a later redelivery may still be queued by a delivery in flight
					continue;
				}
				cursor++;
				busy++;
				const delivered = await Promise.all(Array.from({ length: job.copies }, () => this.deliver(job.post)));
				if (job.laterBy !== undefined && delivered[0]) {
					const at = Math.min(jobs.length, cursor + job.laterBy + Math.floor(random() * job.laterBy));
					jobs.splice(at, 0, { post: job.post, copies: 1 });
				}
				busy--;
			}
		};
		try {
			await Promise.all(Array.from({ length: clients }, worker));
		} finally {
			clearInterval(ticker);
			clearTimeout(stopAtDeadline);
			this.agent.destroy();
		}
		return { finished: !this.stopped, notSent: jobs.length - cursor };
	}

	/** The deadline: no new request, those in flight dropped. */
	private stop(): void {
		this.stopped = true;
		for (const req of this.open) req.destroy(new Error('deadline'));
	}

	/** One delivery as a sender makes it: up to TRIES attempts with backoff; true when n8n answered 2xx. */
	private async deliver(index: number): Promise<boolean> {
		const post = this.posts[index];
		for (let attempt = 1; attempt <= TRIES && !this.stopped; attempt++) {
			const answer = await this.send(post).catch((error: Error) => ({ status: 0, body: error.message, ms: NaN }));
			if (answer.status >= 200 && answer.status < 300) {
				if (this.checkAnswers) this.checkAnswer(post, answer.body);
				if (attempt > 1) this.retriedOk++;
				return true;
			}
			const kind = answer.status === 0 ? answer.body.replace(/\d+/g, 'N').slice(0, 60) : `HTTP ${answer.status}`;
			this.errors[kind] = (this.errors[kind] ?? 0) + 1;
			this.firstError ||= `${post.sender}: ${answer.status === 0 ? '' : `${answer.status} `}${answer.body.slice(0, 160)}`;
			if (attempt < TRIES) await sleep(Math.min(500 * 2 ** (attempt - 1), Math.max(0, this.deadline - Date.now())));
		}
		if (!this.stopped) this.failed++;
		return false;
	}

	private checkAnswer(post: IntakePost, body: string): void {
		let answered: string[] = [];
		try {
			const rows = JSON.parse(body) as unknown;
			answered = (Array.isArray(rows) ? rows : [rows]).map((row) => String((row as { touchId?: unknown }).touchId));
		} catch {
			// counted below
		}
		if (answered.sort().join() !== [...post.touchIds].sort().join()) {
			this.answerMismatches++;
			this.firstError ||= `${post.sender}: answered ${body.slice(0, 160)}, expected ${post.touchIds.join(', ')}`;
		}
	}

	/** One request; a request that went out on an idle keep-alive socket n8n had just closed is resent, as Node advises. */
	private send(post: IntakePost): Promise<Answer> {
		return new Promise((done, fail) => {
			const started = performance.now();
			const req = request(this.url, { method: 'POST', agent: this.agent, headers: { ...this.auth, 'content-type': post.contentType, 'content-length': Buffer.byteLength(post.body) }, timeout: REQUEST_TIMEOUT_MS }, (res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => {
					const ms = performance.now() - started;
					this.latencies.push(ms);
					done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms });
				});
				res.on('error', fail);
			});
			this.open.add(req);
			req.on('close', () => this.open.delete(req));
			req.on('timeout', () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS / 1000} s`)));
			req.on('error', (error: NodeJS.ErrnoException) => {
				if (req.reusedSocket && error.code === 'ECONNRESET' && !this.stopped) {
					this.staleSocketResends++;
					this.send(post).then(done, fail);
					return;
				}
				this.latencies.push(performance.now() - started);
				fail(error);
			});
			req.end(post.body);
		});
	}
}

/** Every payload once, in a shuffled order; a share of them twice, alternately both at once and again later. */
function schedule(posts: IntakePost[], options: LoadOptions): { jobs: Job[]; concurrent: Set<number>; later: Set<number> } {
	const random = prng(options.seed);
	const order = posts.map((_, i) => i);
	for (let i = order.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[order[i], order[j]] = [order[j], order[i]];
	}
	const twice = order.slice(0, Math.round(posts.length * options.redeliverShare));
	const concurrent = new Set(twice.filter((_, k) => k % 2 === 0));
	const later = new Set(twice.filter((_, k) => k % 2 === 1));
	const jobs = order.map((post): Job => ({ post, copies: concurrent.has(post) ? 2 : 1, ...(later.has(post) ? { laterBy: options.clients * 5 } : {}) }));
	return { jobs, concurrent, later };
}

/** Waits until n8n has registered the production webhook (a GET says the path exists, for POST only). */
async function webhookRegistered(url: string): Promise<void> {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const res = await fetch(url).catch(() => null);
		const text = res ? await res.text() : '';
		if (res && !/is not registered\.?"/.test(text) && !/not registered\W*$/.test(text)) return;
		if (res && /POST request/i.test(text)) return;
		if (Date.now() > deadline) throw new Error(`the webhook ${url} was not registered in time: ${text.slice(0, 200)}`);
		await sleep(500);
	}
}

const NOOP_ID = 'saNoopWebhook';
const NOOP_PATH = 'do-nothing';
const STORE_ID = 'saStoreWebhook';
const STORE_PATH = 'store-only';

type TemplateNode = { name: string; type: string; parameters: Record<string, unknown> };

/**
 * The touch intake template's Webhook node on another path, with the template's settings: alone (n8n's own
 * do-nothing webhook) or followed by the template's Store Touch upsert writing the raw request (its body as `touch`,
 * the execution id as `touchId`: fewer columns than a touch fills, so if anything a cheaper row than the intake's).
 */
function baselineWorkflow(id: string, path: string, store: boolean): object {
	const intake = template('touch-intake.json') as { settings: object; nodes: TemplateNode[] };
	const hook = intake.nodes.find((node) => node.type === 'n8n-nodes-base.webhook');
	const upsert = intake.nodes.find((node) => node.name === 'Store Touch');
	if (!hook || !upsert) throw new Error('the touch intake template has no Webhook node or no "Store Touch" node');
	const seq = store ? '2' : '1';
	const nodes: object[] = [{ ...hook, id: `a0000000-0000-4000-8000-00000000000${seq}`, webhookId: `b0000000-0000-4000-8000-00000000000${seq}`, parameters: { ...hook.parameters, path } }];
	if (store) {
		const columns = upsert.parameters.columns as { value: Record<string, string> };
		const value = { touchId: `={{ 'baseline:' + $execution.id }}`, touch: '={{ JSON.stringify($json.body) }}' };
		const filters = { conditions: [{ keyName: 'touchId', condition: 'eq', keyValue: value.touchId }] };
		nodes.push({ ...upsert, id: 'a0000000-0000-4000-8000-000000000003', parameters: { ...upsert.parameters, filters, columns: { ...columns, value } } });
	}
	const connections = store ? { [hook.name]: { main: [[{ node: upsert.name, type: 'main', index: 0 }]] } } : {};
	const name = store ? 'Store-the-request webhook (load baseline)' : 'Do-nothing webhook (load baseline)';
	return { id, name, active: false, settings: intake.settings, nodes, connections, pinData: {} };
}

const PAIRED_ROUNDS = 10;

/** Sends `jobs` to one webhook with the load's clients; its requests, time, answer times, n8n CPU and errors. */
async function sendSide(url: string, auth: Record<string, string>, posts: IntakePost[], jobs: Job[], options: LoadOptions, pid: number | null, checkAnswers: boolean): Promise<PairedSide & { latencies: number[] }> {
	const watch = pid === null ? null : new ProcessWatch(pid);
	watch?.start();
	const started = Date.now();
	const sender = new Sender(url, auth, posts, options.clients, started + options.deadlineSec * 1000, checkAnswers);
	await sender.run(jobs, options.clients, options.seed);
	const seconds = (Date.now() - started) / 1000;
	const cpu = watch?.stop() ?? null;
	const errors = Object.values(sender.errors).reduce((sum, n) => sum + n, 0) + sender.answerMismatches;
	return { requests: sender.requests, seconds, requestsPerSec: sender.requests / seconds, p95Ms: 0, cpuMsPerRequest: cpu ? cpu.cpuSec * 1000 : null, errors, latencies: sender.latencies };
}

/** Adds up one side's rounds. */
function sideOf(rounds: Array<PairedSide & { latencies: number[] }>): PairedSide {
	const requests = rounds.reduce((sum, round) => sum + round.requests, 0);
	const seconds = rounds.reduce((sum, round) => sum + round.seconds, 0);
	const cpuMs = rounds.every((round) => round.cpuMsPerRequest !== null) ? rounds.reduce((sum, round) => sum + (round.cpuMsPerRequest ?? 0), 0) : null;
	const sorted = rounds.flatMap((round) => round.latencies).filter((ms) => Number.isFinite(ms)).sort((a, b) => a - b);
	return { requests, seconds, requestsPerSec: requests / seconds, p95Ms: percentile(sorted, 95), cpuMsPerRequest: cpuMs === null ? null : cpuMs / requests, errors: rounds.reduce((sum, round) => sum + round.errors, 0) };
}

/**
 * The payloads from `first` on (not part of the load), in PAIRED_ROUNDS rounds: each round's slice goes once to each of
 * the three workflows, the order turning by one each round. After a warm-up of the two baselines (n8n's first
 * executions of a workflow compile and cache what later ones reuse; the intake is warm from the load).
 */
async function runBaseline(n8n: RealN8n, posts: IntakePost[], first: number, options: LoadOptions, pid: number | null): Promise<BaselineResult> {
	const sides = [
		{ path: NOOP_PATH, check: false, rounds: [] as Array<PairedSide & { latencies: number[] }> },
		{ path: STORE_PATH, check: false, rounds: [] as Array<PairedSide & { latencies: number[] }> },
		{ path: WEBHOOK_PATH, check: true, rounds: [] as Array<PairedSide & { latencies: number[] }> },
	];
	const urlOf = (path: string) => `http://127.0.0.1:${n8n.port}/webhook/${path}`;
	const warmUp = Array.from({ length: Math.min(options.clients * 2, first) }, (_, post) => ({ post, copies: 1 as const }));
	for (const side of sides.slice(0, 2)) {
		await webhookRegistered(urlOf(side.path));
		await sendSide(urlOf(side.path), n8n.webhookHeaders(side.path), posts, warmUp, options, null, false);
	}
	const perRound = Math.ceil((posts.length - first) / PAIRED_ROUNDS);
	for (let round = 0; round < PAIRED_ROUNDS; round++) {
		const from = first + round * perRound;
		const jobs = Array.from({ length: Math.max(0, Math.min(perRound, posts.length - from)) }, (_, i) => ({ post: from + i, copies: 1 as const }));
		for (let turn = 0; turn < sides.length; turn++) {
			const side = sides[(round + turn) % sides.length];
			side.rounds.push(await sendSide(urlOf(side.path), n8n.webhookHeaders(side.path), posts, jobs, options, pid, side.check));
		}
	}
	const [noop, store, intake] = sides.map((side) => side.rounds);
	return { rounds: PAIRED_ROUNDS, noop: sideOf(noop), store: sideOf(store), intake: sideOf(intake), roundRatios: intake.map((side, round) => side.requestsPerSec / noop[round].requestsPerSec) };
}

/** Starts a real n8n with the pack and the touch intake template, runs the load, checks the table, stops n8n. */
export async function runIntakeLoad(options: LoadOptions): Promise<LoadResult> {
	// The load's payloads, then the paired rounds' (fresh touches: the first `count` are the same with or without them).
	const posts = intakePosts(options.count + (options.baseline ?? 0), options.seed);
	const loadPosts = posts.slice(0, options.count);
	const { jobs, concurrent, later } = schedule(loadPosts, options);
	const n8n = new RealN8n(packPack());
	// n8n runs in a process group of its own: stopping the run stops it too.
	const interrupted = () => void n8n.stop().finally(() => process.exit(130));
	process.once('SIGINT', interrupted);
	process.once('SIGTERM', interrupted);
	try {
		n8n.importWorkflow(template('touch-intake.json'));
		n8n.publish(WORKFLOW_ID);
		if (options.baseline) {
			for (const [id, path, store] of [[NOOP_ID, NOOP_PATH, false], [STORE_ID, STORE_PATH, true]] as const) {
				n8n.importWorkflow(baselineWorkflow(id, path, store));
				n8n.publish(id);
			}
		}
		await n8n.start();
		const pid = n8nMainPid(n8n.userFolder);
		const url = `http://127.0.0.1:${n8n.port}/webhook/${WEBHOOK_PATH}`;
		await webhookRegistered(url);
		const watch = pid === null ? null : new ProcessWatch(pid);
		watch?.start();

		const started = Date.now();
		const sender = new Sender(url, n8n.webhookHeaders(WEBHOOK_PATH), loadPosts, options.clients, started + options.deadlineSec * 1000);
		const sent = await sender.run(jobs, options.clients, options.seed, options.progress);
		const seconds = (Date.now() - started) / 1000;
		const n8nProcess = watch?.stop() ?? null;

		// A request dropped at the deadline (or by the sender's timeout) may still be running in n8n.
		const settle = Date.now() + 120_000;
		while (unfinishedExecutions(n8n.userFolder, WORKFLOW_ID) > 0 && Date.now() < settle) await sleep(1000);
		const stored = rowsPerKey(n8n.userFolder, 'touches', 'touchId');

		const expected = new Set(loadPosts.flatMap((post) => post.touchIds));
		const missing = (ids: Iterable<string>) => [...ids].filter((id) => !stored.has(id)).length;
		const doubled = (ids: Iterable<string>) => [...ids].reduce((sum, id) => sum + Math.max(0, (stored.get(id) ?? 0) - 1), 0);
		const redeliveredIds = [...concurrent, ...later].flatMap((index) => posts[index].touchIds);
		const sorted = [...sender.latencies].filter((ms) => Number.isFinite(ms)).sort((a, b) => a - b);
		const extra = [...stored.keys()].filter((id) => !expected.has(id)).length;
		const baseline = options.baseline ? await runBaseline(n8n, posts, options.count, options, pid) : null;
		return {
			options: { count: options.count, clients: options.clients, redeliverShare: options.redeliverShare, deadlineSec: options.deadlineSec, seed: options.seed },
			touches: expected.size,
			redelivered: { concurrent: concurrent.size, later: later.size },
			requests: sender.requests,
			seconds,
			touchesPerSec: (expected.size - missing(expected)) / seconds,
			requestsPerSec: sender.requests / seconds,
			latencyMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? 0 },
			errors: sender.errors,
			retriedOk: sender.retriedOk,
			failed: sender.failed,
			notSent: sent.notSent,
			timedOut: !sent.finished,
			staleSocketResends: sender.staleSocketResends,
			answerMismatches: sender.answerMismatches,
			firstError: sender.firstError,
			rows: [...stored.values()].reduce((sum, n) => sum + n, 0),
			lost: missing(expected),
			duplicated: doubled(stored.keys()),
			extra,
			redeliveredLost: missing(redeliveredIds),
			redeliveredDuplicated: doubled(redeliveredIds),
			n8nProcess,
			baseline,
		};
	} finally {
		process.off('SIGINT', interrupted);
		process.off('SIGTERM', interrupted);
		await n8n.stop();
		writeFileSync(join(ROOT, '.tmp', 'load-n8n.log'), n8n.log);
		if (options.keep) options.progress?.(`n8n's user folder kept: ${n8n.userFolder}`);
		else rmSync(n8n.userFolder, { recursive: true, force: true });
	}
}

/** No touch lost, none stored twice, nothing stored that no payload makes, and all of it before the deadline. */
export function loadPassed(result: LoadResult): boolean {
	return result.lost === 0 && result.duplicated === 0 && result.extra === 0 && !result.timedOut;
}

const thousands = (n: number) => n.toLocaleString('en-US');

/** Why the run did not pass, one line each. */
function problemsOf(result: LoadResult): string[] {
	return [
		result.lost > 0 ? `${result.lost} touches not in the table` : '',
		result.duplicated > 0 ? `${result.duplicated} extra rows for touchIds already stored` : '',
		result.extra > 0 ? `${result.extra} rows with a touchId no payload makes` : '',
		result.timedOut ? `the deadline (${result.options.deadlineSec} s) stopped the run with ${result.notSent} deliveries not sent` : '',
		result.failed > 0 ? `${result.failed} deliveries failed all ${TRIES} tries` : '',
	].filter((line) => line !== '');
}

/**
 * Rows for the fault table (test/faults): the whole load, and the redelivered payloads on their own. A try is a
 * distinct touch; it survived when the table holds it exactly once.
 */
export function loadFaultResults(result: LoadResult): FaultResult[] {
	const problems = problemsOf(result);
	const detail = `${result.touchesPerSec.toFixed(1)} touches/s, p95 ${result.latencyMs.p95.toFixed(0)} ms; ${result.requests} requests, ${Object.values(result.errors).reduce((sum, n) => sum + n, 0)} errors, ${result.retriedOk} delivered on a retry`;
	const redelivered = result.redelivered.concurrent + result.redelivered.later;
	const error = result.firstError || (problems[0] ?? '');
	return [
		{
			fault: `load: ${thousands(result.options.count)} touches via intake webhook, ${result.options.clients} clients`,
			tries: result.touches,
			survived: result.touches - result.lost - result.duplicated,
			lost: result.lost,
			duplicated: result.duplicated + result.extra,
			error,
			problems,
			detail,
			slowestMs: result.latencyMs.max,
		},
		{
			fault: `load: redelivered payloads (${result.redelivered.concurrent} twice at once, ${result.redelivered.later} again later)`,
			tries: redelivered,
			survived: redelivered - result.redeliveredLost - result.redeliveredDuplicated,
			lost: result.redeliveredLost,
			duplicated: result.redeliveredDuplicated,
			error: result.redeliveredLost + result.redeliveredDuplicated > 0 ? error : '',
			problems: [],
			detail,
			slowestMs: result.latencyMs.max,
		},
	];
}

/** The intake's requests a second against the do-nothing webhook's, in the same n8n; null without a baseline. */
export function baselineRatio(result: LoadResult): number | null {
	return result.baseline && result.baseline.noop.requestsPerSec > 0 ? result.baseline.intake.requestsPerSec / result.baseline.noop.requestsPerSec : null;
}

/** The issue's target for the intake against n8n's do-nothing webhook. */
export const BASELINE_TARGET = 0.8;

/** Figures for `npm run bench` (test/bench/figures.ts). */
export function loadFigures(result: LoadResult): Figure[] {
	const bench = 'Touch intake load';
	const size = `${thousands(result.options.count)} touches, ${result.options.clients} clients`;
	const floor = result.options.count / result.options.deadlineSec;
	const { p50, p95, p99, max } = result.latencyMs;
	return [
		{ bench, figure: `${size}: throughput`, value: result.touchesPerSec, unit: 'touches/s', baseline: null, ratio: null, target: `all within ${result.options.deadlineSec} s (>= ${floor.toFixed(1)}/s)`, met: !result.timedOut && result.touchesPerSec >= floor },
		{ bench, figure: `${size}: webhook answer p95`, value: p95, unit: 'ms', baseline: `p50 ${p50.toFixed(0)}, p99 ${p99.toFixed(0)}, max ${max.toFixed(0)} ms`, ratio: null, target: 'printed (issue 7 sets none)', met: true },
		{ bench, figure: `${size}: touches lost`, value: result.lost, unit: '', baseline: null, ratio: null, target: '0', met: result.lost === 0 },
		{ bench, figure: `${size}: touches duplicated`, value: result.duplicated + result.extra, unit: '', baseline: null, ratio: null, target: '0', met: result.duplicated + result.extra === 0 },
		...baselineFigures(result, bench, size),
	];
}

function baselineFigures(result: LoadResult, bench: string, size: string): Figure[] {
	const ratio = baselineRatio(result);
	const paired = result.baseline;
	if (!paired || ratio === null) return [];
	const against = (side: PairedSide, name: string) => `${name} ${side.requestsPerSec.toFixed(1)} requests/s (${side.requests} requests in ${paired.rounds} rounds taking turns with the intake's, same n8n and settings)`;
	const floor = paired.store.requestsPerSec / paired.noop.requestsPerSec;
	const ofFloor = paired.intake.requestsPerSec / paired.store.requestsPerSec;
	return [
		{ bench, figure: `${size}: requests/s against n8n's do-nothing webhook`, value: paired.intake.requestsPerSec, unit: 'requests/s', baseline: against(paired.noop, "n8n's do-nothing webhook"), ratio: `${ratio.toFixed(2)}x of it (rounds ${roundRange(paired)})`, target: `>= ${BASELINE_TARGET}x`, met: ratio >= BASELINE_TARGET },
		{ bench, figure: `${size}: n8n's store-the-request webhook (Webhook + Data Table upsert) against its do-nothing webhook: the platform floor`, value: paired.store.requestsPerSec, unit: 'requests/s', baseline: against(paired.noop, "n8n's do-nothing webhook"), ratio: `${floor.toFixed(2)}x of it`, target: 'printed: no intake that stores in a Data Table passes it', met: true },
		{ bench, figure: `${size}: requests/s against n8n's store-the-request webhook`, value: paired.intake.requestsPerSec, unit: 'requests/s', baseline: against(paired.store, "n8n's store-the-request webhook"), ratio: `${ofFloor.toFixed(2)}x of it`, target: `>= ${BASELINE_TARGET}x of the floor`, met: ofFloor >= BASELINE_TARGET },
	];
}

/** The lowest and highest of the rounds' ratios. */
function roundRange(paired: BaselineResult): string {
	const sorted = [...paired.roundRatios].sort((x, y) => x - y);
	return `${sorted[0].toFixed(2)}-${sorted[sorted.length - 1].toFixed(2)}x`;
}

export function loadReport(result: LoadResult): string {
	const errors = Object.entries(result.errors).map(([kind, n]) => `${kind}: ${n}`).join(', ') || 'none';
	const proc = result.n8nProcess;
	const rss = proc ? `${proc.peakRssMb.main.toFixed(0)} MB (main), ${proc.peakRssMb.group.toFixed(0)} MB (with task runner)` : 'not readable';
	const cpu = proc ? `${((proc.cpuSec * 1000) / result.touches).toFixed(1)}` : '';
	const { p50, p95, p99, max } = result.latencyMs;
	return [
		`Touch intake load in real n8n: ${thousands(result.touches)} touches from ${thousands(result.options.count)} payloads, ${result.options.clients} clients, ` +
			`${result.redelivered.concurrent} payloads posted twice at once and ${result.redelivered.later} again later`,
		'| seconds | touches/s | requests | requests/s | p50, ms | p95, ms | p99, ms | max, ms | n8n CPU per touch, ms | n8n peak RSS | rows | lost | duplicated | extra |',
		'|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|',
		`| ${result.seconds.toFixed(1)} | ${result.touchesPerSec.toFixed(1)} | ${result.requests} | ${result.requestsPerSec.toFixed(1)} | ${p50.toFixed(0)} | ${p95.toFixed(0)} | ${p99.toFixed(0)} | ${max.toFixed(0)} | ${cpu} | ${rss} | ${result.rows} | ${result.lost} | ${result.duplicated} | ${result.extra} |`,
		`Errors: ${errors}; delivered on a retry: ${result.retriedOk}; failed every try: ${result.failed}; not sent (deadline): ${result.notSent}; ` +
			`stale keep-alive sockets resent: ${result.staleSocketResends}; answers with other touchIds than expected: ${result.answerMismatches}`,
		result.firstError ? `First error: ${result.firstError}` : '',
		baselineLine(result),
		`Result: ${loadPassed(result) ? 'PASSED' : `FAILED (${problemsOf(result).join('; ')})`}`,
	]
		.filter((line) => line !== '')
		.join('\n');
}

function baselineLine(result: LoadResult): string {
	const paired = result.baseline;
	const ratio = baselineRatio(result);
	if (!paired || ratio === null) return '';
	const side = (name: string, figures: PairedSide) =>
		`${name} ${figures.requests} requests in ${figures.seconds.toFixed(1)} s, ${figures.requestsPerSec.toFixed(1)} requests/s, p95 ${figures.p95Ms.toFixed(0)} ms, ` +
		`n8n CPU ${figures.cpuMsPerRequest === null ? 'n/a' : `${figures.cpuMsPerRequest.toFixed(1)} ms`} per request, ${figures.errors} errors`;
	return (
		`Taking turns with n8n's own webhooks in ${paired.rounds} rounds of fresh payloads (same n8n, same workflow settings): ` +
		`${side('do-nothing', paired.noop)}; ${side('store-the-request (Webhook + Data Table upsert)', paired.store)}; ${side('intake', paired.intake)}: ` +
		`${ratio.toFixed(2)}x of the do-nothing webhook (rounds ${roundRange(paired)}; target >= ${BASELINE_TARGET}x), ` +
		`${(paired.intake.requestsPerSec / paired.store.requestsPerSec).toFixed(2)}x of the store-the-request webhook, which is ${(paired.store.requestsPerSec / paired.noop.requestsPerSec).toFixed(2)}x of the do-nothing one`
	);
}

function argument(name: string, fallback: number): number {
	const at = process.argv.indexOf(`--${name}`);
	const value = at > 0 ? Number(process.argv[at + 1]) : fallback;
	if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} takes a number`);
	return value;
}

async function main(): Promise<void> {
	const count = argument('count', 50_000);
	const options: LoadOptions = {
		count,
		clients: argument('clients', 20),
		redeliverShare: argument('redeliver', 0.02),
		deadlineSec: argument('deadline', defaultDeadlineSec(count)),
		seed: argument('seed', 7),
		progress: (line) => console.log(line),
		keep: process.argv.includes('--keep'),
		baseline: argument('baseline', 600),
	};
	const result = await runIntakeLoad(options);
	console.log(loadReport(result));
	printFigures(loadFigures(result));
	if (!loadPassed(result)) process.exitCode = 1;
}

if (require.main === module) {
	main().catch((error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	});
}
