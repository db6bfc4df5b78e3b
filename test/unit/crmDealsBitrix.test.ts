import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { join } from 'path';
import { AmoCrmApi } from '../../credentials/AmoCrmApi.credentials';
import { AmoCrmOAuth2Api } from '../../credentials/AmoCrmOAuth2Api.credentials';
import { Bitrix24WebhookApi } from '../../credentials/Bitrix24WebhookApi.credentials';
import type { Order } from '../../nodes/shared/contracts';
import { executeNode, type NodeRun, type NodeUnderTest } from '../faults/fakeContext';
import { Bitrix24Server } from '../helpers/standins/bitrix24Server';
import { parseBracketQuery, type Nested } from '../helpers/standins/parsing';

type NodeModule = typeof import('../../nodes/CrmDealsImport/CrmDealsImport.node');
const { CrmDealsImport } = require(join(__dirname, '..', '..', 'nodes', 'CrmDealsImport', 'CrmDealsImport.node.ts')) as NodeModule;

const NODE: NodeUnderTest = {
	type: new CrmDealsImport(),
	node: { id: 'crm-deals', name: 'CRM Deals Import', type: 'n8n-nodes-sales-analytics.crmDealsImport', typeVersion: 1, position: [0, 0], parameters: {} },
	credentials: [new AmoCrmApi(), new AmoCrmOAuth2Api(), new Bitrix24WebhookApi()],
};

const TOKEN = 'b24webhookt0ken777';
const STATUSES = [
	{ ENTITY_ID: 'DEAL_STAGE', STATUS_ID: 'NEW', NAME: 'Новая', SEMANTICS: null },
	{ ENTITY_ID: 'DEAL_STAGE', STATUS_ID: 'WON', NAME: 'Сделка успешна', SEMANTICS: 'S' },
	{ ENTITY_ID: 'DEAL_STAGE', STATUS_ID: 'LOSE', NAME: 'Сделка провалена', SEMANTICS: 'F' },
	{ ENTITY_ID: 'DEAL_STAGE_1', STATUS_ID: 'C1:UC_X1', NAME: 'Ушёл к конкурентам', SEMANTICS: 'F' },
	{ ENTITY_ID: 'SOURCE', STATUS_ID: 'WEB', NAME: 'Сайт', SEMANTICS: null },
];
const CONTACTS = {
	401: {
		NAME: 'Ольга',
		LAST_NAME: 'Смирнова',
		PHONE: [
			{ ID: '11', VALUE_TYPE: 'WORK', VALUE: '+7 495 123-45-67', TYPE_ID: 'PHONE' },
			{ ID: '12', VALUE_TYPE: 'MOBILE', VALUE: '8 (916) 555-44-33', TYPE_ID: 'PHONE' },
		],
		EMAIL: [{ ID: '13', VALUE_TYPE: 'WORK', VALUE: 'olga@example.ru', TYPE_ID: 'EMAIL' }],
	},
};

/*
 * Deal 301: won, 12,500.50 RUB with the utm of a google / cpc / spring_sale banner click, contact 401 (two phones, one
 * e-mail). Deal 302: in the second pipeline's own failure stage (semantic F), 0 USD, no contact. Deal 303's sum is
 * not a number.
 */
const deals = (): Record<number, Record<string, string>> => ({
	301: {
		TITLE: 'Заказ с сайта',
		STAGE_ID: 'WON',
		STAGE_SEMANTIC_ID: 'S',
		CATEGORY_ID: '0',
		OPPORTUNITY: '12500.50',
		CURRENCY_ID: 'RUB',
		DATE_CREATE: '2024-11-20T10:15:00+03:00',
		DATE_MODIFY: '2024-11-21T09:00:00+03:00',
		CONTACT_ID: '401',
		UTM_SOURCE: 'google',
		UTM_MEDIUM: 'cpc',
		UTM_CAMPAIGN: 'spring_sale',
		UTM_CONTENT: 'banner',
		UTM_TERM: 'диваны',
	},
	302: { TITLE: 'Опт', STAGE_ID: 'C1:UC_X1', STAGE_SEMANTIC_ID: 'F', CATEGORY_ID: '1', OPPORTUNITY: '0.00', CURRENCY_ID: 'USD', DATE_CREATE: '2024-11-19T12:00:00+03:00', DATE_MODIFY: '2024-11-20T18:00:00+03:00' },
	303: { TITLE: 'Странная', STAGE_ID: 'NEW', STAGE_SEMANTIC_ID: 'P', OPPORTUNITY: 'n/a', CURRENCY_ID: 'RUB', DATE_CREATE: '2024-11-18T08:00:00+03:00', DATE_MODIFY: '2024-11-19T08:00:00+03:00' },
});

const WON: Order = {
	orderId: '301',
	number: null,
	createdAt: '2024-11-20T10:15:00+03:00',
	updatedAt: '2024-11-21T09:00:00+03:00',
	status: 'Сделка успешна',
	statusCode: 'bitrix24:S',
	stage: null,
	total: 12500.5,
	currency: 'RUB',
	customer: { name: 'Ольга Смирнова', phones: ['+74951234567', '+79165554433'], emails: ['olga@example.ru'], gaClientId: null, ymClientId: null },
	utm: { source: 'google', medium: 'cpc', campaign: 'spring_sale', content: 'banner', term: 'диваны' },
	items: [],
	warnings: [],
};
const LOST: Order = {
	orderId: '302',
	number: null,
	createdAt: '2024-11-19T12:00:00+03:00',
	updatedAt: '2024-11-20T18:00:00+03:00',
	status: 'Ушёл к конкурентам',
	statusCode: 'bitrix24:F',
	stage: null,
	total: 0,
	currency: 'USD',
	customer: { name: null, phones: [], emails: [], gaClientId: null, ymClientId: null },
	utm: { source: null, medium: null, campaign: null, content: null, term: null },
	items: [],
	warnings: [],
};

function run(server: Bitrix24Server, overrides: Partial<NodeRun> = {}, parameters: Record<string, unknown> = {}): NodeRun {
	return { parameters: { crm: 'bitrix24', options: { timeZone: 'Europe/Moscow' }, ...parameters }, credential: { webhookUrl: `${server.url}/rest/1/${TOKEN}/` }, staticData: {}, continueOnFail: true, ...overrides };
}

const json = (items: INodeExecutionData[]) => items.map((item) => item.json);
/** The commands of every batch the stand-in received, parsed as Bitrix24 reads them. */
const commands = (server: Bitrix24Server) =>
	server.received.map((request) => {
		const cmd = (request.body as { cmd: Record<string, string> }).cmd;
		return Object.fromEntries(Object.entries(cmd).map(([key, text]) => [key, { method: text.split('?')[0], params: parseBracketQuery(text.split('?')[1] ?? '') }]));
	});

describe('CRM Deals Import: Bitrix24', () => {
	const servers: Bitrix24Server[] = [];
	const start = async (server: Bitrix24Server) => {
		servers.push(server);
		return await server.start();
	};
	afterEach(async () => {
		for (const server of servers.splice(0)) await server.close();
	});

	it('reads deals with stage names and semantics, UTM fields and the main contact with two phones, as worked out by hand', async () => {
		const server = await start(new Bitrix24Server({ userId: '1', token: TOKEN, deals: deals(), contacts: CONTACTS, statuses: STATUSES }));
		const { items, error } = await executeNode(NODE, run(server));
		expect(error).toBeUndefined();
		expect(json(items)).toEqual([
			WON,
			LOST,
			{ error: 'Deal 2 (id 303): the OPPORTUNITY "n/a" of deal 303 is not a number', description: expect.any(String), dealIndex: 2, dealId: '303' },
		]);
		// Two batches: the stages with the first page, then the contact; each command as Bitrix24 reads it.
		const sent = commands(server);
		expect(sent).toHaveLength(2);
		expect(sent[0]).toEqual({
			stages: { method: 'crm.status.list', params: {} },
			d0: { method: 'crm.deal.list', params: { order: { ID: 'ASC' }, select: { 0: '*', 1: 'UF_*', 2: 'UTM_*' }, start: '0' } },
		});
		expect(sent[1]).toEqual({ c0: { method: 'crm.contact.list', params: { filter: { '@ID': { 0: '401' } }, select: { 0: 'ID', 1: 'NAME', 2: 'SECOND_NAME', 3: 'LAST_NAME', 4: 'PHONE', 5: 'EMAIL' } } } });
	});

	it('reads 120 deals in two batches (pages of 50 by start) plus one for their contacts, in ID order', async () => {
		const many: Record<number, Record<string, string>> = {};
		for (let id = 1; id <= 120; id++) many[id] = { STAGE_ID: 'NEW', STAGE_SEMANTIC_ID: 'P', OPPORTUNITY: `${id}.00`, CURRENCY_ID: 'RUB', DATE_CREATE: '2024-11-01T10:00:00+03:00', DATE_MODIFY: '2024-11-01T10:00:00+03:00', CONTACT_ID: id <= 60 ? '401' : '' };
		const server = await start(new Bitrix24Server({ userId: '1', token: TOKEN, deals: many, contacts: CONTACTS, statuses: STATUSES }));
		const { items, error } = await executeNode(NODE, run(server));
		expect(error).toBeUndefined();
		const orders = json(items) as unknown as Order[];
		expect(orders.map((order) => order.orderId)).toEqual(Array.from({ length: 120 }, (_, i) => String(i + 1)));
		expect([orders[59].total, orders[59].customer.name, orders[60].customer.name, orders[119].total, orders[119].status]).toEqual([60, 'Ольга Смирнова', null, 120, 'Новая']);
		const sent = commands(server);
		expect(sent.map((batch) => Object.keys(batch))).toEqual([['stages', 'd0'], ['d50', 'd100'], ['c0']]);
		expect([(sent[1].d50.params as Nested).start, (sent[1].d100.params as Nested).start]).toEqual(['50', '100']);
	});

	it('waits out QUERY_LIMIT_EXCEEDED from the leaky bucket and retries', async () => {
		// A bucket of 1 draining 2 a second: the second batch, sent at once, overflows it.
		const server = await start(new Bitrix24Server({ userId: '1', token: TOKEN, deals: deals(), contacts: CONTACTS, statuses: STATUSES, capacity: 1, drainPerSec: 2 }));
		const { items, error } = await executeNode(NODE, run(server));
		expect(error).toBeUndefined();
		expect(json(items).slice(0, 2)).toEqual([WON, LOST]);
		expect(server.overflows).toBeGreaterThanOrEqual(1);
		expect(server.received.filter((request) => request.outcome === 503)).toHaveLength(server.overflows);
	});

	it('names a refused webhook (401) without showing its code', async () => {
		const server = await start(new Bitrix24Server({ userId: '1', token: 'another-code-1234', deals: deals() }));
		const { error } = await executeNode(NODE, run(server, { continueOnFail: false }));
		expect(error?.message).toBe('Bitrix24 refused the credential (HTTP 401: INVALID_CREDENTIALS: Invalid request credentials): the token expired or was revoked: reconnect the credential');
		expect(`${error?.message} ${error?.description}`).not.toContain(TOKEN);
	});

	it('Changed Since Last Run: emits all as new, then only the deal changed since, asked by >=DATE_MODIFY; a failed run keeps the mark', async () => {
		const server = await start(new Bitrix24Server({ userId: '1', token: TOKEN, deals: deals(), contacts: CONTACTS, statuses: STATUSES }));
		const staticData: IDataObject = {};
		const first = await executeNode(NODE, run(server, { staticData }, { emit: 'changed' }));
		expect(json(first.items).map((item) => [item.orderId ?? item.dealId, (item.change as { type?: string } | undefined)?.type ?? item.error])).toEqual([
			['301', 'new'],
			['302', 'new'],
			['303', 'Deal 2 (id 303): the OPPORTUNITY "n/a" of deal 303 is not a number'],
		]);
		// Deal 302 is won on 2024-11-22 at noon; 301 is as it was.
		Object.assign(server.deals.get(302) as Record<string, string>, { STAGE_ID: 'WON', STAGE_SEMANTIC_ID: 'S', DATE_MODIFY: '2024-11-22T12:00:00+03:00' });
		const received = server.received.length;
		const second = await executeNode(NODE, run(server, { staticData }, { emit: 'changed' }));
		expect(json(second.items)).toEqual([
			{ ...LOST, status: 'Сделка успешна', statusCode: 'bitrix24:S', updatedAt: '2024-11-22T12:00:00+03:00', change: { type: 'changed', fields: ['status'], previous: { status: 'Ушёл к конкурентам', total: 0 } } },
		]);
		// Asked from the latest change the first run saw (301's), at or after it: 301 comes back unchanged and is not emitted.
		const filter = (commands(server)[received].d0.params as Nested).filter;
		expect(filter).toEqual({ '>=DATE_MODIFY': '2024-11-21T09:00:00+03:00' });
		const kept = JSON.stringify(staticData);
		const failed = await executeNode(NODE, { ...run(server, { staticData, continueOnFail: false }, { emit: 'changed' }), credential: { webhookUrl: `${server.url}/rest/1/wrong0code0here/` } });
		expect(failed.error?.message).toMatch(/^Bitrix24 refused the credential \(HTTP 401/);
		expect(JSON.stringify(staticData)).toBe(kept);
		// All Deals neither reads nor moves the mark.
		await executeNode(NODE, run(server, { staticData }));
		expect(JSON.stringify(staticData)).toBe(kept);
	});
});
