import type { Touch } from '../../nodes/shared/contracts';
import { commercemlFeed } from '../fixtures/commercemlFeed';
import { siteTouches } from '../fixtures/touchPayloads';
import { FeedServer } from '../helpers/feedServer';
import { pipelineInProcess } from '../helpers/pipeline';
import { Bitrix24Server } from '../helpers/standins/bitrix24Server';
import { Ga4Server } from '../helpers/standins/ga4Server';
import { GoogleAdsServer } from '../helpers/standins/googleAdsServer';
import { metricaRowOf, MetricaServer } from '../helpers/standins/metricaServer';
import { N8N_VERSION, packPack, RealN8n, template, templateWithFeed } from './realN8n';
import { FEED_LOGIN, GOOGLE_ADS, METRICA_TOKEN, pipelineCredentials, shortenRunLock, waitFor } from './setups';

/**
 * The order sync as a Bitrix24 shop sets it up (the CRM push pointed at Bitrix24), killed half way through its
 * revenue push and run again after n8n restarts: every revenue version reaches GA4, Metrica and Bitrix24 exactly once.
 */
const feedServer = new FeedServer(FEED_LOGIN.user, FEED_LOGIN.password);
const ga4 = new Ga4Server();
const metrica = new MetricaServer({ token: METRICA_TOKEN });
const google = new GoogleAdsServer({ ...GOOGLE_ADS });
const ORDERS = 400;
const bitrix = new Bitrix24Server({ userId: '1', token: 'b24h00kt0ken', deals: Object.fromEntries(Array.from({ length: ORDERS }, (_, i) => [100000 + i, { TITLE: `Order ${100000 + i}` }])) });
let n8n: RealN8n;

/** The order sync template with its CRM push sent to Bitrix24 instead of amoCRM. */
function bitrixOrderSync(feedUrl: string): Record<string, unknown> {
	const workflow = templateWithFeed('order-sync.json', feedUrl) as {
		nodes: Array<{ name: string; parameters: Record<string, unknown>; credentials?: Record<string, unknown> }>;
		connections: Record<string, { main: Array<Array<{ node: string }>> }>;
	};
	const push = workflow.nodes.find((node) => node.name === 'Push Revenue to amoCRM');
	if (!push) throw new Error('the order sync template has no "Push Revenue to amoCRM" node');
	push.name = 'Push Revenue to Bitrix24';
	push.parameters = { destination: 'bitrix24', mode: 'won', crmIdFrom: 'orderId', writeUtm: true, options: {} };
	push.credentials = { bitrix24WebhookApi: { id: 'saBitrix24', name: 'Bitrix24' } };
	for (const outputs of Object.values(workflow.connections)) {
		for (const link of outputs.main.flat()) if (link.node === 'Push Revenue to amoCRM') link.node = 'Push Revenue to Bitrix24';
	}
	const pushOutputs = workflow.connections['Push Revenue to amoCRM'];
	if (pushOutputs) {
		workflow.connections['Push Revenue to Bitrix24'] = pushOutputs;
		delete workflow.connections['Push Revenue to amoCRM'];
	}
	// The killed run keeps the template's run lock until it expires (30 minutes): here it lasts 5 s.
	shortenRunLock(workflow, 5);
	return workflow;
}

/** transaction_id of each purchase in the requests GA4 answered (a request held open and cut by the kill is not). */
function ga4Accepted(): string[] {
	return ga4.received
		.filter((request) => request.path === '/mp/collect' && request.outcome === 204)
		.flatMap((request) => (request.body as { events: Array<{ name: string; params: { transaction_id: string } }> }).events)
		.filter((event) => event.name === 'purchase')
		.map((event) => event.params.transaction_id);
}

beforeAll(async () => {
	await feedServer.start();
	await ga4.start();
	await metrica.start();
	await bitrix.start();
	await google.start();
	n8n = new RealN8n(packPack());
	n8n.importCredentials([
		...pipelineCredentials({ ga4: ga4.url, metrica: metrica.url, google: google.url }, 'G-CRASH1234'),
		{ id: 'saBitrix24', name: 'Bitrix24', type: 'bitrix24WebhookApi', data: { webhookUrl: `${bitrix.url}/rest/1/b24h00kt0ken/` } },
	]);
	n8n.importWorkflow(template('touch-intake.json'));
	n8n.importWorkflow(bitrixOrderSync(feedServer.url('/orders.xml')));
	for (const id of ['saTouchIntake', 'saOrderSync']) n8n.publish(id);
	await n8n.start();
}, 300000);

afterAll(async () => {
	await n8n?.stop();
	await feedServer.stop();
	await ga4.close();
	await metrica.close();
	await bitrix.close();
	await google.close();
});

describe(`revenue push killed half way in real n8n ${N8N_VERSION}`, () => {
	it('sends every revenue version exactly once to GA4, Metrica and Bitrix24 after a kill and a rerun', async () => {
		const feed = commercemlFeed({ orders: ORDERS, seed: 31 });
		feedServer.feeds.set('/orders.xml', Buffer.from(feed.xml));
		const intake = await n8n.callWebhook('touches', siteTouches(feed.orders, { strangers: 30, seed: 7 }));
		expect([intake.status, intake.status === 200 ? '' : intake.body]).toEqual([200, '']);
		const storedTouches = n8n.dataTableRows('touches').map((row) => JSON.parse(String(row.touch)) as Touch);
		const expected = await pipelineInProcess(Buffer.from(feed.xml), storedTouches);
		const won = expected.match.deals.filter((deal) => deal.stage === 'won');
		const withClient = won.filter((deal) => deal.touches.some((touch) => touch.gaClientId)).map((deal) => deal.orderId);
		expect(withClient.length).toBeGreaterThan(75);

		// GA4 (one request per visitor) answers twenty requests, then holds the next open: n8n is killed while it waits.
		ga4.faults.next(20, 'pass').next(1, 'timeout');
		const first = await n8n.callWebhook('order-sync');
		expect(first.status).toBe(200);
		await waitFor('the held GA4 request', () => ga4.received.some((request) => request.outcome === 'timeout'));
		await n8n.kill();
		const beforeKill = ga4Accepted();
		expect(beforeKill).toHaveLength(20);
		expect(bitrix.updates).toHaveLength(0);

		await n8n.start();
		const runsBefore = n8n.executions('saOrderSync').length;
		const second = await n8n.callWebhook('order-sync');
		expect(second.status).toBe(200);
		await waitFor('the rerun to finish', () => {
			const runs = n8n.executions('saOrderSync');
			return runs.length > runsBefore && !['running', 'new'].includes(runs[0].status);
		});
		expect(n8n.executions('saOrderSync')[0].status).toBe('success');

		// Exactly once everywhere: the twenty answered GA4 requests were recorded before the kill and not sent again.
		expect(ga4Accepted().sort()).toEqual([...withClient].sort());
		expect(new Set(ga4Accepted()).size).toBe(ga4Accepted().length);
		expect([...bitrix.updates].sort()).toEqual(won.map((deal) => Number(deal.orderId)).sort());
		expect(bitrix.overflows).toBe(0);
		expect(bitrix.deals.get(Number(won[0].orderId))).toMatchObject({ OPPORTUNITY: (won[0].total ?? 0).toFixed(2), IS_MANUAL_OPPORTUNITY: 'Y', CURRENCY_ID: 'RUB' });
		expect([...metrica.rows].sort()).toEqual(won.map(metricaRowOf).sort());
	});
});
