import { amoQueueCredential, inWaves, intakeLeads, QUEUE, queueStandin, USERS, waiting, withManagers, WORK } from './amoQueueSetup';
import { N8N_VERSION, packPack, RealN8n, template, unflatten } from './realN8n';
import { MANAGERS } from './setups';

/** An execution's run data: each node's runs, with their output items. */
type RunData = Record<string, Array<{ data: { main: Array<Array<{ json: Record<string, unknown> }>> } }>>;

/**
 * The lead queue kept in amoCRM, with the amoCRM templates in a real n8n against the stand-in answering in about
 * 100 ms: lead intake into the queue status; 200 presses (20 at once) on 150 waiting leads, each lead assigned once in
 * amoCRM; a claim whose assignment failed repaired by the expire run; an old small lead closed with 143; a claim row
 * left by a press that stopped before marking it won, released by the expire run, and the lead then taken; leads
 * still waiting with old won claims passed over; a lead of the intake without its open row given one by the expire run.
 */
// The stand-in keeps amoCRM's answers but not its 7 requests a second across the account: each n8n execution keeps
// 7 a second on its own, and 20 executions at once would send 20 at a time (see docs/nodes/lead-queue.md).
const amo = queueStandin();
let n8n: RealN8n;

/**
 * Writes a claim row into lead_claims as a press that stopped after its insert leaves it (not marked won), or an
 * old claim marked won, straight into n8n's SQLite database (the test's only way to stop a press between two nodes).
 */
function leaveClaimRow(crmLeadId: string, claimToken: string, claimedAtMs: number, won = false): void {
	n8n.alterDataTable('lead_claims', `insert into {table} ("crmLeadId", "claimToken", "lead", "claimedAtMs", "won") values ('${crmLeadId}', '${claimToken}', '{}', ${claimedAtMs}, ${won ? 1 : 0})`);
}

beforeAll(async () => {
	await amo.start();
	n8n = new RealN8n(packPack());
	n8n.importCredentials([amoQueueCredential(amo.url)]);
	n8n.importWorkflow(template('lead-intake-amocrm.json'));
	n8n.importWorkflow(withManagers('take-lead-amocrm.json'));
	n8n.importWorkflow(withManagers('expire-leads-amocrm.json'));
	for (const id of ['saLeadIntakeAmo', 'saTakeLeadAmo', 'saExpireLeadsAmo']) n8n.publish(id);
	await n8n.start();
}, 300000);

afterAll(async () => {
	await n8n?.stop();
	await amo.close();
});

describe(`the lead queue in amoCRM, real n8n ${N8N_VERSION}`, () => {
	it('intake creates exactly the accepted leads in the queue status with their fields, and a redelivery creates nothing', async () => {
		const leads = [
			{ leadId: 'S1', createdAt: '2026-11-23T10:15:00+03:00', from: 'Новосибирск', to: 'Москва', weight: '2,5 т', volume: '12 м3', name: 'Ольга', phone: '8 (913) 555-12-34', utm_source: 'yandex', utm_medium: 'cpc' },
			{ leadId: 'S2', createdAt: '2026-11-23T11:00:00+03:00', form: 'callback', name: 'Пётр', phone: '+7 916 000-11-22' },
			{ leadId: 'S3', createdAt: '2026-11-23T11:30:00+03:00', from: 'Омск', to: 'Казань', weight: '50 кг', phone: '+7 916 000-11-23' },
		];
		const run = await n8n.callWebhook('leads-amo', leads);
		expect([run.status, run.status === 200 ? '' : run.body]).toEqual([200, '']);
		// 2026-11-23 10:15 Moscow = 07:15 UTC = unix 1795418100 (2026-11-23 00:00 UTC is 1795392000).
		expect(amo.createLog.map(({ lead }) => lead)).toEqual([
			{
				name: 'S1: Новосибирск → Москва, 2500 kg',
				pipeline_id: 7001,
				status_id: 41001,
				created_at: 1795418100,
				custom_fields_values: [
					{ field_id: 801, values: [{ value: 'S1' }] },
					{ field_id: 802, values: [{ value: 'Новосибирск' }] },
					{ field_id: 803, values: [{ value: 'Москва' }] },
					{ field_id: 804, values: [{ value: 2500 }] },
					{ field_id: 805, values: [{ value: 12 }] },
					{ field_id: 806, values: [{ value: 'full' }] },
					{ field_code: 'UTM_SOURCE', values: [{ value: 'yandex' }] },
					{ field_code: 'UTM_MEDIUM', values: [{ value: 'cpc' }] },
				],
				_embedded: { contacts: [{ first_name: 'Ольга', custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+79135551234', enum_code: 'WORK' }] }] }] },
				request_id: 'S1',
			},
			{
				name: 'S2: callback, Пётр',
				pipeline_id: 7001,
				status_id: 41001,
				created_at: 1795420800,
				custom_fields_values: [
					{ field_id: 801, values: [{ value: 'S2' }] },
					{ field_id: 806, values: [{ value: 'callback' }] },
				],
				_embedded: { contacts: [{ first_name: 'Пётр', custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+79160001122', enum_code: 'WORK' }] }] }] },
				request_id: 'S2',
			},
		]);
		expect(n8n.dataTableRows('lead_rejections').map((row) => row.leadId)).toEqual(['S3']);
		// Each lead the intake created has its open claim row, nobody's yet: the row a press takes by one update.
		const openRows = () => n8n.dataTableRows('lead_claims').map((row) => [row.crmLeadId, row.claimToken, row.won, JSON.parse(String(row.lead)).leadId]);
		const created = amo.stored.map((lead) => String(lead.id));
		expect(openRows()).toEqual([
			[created[0], 'open', 0, 'S1'],
			[created[1], 'open', 0, 'S2'],
		]);
		const again = await n8n.callWebhook('leads-amo', leads.slice(0, 2));
		expect(again.status).toBe(200);
		expect(amo.createLog).toHaveLength(2);
		expect(openRows()).toHaveLength(2);

		// The intake's leads leave the queue, so that the presses below meet exactly 150.
		for (const lead of amo.stored) lead.status_id = 41999;
	}, 120000);

	it('200 presses, 20 at once, on 150 waiting leads (60 from the intake, 90 made by hand): each lead assigned once in amoCRM, 50 told none waits', async () => {
		const intake = await Promise.all([0, 1, 2, 3, 4, 5].map(async (k) => await n8n.callWebhook('leads-amo', intakeLeads(100 + k * 10, 10))));
		expect(intake.map((run) => run.status)).toEqual([200, 200, 200, 200, 200, 200]);
		const opened = new Map(n8n.dataTableRows('lead_claims').filter((row) => row.claimToken === 'open' && JSON.parse(String(row.lead)).leadId.startsWith('P')).map((row) => [String(row.crmLeadId), row.id]));
		expect(opened.size).toBe(60);
		amo.stored.push(...Array.from({ length: 90 }, (_, i) => waiting(20000 + i, 100 + i * 61, 1 + (i % 30))));
		expect(amo.stored.filter((lead) => lead.status_id === QUEUE.status)).toHaveLength(150);
		const managers = Array.from({ length: 200 }, (_, i) => MANAGERS[i % MANAGERS.length]);
		const before = n8n.successfulExecutions('saTakeLeadAmo').length;
		const answers = await inWaves(managers.length, 20, async (i) => await n8n.callWebhook('take-lead-amo', { managerId: managers[i] }));
		expect(answers.filter((answer) => answer.status !== 200).map((answer) => answer.body)).toEqual([]);
		const bodies = answers.map((answer) => JSON.parse(answer.body) as { outcome: string; cardUrl?: string; lead?: { crmLeadId: string; assignedTo: string } });
		const taken = bodies.filter((body) => body.outcome === 'assigned');
		expect([taken.length, bodies.filter((body) => body.outcome === 'none').length]).toEqual([150, 50]);
		expect(new Set(taken.map((body) => body.lead?.crmLeadId)).size).toBe(150);
		for (const body of taken) expect(body.cardUrl).toBe(`${amo.url}/leads/detail/${String(body.lead?.crmLeadId)}`);
		// amoCRM's PATCH log: each of the 150 leads once, to the user of the manager the answer named.
		const ofTheseLeads = (crmLeadId: unknown) => (Number(crmLeadId) >= 20000 && Number(crmLeadId) < 20090) || opened.has(String(crmLeadId));
		const patches = amo.patchLog.filter((patch) => ofTheseLeads(patch.id));
		expect(patches).toHaveLength(150);
		const owner = new Map(taken.map((body) => [Number(body.lead?.crmLeadId), USERS[String(body.lead?.assignedTo)]]));
		for (const patch of patches) expect(patch).toEqual({ id: patch.id, responsible_user_id: owner.get(Number(patch.id)), pipeline_id: WORK.pipeline, status_id: WORK.status });
		expect(amo.stored.filter((lead) => lead.status_id === QUEUE.status)).toEqual([]);
		// lead_claims: one row per lead taken, marked won, its manager's; each intake lead's is its open row, taken by
		// the press's update (the same row id), not a row inserted beside it.
		const rows = n8n.dataTableRows('lead_claims').filter((row) => ofTheseLeads(row.crmLeadId));
		expect(rows.filter((row) => row.won !== 1).map((row) => [row.crmLeadId, row.claimToken])).toEqual([]);
		expect(rows.map((row) => [Number(row.crmLeadId), String(row.claimToken).split(':')[0]]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual(
			taken.map((body) => [Number(body.lead?.crmLeadId), body.lead?.assignedTo]).sort((a, b) => Number(a[0]) - Number(b[0])),
		);
		expect(rows.filter((row) => opened.has(String(row.crmLeadId))).map((row) => [String(row.crmLeadId), row.id])).toEqual([...opened]);
		// Presses aimed apart (Take Next's notes, shared by the executions of this n8n): each Take Next aims its first
		// claim at a waiting lead no Take Next of the last 10 s aimed at first (a taken lead leaves the queue long before),
		// so the first 150 Take Nexts aim at 150 different leads and each wins its one claim. A press among the first 130
		// (execution order) has at most 19 presses in flight beside it, so its Take Next is among the first 149: one
		// claim, won. Without the notes, 20 presses at once lose 1.7 claims each (the candidateOrder unit test).
		const presses = n8n.successfulExecutions('saTakeLeadAmo').slice(before).map((execution) => {
			const runData = (unflatten(execution.data) as { resultData: { runData: RunData } }).resultData.runData;
			return { claims: (runData['Take Open Row']?.length ?? 0) + (runData['Claim Lead']?.length ?? 0), won: runData['Assign in CRM'] !== undefined };
		});
		expect(presses).toHaveLength(200);
		expect(presses.filter((press) => press.won)).toHaveLength(150);
		expect(presses.slice(0, 130)).toEqual(Array(130).fill({ claims: 1, won: true }));
	}, 240000);

	it('a claim whose assignment failed is assigned to its claimant by the expire run', async () => {
		amo.stored.push(waiting(30001, 5000, 1));
		amo.failNextPatches = 6;
		const press = await n8n.callWebhook('take-lead-amo', { managerId: MANAGERS[4] });
		expect(press.status).not.toBe(200);
		expect(amo.failNextPatches).toBe(0);
		expect(amo.stored.find((lead) => lead.id === 30001)?.status_id).toBe(QUEUE.status);
		expect(n8n.dataTableRows('lead_claims').filter((row) => row.crmLeadId === '30001').map((row) => String(row.claimToken).split(':')[0])).toEqual([MANAGERS[4]]);
		// Nobody else gets it meanwhile: a press reads no claims table, so it is offered the lead, loses every claim of
		// it to the won row and, after its rounds, is told to press again.
		const other = await n8n.callWebhook('take-lead-amo', { managerId: MANAGERS[5] });
		expect([other.status, JSON.parse(other.body).outcome]).toEqual([409, 'busy']);
		expect(n8n.dataTableRows('lead_claims').filter((row) => row.crmLeadId === '30001').map((row) => String(row.claimToken).split(':')[0])).toEqual([MANAGERS[4]]);

		// An expire run at once leaves it: a claim marked won minutes ago may be a press still at work.
		expect((await n8n.callWebhook('expire-leads-amo')).status).toBe(200);
		expect(amo.patchLog.filter((patch) => patch.id === 30001)).toEqual([]);
		// The next hourly run finds the claim 10 minutes old or more, and repairs it.
		n8n.alterDataTable('lead_claims', `update {table} set "claimedAtMs" = "claimedAtMs" - ${11 * 60_000} where "crmLeadId" = '30001'`);
		const expire = await n8n.callWebhook('expire-leads-amo');
		expect(expire.status).toBe(200);
		expect(amo.patchLog.filter((patch) => patch.id === 30001)).toEqual([{ id: 30001, responsible_user_id: USERS[MANAGERS[4]], pipeline_id: WORK.pipeline, status_id: WORK.status }]);
		expect(amo.stored.find((lead) => lead.id === 30001)).toMatchObject({ status_id: WORK.status, responsible_user_id: 1005 });
	}, 120000);

	it('the expire run closes the small leads that waited two days with 143 and the reason, and only those: one made by hand, one from the intake (its open row taken)', async () => {
		expect((await n8n.callWebhook('leads-amo', intakeLeads(400, 1, 49))).status).toBe(200);
		const fromIntake = Number(amo.stored[amo.stored.length - 1].id);
		const openRow = n8n.dataTableRows('lead_claims').find((row) => row.crmLeadId === String(fromIntake));
		expect(openRow).toMatchObject({ claimToken: 'open', won: 0 });
		amo.stored.push(waiting(40001, 150, 49), waiting(40002, 150, 47), waiting(40003, 500, 72));
		const expire = await n8n.callWebhook('expire-leads-amo');
		expect(expire.status).toBe(200);
		const closed = [fromIntake, 40001].sort((a, b) => a - b);
		expect(amo.patchLog.filter((patch) => [40001, 40002, 40003, fromIntake].includes(Number(patch.id))).sort((a, b) => Number(a.id) - Number(b.id))).toEqual(
			closed.map((id) => ({ id, pipeline_id: QUEUE.pipeline, status_id: 143 })),
		);
		expect(amo.notes.map((note) => Number(note.entity_id)).sort((a, b) => a - b)).toEqual(closed);
		expect(amo.notes.every((note) => JSON.stringify(note.params) === JSON.stringify({ text: 'closed, not realised' }))).toBe(true);
		expect(amo.stored.filter((lead) => lead.status_id === QUEUE.status).map((lead) => lead.id)).toEqual([40002, 40003]);
		const claimsOf = (crmLeadId: string) => n8n.dataTableRows('lead_claims').filter((row) => row.crmLeadId === crmLeadId).map((row) => [row.id, String(row.claimToken).split(':')[0], row.won]);
		expect(claimsOf('40001')).toEqual([[expect.any(Number), 'expire', 1]]);
		expect(claimsOf(String(fromIntake))).toEqual([[openRow?.id, 'expire', 1]]);
	}, 120000);

	it('a claim row left by a stopped press blocks its lead until the expire run releases it after 10 minutes; then a press takes the lead', async () => {
		// The leads of the test before leave the queue, so that 50001 is the only waiting lead.
		for (const lead of amo.stored) if (lead.status_id === QUEUE.status) lead.status_id = 41999;
		amo.stored.push(waiting(50001, 3000, 1));
		leaveClaimRow('50001', `${MANAGERS[6]}:stopped`, Date.now() - 11 * 60_000);
		// A row 1 minute old of a lead not in the queue: too young to release.
		leaveClaimRow('50099', `${MANAGERS[8]}:running`, Date.now() - 60_000);
		const rowsOf = (crmLeadId: string) => n8n.dataTableRows('lead_claims').filter((row) => row.crmLeadId === crmLeadId).map((row) => [String(row.claimToken).split(':')[0], row.won]);

		// Every claim of 50001 meets the stopped press's row and loses; after 5 rounds the press is told to press again.
		const blocked = await n8n.callWebhook('take-lead-amo', { managerId: MANAGERS[7] });
		expect([blocked.status, JSON.parse(blocked.body).outcome]).toEqual([409, 'busy']);
		expect(rowsOf('50001')).toEqual([[MANAGERS[6], 0]]);
		expect(amo.patchLog.filter((patch) => patch.id === 50001)).toEqual([]);

		const expire = await n8n.callWebhook('expire-leads-amo');
		expect(expire.status).toBe(200);
		expect(rowsOf('50001')).toEqual([]);
		expect(rowsOf('50099')).toEqual([[MANAGERS[8], 0]]);

		const press = await n8n.callWebhook('take-lead-amo', { managerId: MANAGERS[7] });
		expect([press.status, JSON.parse(press.body).lead?.crmLeadId]).toEqual([200, '50001']);
		expect(amo.patchLog.filter((patch) => patch.id === 50001)).toEqual([{ id: 50001, responsible_user_id: USERS[MANAGERS[7]], pipeline_id: WORK.pipeline, status_id: WORK.status }]);
		expect(rowsOf('50001')).toEqual([[MANAGERS[7], 1]]);
	}, 120000);

	it('a press reads no claims table: a lead still waiting with a claim won earlier is claimed, lost to that claim and passed over, whether made by hand or by the intake', async () => {
		const lastRun = () => (unflatten(n8n.lastExecutionData('saTakeLeadAmo')) as { resultData: { runData: RunData } }).resultData.runData;
		const claimsOf = (crmLeadId: string) => n8n.dataTableRows('lead_claims').filter((row) => row.crmLeadId === crmLeadId).map((row) => [row.claimToken, row.won]);
		const old = `${MANAGERS[9]}:old`;
		// Each time the better lead is still in the queue status with a claim won 2 days ago (its assignment never
		// reached amoCRM and nobody repaired it); the other lead is free.
		for (const lead of amo.stored) if (lead.status_id === QUEUE.status) lead.status_id = 41999;
		amo.stored.push(waiting(60001, 9000, 1), waiting(60002, 2000, 1));
		leaveClaimRow('60001', old, Date.now() - 48 * 3_600_000, true);
		const first = await n8n.callWebhook('take-lead-amo', { managerId: MANAGERS[10] });
		expect([first.status, JSON.parse(first.body).lead?.crmLeadId]).toEqual([200, '60002']);
		// Made by hand: Claim Lead for 60001 (lost to the old won row, not first in line, its row deleted), then for 60002.
		expect(lastRun()['Load Claims']).toBeUndefined();
		expect(lastRun()['Claim Lead'].map((claim) => claim.data.main[0][0].json.crmLeadId)).toEqual(['60001', '60002']);
		expect(claimsOf('60001')).toEqual([[old, 1]]);

		for (const lead of amo.stored) if (lead.status_id === QUEUE.status) lead.status_id = 41999;
		amo.stored.push(waiting(60003, 9000, 1, 'Q60003'), waiting(60004, 2000, 1));
		leaveClaimRow('60003', old, Date.now() - 48 * 3_600_000, true);
		const second = await n8n.callWebhook('take-lead-amo', { managerId: MANAGERS[10] });
		expect([second.status, JSON.parse(second.body).lead?.crmLeadId]).toEqual([200, '60004']);
		// The intake's: Take Open Row for 60003 changed no row (its open row is the old won claim), then Claim Lead for 60004.
		expect(lastRun()['Take Open Row'].map((take) => take.data.main[0].map(({ json }) => json))).toEqual([[{}]]);
		expect(lastRun()['Claim Lead'].map((claim) => claim.data.main[0][0].json.crmLeadId)).toEqual(['60004']);
		expect(claimsOf('60003')).toEqual([[old, 1]]);
		expect(amo.patchLog.filter((patch) => patch.id === 60001 || patch.id === 60003)).toEqual([]);
	}, 120000);

	it('a lead of the intake without an open row (made before 0.3.0) is passed over until the expire run writes its open row; then a press takes it', async () => {
		for (const lead of amo.stored) if (lead.status_id === QUEUE.status) lead.status_id = 41999;
		amo.stored.push(waiting(70001, 4000, 3, 'OLD-1'));
		const before = await n8n.callWebhook('take-lead-amo', { managerId: MANAGERS[11] });
		expect([before.status, JSON.parse(before.body).outcome]).toEqual([409, 'busy']);
		expect(n8n.dataTableRows('lead_claims').filter((row) => row.crmLeadId === '70001')).toEqual([]);
		expect((await n8n.callWebhook('expire-leads-amo')).status).toBe(200);
		expect(n8n.dataTableRows('lead_claims').filter((row) => row.crmLeadId === '70001').map((row) => [row.claimToken, row.won, JSON.parse(String(row.lead)).leadId])).toEqual([['open', 0, 'OLD-1']]);
		const press = await n8n.callWebhook('take-lead-amo', { managerId: MANAGERS[11] });
		expect([press.status, JSON.parse(press.body).lead?.crmLeadId]).toEqual([200, '70001']);
		expect(amo.patchLog.filter((patch) => patch.id === 70001)).toEqual([{ id: 70001, responsible_user_id: USERS[MANAGERS[11]], pipeline_id: WORK.pipeline, status_id: WORK.status }]);
		expect(n8n.dataTableRows('lead_claims').filter((row) => row.crmLeadId === '70001').map((row) => [String(row.claimToken).split(':')[0], row.won])).toEqual([[MANAGERS[11], 1]]);
	}, 120000);
});
