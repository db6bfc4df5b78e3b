import type { Deal, Touch } from '../../nodes/shared/contracts';
import { commercemlFeed, type GeneratedOrder } from '../fixtures/commercemlFeed';
import { siteTouches, withGoogleClicks } from '../fixtures/touchPayloads';
import { FeedServer } from '../helpers/feedServer';
import { pipelineInProcess } from '../helpers/pipeline';
import { AmoCrmServer } from '../helpers/standins/amocrmServer';
import { Ga4Server } from '../helpers/standins/ga4Server';
import { GoogleAdsServer } from '../helpers/standins/googleAdsServer';
import { metricaRowOf, MetricaServer } from '../helpers/standins/metricaServer';
import { N8N_VERSION, packPack, template, templateWithFeed } from '../e2e/realN8n';
import { AMO_TOKEN, FEED_LOGIN, GOOGLE_ADS, MANAGERS, METRICA_TOKEN, pipelineCredentials, siteLead, stopServers, takeLeadTemplate } from '../e2e/setups';
import { QueueN8n } from './queueN8n';

/**
 * The pack in n8n's queue mode (main + 2 workers, Redis, Postgres; see queueN8n.ts): the order sync runs green on the
 * workers, 200 "take a lead" presses at once hand out each of 150 leads once, and an order sync fired twice at the
 * same moment (a schedule that fires twice, on two workers) pushes no revenue version twice and leaves no
 * duplicated row.
 */
const feedServer = new FeedServer(FEED_LOGIN.user, FEED_LOGIN.password);
const ga4 = new Ga4Server();
const amo = new AmoCrmServer({ token: AMO_TOKEN });
const metrica = new MetricaServer({ token: METRICA_TOKEN });
const google = new GoogleAdsServer({ ...GOOGLE_ADS });
const WORKFLOWS = ['saTouchIntake', 'saOrderSync', 'saLeadIntake', 'saTakeLead'];
let queue: QueueN8n;
/** The won deals of the first order sync, pushed then. */
let firstWon: Deal[] = [];

/** Every lead amoCRM was asked to update, in arrival order. */
function amoPatches(): number[] {
	return amo.received.filter((request) => request.method === 'PATCH').flatMap((request) => (request.body as Array<{ id: number }>).map((lead) => lead.id));
}

/** The order id of every click conversion Google Ads was sent, answered or not, in arrival order. */
function googleConversions(): string[] {
	return google.received.filter((request) => request.path.endsWith(':uploadClickConversions')).flatMap((request) => (request.body as { conversions: Array<{ orderId: string }> }).conversions.map((row) => row.orderId));
}

/** Values that occur more than once. */
function repeated<T>(values: T[]): T[] {
	const seen = new Set<T>();
	return [...new Set(values.filter((value) => seen.has(value) || !seen.add(value)))];
}

/** The i-th of 150 waiting leads, created 1 to 30 hours ago. */
function lead(i: number): Record<string, unknown> {
	return siteLead(i, `${150 + i * 130} кг`, 1 + (i % 30));
}

/** Posts touches for these orders (the Google visits auto-tagged) through the touch intake webhook and returns every stored touch. */
async function storeTouches(orders: GeneratedOrder[], strangers: number, seed: number): Promise<Touch[]> {
	const intake = await queue.main.callWebhook('touches', withGoogleClicks(siteTouches(orders, { strangers, seed })));
	expect([intake.status, intake.status === 200 ? '' : intake.body]).toEqual([200, '']);
	return queue.main.dataTableRows('touches').map((row) => JSON.parse(String(row.touch)) as Touch);
}

/**
 * Deals and credits as the tables hold them: every order once (the deals with their touches, the orders no touch
 * produced with touches 0), every model crediting exactly the won revenue.
 */
function expectTables(expected: Awaited<ReturnType<typeof pipelineInProcess>>): void {
	const rows = queue.main.dataTableRows('deals');
	const deals = rows.filter((row) => Number(row.touches) > 0).map((row) => String(row.orderId));
	const withoutTouch = rows.filter((row) => Number(row.touches) === 0).map((row) => String(row.orderId));
	expect(repeated([...deals, ...withoutTouch])).toEqual([]);
	expect(deals.sort()).toEqual(expected.match.deals.map((deal) => deal.orderId).sort());
	expect(withoutTouch.sort()).toEqual(expected.match.unmatchedOrders.records.map((order) => order.orderId).sort());
	const credits = queue.main.dataTableRows('credits');
	const wonCents = expected.match.deals.filter((deal) => deal.stage === 'won').reduce((sum, deal) => sum + Math.round((deal.total ?? 0) * 100), 0);
	for (const model of ['lastNonDirect', 'linear', 'positionBased', 'markov']) {
		const cents = credits.filter((row) => row.model === model).reduce((sum, row) => sum + Math.round(Number(row.revenue) * 100), 0);
		expect([model, cents]).toEqual([model, wonCents]);
	}
}

/** Every revenue version of `won` arrived once at GA4, amoCRM, Metrica and Google Ads: none missing, none twice. */
function expectPushedOnce(won: Deal[]): void {
	const withClient = won.filter((deal) => deal.touches.some((touch) => touch.gaClientId)).map((deal) => deal.orderId);
	expect(repeated(ga4.purchaseIds())).toEqual([]);
	expect(ga4.purchaseIds().sort()).toEqual(withClient.sort());
	expect(repeated(amoPatches())).toEqual([]);
	expect(amoPatches().sort((a, b) => a - b)).toEqual(won.map((deal) => Number(deal.orderId)).sort((a, b) => a - b));
	expect(amo.violations).toEqual([]);
	expect(repeated(metrica.rows)).toEqual([]);
	expect([...metrica.rows].sort()).toEqual(won.map(metricaRowOf).sort());
	// Google Ads keeps one conversion per order id anyway: what counts here is that none was even sent twice.
	expect(repeated(googleConversions())).toEqual([]);
	expect(googleConversions().length).toBeGreaterThan(10);
	expect(googleConversions().sort()).toEqual(won.filter((deal) => deal.touches.some((touch) => touch.gclid)).map((deal) => deal.orderId).sort());
}

/** Every finished execution of the workflow ran on a worker; returns how many each worker ran. */
function perWorker(workflowId: string): number[] {
	const ranOn = queue.workerOf();
	const runs = queue.main.executions(workflowId);
	expect(runs.filter((run) => !ranOn.has(run.id)).map((run) => run.id)).toEqual([]);
	return queue.workers.map((_, index) => runs.filter((run) => ranOn.get(run.id) === index).length);
}

beforeAll(async () => {
	await feedServer.start();
	await ga4.start();
	await amo.start();
	await metrica.start();
	await google.start();
	queue = new QueueN8n(packPack());
	await queue.prepare();
	queue.main.importCredentials([...pipelineCredentials({ ga4: ga4.url, amo: amo.url, metrica: metrica.url, google: google.url }, 'G-QUEUE1234')]);
	queue.main.importWorkflow(template('touch-intake.json'));
	queue.main.importWorkflow(templateWithFeed('order-sync.json', feedServer.url('/orders.xml')));
	queue.main.importWorkflow(template('lead-intake.json'));
	queue.main.importWorkflow(takeLeadTemplate());
	for (const id of WORKFLOWS) queue.main.publish(id);
	await queue.start();
}, 900000);

afterAll(async () => {
	await queue?.stop();
	await stopServers(feedServer, ga4, amo, metrica, google);
}, 120000);

describe(`the pack in n8n ${N8N_VERSION} queue mode (main + 2 workers, Redis, Postgres)`, () => {
	it('runs the order sync on the workers: the report, deals, credits and pushes as in process', async () => {
		const feed = commercemlFeed({ orders: 300, seed: 11 });
		feedServer.feeds.set('/orders.xml', Buffer.from(feed.xml));
		const touches = await storeTouches(feed.orders, 40, 5);
		const sync = await queue.main.callWebhook('order-sync');
		expect([sync.status, sync.status === 200 ? '' : sync.body]).toEqual([200, '']);
		await queue.main.waitForExecutions('saOrderSync', 1);
		expect(queue.main.executions('saOrderSync')[0].status).toBe('success');

		const expected = await pipelineInProcess(Buffer.from(feed.xml), touches);
		expect(JSON.parse(sync.body)).toEqual(JSON.parse(JSON.stringify(expected.report.rows)));
		expect(expected.match.deals.length).toBeGreaterThan(100);
		expectTables(expected);
		firstWon = expected.match.deals.filter((deal) => deal.stage === 'won');
		expectPushedOnce(firstWon);
		expect(perWorker('saOrderSync').reduce((a, b) => a + b)).toBe(1);
		expect(perWorker('saTouchIntake').reduce((a, b) => a + b)).toBe(1);
	});

	it('hands 150 waiting leads to 200 simultaneous presses on two workers: each lead once, 50 told none are waiting', async () => {
		const intake = await queue.main.callWebhook('leads', Array.from({ length: 150 }, (_, i) => lead(i)));
		expect([intake.status, intake.status === 200 ? '' : intake.body]).toEqual([200, '']);
		expect(queue.main.dataTableRows('leads').filter((row) => row.state === 'waiting')).toHaveLength(150);

		const started = Date.now();
		const presses = Array.from({ length: 200 }, (_, i) => MANAGERS[i % MANAGERS.length]);
		const answers = await Promise.all(presses.map((managerId) => queue.main.callWebhook('take-lead', { managerId })));
		console.log(`queue mode: 200 presses answered in ${((Date.now() - started) / 1000).toFixed(1)} s`);
		expect(answers.filter((answer) => answer.status !== 200).map((answer) => answer.body)).toEqual([]);
		const bodies = answers.map((answer) => JSON.parse(answer.body) as { outcome: string; lead?: { leadId: string; assignedTo: string } });
		const taken = bodies.filter((body) => body.outcome === 'assigned');
		expect(taken).toHaveLength(150);
		expect(bodies.filter((body) => body.outcome === 'none')).toHaveLength(50);
		expect(repeated(taken.map((body) => body.lead?.leadId))).toEqual([]);

		const rows = queue.main.dataTableRows('leads');
		expect(rows.filter((row) => row.state === 'assigned')).toHaveLength(150);
		expect(rows.filter((row) => row.state === 'waiting')).toHaveLength(0);
		const owner = new Map(taken.map((body) => [body.lead?.leadId, body.lead?.assignedTo]));
		for (const row of rows) expect([row.leadId, row.assignedTo, String(row.claimToken).split(':')[0]]).toEqual([row.leadId, owner.get(String(row.leadId)), owner.get(String(row.leadId))]);
		await queue.main.waitForExecutions('saTakeLead', 200);
		const split = perWorker('saTakeLead');
		console.log(`queue mode: take-a-lead executions per worker ${split.join(' / ')}`);
		expect(split.every((count) => count > 0)).toBe(true);
	}, 900000);

	it('runs an order sync fired twice at the same moment once: no revenue version pushed twice, no duplicated row', async () => {
		// 100 new orders after the 300 of the first sync (the same seed gives the same first 300), and their touches
		// (the same seed again: the first 300 orders' touches come again, and the intake stores each touch once).
		const feed = commercemlFeed({ orders: 400, seed: 11 });
		expect(feed.orders.slice(0, 300)).toEqual(commercemlFeed({ orders: 300, seed: 11 }).orders);
		feedServer.feeds.set('/orders.xml', Buffer.from(feed.xml));
		const touches = await storeTouches(feed.orders, 40, 5);
		const expected = await pipelineInProcess(Buffer.from(feed.xml), touches);
		const runsBefore = queue.main.executions('saOrderSync').length;

		const answers = await Promise.all([queue.main.callWebhook('order-sync'), queue.main.callWebhook('order-sync')]);
		await queue.main.waitForExecutions('saOrderSync', runsBefore + 2);
		const runs = queue.main.executions('saOrderSync').slice(0, 2);
		const ranOn = queue.workerOf();
		const gaDuplicates = repeated(ga4.purchaseIds());
		const dealRows = queue.main.dataTableRows('deals').filter((row) => Number(row.touches) > 0).map((row) => String(row.orderId));
		console.log(
			`queue mode, order sync fired twice: answers ${answers.map((answer) => answer.status).join(' / ')}; executions ${runs.map((run) => `${run.id} ${run.status} on worker ${ranOn.get(run.id)}`).join(', ')}; ` +
				`GA4 purchases sent twice ${gaDuplicates.length}, amoCRM leads patched twice ${repeated(amoPatches()).length}, Metrica rows twice ${repeated(metrica.rows).length}; ` +
				`deals rows ${dealRows.length} (${repeated(dealRows).length} duplicated) for ${expected.match.deals.length} deals`,
		);
		expect(new Set(runs.map((run) => ranOn.get(run.id))).size).toBe(2);
		expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
		const busy = answers.find((answer) => answer.status === 409);
		expect(JSON.parse(busy?.body ?? '{}')).toMatchObject({ outcome: 'busy' });
		expect(runs.map((run) => run.status)).toEqual(['success', 'success']);

		expectTables(expected);
		// Each version once over both syncs of this suite: the first sync's won deals and the new ones.
		const won = new Map([...firstWon, ...expected.match.deals.filter((deal) => deal.stage === 'won')].map((deal) => [deal.orderId, deal]));
		expectPushedOnce([...won.values()]);
	}, 600000);
});
