import { amoQueueCredential, inWaves, QUEUE, queueStandin, USERS, waiting, withManagers, WORK } from '../e2e/amoQueueSetup';
import { N8N_VERSION, packPack } from '../e2e/realN8n';
import { MANAGERS } from '../e2e/setups';
import { QueueN8n } from './queueN8n';

/**
 * The lead queue kept in amoCRM in n8n's queue mode (main + 2 workers, Redis, Postgres; see queueN8n.ts): lead_claims
 * lives in Postgres, where a claim row's id is taken before its insert commits, the case "first row wins" could not
 * settle. 200 presses, 20 at once, on 150 waiting leads: each lead assigned once in amoCRM, one claim row marked won
 * per lead, no loser's row left.
 */
const amo = queueStandin();
let queue: QueueN8n;

beforeAll(async () => {
	await amo.start();
	queue = new QueueN8n(packPack());
	await queue.prepare();
	queue.main.importCredentials([amoQueueCredential(amo.url)]);
	queue.main.importWorkflow(withManagers('take-lead-amocrm.json'));
	queue.main.importWorkflow(withManagers('expire-leads-amocrm.json'));
	for (const id of ['saTakeLeadAmo', 'saExpireLeadsAmo']) queue.main.publish(id);
	await queue.start();
}, 600000);

afterAll(async () => {
	await queue?.stop();
	await amo.close();
}, 120000);

describe(`the lead queue in amoCRM, n8n ${N8N_VERSION} queue mode (main + 2 workers, Redis, Postgres)`, () => {
	it('200 presses, 20 at once, on 150 waiting leads on two workers: each lead assigned once, one claim marked won per lead', async () => {
		amo.stored.push(...Array.from({ length: 150 }, (_, i) => waiting(20000 + i, 100 + i * 37, 1 + (i % 30))));
		const started = Date.now();
		const presses = Array.from({ length: 200 }, (_, i) => MANAGERS[i % MANAGERS.length]);
		const answers = await inWaves(presses.length, 20, async (i) => await queue.main.callWebhook('take-lead-amo', { managerId: presses[i] }));
		console.log(`queue mode, amoCRM queue: 200 presses answered in ${((Date.now() - started) / 1000).toFixed(1)} s`);
		expect(answers.filter((answer) => answer.status !== 200).map((answer) => answer.body)).toEqual([]);
		const bodies = answers.map((answer) => JSON.parse(answer.body) as { outcome: string; lead?: { crmLeadId: string; assignedTo: string } });
		const taken = bodies.filter((body) => body.outcome === 'assigned');
		expect([taken.length, bodies.filter((body) => body.outcome === 'none').length]).toEqual([150, 50]);
		expect(new Set(taken.map((body) => body.lead?.crmLeadId)).size).toBe(150);

		// amoCRM's PATCH log: each of the 150 leads once, to the user of the manager the answer named.
		const owner = new Map(taken.map((body) => [Number(body.lead?.crmLeadId), String(body.lead?.assignedTo)]));
		expect(amo.patchLog).toHaveLength(150);
		for (const patch of amo.patchLog) expect(patch).toEqual({ id: patch.id, responsible_user_id: USERS[owner.get(Number(patch.id)) ?? ''], pipeline_id: WORK.pipeline, status_id: WORK.status });
		expect(amo.stored.filter((lead) => lead.status_id === QUEUE.status)).toEqual([]);

		// lead_claims in Postgres: one row per lead, marked won, by the manager amoCRM names; every loser's row deleted.
		const rows = queue.db.dataTableRows('lead_claims');
		expect(rows.filter((row) => row.won !== true).map((row) => [row.crmLeadId, row.claimToken, row.won])).toEqual([]);
		expect(rows.map((row) => [Number(row.crmLeadId), String(row.claimToken).split(':')[0]]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([...owner].sort((a, b) => a[0] - b[0]));

		await queue.main.waitForExecutions('saTakeLeadAmo', 200);
		const ranOn = queue.workerOf();
		const split = queue.workers.map((_, index) => queue.main.executions('saTakeLeadAmo').filter((run) => ranOn.get(run.id) === index).length);
		console.log(`queue mode, amoCRM queue: take-a-lead executions per worker ${split.join(' / ')}`);
		expect(split.reduce((a, b) => a + b)).toBe(200);
		expect(split.every((count) => count > 0)).toBe(true);
	}, 240000);
});
