import { N8N_VERSION, packPack, RealN8n, template, WEBHOOK_TOKEN_HEADER } from './realN8n';
import { MANAGERS, siteLead as lead, takeLeadTemplate } from './setups';

/**
 * The lead queue templates in a real n8n: lead intake (qualify into the leads Data Table), take a lead (200
 * managers' presses at once against 150 waiting leads), and closing stale leads.
 */
let n8n: RealN8n;

beforeAll(async () => {
	n8n = new RealN8n(packPack());
	n8n.importWorkflow(template('lead-intake.json'));
	n8n.importWorkflow(takeLeadTemplate());
	n8n.importWorkflow(template('expire-leads.json'));
	for (const id of ['saLeadIntake', 'saTakeLead', 'saExpireLeads']) n8n.publish(id);
	await n8n.start();
}, 300000);

afterAll(async () => {
	await n8n?.stop();
});

describe(`lead queue templates in real n8n ${N8N_VERSION}`, () => {
	it('queues qualified leads and logs the rejected ones with their reasons', async () => {
		const leads = Array.from({ length: 150 }, (_, i) => lead(i, `${150 + i * 130} кг`, 1 + (i % 30)));
		const run = await n8n.callWebhook('leads', [...leads, lead(900, '50 кг', 1), { ...lead(901, '1 т', 1), phone: '' }]);
		expect([run.status, run.status === 200 ? '' : run.body]).toEqual([200, '']);
		const queued = n8n.dataTableRows('leads');
		expect(queued).toHaveLength(150);
		expect(new Set(queued.map((row) => row.state))).toEqual(new Set(['waiting']));
		const rejected = n8n.dataTableRows('lead_rejections');
		expect(rejected.map((row) => row.leadId)).toEqual(['L0900', 'L0901']);
		expect(String(rejected[0].reasons)).toMatch(/100/);
	});

	it('hands 150 waiting leads to 200 simultaneous presses: each lead once, 50 told none are waiting', async () => {
		const presses = Array.from({ length: 200 }, (_, i) => MANAGERS[i % MANAGERS.length]);
		const answers = await Promise.all(presses.map((managerId) => n8n.callWebhook('take-lead', { managerId })));
		expect(answers.filter((answer) => answer.status !== 200).map((answer) => answer.body)).toEqual([]);
		const bodies = answers.map((answer) => JSON.parse(answer.body) as { outcome: string; lead?: { leadId: string; assignedTo: string } });
		const taken = bodies.filter((body) => body.outcome === 'assigned');
		expect(taken).toHaveLength(150);
		expect(bodies.filter((body) => body.outcome === 'none')).toHaveLength(50);
		expect(new Set(taken.map((body) => body.lead?.leadId)).size).toBe(150);
		const rows = n8n.dataTableRows('leads');
		expect(rows.filter((row) => row.state === 'assigned')).toHaveLength(150);
		const owner = new Map(taken.map((body) => [body.lead?.leadId, body.lead?.assignedTo]));
		for (const row of rows) expect([row.leadId, row.assignedTo, String(row.claimToken).split(':')[0]]).toEqual([row.leadId, owner.get(String(row.leadId)), owner.get(String(row.leadId))]);
	}, 600000);

	it('answers 400 for a missing or unknown manager and refuses a press without the header', async () => {
		const unknown = await n8n.callWebhook('take-lead', { managerId: 'stranger@shop.ru' });
		expect([unknown.status, JSON.parse(unknown.body)]).toEqual([400, { outcome: 'refused', message: 'Manager «stranger@shop.ru» is not in the managers list' }]);
		const missing = await n8n.callWebhook('take-lead', {});
		expect(missing.status).toBe(400);
		const noKey = await n8n.callWebhook('take-lead', { managerId: MANAGERS[0] }, undefined, {});
		const wrongKey = await n8n.callWebhook('take-lead', { managerId: MANAGERS[0] }, undefined, { [WEBHOOK_TOKEN_HEADER]: 'not-the-key' });
		expect([noKey.status, wrongKey.status]).toEqual([403, 403]);
	});

	it('closes waiting leads under 200 kg after two days, and only those', async () => {
		const run = await n8n.callWebhook('leads', [lead(500, '150 кг', 49), lead(501, '150 кг', 47), lead(502, '500 кг', 72)]);
		expect(run.status).toBe(200);
		const expire = await n8n.callWebhook('expire-leads');
		expect([expire.status, expire.status === 200 ? '' : expire.body]).toEqual([200, '']);
		const rows = n8n.dataTableRows('leads').filter((row) => ['L0500', 'L0501', 'L0502'].includes(String(row.leadId)));
		expect(rows.map((row) => [row.leadId, row.state, row.closedReason])).toEqual([
			['L0500', 'closed', 'closed, not realised'],
			['L0501', 'waiting', null],
			['L0502', 'waiting', null],
		]);
	});
});
