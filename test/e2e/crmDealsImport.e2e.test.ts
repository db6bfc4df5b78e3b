import { AmoCrmServer, type AmoFieldValue } from '../helpers/standins/amocrmServer';
import { N8N_VERSION, packPack, RealN8n, template } from './realN8n';
import { AMO_TOKEN } from './setups';

/**
 * The CRM deals import template in a real n8n: Webhook -> CRM Deals Import (amoCRM through the long-lived token
 * credential, changed since the last run) -> CRM Status Map -> Data Table insert / update by order id. What counts is
 * what lands in n8n's own database.
 */
const WORKFLOW_ID = 'saCrmDealsImport';
const PIPELINES = [{ id: 7001, name: 'Продажи', statuses: [{ id: 41001, name: 'Первичный контакт' }] }];
const phone = (value: string): AmoFieldValue => ({ field_id: 11, field_name: 'Телефон', field_code: 'PHONE', field_type: 'multitext', values: [{ value }] });
/** Two leads of 2024-11-27 (unix 1732698000 = 12:00 Moscow): 9001 won, 15,000; 9002 new, 2,500; one contact each. */
const leads = [
	{ id: 9001, name: 'Сделка #9001', price: 15000, status_id: 142, pipeline_id: 7001, created_at: 1732698000, updated_at: 1732701600, custom_fields_values: null, contacts: [{ id: 501, is_main: true }] },
	{ id: 9002, name: 'Сделка #9002', price: 2500, status_id: 41001, pipeline_id: 7001, created_at: 1732698000, updated_at: 1732698000, custom_fields_values: null, contacts: [{ id: 502, is_main: true }] },
];
const contacts = [
	{ id: 501, name: 'Анна Петрова', custom_fields_values: [phone('+7 (916) 123-45-67')] },
	{ id: 502, name: 'Пётр', custom_fields_values: [phone('8 926 765 43 21')] },
];
const amo = new AmoCrmServer({ token: AMO_TOKEN, pipelines: PIPELINES, readLeads: leads, contacts, account: { id: 1, name: 'Shop', subdomain: 'shop', currency: 'RUB' } });
let n8n: RealN8n;

beforeAll(async () => {
	await amo.start();
	n8n = new RealN8n(packPack());
	n8n.importCredentials([{ id: 'saAmoCrm', name: 'amoCRM', type: 'amoCrmApi', data: { baseUrl: amo.url, token: AMO_TOKEN } }]);
	n8n.importWorkflow(template('crm-deals-import.json'));
	n8n.publish(WORKFLOW_ID);
	await n8n.start();
}, 300000);

afterAll(async () => {
	await n8n?.stop();
	await amo.close();
});

describe(`CRM deals import template in real n8n ${N8N_VERSION}`, () => {
	it('keeps the amoCRM leads as orders with their stages and phones; a second run with nothing changed writes nothing', async () => {
		const first = await n8n.callWebhook('crm-deals-import');
		expect([first.status, first.status === 200 ? '' : first.body]).toEqual([200, '']);
		const columns = (rows: Array<Record<string, unknown>>) => rows.map((r) => [r.orderId, r.status, r.statusCode, r.stage, r.total, r.currency, r.orderCreatedAt, r.customerName, r.phones]);
		const expected = [
			['9001', 'Успешно реализовано', '142', 'won', 15000, 'RUB', '2024-11-27T12:00:00+03:00', 'Анна Петрова', '+79161234567'],
			['9002', 'Первичный контакт', '41001', 'new', 2500, 'RUB', '2024-11-27T12:00:00+03:00', 'Пётр', '+79267654321'],
		];
		expect(columns(n8n.dataTableRows('crm_orders'))).toEqual(expected);

		const second = await n8n.callWebhook('crm-deals-import');
		expect(second.status).toBe(200);
		await n8n.waitForExecutions(WORKFLOW_ID, 2);
		expect(n8n.executions(WORKFLOW_ID).map((run) => run.status)).toEqual(['success', 'success']);
		expect(columns(n8n.dataTableRows('crm_orders'))).toEqual(expected);
		// The second run asked only for leads changed since the first run's latest change (unix 1732701600).
		const asked = amo.received.filter((request) => request.path === '/api/v4/leads').map((request) => request.query['filter[updated_at][from]'] ?? null);
		expect(asked[0]).toBeNull();
		expect(asked.at(-1)).toBe('1732701600');
	});
});
