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
 * Usage: ts-node test/bench/takeLeadBench.ts [--rounds 5] [--alone 3] [--leads 300] [--queue] (--leads: still waiting after the
 * rounds; --queue: n8n in queue mode on Postgres, see benchN8n.ts)
 */
import { template } from '../e2e/realN8n';
import { benchN8n } from './benchN8n';
import { printFigures } from './figures';
import { answersNone, argument, chainWorkflow, column, duplicatesFigure, handOuts, hookOn, MANAGERS, noopWorkflow, pressRounds, printSides, printWhere, respondNone, sideFigures, sideOf, targetFigures, type BenchNode, type Connections } from './takeLeadRounds';

const TEMPLATE = 'take-lead.json';
const ROUNDS = argument('rounds', 5);
const ALONE = argument('alone', 3);
/** Leads still waiting after the rounds: the presses' own leads are added on top. */
const WAITING = argument('leads', 300);

const LEADS_TABLE = { __rl: true, mode: 'name', value: 'leads' };

/**
 * The claim floor: one Data Table get of the waiting leads (limit 1), one conditional update of that row (leadId and
 * state waiting, as a claim filters) and the answer. The update writes only claimToken and leaves the row waiting,
 * so the floor takes no lead from the take-a-lead presses.
 */
function floorWorkflow(): Record<string, unknown> {
	const dataTable = { type: 'n8n-nodes-base.dataTable', typeVersion: 1.1, alwaysOutputData: true };
	const waiting = { keyName: 'state', condition: 'eq', keyValue: 'waiting' };
	return chainWorkflow(TEMPLATE, 'saTakeLeadFloor', 'Bench: claim floor', [
		hookOn(TEMPLATE, 'claim-floor', 2),
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
		respondNone(5, [600, 0]),
	]);
}

/**
 * The chain before candidates, for a side-by-side figure: the template with Take Next handing on one lead, no Try
 * Candidates, and a lost claim looping back to Load Waiting Leads (a new read and rank), on its own path.
 */
function rereadWorkflow(take: { nodes: BenchNode[]; connections: Connections }): Record<string, unknown> {
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

async function main(): Promise<void> {
	const instance = await benchN8n();
	const n8n = instance.main;
	try {
		n8n.importCredentials([{ id: 'saTakeLeadAuth', name: 'Take a Lead button', type: 'httpHeaderAuth', data: { name: 'X-Lead-Key', value: 'bench-k3y' } }]);
		n8n.importWorkflow(template('lead-intake.json'));
		const take = template(TEMPLATE) as { nodes: BenchNode[]; connections: Connections };
		const node = take.nodes.find((n) => n.name === 'Take Next');
		if (node) node.parameters.managers = MANAGERS.join(', ');
		n8n.importWorkflow(take);
		n8n.importWorkflow(rereadWorkflow(take));
		n8n.importWorkflow(noopWorkflow(TEMPLATE, 'saTakeLeadNoop', 'do-nothing'));
		n8n.importWorkflow(floorWorkflow());
		for (const id of ['saLeadIntake', 'saTakeLead', 'saTakeLeadReread', 'saTakeLeadNoop', 'saTakeLeadFloor']) n8n.publish(id);
		await instance.start();
		const watch = instance.watch();
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

		const { check: handedOut, taken, duplicates: twice } = handOuts('take a lead', (lead) => lead.leadId);
		const sides = [
			sideOf("n8n's do-nothing webhook", 'saTakeLeadNoop', 'do-nothing'),
			sideOf('claim floor (Webhook, Data Table get limit 1, conditional update, Respond)', 'saTakeLeadFloor', 'claim-floor', answersNone('the claim floor')),
			sideOf('take a lead', 'saTakeLead', 'take-lead', handedOut),
			sideOf('take a lead, re-reading on a lost claim (the chain before candidates)', 'saTakeLeadReread', 'take-lead-reread', handedOut),
		];
		await pressRounds(n8n, sides, { rounds: ROUNDS, alone: ALONE, watch });

		const figures = sides.map(sideFigures);
		const [noopF, floorF, takeF, rereadF] = figures;
		console.log(`Take a lead in real n8n (${instance.setup}): ${ROUNDS} rounds taking turns, each of 20 simultaneous presses then ${ALONE} presses alone per workflow; ${WAITING} leads more than the presses take waiting at the start`);
		printSides(figures);
		// A target below the floor cannot be met by any workflow that claims in a Data Table: then it is re-stated against the floor.
		const targets = targetFigures({ bench: 'Lead Queue', press: 'take a lead', floor: 'claim floor' }, takeF, noopF, floorF);
		console.log(`Take a lead against the chain before candidates (same run): p95 ${(takeF.p95 / rereadF.p95).toFixed(2)}x, alone p50 ${(takeF.aloneP50 / rereadF.aloneP50).toFixed(2)}x, n8n CPU a press ${(takeF.cpuMs / rereadF.cpuMs).toFixed(2)}x`);
		console.log(`Leads handed out: ${taken.size}, twice: ${twice()}`);
		printWhere(n8n, sides);
		printFigures([
			...targets,
			{ bench: 'Lead Queue', figure: `take a lead, ${MANAGERS.length} at once: n8n CPU a press`, value: takeF.cpuMs, unit: 'ms', baseline: `re-reading on a lost claim ${rereadF.cpuMs.toFixed(0)} ms, same run`, ratio: `${(takeF.cpuMs / rereadF.cpuMs).toFixed(2)}x`, target: 'printed', met: true },
			duplicatesFigure('Lead Queue', 'leads handed out twice', twice()),
		]);
	} finally {
		await instance.stop();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
