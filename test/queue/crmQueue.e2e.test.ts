import { amoQueueCredential, inWaves, intakeLeads, QUEUE, queueStandin, USERS, waiting, withManagers, WORK } from '../e2e/amoQueueSetup';
import { N8N_VERSION, packPack, template } from '../e2e/realN8n';
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
	queue.main.importWorkflow(template('lead-intake-amocrm.json'));
	queue.main.importWorkflow(withManagers('take-lead-amocrm.json'));
	queue.main.importWorkflow(withManagers('expire-leads-amocrm.json'));
	for (const id of ['saLeadIntakeAmo', 'saTakeLeadAmo', 'saExpireLeadsAmo']) queue.main.publish(id);
	await queue.start();
}, 600000);

afterAll(async () => {
	await queue?.stop();
	await amo.close();
}, 120000);

describe(`the lead queue in amoCRM, n8n ${N8N_VERSION} queue mode (main + 2 workers, Redis, Postgres)`, () => {
	it('200 presses, 20 at once, on 150 waiting leads (60 from the intake, 90 made by hand) on two workers: each lead assigned once, one claim marked won per lead', async () => {
		const intake = await Promise.all([0, 1, 2, 3, 4, 5].map(async (k) => await queue.main.callWebhook('leads-amo', intakeLeads(100 + k * 10, 10))));
		expect(intake.map((run) => run.status)).toEqual([200, 200, 200, 200, 200, 200]);
		const opened = new Map(queue.db.dataTableRows('lead_claims').map((row) => [String(row.crmLeadId), [row.id, row.claimToken]]));
		expect([...opened.values()].filter(([, token]) => token === 'open')).toHaveLength(60);
		amo.stored.push(...Array.from({ length: 90 }, (_, i) => waiting(20000 + i, 100 + i * 61, 1 + (i % 30))));
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
		// Each intake lead's row is its open row, taken by a press's update (the same row id).
		expect(rows.filter((row) => opened.has(String(row.crmLeadId))).map((row) => [String(row.crmLeadId), row.id]).sort()).toEqual([...opened].map(([crmLeadId, [id]]) => [crmLeadId, id]).sort());

		await queue.main.waitForExecutions('saTakeLeadAmo', 200);
		const ranOn = queue.workerOf();
		const split = queue.workers.map((_, index) => queue.main.executions('saTakeLeadAmo').filter((run) => ranOn.get(run.id) === index).length);
		console.log(`queue mode, amoCRM queue: take-a-lead executions per worker ${split.join(' / ')}`);
		expect(split.reduce((a, b) => a + b)).toBe(200);
		expect(split.every((count) => count > 0)).toBe(true);
	}, 240000);
});
