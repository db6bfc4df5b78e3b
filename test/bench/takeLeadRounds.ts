import type { RealN8n } from '../e2e/realN8n';
import { template, unflatten } from '../e2e/realN8n';
import { MANAGERS } from '../e2e/setups';
import type { CpuWatch } from './benchN8n';
import type { Figure } from './figures';

/**
 * What the take-a-lead benchmarks in a real n8n share (takeLeadBench.ts: the queue in a Data Table;
 * crmTakeLeadBench.ts: the queue in amoCRM): the baseline workflows built from a template's own Webhook node, the
 * rounds whose order turns (each workflow pressed by the 20 managers at once, then presses alone taking turns), the
 * percentiles, where an execution's time goes (from the execution data n8n stored) and the figures against the issue's
 * targets (issue 20, item 4).
 */

export { MANAGERS };

/** The issue's targets against n8n's do-nothing webhook. */
export const TARGET_BURST_P95 = 1.3;
export const TARGET_ALONE_P50 = 1.2;

/** A whole number of at least 1 given as `--name N`, or the fallback. */
export function argument(name: string, fallback: number): number {
	const at = process.argv.indexOf(`--${name}`);
	const value = at > 0 ? Number(process.argv[at + 1]) : fallback;
	if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a whole number of at least 1`);
	return value;
}

export type BenchNode = { id: string; name: string; type: string; typeVersion: number; position: number[]; parameters: Record<string, unknown>; webhookId?: string; credentials?: object; executeOnce?: boolean };

export type Connections = Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;

/** The Webhook node of the template `file` on another path (same credential and settings), for a baseline workflow. */
export function hookOn(file: string, path: string, seq: number, parameters: Record<string, unknown> = {}): BenchNode {
	const hook = (template(file) as { nodes: BenchNode[] }).nodes.find((node) => node.type === 'n8n-nodes-base.webhook');
	if (!hook) throw new Error(`the template ${file} has no Webhook node`);
	return { ...hook, id: `b0000000-0000-4000-8000-00000000010${seq}`, webhookId: `b0000000-0000-4000-8000-00000000020${seq}`, parameters: { ...hook.parameters, path, ...parameters } };
}

/** A workflow of `nodes` in a chain, with the settings of the template `file`. */
export function chainWorkflow(file: string, id: string, name: string, nodes: BenchNode[]): Record<string, unknown> {
	const settings = (template(file) as { settings: object }).settings;
	const connections = Object.fromEntries(nodes.slice(0, -1).map((node, i) => [node.name, { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] }]));
	return { id, name, active: false, settings, nodes, connections, pinData: {} };
}

/** n8n's do-nothing webhook: the template's Webhook node alone on `path`, answering with no data when its execution ends. */
export function noopWorkflow(file: string, id: string, path: string): Record<string, unknown> {
	return chainWorkflow(file, id, 'Bench: do-nothing webhook', [hookOn(file, path, 1, { responseMode: 'lastNode', responseData: 'noData' })]);
}

/** A column of a Data Table node's mapping schema, as n8n's editor writes it. */
export function column(id: string, type = 'string'): Record<string, unknown> {
	return { id, displayName: id, required: false, defaultMatch: false, display: true, type, canBeUsedToMatch: true };
}

/** The Respond to Webhook node a floor workflow ends with: `{"outcome":"none"}`. */
export function respondNone(seq: number, position: number[]): BenchNode {
	return {
		id: `b0000000-0000-4000-8000-00000000010${seq}`,
		name: 'Respond',
		type: 'n8n-nodes-base.respondToWebhook',
		typeVersion: 1.4,
		position,
		parameters: { respondWith: 'json', responseBody: '={{ JSON.stringify({ outcome: "none" }) }}', options: {} },
	};
}

/** One workflow pressed in the rounds: its presses' times (20 at once, alone), n8n's CPU over its bursts, and the stand-in requests its presses made. */
export interface Side {
	name: string;
	workflowId: string;
	path: string;
	check: (body: string) => void;
	burst: number[];
	alone: number[];
	cpuSec: number;
	/** Presses in bursts (the CPU figure is per burst press), and all presses measured (bursts and alone). */
	presses: number;
	measured: number;
	/** Stand-in requests its measured presses made, by kind ("GET /api/v4/leads"). */
	requests: Record<string, number>;
}

export function sideOf(name: string, workflowId: string, path: string, check: (body: string) => void = () => {}): Side {
	return { name, workflowId, path, check, burst: [], alone: [], cpuSec: 0, presses: 0, measured: 0, requests: {} };
}

/** An answer to a floor workflow's press: `{"outcome":"none"}`. */
export const answersNone = (what: string) => (body: string) => {
	if (!body.includes('"none"')) throw new Error(`${what} answered ${body}`);
};

/**
 * The leads the presses' answers hand out (`idOf`: the answer lead's id), and how many went out twice; a press that
 * answers anything but an assigned lead stops the bench (`what` names the workflow in the error).
 */
export function handOuts(what: string, idOf: (lead: Record<string, string>) => string): { check: (body: string) => void; taken: Set<string>; duplicates: () => number } {
	const taken = new Set<string>();
	let duplicates = 0;
	const check = (body: string) => {
		const answer = JSON.parse(body) as { outcome: string; lead?: Record<string, string> };
		if (answer.outcome !== 'assigned' || answer.lead === undefined) throw new Error(`${what} answered ${body}`);
		const id = idOf(answer.lead);
		if (taken.has(id)) duplicates++;
		taken.add(id);
	};
	return { check, taken, duplicates: () => duplicates };
}

export function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function press(n8n: RealN8n, side: Side, managerId: string, into: number[]): Promise<void> {
	const started = performance.now();
	const answer = await n8n.callWebhook(side.path, { managerId });
	into.push(performance.now() - started);
	if (answer.status !== 200) throw new Error(`${side.name} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
	side.check(answer.body);
}

export interface Rounds {
	rounds: number;
	alone: number;
	/** n8n's processes, for their CPU time over each burst; null when one was not found. */
	watch: CpuWatch | null;
	/** Requests a stand-in has received so far, by kind: each side is charged what arrived during its own presses. */
	requestsSoFar?: () => Record<string, number>;
}

/**
 * A warm-up press of each side (n8n's first executions of a workflow compile and cache what later ones reuse), then
 * the rounds: in round r the sides take turns starting from side r, each pressed by the 20 managers at once, then
 * `alone` presses one at a time of each side in the same order.
 */
export async function pressRounds(n8n: RealN8n, sides: Side[], { rounds, alone, watch, requestsSoFar = () => ({}) }: Rounds): Promise<void> {
	for (const side of sides) await press(n8n, side, MANAGERS[0], []);
	const charged = async (side: Side, presses: number, run: () => Promise<void>) => {
		const before = requestsSoFar();
		await run();
		for (const [kind, count] of Object.entries(requestsSoFar())) side.requests[kind] = (side.requests[kind] ?? 0) + count - (before[kind] ?? 0);
		side.measured += presses;
	};
	for (let round = 0; round < rounds; round++) {
		const order = sides.map((_, turn) => sides[(round + turn) % sides.length]);
		for (const side of order) {
			await charged(side, MANAGERS.length, async () => {
				watch?.start();
				await Promise.all(MANAGERS.map((managerId) => press(n8n, side, managerId, side.burst)));
				side.cpuSec += watch?.stop().cpuSec ?? NaN;
				side.presses += MANAGERS.length;
			});
		}
		for (let i = 0; i < alone; i++) for (const side of order) await charged(side, 1, async () => await press(n8n, side, MANAGERS[(round + i) % MANAGERS.length], side.alone));
	}
}

export interface SideFigures {
	side: Side;
	p50: number;
	p95: number;
	aloneP50: number;
	/** n8n's CPU a press in the bursts, ms. */
	cpuMs: number;
}

export function sideFigures(side: Side): SideFigures {
	const burstSorted = [...side.burst].sort((a, b) => a - b);
	const aloneSorted = [...side.alone].sort((a, b) => a - b);
	return { side, p50: percentile(burstSorted, 50), p95: percentile(burstSorted, 95), aloneP50: percentile(aloneSorted, 50), cpuMs: (side.cpuSec * 1000) / side.presses };
}

/** Stand-in requests of every kind a measured press of the side made. */
export function requestsPerPress(side: Side): number {
	return Object.values(side.requests).reduce((sum, count) => sum + count, 0) / side.measured;
}

/** The table of every side's figures, and the stand-in requests a press made, by kind, when a stand-in was counted. */
export function printSides(figures: SideFigures[]): void {
	const requests = figures.some((f) => Object.keys(f.side.requests).length > 0);
	const more = requests ? ' stand-in requests a press |' : '';
	console.log(`| workflow | 20 at once: p50, ms | p95, ms | alone: p50, ms | n8n CPU a press (20 at once), ms |${more}\n|---|---:|---:|---:|---:|${requests ? '---|' : ''}`);
	for (const f of figures) {
		const kinds = Object.entries(f.side.requests).filter(([, count]) => count > 0);
		const perPress = requests ? ` ${requestsPerPress(f.side).toFixed(2)}${kinds.map(([kind, count]) => `; ${kind} ${(count / f.side.measured).toFixed(2)}`).join('')} |` : '';
		console.log(`| ${f.side.name} | ${f.p50.toFixed(0)} | ${f.p95.toFixed(0)} | ${f.aloneP50.toFixed(0)} | ${f.cpuMs.toFixed(1)} |${perPress}`);
	}
}

/** One stored execution: when it ran (epoch ms), and each node's runs and own time (executionTime of its runs, summed), ms. */
interface ExecutionTiming {
	start: number;
	stop: number;
	nodes: Map<string, { runs: number; ms: number }>;
}

function executionTimings(n8n: RealN8n, workflowId: string): ExecutionTiming[] {
	return n8n.successfulExecutions(workflowId).map((execution) => {
		const data = unflatten(execution.data) as { resultData: { runData: Record<string, Array<{ executionTime?: number }>> } };
		const nodes = new Map(Object.entries(data.resultData.runData).map(([name, runs]) => [name, { runs: runs.length, ms: runs.reduce((sum, run) => sum + (run.executionTime ?? 0), 0) }]));
		return { start: Date.parse(execution.startedAt), stop: Date.parse(execution.stoppedAt), nodes };
	});
}

/** The executions' own time (startedAt to stoppedAt) and each node's runs and time, per execution. */
function perExecution(executions: ExecutionTiming[]): { executionMs: number; nodes: Array<{ node: string; runs: number; ms: number }> } {
	const byNode = new Map<string, { runs: number; ms: number }>();
	for (const execution of executions) {
		for (const [name, { runs, ms }] of execution.nodes) {
			const node = byNode.get(name) ?? { runs: 0, ms: 0 };
			byNode.set(name, { runs: node.runs + runs, ms: node.ms + ms });
		}
	}
	const count = Math.max(executions.length, 1);
	const executionMs = executions.reduce((sum, execution) => sum + execution.stop - execution.start, 0) / count;
	return { executionMs, nodes: [...byNode].map(([node, { runs, ms }]) => ({ node, runs: runs / count, ms: ms / count })) };
}

/**
 * Where each side's time goes, from the execution data n8n stored: per node, its runs and time per execution and its
 * share of the execution's time, apart for the executions that ran alone (no execution of any side overlapping them:
 * the presses alone and the warm-up) and those that overlapped others (the presses 20 at once).
 */
export function printWhere(n8n: RealN8n, sides: Side[]): void {
	const all = sides.map((side) => ({ side, executions: executionTimings(n8n, side.workflowId) }));
	const flat = all.flatMap(({ executions }) => executions);
	const overlaps = (execution: ExecutionTiming) => flat.some((other) => other !== execution && other.start < execution.stop && execution.start < other.stop);
	for (const { side, executions } of all) {
		const groups: Array<[string, ExecutionTiming[]]> = [
			['alone', executions.filter((execution) => !overlaps(execution))],
			['at once', executions.filter(overlaps)],
		];
		for (const [when, group] of groups) {
			const t = perExecution(group);
			const inNodes = t.nodes.reduce((sum, n) => sum + n.ms, 0);
			console.log(`Where ${side.name}'s time goes, ${when} (${group.length} executions; execution ${t.executionMs.toFixed(1)} ms, of it in nodes ${inNodes.toFixed(1)} ms):`);
			for (const n of t.nodes) console.log(`  ${n.node}: ${n.runs.toFixed(2)} runs, ${n.ms.toFixed(1)} ms an execution (${((100 * n.ms) / t.executionMs).toFixed(0)} %)`);
		}
	}
}

/** What a benchmark calls its press and its floor in the figures. */
export interface Naming {
	bench: string;
	press: string;
	floor: string;
}

/**
 * The press against the issue's targets (p95 of 20 at once, p50 of a press alone, against n8n's do-nothing webhook
 * in the same run), and each target the floor already misses re-stated against the floor: no workflow that does the
 * floor's work can meet a target below the floor.
 */
export function targetFigures(naming: Naming, take: SideFigures, noop: SideFigures, floor: SideFigures): Figure[] {
	const burstRatio = take.p95 / noop.p95;
	const aloneRatio = take.aloneP50 / noop.aloneP50;
	const floorBurst = floor.p95 / noop.p95;
	const floorAlone = floor.aloneP50 / noop.aloneP50;
	console.log(`Against the do-nothing webhook: 20 at once p95 ${burstRatio.toFixed(2)}x (target <= ${TARGET_BURST_P95}x), alone p50 ${aloneRatio.toFixed(2)}x (target <= ${TARGET_ALONE_P50}x)`);
	console.log(`The ${naming.floor} against it: p95 ${floorBurst.toFixed(2)}x, alone p50 ${floorAlone.toFixed(2)}x; ${naming.press} against the floor: p95 ${(take.p95 / floor.p95).toFixed(2)}x, alone p50 ${(take.aloneP50 / floor.aloneP50).toFixed(2)}x`);
	const restated = (ratio: number, floorRatio: number, target: number, what: string): Figure => ({
		bench: naming.bench,
		figure: `${naming.press}, ${what}: against the ${naming.floor} (target re-stated: the floor is ${floorRatio.toFixed(2)}x the do-nothing webhook)`,
		value: ratio / floorRatio,
		unit: 'x',
		baseline: `${naming.floor}, same run`,
		ratio: `${(ratio / floorRatio).toFixed(2)}x the floor`,
		target: `<= ${target}x the floor`,
		met: ratio / floorRatio <= target,
	});
	return [
		{ bench: naming.bench, figure: `${naming.press}, ${MANAGERS.length} at once, p95`, value: take.p95, unit: 'ms', baseline: `n8n's do-nothing webhook p95 ${noop.p95.toFixed(0)} ms, same run`, ratio: `${burstRatio.toFixed(2)}x`, target: `<= ${TARGET_BURST_P95}x`, met: burstRatio <= TARGET_BURST_P95 },
		{ bench: naming.bench, figure: `${naming.press}, a press alone, p50`, value: take.aloneP50, unit: 'ms', baseline: `n8n's do-nothing webhook p50 ${noop.aloneP50.toFixed(0)} ms, same run`, ratio: `${aloneRatio.toFixed(2)}x`, target: `<= ${TARGET_ALONE_P50}x`, met: aloneRatio <= TARGET_ALONE_P50 },
		...(floorBurst > TARGET_BURST_P95 ? [restated(burstRatio, floorBurst, TARGET_BURST_P95, `${MANAGERS.length} at once, p95`)] : []),
		...(floorAlone > TARGET_ALONE_P50 ? [restated(aloneRatio, floorAlone, TARGET_ALONE_P50, 'a press alone, p50')] : []),
	];
}

/** The figure of leads handed out twice (target 0). */
export function duplicatesFigure(bench: string, what: string, duplicates: number): Figure {
	return { bench, figure: what, value: duplicates, unit: '', baseline: null, ratio: null, target: '0', met: duplicates === 0 };
}
