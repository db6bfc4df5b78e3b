/**
 * "Take a lead" latency in a real n8n: the lead intake and take-a-lead templates, 300 waiting leads, then rounds of
 * 20 managers pressing at the same moment; prints p50 / p95 / p99 of the answer time against the target (p95 ≤ 150 ms)
 * and checks that no lead went out twice. The baseline is n8n's own floor on the machine: the same webhook (header
 * auth, answered by a Respond to Webhook node) doing nothing else, pressed 20 at a time. Needs `npm run build` and the pinned n8n in .cache (scripts/install-n8n.sh).
 * Usage: ts-node test/bench/takeLeadBench.ts [--rounds 10]
 */
import { packPack, RealN8n, template } from '../e2e/realN8n';
import { printFigures } from './figures';

const KEY = { 'X-Lead-Key': 'bench-k3y' };
const MANAGERS = Array.from({ length: 20 }, (_, i) => `m${i + 1}@shop.ru`);
const roundsAt = process.argv.indexOf('--rounds');
const ROUNDS = roundsAt > 0 ? Number(process.argv[roundsAt + 1]) : 10;

/** The take-a-lead template cut down to its webhook and an answer: what any press costs in this n8n, before our work. */
function floorWorkflow(): Record<string, unknown> {
	type Node = { name: string; parameters: Record<string, unknown>; webhookId?: string; id: string };
	const take = template('take-lead.json') as { nodes: Node[] };
	const hook = take.nodes.find((n) => n.name === 'Take a Lead') as Node;
	const respond = take.nodes.find((n) => n.name === 'Respond Without Lead') as Node;
	return {
		id: 'saTakeLeadFloor',
		name: 'Bench: webhook floor',
		active: false,
		settings: {},
		nodes: [
			{ ...hook, id: 'f1', webhookId: 'b7a4e1c2-0000-4000-8000-00000000f100', parameters: { ...hook.parameters, path: 'floor' } },
			{ ...respond, id: 'f2', parameters: { respondWith: 'json', responseBody: '={{ JSON.stringify({ outcome: "none", managerId: $json.body.managerId }) }}', options: {} } },
		],
		connections: { [hook.name]: { main: [[{ node: respond.name, type: 'main', index: 0 }]] } },
	};
}

/** Latencies of `rounds` rounds of every manager pressing `path` at the same moment; `check` reads each answer. */
async function pressRounds(n8n: RealN8n, path: string, rounds: number, check: (body: string) => void): Promise<number[]> {
	const times: number[] = [];
	for (let round = 0; round < rounds; round++) {
		await Promise.all(
			MANAGERS.map(async (managerId) => {
				const started = performance.now();
				const answer = await n8n.callWebhook(path, { managerId }, undefined, KEY);
				times.push(performance.now() - started);
				check(answer.body);
			}),
		);
	}
	return times.sort((a, b) => a - b);
}

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
	const n8n = new RealN8n(packPack());
	try {
		n8n.importCredentials([{ id: 'saTakeLeadAuth', name: 'Take a Lead button', type: 'httpHeaderAuth', data: { name: 'X-Lead-Key', value: 'bench-k3y' } }]);
		n8n.importWorkflow(template('lead-intake.json'));
		const take = template('take-lead.json') as { nodes: Array<{ name: string; parameters: Record<string, unknown> }> };
		const node = take.nodes.find((n) => n.name === 'Take Next');
		if (node) node.parameters.managers = MANAGERS.join(', ');
		n8n.importWorkflow(take);
		n8n.importWorkflow(floorWorkflow());
		for (const id of ['saLeadIntake', 'saTakeLead', 'saTakeLeadFloor']) n8n.publish(id);
		await n8n.start();
		const leads = Array.from({ length: ROUNDS * 20 + 100 }, (_, i) => ({
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
		await n8n.callWebhook('take-lead', { managerId: MANAGERS[0] }, undefined, KEY); // warm-up
		await n8n.callWebhook('floor', { managerId: MANAGERS[0] }, undefined, KEY);
		const floor = await pressRounds(n8n, 'floor', ROUNDS, (body) => {
			if (!body.includes('"none"')) throw new Error(`the floor workflow answered ${body}`);
		});
		const taken = new Set<string>();
		let duplicates = 0;
		const sorted = await pressRounds(n8n, 'take-lead', ROUNDS, (body) => {
			const id = (JSON.parse(body) as { lead?: { leadId: string } }).lead?.leadId;
			if (id === undefined) return;
			if (taken.has(id)) duplicates++;
			taken.add(id);
		});
		const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(sorted, p));
		const [floor50, floor95] = [50, 95].map((p) => percentile(floor, p));
		console.log(`Take a lead in real n8n: ${ROUNDS} rounds of ${MANAGERS.length} simultaneous presses, ${leads.length} leads waiting at the start`);
		console.log('| presses | p50, ms | p95, ms | p99, ms | max, ms | leads handed out | handed out twice |\n|---:|---:|---:|---:|---:|---:|---:|');
		console.log(`| ${sorted.length} | ${p50.toFixed(0)} | ${p95.toFixed(0)} | ${p99.toFixed(0)} | ${sorted[sorted.length - 1].toFixed(0)} | ${taken.size} | ${duplicates} |`);
		console.log(`| n8n's floor (webhook -> answer, nothing else) | ${floor50.toFixed(0)} | ${floor95.toFixed(0)} | ${percentile(floor, 99).toFixed(0)} | ${floor[floor.length - 1].toFixed(0)} | | |`);
		console.log(`Target p95 <= 150 ms: ${p95 <= 150 ? 'MET' : 'MISSED'} (${(p95 / floor95).toFixed(1)}x n8n's own floor of ${floor95.toFixed(0)} ms); no lead twice: ${duplicates === 0 ? 'MET' : 'MISSED'}`);
		printFigures([
			{ bench: 'Lead Queue', figure: `take a lead, ${MANAGERS.length} at once, p95`, value: p95, unit: 'ms', baseline: `n8n floor p95 ${floor95.toFixed(0)} ms`, ratio: `${(p95 / floor95).toFixed(1)}x the floor`, target: '<= 150 ms', met: p95 <= 150 },
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
