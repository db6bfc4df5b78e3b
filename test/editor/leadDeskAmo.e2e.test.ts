import { mkdirSync } from 'fs';
import { join } from 'path';
import { chromium, type Browser } from 'playwright-core';
import { amoQueueCredential, intakeLeads, QUEUE, queueStandin, USERS, waiting, withManagers, WORK } from '../e2e/amoQueueSetup';
import { N8N_VERSION, packPack, RealN8n, template } from '../e2e/realN8n';
import { CHROMIUM, CHROMIUM_ARGS, SHOTS } from './chromium';
import { managerPage as managerPage_, openDesks, press, waitingOn } from './deskPages';

/**
 * The lead desk on the amoCRM queue (workflows/lead-desk-amocrm.json) in a real n8n against the amoCRM stand-in
 * (about 100 ms an answer), pressed in headless Chromium: the browser's own sign-in, the count of the leads waiting in
 * amoCRM's queue status, two managers pressing at once who get two different leads (one from the intake, one made by
 * hand in amoCRM), each assigned in amoCRM to that manager's user and shown with the link to its amoCRM card, then
 * "no lead is waiting"; a lead every press loses to another claim gives "every waiting lead is being taken". Saves docs/screenshots/lead-desk-amocrm-page.png (1280 px wide).
 * Run: npx jest --ci --config test/editor/jest.editor.config.js --runInBand test/editor/leadDeskAmo.e2e.test.ts
 */
const ANNA = { username: 'm1@shop.ru', password: 'anna-pass-1' };
const BORIS = { username: 'm2@shop.ru', password: 'boris-pass-2' };
const amo = queueStandin();
let n8n: RealN8n;
let browser: Browser;

const deskUrl = () => `http://127.0.0.1:${n8n.port}/webhook/lead-desk-amo`;

const managerPage = async (credentials: { username: string; password: string }) => await managerPage_(browser, credentials);

beforeAll(async () => {
	mkdirSync(SHOTS, { recursive: true });
	await amo.start();
	n8n = new RealN8n(packPack());
	n8n.importCredentials([
		amoQueueCredential(amo.url),
		{
			id: 'saLeadDeskManagers',
			name: 'Lead Desk Managers',
			type: 'salesAnalyticsLeadDeskApi',
			data: { managerPasswords: `${ANNA.username}: ${ANNA.password}\n${BORIS.username}: ${BORIS.password}`, displayNames: 'm1@shop.ru: Anna Petrova\nm2@shop.ru: Boris Ivanov' },
		},
	]);
	n8n.importWorkflow(template('lead-intake-amocrm.json'));
	// take-lead-amocrm creates lead_claims when n8n starts, as it does for a shop that imports the amoCRM queue templates together.
	n8n.importWorkflow(withManagers('take-lead-amocrm.json'));
	n8n.importWorkflow(withManagers('lead-desk-amocrm.json'));
	for (const id of ['saLeadIntakeAmo', 'saTakeLeadAmo', 'saLeadDeskAmo']) n8n.publish(id);
	await n8n.start();
	browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 300000);

afterAll(async () => {
	await browser?.close();
	await n8n?.stop();
	await amo.close();
});

describe(`the lead desk on the amoCRM queue in Chromium against real n8n ${N8N_VERSION}`, () => {
	it('answers 401 with the browser sign-in until a manager signs in', async () => {
		const bare = await fetch(deskUrl());
		expect([bare.status, bare.headers.get('www-authenticate')]).toEqual([401, 'Basic realm="Lead desk", charset="UTF-8"']);
		expect(amo.received.filter((request) => request.method === 'GET')).toEqual([]);
	});

	it('two managers press at once and get two different leads, assigned in amoCRM to their users and linked to their cards; then "no lead is waiting"; saves lead-desk-amocrm-page.png', async () => {
		// One lead through the intake (P1, 150 kg: its open claim row) and one made by hand in amoCRM (9 t, no lead id).
		expect((await n8n.callWebhook('leads-amo', intakeLeads(1, 1))).status).toBe(200);
		const intakeId = String(amo.stored.find((lead) => lead.status_id === QUEUE.status)?.id);
		amo.stored.push(waiting(70001, 9000, 3));
		const anna = await managerPage(ANNA);
		const boris = await managerPage(BORIS);
		expect(await openDesks([anna, boris], deskUrl())).toEqual([
			[200, 'text/html; charset=utf-8', 'DENY', 2, 'Anna Petrova'],
			[200, 'text/html; charset=utf-8', 'DENY', 2, 'Boris Ivanov'],
		]);

		expect(await Promise.all([press(anna), press(boris)])).toEqual([200, 200]);
		const taken = [await anna.textContent('#lead dl dd:last-child'), await boris.textContent('#lead dl dd:last-child')];
		expect(new Set(taken)).toEqual(new Set(['P1', 'amo-70001']));
		const crmIdOf = (leadId: string | null) => (leadId === 'P1' ? intakeId : '70001');
		expect([await anna.locator('#lead a.card').getAttribute('href'), await boris.locator('#lead a.card').getAttribute('href')]).toEqual(taken.map((leadId) => `${amo.url}/leads/detail/${crmIdOf(leadId)}`));
		// amoCRM: each lead once, to the user of the manager whose page shows it, in the working status.
		expect(amo.patchLog.map((patch) => [String(patch.id), patch.responsible_user_id, patch.pipeline_id, patch.status_id]).sort()).toEqual(
			[
				[crmIdOf(taken[0]), USERS[ANNA.username], WORK.pipeline, WORK.status],
				[crmIdOf(taken[1]), USERS[BORIS.username], WORK.pipeline, WORK.status],
			].sort(),
		);
		expect(await anna.locator('#lead').count()).toBe(1);
		await anna.screenshot({ path: join(SHOTS, 'lead-desk-amocrm-page.png'), fullPage: true });

		expect(await press(anna)).toBe(200);
		expect([await anna.locator('#notice h2').textContent(), await waitingOn(anna), await anna.locator('#lead').count()]).toEqual(['No lead is waiting', 0, 0]);
		expect(amo.patchLog).toHaveLength(2);
		await anna.context().close();
		await boris.context().close();
	});

	it('says every waiting lead is being taken when the only one is held by another claim (5 reads lost), and assigns nothing', async () => {
		// Made by hand, still in the queue status, with a claim another press won 2 days ago (its assignment never
		// reached amoCRM): every press loses it, reads again after Back Off, and after 5 reads gives up.
		amo.stored.push(waiting(70002, 5000, 1));
		n8n.alterDataTable('lead_claims', `insert into {table} ("crmLeadId", "claimToken", "lead", "claimedAtMs", "won") values ('70002', 'm9@shop.ru:old', '{}', ${Date.now() - 48 * 3_600_000}, 1)`);
		const anna = await managerPage(ANNA);
		await anna.goto(deskUrl());
		expect(await waitingOn(anna)).toBe(1);
		expect(await press(anna)).toBe(200);
		expect([await anna.locator('#notice h2').textContent(), await anna.locator('#waiting').count(), await anna.locator('button[type=submit]').count()]).toEqual(['Every waiting lead is being taken', 0, 1]);
		expect(amo.patchLog).toHaveLength(2);
		await anna.context().close();
	}, 120000);
});
