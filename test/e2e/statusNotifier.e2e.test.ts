import { commercemlFeed } from '../fixtures/commercemlFeed';
import { FeedServer } from '../helpers/feedServer';
import { WebhookServer } from '../helpers/standins/webhookServer';
import { N8N_VERSION, packPack, RealN8n, templateWithFeed } from './realN8n';

/**
 * The status-change notifier template (incremental CRM import -> statuses -> won / lost -> a messenger webhook) in
 * real n8n. It needs no Data Table, so it also runs on the n8n 1.x line (scripts/test-legacy-n8n.sh).
 */
const feedServer = new FeedServer('exchange', 's3cret-pa55');
const messenger = new WebhookServer();
let n8n: RealN8n;

beforeAll(async () => {
	await feedServer.start();
	await messenger.start();
	n8n = new RealN8n(packPack());
	n8n.importCredentials([{ id: 'saCrmFeed', name: 'CRM XML Feed', type: 'crmFeedApi', data: { authType: 'basic', user: 'exchange', password: 's3cret-pa55' } }]);
	const notifier = templateWithFeed('status-notifier.json', feedServer.url('/notify.xml')) as { nodes: Array<{ name: string; parameters: Record<string, unknown> }> };
	const send = notifier.nodes.find((node) => node.name === 'Send Message');
	if (send) send.parameters.url = `${messenger.url}/hooks/sales`;
	n8n.importWorkflow(notifier);
	n8n.publish('saStatusNotifier');
	await n8n.start();
}, 300000);

afterAll(async () => {
	await n8n?.stop();
	await feedServer.stop();
	await messenger.close();
});

describe(`status notifier template in real n8n ${N8N_VERSION}`, () => {
	it('learns the orders on the first run, then posts one message for each order that became won or lost', async () => {
		const feed = commercemlFeed({ orders: 120, seed: 21 });
		feedServer.feeds.set('/notify.xml', Buffer.from(feed.xml));
		const first = await n8n.callWebhook('status-notifier');
		expect([first.status, first.status === 200 ? '' : first.body]).toEqual([200, '']);
		expect(messenger.deliveries).toHaveLength(0);
		const waiting = feed.orders.filter((order) => order.statusCode === 'N');
		const changes = new Map([...waiting.slice(0, 5).map((order) => [order.id, '[F] Выполнен'] as const), ...waiting.slice(5, 8).map((order) => [order.id, '[C] Отменен'] as const)]);
		let xml = feed.xml;
		for (const [id, status] of changes) {
			const at = xml.indexOf(`<Ид>${id}</Ид>`);
			const end = xml.indexOf('</Документ>', at);
			xml = xml.slice(0, at) + xml.slice(at, end).replace('[N] Принят, ожидается оплата', status) + xml.slice(end);
		}
		feedServer.feeds.set('/notify.xml', Buffer.from(xml));
		const second = await n8n.callWebhook('status-notifier');
		expect(second.status).toBe(200);
		const texts = messenger.deliveries.map((delivery) => (delivery.body as { text: string }).text).sort();
		const expected = [...changes].map(([id, status]) => `${status.startsWith('[F]') ? 'Deal won' : 'Deal lost'}: order ${id}`).sort();
		expect(texts.map((text) => text.slice(0, text.indexOf(','))).sort()).toEqual(expected);
		expect(texts.every((text) => text.includes('Принят, ожидается оплата →'))).toBe(true);
	});
});
