import { spawnSync } from 'child_process';
import { existsSync, mkdirSync } from 'fs';
import { createServer, type Server } from 'http';
import { join } from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { N8N_VERSION, packPack, RealN8n, template } from '../e2e/realN8n';
import { CHROMIUM, CHROMIUM_ARGS, SHOTS } from './chromium';
import { DESKTOP, managerPage as managerPage_, openDesks, press, waitingOn } from './deskPages';

/**
 * The lead desk (workflows/lead-desk.json) in a real n8n, pressed in headless Chromium: the browser's own sign-in
 * (401 until a manager of the Lead Desk Managers credential signs in), two managers pressing at once in two browser
 * contexts get two different leads, a press on an empty queue says so, a hostile lead name shows as text, and a form
 * posted by another site (or by its sandboxed frame) is refused with 403 and takes nothing. The leads come in through
 * the lead intake template. Saves docs/screenshots/lead-desk-page.png (1280 px wide) and lead-desk-page-phone.png (360 px).
 * Run: npx jest --ci --config test/editor/jest.editor.config.js --runInBand test/editor/leadDesk.e2e.test.ts
 */
const MANAGERS = { anna: { username: 'anna@shop.ru', password: 'anna-pass-1' }, boris: { username: 'boris@shop.ru', password: 'boris-pass-2' } };
const PHONE = { width: 360, height: 740 };
const HOSTILE = '<img src=x onerror=alert(1)>';

let n8n: RealN8n;
let browser: Browser;
let evil: Server;
let evilPort = 0;
const dialogs: string[] = [];
/** The page the other site serves: `sandbox` makes it an opaque origin (Origin: null), as n8n's own pages are. */
let evilPage = { html: '', sandbox: false };

/** The desk's executions in n8n's database, with when they were marked deleted (null: kept in the history). */
function deskExecutions(): Array<{ id: number; deletedAt: string | null }> {
	const script = 'import json, sqlite3, sys\ndb = sqlite3.connect(sys.argv[1])\nprint(json.dumps([{"id": r[0], "deletedAt": r[1]} for r in db.execute("select id, deletedAt from execution_entity where workflowId = \'saLeadDesk\'")]))';
	const run = spawnSync('python3', ['-c', script, join(n8n.userFolder, '.n8n', 'database.sqlite')], { encoding: 'utf8' });
	if (run.status !== 0) throw new Error(run.stderr);
	return JSON.parse(run.stdout) as Array<{ id: number; deletedAt: string | null }>;
}

const deskUrl = () => `http://127.0.0.1:${n8n.port}/webhook/lead-desk`;

async function managerPage(credentials: { username: string; password: string }, viewport = DESKTOP): Promise<Page> {
	const page = await managerPage_(browser, credentials, viewport);
	page.on('dialog', (dialog) => {
		dialogs.push(dialog.message());
		void dialog.dismiss();
	});
	return page;
}

const assigned = () => n8n.dataTableRows('leads').filter((row) => row.state === 'assigned');

function queueLeads(leads: object[]) {
	return n8n.callWebhook('leads', leads);
}

const lead = (leadId: string, name: string, extra: object = {}) => ({
	leadId,
	// An hour ago, written in Moscow time as a site in Moscow sends it.
	createdAt: new Date(Date.now() + 2 * 3_600_000).toISOString().replace(/\.\d+Z$/, '+03:00'),
	from: 'Новосибирск',
	to: 'Москва',
	weight: '2,5 т',
	volumeM3: 12.5,
	name,
	phone: '+7 913 555-12-34',
	utm_source: 'yandex',
	utm_campaign: 'cargo_east',
	...extra,
});

beforeAll(async () => {
	if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run scripts/install-chromium.sh`);
	mkdirSync(SHOTS, { recursive: true });
	n8n = new RealN8n(packPack());
	n8n.importCredentials([
		{
			id: 'saLeadDeskManagers',
			name: 'Lead Desk Managers',
			type: 'salesAnalyticsLeadDeskApi',
			data: {
				managerPasswords: `${MANAGERS.anna.username}: ${MANAGERS.anna.password}\n${MANAGERS.boris.username}: ${MANAGERS.boris.password}`,
				displayNames: 'anna@shop.ru: Anna Petrova\nboris@shop.ru: Boris Ivanov',
			},
		},
	]);
	n8n.importWorkflow(template('lead-intake.json'));
	n8n.importWorkflow(template('lead-desk.json'));
	for (const id of ['saLeadIntake', 'saLeadDesk']) n8n.publish(id);
	evil = createServer((_, res) => {
		res.writeHead(200, { 'content-type': 'text/html', ...(evilPage.sandbox ? { 'content-security-policy': 'sandbox allow-forms allow-scripts' } : {}) });
		res.end(evilPage.html);
	});
	await new Promise<void>((done) => evil.listen(0, 'localhost', done));
	evilPort = (evil.address() as { port: number }).port;
	await n8n.start();
	browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 300000);

afterAll(async () => {
	await browser?.close();
	await new Promise((done) => (evil ? evil.close(done) : done(undefined)));
	await n8n?.stop();
});

describe(`the lead desk in Chromium against real n8n ${N8N_VERSION}`, () => {
	it('answers 401 with the browser sign-in until a manager signs in, and a wrong password gets no further', async () => {
		const bare = await fetch(deskUrl());
		expect([bare.status, bare.headers.get('www-authenticate')]).toEqual([401, 'Basic realm="Lead desk", charset="UTF-8"']);
		expect(await bare.text()).toContain('<h2>Sign in to the lead desk</h2>');
		// Chromium meets the Basic challenge with its sign-in dialog; headless, with no credentials to give, it fails the navigation so.
		const page = await (await browser.newContext()).newPage();
		await expect(page.goto(deskUrl())).rejects.toThrow(/ERR_INVALID_AUTH_CREDENTIALS/);
		const wrong = await managerPage({ username: MANAGERS.anna.username, password: 'guess' });
		const refused = await wrong.goto(deskUrl());
		expect([refused?.status(), await wrong.locator('form').count()]).toEqual([401, 0]);
		await page.context().close();
		await wrong.context().close();
	});

	it('two managers press at once and get two different leads; the count goes down by two; then "no lead is waiting"', async () => {
		const queued = await queueLeads([lead('D1', 'Ольга Смирнова'), lead('D2', HOSTILE, { weight: '900 кг', from: 'Омск' })]);
		expect(queued.status).toBe(200);
		const anna = await managerPage(MANAGERS.anna);
		const boris = await managerPage(MANAGERS.boris);
		expect(await openDesks([anna, boris], deskUrl())).toEqual([
			[200, 'text/html; charset=utf-8', 'DENY', 2, 'Anna Petrova'],
			[200, 'text/html; charset=utf-8', 'DENY', 2, 'Boris Ivanov'],
		]);

		expect(await Promise.all([press(anna), press(boris)])).toEqual([200, 200]);
		const taken = [await anna.textContent('#lead dl dd:last-child'), await boris.textContent('#lead dl dd:last-child')];
		expect(new Set(taken)).toEqual(new Set(['D1', 'D2']));
		// Each page says what Take Next saw besides its own lead (1 or 0, as the other press had claimed or not); a fresh look says 0.
		expect([await waitingOn(anna), await waitingOn(boris)].every((left) => left === 0 || left === 1)).toBe(true);
		const look = await managerPage(MANAGERS.anna);
		await look.goto(deskUrl());
		expect(await waitingOn(look)).toBe(0);
		await look.context().close();
		const owners = new Map(assigned().map((row) => [row.leadId, row.assignedTo]));
		expect([owners.get(taken[0]), owners.get(taken[1])]).toEqual(['anna@shop.ru', 'boris@shop.ru']);
		// The hostile name is text on the page of whoever got D2, and nothing ran.
		const hostilePage = taken[0] === 'D2' ? anna : boris;
		expect(await hostilePage.locator('#lead h2').textContent()).toBe(HOSTILE);
		expect(await hostilePage.locator('img, script').count()).toBe(0);
		expect(await anna.locator('#lead a[href^="tel:"]').first().getAttribute('href')).toBe('tel:+79135551234');

		expect(await press(anna)).toBe(200);
		expect([await anna.locator('#notice h2').textContent(), await waitingOn(anna), await anna.locator('#lead').count()]).toEqual(['No lead is waiting', 0, 0]);
		expect(dialogs).toEqual([]);
		await anna.context().close();
		await boris.context().close();
	});

	it('refuses a form another site posts with a signed-in manager\'s browser (403) and takes no lead', async () => {
		const queued = await queueLeads([lead('D3', 'Пётр')]);
		expect(queued.status).toBe(200);
		const anna = await managerPage(MANAGERS.anna);
		await anna.goto(deskUrl());
		const before = assigned().length;
		for (const sandbox of [false, true]) {
			evilPage = { sandbox, html: `<!DOCTYPE html><form method="post" action="${deskUrl()}"><input type="hidden" name="deskToken" value="1.AAAA"><button type="submit">Win a prize</button></form>` };
			await anna.goto(`http://localhost:${evilPort}/prize`);
			expect([sandbox, await press(anna), await anna.locator('h2').first().textContent()]).toEqual([sandbox, 403, 'This press did not come from the lead desk']);
		}
		expect(assigned().length).toBe(before);
		expect(n8n.dataTableRows('leads').find((row) => row.leadId === 'D3')?.state).toBe('waiting');
		await anna.context().close();
	});

	it('shows a taken lead on a desktop and on a 360 px phone; saves lead-desk-page.png and lead-desk-page-phone.png; keeps no successful execution', async () => {
		// D3 waits from the previous test; one more, so that each manager takes one.
		expect((await queueLeads([lead('D4', 'Ирина Котова', { to: 'Иркутск' })])).status).toBe(200);
		const anna = await managerPage(MANAGERS.anna);
		await anna.goto(deskUrl());
		expect(await press(anna)).toBe(200);
		expect(await anna.locator('#lead').count()).toBe(1);
		await anna.screenshot({ path: join(SHOTS, 'lead-desk-page.png'), fullPage: true });
		const boris = await managerPage(MANAGERS.boris, PHONE);
		await boris.goto(deskUrl());
		expect(await press(boris)).toBe(200);
		const layout = await boris.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth }));
		expect(layout.page).toBe(layout.viewport);
		expect(layout.page).toBeLessThanOrEqual(PHONE.width);
		expect([await waitingOn(boris), await boris.locator('#lead').count()]).toEqual([0, 1]);
		await boris.screenshot({ path: join(SHOTS, 'lead-desk-page-phone.png'), fullPage: true });
		expect(dialogs).toEqual([]);
		// Successful runs are not kept: n8n stored each while it ran and marked it deleted at the end (the hard-delete
		// pruning removes it later, see docs/templates.md), so none is in the execution history.
		const rows = deskExecutions();
		expect(rows.length).toBeGreaterThan(10);
		expect(rows.filter((row) => row.deletedAt === null)).toEqual([]);
		await anna.context().close();
		await boris.context().close();
	});
});
