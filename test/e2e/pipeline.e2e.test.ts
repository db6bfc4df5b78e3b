import type { Touch } from '../../nodes/shared/contracts';
import { commercemlFeed } from '../fixtures/commercemlFeed';
import { fixtureJson, fixtureText } from '../fixtures/touches/load';
import { siteTouches } from '../fixtures/touchPayloads';
import { FeedServer } from '../helpers/feedServer';
import { AmoCrmServer } from '../helpers/standins/amocrmServer';
import { Ga4Server } from '../helpers/standins/ga4Server';
import { metricaRowOf, MetricaServer } from '../helpers/standins/metricaServer';
import { pipelineInProcess } from '../helpers/pipeline';
import { N8N_VERSION, packPack, RealN8n, template, templateWithFeed } from './realN8n';
import { AMO_TOKEN, FEED_LOGIN, METRICA_TOKEN, pipelineCredentials, stopServers } from './setups';

/**
 * The pipeline's templates in one real n8n: touch intake (webhook -> Touchpoint -> Data Table) and order sync
 * (CRM feed -> statuses -> Order Matcher with the stored touches -> Attribution -> deals, credits, source report),
 * checked in what lands in n8n's own database and against the same steps run in process.
 */
const feedServer = new FeedServer(FEED_LOGIN.user, FEED_LOGIN.password);
const ga4 = new Ga4Server();
const amo = new AmoCrmServer({ token: AMO_TOKEN });
const metrica = new MetricaServer({ token: METRICA_TOKEN });
let n8n: RealN8n;

/** Every lead amoCRM was asked to update, in arrival order. */
function amoPatches(): Array<{ id: number; price: number; status: number }> {
	return amo.received
		.filter((request) => request.method === 'PATCH')
		.flatMap((request) => request.body as Array<{ id: number; price: number; status_id: number }>)
		.map((lead) => ({ id: lead.id, price: lead.price, status: lead.status_id }));
}

beforeAll(async () => {
	await feedServer.start();
	await ga4.start();
	await amo.start();
	await metrica.start();
	n8n = new RealN8n(packPack());
	n8n.importCredentials(pipelineCredentials({ ga4: ga4.url, amo: amo.url, metrica: metrica.url }, 'G-PIPE1234'));
	n8n.importWorkflow(template('touch-intake.json'));
	// As a user sets it up: the lead's "Source" custom field filled with the deal's utm_source.
	const sync = templateWithFeed('order-sync.json', feedServer.url('/orders.xml')) as { nodes: Array<{ name: string; parameters: Record<string, unknown> }> };
	const amoPush = sync.nodes.find((node) => node.name === 'Push Revenue to amoCRM');
	if (amoPush) amoPush.parameters.customFields = { field: [{ fieldId: 512345, source: 'utm_source' }] };
	n8n.importWorkflow(sync);
	n8n.importWorkflow(template('weekly-source-report.json'));
	for (const id of ['saTouchIntake', 'saOrderSync', 'saWeeklyReport']) n8n.publish(id);
	await n8n.start();
}, 300000);

afterAll(async () => {
	await n8n?.stop();
	await stopServers(feedServer, ga4, amo, metrica);
});

describe(`touch intake template in real n8n ${N8N_VERSION}`, () => {
	it('stores calls, chats and forms from every kind of sender as canonical touches, once per touchId', async () => {
		const posts: Array<object | string> = [
			fixtureText('binotel-completed-form.txt'),
			fixtureJson('jivo-chat-finished.json') as object,
			fixtureJson('zadarma-notify-end.json') as object,
			fixtureJson('form-tilda.json') as object,
			fixtureJson('jivo-chat-finished.json') as object,
		];
		for (const payload of posts) {
			const run = await n8n.callWebhook('touches', payload);
			expect([run.status, run.status === 200 ? '' : run.body]).toEqual([200, '']);
		}
		const rows = n8n.dataTableRows('touches');
		expect(rows.map((row) => [row.system, row.kind])).toEqual([
			['binotel', 'call'],
			['jivo', 'chat'],
			['zadarma', 'call'],
			['form', 'form'],
		]);
		const binotel = JSON.parse(String(rows[0].touch)) as Record<string, unknown>;
		expect(binotel).toMatchObject({ touchId: 'binotel:4417349911', phones: ['+380501112233'], answered: false, outcome: 'missed', trackingNumber: '+380443334455' });
		expect(rows[1]).toMatchObject({ emails: 'ivan.petrov@example.com', phones: '+79161234567' });
	});

	it('answers 500 to a payload no source recognises and stores nothing', async () => {
		const before = n8n.dataTableRows('touches').length;
		const run = await n8n.callWebhook('touches', { hello: 'world' });
		expect(run.status).toBe(500);
		expect(n8n.dataTableRows('touches')).toHaveLength(before);
	});
});

describe(`order sync template in real n8n ${N8N_VERSION}`, () => {
	it('links orders to stored touches, credits won revenue by four models and answers with the source report', async () => {
		const feed = commercemlFeed({ orders: 300, seed: 11 });
		feedServer.feeds.set('/orders.xml', Buffer.from(feed.xml));
		const payloads = siteTouches(feed.orders, { strangers: 40, seed: 5 });
		const intake = await n8n.callWebhook('touches', payloads);
		expect([intake.status, intake.status === 200 ? '' : intake.body]).toEqual([200, '']);
		const storedTouches = n8n.dataTableRows('touches').map((row) => JSON.parse(String(row.touch)) as Touch);

		const sync = await n8n.callWebhook('order-sync');
		expect([sync.status, sync.status === 200 ? '' : sync.body]).toEqual([200, '']);
		await n8n.waitForExecutions('saOrderSync', 1);
		const report = JSON.parse(sync.body) as Array<Record<string, unknown>>;

		// The same steps in process, on the same feed and the same stored touches, give the same report.
		const expected = await pipelineInProcess(Buffer.from(feed.xml), storedTouches);
		expect(report).toEqual(JSON.parse(JSON.stringify(expected.report.rows)));
		const models = new Set(report.filter((row) => row.report === 'channels').map((row) => row.model));
		expect([...models]).toEqual(['lastNonDirect', 'linear', 'positionBased', 'markov']);

		const deals = n8n.dataTableRows('deals');
		expect(deals.map((row) => row.orderId)).toEqual(expected.match.deals.map((deal) => deal.orderId));
		expect(deals.length).toBeGreaterThan(100);

		// Every model credits exactly the revenue of the won deals, to the cent.
		const credits = n8n.dataTableRows('credits');
		const wonCents = expected.match.deals.filter((deal) => deal.stage === 'won').reduce((sum, deal) => sum + Math.round((deal.total ?? 0) * 100), 0);
		for (const model of models) {
			const cents = credits.filter((row) => row.model === model).reduce((sum, row) => sum + Math.round(Number(row.revenue) * 100), 0);
			expect([model, cents]).toEqual([model, wonCents]);
		}

		// The won revenue went to GA4 (deals whose visitor's GA client id is known) and to amoCRM (every won deal), once.
		const won = expected.match.deals.filter((deal) => deal.stage === 'won');
		const withClient = won.filter((deal) => deal.touches.some((touch) => touch.gaClientId));
		expect(ga4.purchaseIds().sort()).toEqual(withClient.map((deal) => deal.orderId).sort());
		expect(amoPatches().sort((a, b) => a.id - b.id)).toEqual(
			won.map((deal) => ({ id: Number(deal.orderId), price: Math.round(deal.total ?? 0), status: 142 })).sort((a, b) => a.id - b.id),
		);
		expect(amo.violations).toEqual([]);
		const tagged = won.find((deal) => deal.utm.source);
		expect(amo.leads.get(Number(tagged?.orderId))?.custom_fields_values).toEqual([{ field_id: 512345, values: [{ value: tagged?.utm.source }] }]);
		// Metrica: an offline conversion per deal with a Metrica visitor id or Direct click, a CRM order for the rest.
		expect([...metrica.rows].sort()).toEqual(won.map(metricaRowOf).sort());
		expect(n8n.executions('saOrderSync')[0].status).toBe('success');

		// A second run rewrites the same deals and credits and pushes nothing again: nothing doubles.
		const metricaRequests = metrica.received.length;
		const again = await n8n.callWebhook('order-sync');
		expect(again.status).toBe(200);
		await n8n.waitForExecutions('saOrderSync', 2);
		expect(n8n.dataTableRows('deals')).toHaveLength(deals.length);
		expect(n8n.dataTableRows('credits')).toHaveLength(credits.length);
		expect(ga4.purchaseIds()).toHaveLength(withClient.length);
		expect(amoPatches()).toHaveLength(won.length);
		expect(metrica.received).toHaveLength(metricaRequests);
	});
});

describe(`weekly report template in real n8n ${N8N_VERSION}`, () => {
	it('turns the stored deals into an HTML page with a chart and the channels of every model', async () => {
		const sync = await n8n.callWebhook('order-sync');
		expect(sync.status).toBe(200);
		await n8n.waitForExecutions('saOrderSync', n8n.executions('saOrderSync').length);
		const rows = (JSON.parse(sync.body) as Array<{ report: string; model: string; channel: string; revenue: number }>).filter((row) => row.report === 'channels' && row.model === 'lastNonDirect');
		const page = await n8n.callWebhook('weekly-report');
		expect([page.status, page.status === 200 ? '' : page.body]).toEqual([200, '']);
		const html = (JSON.parse(page.body) as { html: string }).html;
		expect(html).toContain('<svg');
		expect((html.match(/<rect /g) ?? []).length).toBe(rows.length);
		for (const model of ['lastNonDirect', 'linear', 'markov']) expect(html).toContain(`<h2>${model}</h2>`);
		for (const row of rows) expect(html).toContain(`<td>${row.channel}</td><td>`);
		expect(rows.length).toBeGreaterThan(3);
	});
});
