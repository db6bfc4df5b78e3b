import type { INodeExecutionData } from 'n8n-workflow';
import { join } from 'path';
import { AmoCrmApi } from '../../credentials/AmoCrmApi.credentials';
import { AmoCrmOAuth2Api } from '../../credentials/AmoCrmOAuth2Api.credentials';
import { Bitrix24WebhookApi } from '../../credentials/Bitrix24WebhookApi.credentials';
import type { Order } from '../../nodes/shared/contracts';
import { executeNode, type NodeRun, type NodeUnderTest } from '../faults/fakeContext';
import { AmoCrmServer, type AmoFieldValue, type AmoReadLead } from '../helpers/standins/amocrmServer';

type NodeModule = typeof import('../../nodes/CrmDealsImport/CrmDealsImport.node');
const { CrmDealsImport } = require(join(__dirname, '..', '..', 'nodes', 'CrmDealsImport', 'CrmDealsImport.node.ts')) as NodeModule;

const NODE: NodeUnderTest = {
	type: new CrmDealsImport(),
	node: { id: 'crm-deals', name: 'CRM Deals Import', type: 'n8n-nodes-sales-analytics.crmDealsImport', typeVersion: 1, position: [0, 0], parameters: {} },
	credentials: [new AmoCrmApi(), new AmoCrmOAuth2Api(), new Bitrix24WebhookApi()],
};

const TOKEN = 'amo-long-lived-t0ken-123456';
const PIPELINES = [{ id: 7001, name: 'Воронка', statuses: [{ id: 41001, name: 'Первичный контакт' }, { id: 41002, name: 'Переговоры' }] }];

const field = (code: string, name: string, type: string, ...values: unknown[]): AmoFieldValue => ({ field_id: 900 + code.length, field_name: name, field_code: code, field_type: type, values: values.map((value) => ({ value })) });
const lead = (id: unknown, price: unknown, status: number, createdAt: number, updatedAt: number, contacts: AmoReadLead['contacts'], fields: AmoFieldValue[] | null = null): AmoReadLead => ({
	id,
	name: `Сделка #${String(id)}`,
	price,
	status_id: status,
	pipeline_id: 7001,
	created_at: createdAt,
	updated_at: updatedAt,
	custom_fields_values: fields,
	contacts,
});

function run(server: AmoCrmServer, overrides: Partial<NodeRun> = {}, parameters: Record<string, unknown> = {}): NodeRun {
	return { parameters: { crm: 'amocrm', options: { timeZone: 'Europe/Moscow' }, ...parameters }, credential: { baseUrl: server.url, token: TOKEN }, staticData: {}, continueOnFail: true, ...overrides };
}

const json = (items: INodeExecutionData[]) => items.map((item) => item.json);
const empty = { source: null, medium: null, campaign: null, content: null, term: null };

describe('CRM Deals Import: amoCRM / Kommo', () => {
	const servers: AmoCrmServer[] = [];
	const start = async (server: AmoCrmServer) => {
		servers.push(server);
		return await server.start();
	};
	afterEach(async () => {
		for (const server of servers.splice(0)) await server.close();
	});

	/*
	 * Lead 9001, won (142), 15,000 RUB, created 2024-11-27 09:00 UTC (12:00 Moscow), changed 10:00 UTC, with the tracking
	 * fields of a yandex / cpc / brand visit, its _ga and _ym_uid; two contacts: Анна (main, two phones written two
	 * ways, an e-mail in capitals) and Пётр (a phone that is not one). Lead 9002 has a price that is not a number,
	 * 9003 is in "Переговоры" without a price and with a deleted contact, and the fourth lead has no id.
	 */
	const contacts = [
		{ id: 501, name: 'Анна Петрова', custom_fields_values: [field('PHONE', 'Телефон', 'multitext', '+7 (916) 123-45-67', '8 916 765 43 21'), field('EMAIL', 'Email', 'multitext', 'Anna@Example.com')] },
		{ id: 502, name: 'Пётр', custom_fields_values: [field('PHONE', 'Телефон', 'multitext', 'not a phone')] },
	];
	const tracking = [
		field('UTM_SOURCE', 'utm_source', 'tracking_data', 'yandex'),
		field('UTM_MEDIUM', 'utm_medium', 'tracking_data', 'cpc'),
		field('UTM_CAMPAIGN', 'utm_campaign', 'tracking_data', 'brand'),
		field('GCLIENTID', 'gclientid', 'tracking_data', 'GA1.1.111.222'),
		field('_YM_UID', '_ym_uid', 'tracking_data', '1732690000123456789'),
		field('ROISTAT', 'roistat', 'tracking_data', '12345'),
	];
	const leads = [
		lead(9001, 15000, 142, 1732698000, 1732701600, [{ id: 501, is_main: true }, { id: 502, is_main: false }], tracking),
		lead(9002, 'abc', 41001, 1732698000, 1732701600, []),
		lead(9003, null, 41002, 1732784400, 1732784400, [{ id: 599, is_main: true }]),
		lead(null, 100, 41001, 1732784400, 1732784400, []),
	];

	it('reads leads with their contacts, status names, tracking fields and the account currency, as worked out by hand', async () => {
		const server = await start(new AmoCrmServer({ token: TOKEN, pipelines: PIPELINES, readLeads: leads, contacts, account: { id: 1, name: 'Shop', subdomain: 'shop', currency: 'RUB' } }));
		const { items, error } = await executeNode(NODE, run(server));
		expect(error).toBeUndefined();
		const won: Order = {
			orderId: '9001',
			number: null,
			createdAt: '2024-11-27T12:00:00+03:00',
			updatedAt: '2024-11-27T13:00:00+03:00',
			status: 'Успешно реализовано',
			statusCode: '142',
			stage: null,
			total: 15000,
			currency: 'RUB',
			customer: { name: 'Анна Петрова', phones: ['+79161234567', '+79167654321'], emails: ['anna@example.com'], gaClientId: '111.222', ymClientId: '1732690000123456789' },
			utm: { source: 'yandex', medium: 'cpc', campaign: 'brand', content: null, term: null },
			items: [],
			warnings: ['phone "not a phone" is not a phone number'],
		};
		const talks: Order = {
			orderId: '9003',
			number: null,
			createdAt: '2024-11-28T12:00:00+03:00',
			updatedAt: '2024-11-28T12:00:00+03:00',
			status: 'Переговоры',
			statusCode: '41002',
			stage: null,
			total: null,
			currency: 'RUB',
			customer: { name: null, phones: [], emails: [], gaClientId: null, ymClientId: null },
			utm: empty,
			items: [],
			warnings: ['contact 599 of the lead was not found'],
		};
		// In the CRM's order, the two bad leads as error items in their places, with their index.
		expect(json(items)).toEqual([
			won,
			{ error: 'Deal 1 (id 9002): the price "abc" of lead 9002 is not a number', description: expect.any(String), dealIndex: 1, dealId: '9002' },
			talks,
			{ error: 'Deal 3: the lead has no id', description: expect.any(String), dealIndex: 3, dealId: null },
		]);
		expect(items.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(true);
		expect(items[1].error?.message).toBe('Deal 1 (id 9002): the price "abc" of lead 9002 is not a number');
		// Contacts asked for once, by id, in PHP's array form.
		const contactRequests = server.received.filter((request) => request.path === '/api/v4/contacts');
		expect(contactRequests.map((request) => request.query)).toEqual([{ limit: '250', 'filter[id][0]': '501', 'filter[id][1]': '502', 'filter[id][2]': '599' }]);
	});

	it('stops at the first bad lead without Continue On Fail, naming it', async () => {
		const server = await start(new AmoCrmServer({ token: TOKEN, pipelines: PIPELINES, readLeads: leads, contacts }));
		const { items, error } = await executeNode(NODE, run(server, { continueOnFail: false }));
		expect(items).toEqual([]);
		expect(error?.message).toBe('Deal 1 (id 9002): the price "abc" of lead 9002 is not a number');
	});

	it('reads 251 leads in three pages (250, 1, then 204 No Content), their 251 contacts 100 at a time, within 7 requests a second', async () => {
		// Lead 10000+i costs i × 100 and has one contact 20000+i with the phone +7 916 000-0i-ii.
		const many = Array.from({ length: 251 }, (_, k) => {
			const i = k + 1;
			return lead(10000 + i, i * 100, 41001, 1732698000 + i, 1732698000 + i, [{ id: 20000 + i, is_main: true }]);
		});
		const people = many.map((_, k) => ({ id: 20001 + k, name: `Клиент ${k + 1}`, custom_fields_values: [field('PHONE', 'Телефон', 'multitext', `+7 916 000 ${String(k + 1).padStart(4, '0')}`)] }));
		const server = await start(new AmoCrmServer({ token: TOKEN, pipelines: PIPELINES, readLeads: many, contacts: people, nextOnLastPage: true }));
		const { items, error } = await executeNode(NODE, run(server));
		expect(error).toBeUndefined();
		const orders = json(items) as unknown as Order[];
		expect(orders).toHaveLength(251);
		expect(orders.map((order) => order.orderId)).toEqual(many.map((entry) => String(entry.id)));
		expect([orders[0].total, orders[0].customer.phones, orders[0].customer.name, orders[0].createdAt]).toEqual([100, ['+79160000001'], 'Клиент 1', '2024-11-27T12:00:01+03:00']);
		expect([orders[250].total, orders[250].customer.phones, orders[250].status]).toEqual([25100, ['+79160000251'], 'Первичный контакт']);
		const leadPages = server.received.filter((request) => request.path === '/api/v4/leads');
		expect(leadPages.map((request) => [request.query.page, request.query.limit, request.query.with, request.outcome])).toEqual([
			['1', '250', 'contacts', 200],
			['2', '250', 'contacts', 200],
			['3', '250', 'contacts', 204],
		]);
		expect(server.received.filter((request) => request.path === '/api/v4/contacts')).toHaveLength(3);
		expect(server.tooManyRequests).toBe(0);
	});

	it('retries a 429 and reads everything once', async () => {
		const server = await start(new AmoCrmServer({ token: TOKEN, pipelines: PIPELINES, readLeads: leads.slice(0, 1), contacts }));
		server.faults.next(1, 429);
		const { items, error } = await executeNode(NODE, run(server));
		expect(error).toBeUndefined();
		expect(json(items).map((order) => order.orderId)).toEqual(['9001']);
		expect(server.received.map((request) => [request.path, request.outcome])).toEqual([
			['/api/v4/account', 429],
			['/api/v4/account', 200],
			['/api/v4/leads/pipelines', 200],
			['/api/v4/leads', 200],
			['/api/v4/contacts', 200],
		]);
	});

	it('names a refused token (401) without showing it, and asks once', async () => {
		const server = await start(new AmoCrmServer({ token: 'the-right-token-999', pipelines: PIPELINES, readLeads: leads }));
		const { items, error } = await executeNode(NODE, run(server, { continueOnFail: false }));
		expect(items).toEqual([]);
		expect(error?.message).toBe('amoCRM refused the credential (HTTP 401: Unauthorized: Unauthorized): the token expired or was revoked: reconnect the credential');
		expect(error?.description).toMatch(/reconnect it \(OAuth2\), or paste a new long-lived token/);
		expect(`${error?.message} ${error?.description}`).not.toContain(TOKEN);
		expect(server.received).toHaveLength(1);
	});

	it('asks the OAuth2 credential when Authentication says so (n8n signs and refreshes it; here unsigned, so 401)', async () => {
		const server = await start(new AmoCrmServer({ token: TOKEN, pipelines: PIPELINES, readLeads: leads }));
		// The fake context does not run n8n's OAuth2 flow: the request goes out unsigned, and the 401 is one error item.
		const { items } = await executeNode(NODE, run(server, { credential: { baseUrl: server.url } }, { authentication: 'amoCrmOAuth2Api' }));
		expect(json(items)).toEqual([{ error: expect.stringMatching(/^amoCRM refused the credential \(HTTP 401.*reconnect the credential$/), description: expect.any(String) }]);
		expect(server.received.map((request) => [request.path, request.headers.authorization])).toEqual([['/api/v4/account', undefined]]);
		const oauth = new AmoCrmOAuth2Api();
		expect([oauth.extends, oauth.properties.find((property) => property.name === 'authUrl')?.default, oauth.properties.find((property) => property.name === 'accessTokenUrl')?.default]).toEqual([
			['oAuth2Api'],
			'https://www.amocrm.ru/oauth',
			'={{$self["baseUrl"].replace(/\\/+$/, "")}}/oauth2/access_token',
		]);
	});

	it('Changed Since Last Run: the second run asks for leads changed since the last one seen and emits only what changed', async () => {
		const server = await start(new AmoCrmServer({ token: TOKEN, pipelines: PIPELINES, readLeads: [leads[0], leads[2]], contacts }));
		const staticData = {};
		const first = await executeNode(NODE, run(server, { staticData }, { emit: 'changed' }));
		expect(json(first.items).map((order) => [order.orderId, (order.change as { type: string }).type])).toEqual([
			['9001', 'new'],
			['9003', 'new'],
		]);
		// 9003 moves to won at 2024-11-29 09:00 UTC; 9001 is as it was.
		const moved = { ...leads[2], status_id: 142, price: 7000, updated_at: 1732870800 };
		(server as unknown as { options: { readLeads: AmoReadLead[] } }).options.readLeads = [leads[0], moved];
		const second = await executeNode(NODE, run(server, { staticData }, { emit: 'changed' }));
		expect(second.error).toBeUndefined();
		expect(json(second.items).map((order) => [order.orderId, order.status, order.total, order.change])).toEqual([
			['9003', 'Успешно реализовано', 7000, { type: 'changed', fields: ['status', 'total'], previous: { status: 'Переговоры', total: null } }],
		]);
		// Asked from the latest change of the first run: 9003's 1732784400.
		expect(server.received.filter((request) => request.path === '/api/v4/leads').map((request) => request.query['filter[updated_at][from]'])).toEqual([undefined, '1732784400']);
	});
});
