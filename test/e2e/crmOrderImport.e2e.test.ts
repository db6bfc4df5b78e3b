import { commercemlFeed } from '../fixtures/commercemlFeed';
import { FeedServer } from '../helpers/feedServer';
import { sample } from '../helpers/feeds';
import { N8N_VERSION, packPack, RealN8n, templateWithFeed } from './realN8n';

/**
 * The CRM order import template in a real n8n: Webhook / Schedule / Manual -> Data Table (create) -> CRM XML Import
 * (through the CRM XML Feed credential, Basic auth) -> CRM Status Map -> Data Table upsert. What counts is what lands
 * in n8n's own database.
 */
const WORKFLOW_ID = 'saCrmOrderImport';
const feedServer = new FeedServer('exchange', 's3cret-pa55');
let n8n: RealN8n;

async function runImport(): Promise<{ status: number; body: string }> {
	return n8n.callWebhook('crm-order-import');
}

beforeAll(async () => {
	await feedServer.start();
	feedServer.feeds.set('/sample.xml', sample('bitrix-sale-export_orders_cml205_cp1251.xml'));
	n8n = new RealN8n(packPack());
	n8n.importCredentials([{ id: 'saCrmFeed', name: 'CRM XML Feed', type: 'crmFeedApi', data: { authType: 'basic', user: 'exchange', password: 's3cret-pa55' } }]);
	n8n.importWorkflow(templateWithFeed('crm-order-import.json', feedServer.url('/sample.xml')));
	n8n.publish(WORKFLOW_ID);
	await n8n.start();
}, 300000);

afterAll(async () => {
	await n8n?.stop();
	await feedServer.stop();
});

describe(`CRM order import template in real n8n ${N8N_VERSION}`, () => {
	it('imports the real windows-1251 Bitrix export into the crm_orders Data Table with stages', async () => {
		const run = await runImport();
		expect([run.status, run.status === 200 ? '' : run.body]).toEqual([200, '']);
		const rows = n8n.dataTableRows('crm_orders');
		expect(rows.map((r) => [r.orderId, r.status, r.statusCode, r.stage, r.total, r.currency, r.orderCreatedAt])).toEqual([
			['132', 'Принят, ожидается оплата', 'N', 'new', 231.74, 'RUB', '2021-02-11T18:45:21+03:00'],
			['133', 'Принят, ожидается оплата', 'N', 'new', 14380.58, 'RUB', '2021-02-12T09:11:04+03:00'],
		]);
		expect(feedServer.requests.at(-1)).toEqual({ path: '/sample.xml', authorized: true });
	});

	it('imports a generated 4,000-order feed; a second run writes nothing; changed orders are updated in place', async () => {
		const feed = commercemlFeed({ orders: 4000, seed: 7 });
		feedServer.feeds.set('/sample.xml', Buffer.from(feed.xml));
		for (let pass = 0; pass < 2; pass++) {
			const run = await runImport();
			expect([run.status, run.status === 200 ? '' : run.body]).toEqual([200, '']);
		}
		let rows = n8n.dataTableRows('crm_orders');
		const generated = new Map(feed.orders.map((o) => [o.id, o]));
		const imported = rows.filter((r) => generated.has(String(r.orderId)));
		expect(imported).toHaveLength(4000);
		expect(rows).toHaveLength(4002);
		const stages: Record<string, number> = {};
		for (const row of imported) {
			const order = generated.get(String(row.orderId));
			expect([row.total, row.phones, row.emails]).toEqual([order?.total, order?.phone, order?.email]);
			stages[String(row.stage)] = (stages[String(row.stage)] ?? 0) + 1;
		}
		expect(stages).toEqual({ new: 1000, won: 2000, lost: 1000 });

		// 40 orders that were waiting for payment are now done: only they are rewritten, in place.
		const paid = feed.orders.filter((o) => o.statusCode === 'N').slice(0, 40).map((o) => o.id);
		let xml = feed.xml;
		for (const id of paid) {
			const at = xml.indexOf(`<Ид>${id}</Ид>`);
			const end = xml.indexOf('</Документ>', at);
			xml = xml.slice(0, at) + xml.slice(at, end).replace('[N] Принят, ожидается оплата', '[F] Выполнен') + xml.slice(end);
		}
		feedServer.feeds.set('/sample.xml', Buffer.from(xml));
		const run = await runImport();
		expect(run.status).toBe(200);
		rows = n8n.dataTableRows('crm_orders');
		expect(rows).toHaveLength(4002);
		const updated = rows.filter((r) => paid.includes(String(r.orderId)));
		expect(updated.map((r) => [r.status, r.stage])).toEqual(paid.map(() => ['Выполнен', 'won']));
	});

	it('fails on a truncated feed and writes nothing', async () => {
		const before = n8n.dataTableRows('crm_orders');
		const { xml } = commercemlFeed({ orders: 50, seed: 9 });
		feedServer.feeds.set('/sample.xml', Buffer.from(xml.slice(0, Math.floor(xml.length / 2))));
		const run = await runImport();
		expect(run.status).toBe(500);
		expect(n8n.executions(WORKFLOW_ID)[0].status).toBe('error');
		expect(n8n.dataTableRows('crm_orders')).toEqual(before);
	});
});
