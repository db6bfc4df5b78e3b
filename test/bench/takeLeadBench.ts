/**
 * "Take a lead" latency in a real n8n (issue 20, item 4): the lead intake and take-a-lead templates, waiting leads,
 * and four workflows of the same n8n pressed in rounds whose order turns each round, so that a change in the shared
 * host's speed weighs on all of them alike:
 * - n8n's own do-nothing webhook: the template's Webhook node alone (same credential and settings), answering when
 *   its execution ends: the baseline;
 * - the claim floor: n8n's own nodes only, doing the Data Table work any claim needs (Webhook -> one Data Table get
 *   of the waiting leads with limit 1 -> one conditional update of that row -> Respond to Webhook);
 * - take a lead (the template: one read, candidates claimed in turn);
 * - the chain before candidates (the template with one lead per read, a lost claim reading and ranking again).
 * Each round presses each workflow 20 at once (the 20 managers), then `--alone` presses one at a time, taking turns.
 * Prints p50 / p95 and n8n's CPU a press for each, the ratios against the do-nothing webhook, the floor and the chain before,
 * where a press's time goes (per node, from the execution data n8n stored), and that no lead went out twice.
 * Needs `npm run build` and the pinned n8n in .cache (scripts/install-n8n.sh).
 * Usage: ts-node test/bench/takeLeadBench.ts [--rounds 5] [--alone 3] [--leads 300] (--leads: still waiting after the rounds)
 */
import { packPack, RealN8n, template, unflatten } from '../e2e/realN8n';
import { n8nMainPid, ProcessWatch } from '../load/n8nProbe';
import { printFigures, type Figure } from './figures';

const KEY = { 'X-Lead-Key': 'bench-k3y' };
const MANAGERS = Array.from({ length: 20 }, (_, i) => `m${i + 1}@shop.ru`);

function argument(name: string, fallback: number): number {
	const at = process.argv.indexOf(`--${name}`);
	const value = at > 0 ? Number(process.argv[at + 1]) : fallback;
	if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a whole number of at least 1`);
	return value;
}

const ROUNDS = argument('rounds', 5);
const ALONE = argument('alone', 3);
/** Leads still waiting after the rounds: the presses' own leads are added on top. */
const WAITING = argument('leads', 300);

/** The targets against n8n's do-nothing webhook. */
const TARGET_BURST_P95 = 1.3;
const TARGET_ALONE_P50 = 1.2;

type Node = { id: string; name: string; type: string; typeVersion: number; position: number[]; parameters: Record<string, unknown>; webhookId?: string; credentials?: object };

interface Side {
	name: string;
	workflowId: string;
	path: string;
	check: (body: string) => void;
	burst: number[];
	alone: number[];
	cpuSec: number;
	presses: number;
}

/** The take-a-lead template's Webhook node on another path, for a baseline workflow. */
function hookOn(path: string, seq: number, parameters: Record<string, unknown> = {}): Node {
	const hook = (template('take-lead.json') as { nodes: Node[] }).nodes.find((node) => node.type === 'n8n-nodes-base.webhook');
	if (!hook) throw new Error('the take-a-lead template has no Webhook node');
	return { ...hook, id: `b0000000-0000-4000-8000-00000000010${seq}`, webhookId: `b0000000-0000-4000-8000-00000000020${seq}`, parameters: { ...hook.parameters, path, ...parameters } };
}

function workflow(id: string, name: string, nodes: Node[]): Record<string, unknown> {
	const settings = (template('take-lead.json') as { settings: object }).settings;
	const connections = Object.fromEntries(nodes.slice(0, -1).map((node, i) => [node.name, { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] }]));
	return { id, name, active: false, settings, nodes, connections, pinData: {} };
}

/** n8n's do-nothing webhook: the template's Webhook node alone, answering with no data when its execution ends. */
function noopWorkflow(): Record<string, unknown> {
	return workflow('saTakeLeadNoop', 'Bench: do-nothing webhook', [hookOn('do-nothing', 1, { responseMode: 'lastNode', responseData: 'noData' })]);
}

const LEADS_TABLE = { __rl: true, mode: 'name', value: 'leads' };
const column = (id: string) => ({ id, displayName: id, required: false, defaultMatch: false, display: true, type: 'string', canBeUsedToMatch: true });

/**
 * The claim floor: one Data Table get of the waiting leads (limit 1), one conditional update of that row (leadId and
 * state waiting, as a claim filters) and the answer. The update writes only claimToken and leaves the row waiting,
 * so the floor takes no lead from the take-a-lead presses.
 */
function floorWorkflow(): Record<string, unknown> {
	const dataTable = { type: 'n8n-nodes-base.dataTable', typeVersion: 1.1, alwaysOutputData: true };
	const waiting = { keyName: 'state', condition: 'eq', keyValue: 'waiting' };
	return workflow('saTakeLeadFloor', 'Bench: claim floor', [
		hookOn('claim-floor', 2),
		{
			...dataTable,
			id: 'b0000000-0000-4000-8000-000000000103',
			name: 'Read One',
			position: [200, 0],
			parameters: { resource: 'row', operation: 'get', dataTableId: LEADS_TABLE, matchType: 'allConditions', filters: { conditions: [waiting] }, limit: 1 },
		},
		{
			...dataTable,
			id: 'b0000000-0000-4000-8000-000000000104',
			name: 'Update It',
			position: [400, 0],
			parameters: {
				resource: 'row',
				operation: 'update',
				dataTableId: LEADS_TABLE,
				matchType: 'allConditions',
				filters: { conditions: [{ keyName: 'leadId', condition: 'eq', keyValue: '={{ $json.leadId }}' }, waiting] },
				columns: { mappingMode: 'defineBelow', value: { claimToken: "={{ 'floor:' + $execution.id }}" }, matchingColumns: [], schema: [column('claimToken')], attemptToConvertTypes: false, convertFieldsToString: false },
				options: {},
			},
		},
		{
			id: 'b0000000-0000-4000-8000-000000000105',
			name: 'Respond',
			type: 'n8n-nodes-base.respondToWebhook',
			typeVersion: 1.4,
			position: [600, 0],
			parameters: { respondWith: 'json', responseBody: '={{ JSON.stringify({ outcome: "none" }) }}', options: {} },
		},
	]);
}

type Connections = Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;

/**
 * The chain before candidates, for a side-by-side figure: the template with Take Next handing on one lead, no Try
 * Candidates, and a lost claim looping back to Load Waiting Leads (a new read and rank), on its own path.
 */
function rereadWorkflow(take: { nodes: Node[]; connections: Connections }): Record<string, unknown> {
	const nodes = take.nodes
		.filter((node) => node.name !== 'Try Candidates')
		.map((node) => {
			if (node.type === 'n8n-nodes-base.webhook') return { ...node, id: 'b0000000-0000-4000-8000-000000000106', webhookId: 'b0000000-0000-4000-8000-000000000206', parameters: { ...node.parameters, path: 'take-lead-reread' } };
			if (node.name !== 'Take Next') return node;
			const { candidates: _one, ...parameters } = node.parameters;
			return { ...node, parameters };
		});
	const connections: Connections = { ...take.connections };
	delete connections['Try Candidates'];
	const to = (node: string) => [{ node, type: 'main', index: 0 }];
	connections['Lead Chosen?'] = { main: [to('Claim Lead'), connections['Lead Chosen?'].main[1]] };
	connections['Confirm Claim'] = { main: [connections['Confirm Claim'].main[0], to('Load Waiting Leads')] };
	return { ...take, id: 'saTakeLeadReread', name: 'Bench: take a lead, re-reading on a lost claim', nodes, connections };
}

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function press(n8n: RealN8n, side: Side, managerId: string, into: number[]): Promise<void> {
	const started = performance.now();
	const answer = await n8n.callWebhook(side.path, { managerId }, undefined, KEY);
	into.push(performance.now() - started);
	if (answer.status !== 200) throw new Error(`${side.name} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
	side.check(answer.body);
}

/** One round of one workflow: the 20 managers at once, with n8n's CPU time over it. */
async function burst(n8n: RealN8n, side: Side, watch: ProcessWatch | null): Promise<void> {
	watch?.start();
	await Promise.all(MANAGERS.map((managerId) => press(n8n, side, managerId, side.burst)));
	side.cpuSec += watch?.stop().cpuSec ?? NaN;
	side.presses += MANAGERS.length;
}

interface NodeTiming {
	node: string;
	/** Runs of the node per execution, and its own time per execution (executionTime of its runs, summed), ms. */
	runs: number;
	ms: number;
}

/**
 * Where the workflow's executions spent their time, from what n8n stored: each node's runs and time per execution,
 * and the execution's own time (startedAt to stoppedAt) per execution.
 */
function timings(n8n: RealN8n, workflowId: string): { executions: number; executionMs: number; nodes: NodeTiming[] } {
	const executions = n8n.successfulExecutions(workflowId);
	const byNode = new Map<string, { runs: number; ms: number }>();
	let total = 0;
	for (const execution of executions) {
		total += Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt);
		const data = unflatten(execution.data) as { resultData: { runData: Record<string, Array<{ executionTime?: number }>> } };
		for (const [name, runs] of Object.entries(data.resultData.runData)) {
			const node = byNode.get(name) ?? { runs: 0, ms: 0 };
			node.runs += runs.length;
			node.ms += runs.reduce((sum, run) => sum + (run.executionTime ?? 0), 0);
			byNode.set(name, node);
		}
	}
	const count = Math.max(executions.length, 1);
	return { executions: executions.length, executionMs: total / count, nodes: [...byNode].map(([node, { runs, ms }]) => ({ node, runs: runs / count, ms: ms / count })) };
}

async function main(): Promise<void> {
	const n8n = new RealN8n(packPack());
	try {
		n8n.importCredentials([{ id: 'saTakeLeadAuth', name: 'Take a Lead button', type: 'httpHeaderAuth', data: { name: 'X-Lead-Key', value: 'bench-k3y' } }]);
		n8n.importWorkflow(template('lead-intake.json'));
		const take = template('take-lead.json') as { nodes: Node[]; connections: Connections };
		const node = take.nodes.find((n) => n.name === 'Take Next');
		if (node) node.parameters.managers = MANAGERS.join(', ');
		n8n.importWorkflow(take);
		n8n.importWorkflow(rereadWorkflow(take));
		n8n.importWorkflow(noopWorkflow());
		n8n.importWorkflow(floorWorkflow());
		for (const id of ['saLeadIntake', 'saTakeLead', 'saTakeLeadReread', 'saTakeLeadNoop', 'saTakeLeadFloor']) n8n.publish(id);
		await n8n.start();
		const pid = n8nMainPid(n8n.userFolder);
		const watch = pid === null ? null : new ProcessWatch(pid);
		// Both take-a-lead workflows take a lead with every press, warm-up included.
		const total = WAITING + 2 * (ROUNDS * (MANAGERS.length + ALONE) + 1);
		const leads = Array.from({ length: total }, (_, i) => ({
			leadId: `B${i}`,
			createdAt: new Date(Date.now() - (i % 50) * 3_600_000).toISOString(),
			from: ['Москва', 'Омск', 'Новосибирск', 'Казань'][i % 4],
			to: ['Иркутск', 'Самара', 'Хабаровск', 'Москва'][i % 4],
			weight: `${200 + ((i * 137) % 19000)} кг`,
			name: `Client ${i}`,
			phone: `+7 913 ${String(10000000 + i).slice(1)}`,
		}));
		const intake = await n8n.callWebhook('leads', leads);
		if (intake.status !== 200) throw new Error(`lead intake failed: ${intake.body}`);

		const taken = new Set<string>();
		let duplicates = 0;
		const handedOut = (body: string) => {
			const answer = JSON.parse(body) as { outcome: string; lead?: { leadId: string } };
			if (answer.outcome !== 'assigned' || answer.lead === undefined) throw new Error(`take a lead answered ${body}`);
			if (taken.has(answer.lead.leadId)) duplicates++;
			taken.add(answer.lead.leadId);
		};
		const sideOf = (name: string, workflowId: string, path: string, check: (body: string) => void): Side => ({ name, workflowId, path, check, burst: [], alone: [], cpuSec: 0, presses: 0 });
		const sides = [
			sideOf("n8n's do-nothing webhook", 'saTakeLeadNoop', 'do-nothing', () => {}),
			sideOf('claim floor (Webhook, Data Table get limit 1, conditional update, Respond)', 'saTakeLeadFloor', 'claim-floor', (body) => {
				if (!body.includes('"none"')) throw new Error(`the claim floor answered ${body}`);
			}),
			sideOf('take a lead', 'saTakeLead', 'take-lead', handedOut),
			sideOf('take a lead, re-reading on a lost claim (the chain before candidates)', 'saTakeLeadReread', 'take-lead-reread', handedOut),
		];
		// Warm-up: n8n's first executions of a workflow compile and cache what later ones reuse.
		for (const side of sides) await press(n8n, side, MANAGERS[0], []);
		for (let round = 0; round < ROUNDS; round++) {
			const order = sides.map((_, turn) => sides[(round + turn) % sides.length]);
			for (const side of order) await burst(n8n, side, watch);
			for (let i = 0; i < ALONE; i++) for (const side of order) await press(n8n, side, MANAGERS[(round + i) % MANAGERS.length], side.alone);
		}

				const figures = sides.map((side) => {
			const burstSorted = [...side.burst].sort((a, b) => a - b);
			const aloneSorted = [...side.alone].sort((a, b) => a - b);
			return { side, p50: percentile(burstSorted, 50), p95: percentile(burstSorted, 95), aloneP50: percentile(aloneSorted, 50), cpuMs: (side.cpuSec * 1000) / side.presses };
		});
		const [noopF, floorF, takeF, rereadF] = figures;
		console.log(`Take a lead in real n8n: ${ROUNDS} rounds taking turns, each of 20 simultaneous presses then ${ALONE} presses alone per workflow; ${WAITING} leads more than the presses take waiting at the start`);
		console.log('| workflow | 20 at once: p50, ms | p95, ms | alone: p50, ms | n8n CPU a press (20 at once), ms |\n|---|---:|---:|---:|---:|');
		for (const f of figures) console.log(`| ${f.side.name} | ${f.p50.toFixed(0)} | ${f.p95.toFixed(0)} | ${f.aloneP50.toFixed(0)} | ${f.cpuMs.toFixed(1)} |`);
		const burstRatio = takeF.p95 / noopF.p95;
		const aloneRatio = takeF.aloneP50 / noopF.aloneP50;
		const floorBurst = floorF.p95 / noopF.p95;
		const floorAlone = floorF.aloneP50 / noopF.aloneP50;
		console.log(`Against the do-nothing webhook: 20 at once p95 ${burstRatio.toFixed(2)}x (target <= ${TARGET_BURST_P95}x), alone p50 ${aloneRatio.toFixed(2)}x (target <= ${TARGET_ALONE_P50}x)`);
		console.log(`The claim floor against it: p95 ${floorBurst.toFixed(2)}x, alone p50 ${floorAlone.toFixed(2)}x; take a lead against the floor: p95 ${(takeF.p95 / floorF.p95).toFixed(2)}x, alone p50 ${(takeF.aloneP50 / floorF.aloneP50).toFixed(2)}x`);
		console.log(`Take a lead against the chain before candidates (same run): p95 ${(takeF.p95 / rereadF.p95).toFixed(2)}x, alone p50 ${(takeF.aloneP50 / rereadF.aloneP50).toFixed(2)}x, n8n CPU a press ${(takeF.cpuMs / rereadF.cpuMs).toFixed(2)}x`);
		console.log(`Leads handed out: ${taken.size}, twice: ${duplicates}`);
		for (const { name, workflowId } of sides) {
			const t = timings(n8n, workflowId);
			const inNodes = t.nodes.reduce((sum, n) => sum + n.ms, 0);
			console.log(`Where ${name}'s time goes (${t.executions} executions; execution ${t.executionMs.toFixed(1)} ms, of it in nodes ${inNodes.toFixed(1)} ms):`);
			for (const n of t.nodes) console.log(`  ${n.node}: ${n.runs.toFixed(2)} runs, ${n.ms.toFixed(1)} ms an execution`);
		}
		// A target below the floor cannot be met by any workflow that claims in a Data Table: then it is re-stated against the floor.
		const restated = (ratio: number, floorRatio: number, target: number, what: string): Figure => ({
			bench: 'Lead Queue',
			figure: `take a lead, ${what}: against the claim floor (target re-stated: the floor is ${floorRatio.toFixed(2)}x the do-nothing webhook)`,
			value: ratio / floorRatio,
			unit: 'x',
			baseline: 'claim floor, same run',
			ratio: `${(ratio / floorRatio).toFixed(2)}x the floor`,
			target: `<= ${target}x the floor`,
			met: ratio / floorRatio <= target,
		});
		printFigures([
			{ bench: 'Lead Queue', figure: `take a lead, ${MANAGERS.length} at once, p95`, value: takeF.p95, unit: 'ms', baseline: `n8n's do-nothing webhook p95 ${noopF.p95.toFixed(0)} ms, same run`, ratio: `${burstRatio.toFixed(2)}x`, target: `<= ${TARGET_BURST_P95}x`, met: burstRatio <= TARGET_BURST_P95 },
			{ bench: 'Lead Queue', figure: 'take a lead, a press alone, p50', value: takeF.aloneP50, unit: 'ms', baseline: `n8n's do-nothing webhook p50 ${noopF.aloneP50.toFixed(0)} ms, same run`, ratio: `${aloneRatio.toFixed(2)}x`, target: `<= ${TARGET_ALONE_P50}x`, met: aloneRatio <= TARGET_ALONE_P50 },
			...(floorBurst > TARGET_BURST_P95 ? [restated(burstRatio, floorBurst, TARGET_BURST_P95, `${MANAGERS.length} at once, p95`)] : []),
			...(floorAlone > TARGET_ALONE_P50 ? [restated(aloneRatio, floorAlone, TARGET_ALONE_P50, 'a press alone, p50')] : []),
			{ bench: 'Lead Queue', figure: `take a lead, ${MANAGERS.length} at once: n8n CPU a press`, value: takeF.cpuMs, unit: 'ms', baseline: `re-reading on a lost claim ${rereadF.cpuMs.toFixed(0)} ms, same run`, ratio: `${(takeF.cpuMs / rereadF.cpuMs).toFixed(2)}x`, target: 'printed', met: true },
			{ bench: 'Lead Queue', figure: 'leads handed out twice', value: duplicates, unit: '', baseline: null, ratio: null, target: '0', met: duplicates === 0 },
		]);
	} finally {
		await n8n.stop();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
