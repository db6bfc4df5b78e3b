import { join } from 'path';
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { AmoCrmApi } from '../../credentials/AmoCrmApi.credentials';
import { AmoCrmOAuth2Api } from '../../credentials/AmoCrmOAuth2Api.credentials';
import { Bitrix24WebhookApi } from '../../credentials/Bitrix24WebhookApi.credentials';
import { newLead, type Lead } from '../../nodes/LeadQueue/lead';
import { fakeExecuteFunctions } from '../faults/fakeContext';
import { AmoCrmServer, type AmoFieldValue, type AmoReadLead } from '../helpers/standins/amocrmServer';
import { Bitrix24Server } from '../helpers/standins/bitrix24Server';

/**
 * Lead Queue's CRM operations against the amoCRM and Bitrix24 stand-ins, through the node's real execute(), and the
 * "sole claim wins" rule of Confirm Claim with Release Claims (crm/claims.ts), replayed on interleavings written by
 * hand: the bodies sent and the items read back are worked out by hand below.
 */
import { claimsToRelease, OPEN_CLAIM, readClaims, RELEASE_AFTER_MINUTES, standingClaims } from '../../nodes/LeadQueue/crm/claims';

const { LeadQueue } = require(join(__dirname, '..', '..', 'nodes', 'LeadQueue', 'LeadQueue.node.ts')) as typeof import('../../nodes/LeadQueue/LeadQueue.node');

const TOKEN = 'amo-queue-t0ken-0123456789';
const FIELDS = { leadId: '801', from: '802', to: '803', weightKg: '804', volumeM3: '805', form: '806' };
const CRM = { crm: 'amocrm', queuePipelineId: '7001', queueStatusId: '41001', queueFields: FIELDS, options: { timeZone: 'Europe/Moscow' } };

async function runLeadQueue(
	input: IDataObject[],
	parameters: Record<string, unknown>,
	credential: ICredentialDataDecryptedObject,
	continueOnFail = true,
	executionId = '77',
): Promise<INodeExecutionData[][]> {
	const type = new LeadQueue();
	const node = { id: 'lead-queue-crm', name: 'Lead Queue', type: 'n8n-nodes-sales-analytics.leadQueue', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
	const ctx = fakeExecuteFunctions(
		{ parameters, credential, staticData: {}, continueOnFail, input: input.map((json) => ({ json })) },
		{ type, node, credentials: [new AmoCrmApi(), new AmoCrmOAuth2Api(), new Bitrix24WebhookApi()] },
	);
	Object.assign(ctx, { getExecutionId: () => executionId, evaluateExpression: () => 0 });
	return await type.execute.call(ctx as IExecuteFunctions);
}

/** L1: every field. Created 3 June 2024 09:00 Moscow = 06:00 UTC = unix 1717394400 (1 June 00:00 UTC is 1717200000). */
const L1: Lead = newLead({
	leadId: 'L1',
	createdAt: '2024-06-03T09:00:00+03:00',
	from: 'Москва',
	to: 'Омск',
	weightKg: 2500,
	volumeM3: 12.5,
	name: 'Ольга',
	phones: ['+79135551234'],
	channel: { source: 'yandex', medium: 'cpc', campaign: 'brand', content: null, term: null },
});

const field = (id: number, value: unknown, code: string | null = null): AmoFieldValue => ({ field_id: id, field_name: code ?? `F${id}`, field_code: code, field_type: 'text', values: [{ value }] });
const queueLead = (id: number, createdAt: number, fields: AmoFieldValue[], status = 41001): AmoReadLead => ({ id, name: `#${id}`, price: 0, status_id: status, pipeline_id: 7001, created_at: createdAt, updated_at: createdAt, custom_fields_values: fields, contacts: [] });

describe('Lead Queue in amoCRM', () => {
	let server: AmoCrmServer;
	const credential = () => ({ baseUrl: server.url, token: TOKEN });
	afterEach(async () => {
		await server.close();
	});

	it('Put in CRM Queue sends the lead with every field, and a second run finds it instead of creating it again', async () => {
		server = await new AmoCrmServer({ token: TOKEN }).start();
		const [first] = await runLeadQueue([L1 as unknown as IDataObject], { operation: 'putInCrm', ...CRM }, credential());
		expect(server.createLog.map(({ lead }) => lead)).toEqual([
			{
				name: 'L1: Москва → Омск, 2500 kg',
				pipeline_id: 7001,
				status_id: 41001,
				created_at: 1717394400,
				custom_fields_values: [
					{ field_id: 801, values: [{ value: 'L1' }] },
					{ field_id: 802, values: [{ value: 'Москва' }] },
					{ field_id: 803, values: [{ value: 'Омск' }] },
					{ field_id: 804, values: [{ value: 2500 }] },
					{ field_id: 805, values: [{ value: 12.5 }] },
					{ field_id: 806, values: [{ value: 'full' }] },
					{ field_code: 'UTM_SOURCE', values: [{ value: 'yandex' }] },
					{ field_code: 'UTM_MEDIUM', values: [{ value: 'cpc' }] },
					{ field_code: 'UTM_CAMPAIGN', values: [{ value: 'brand' }] },
				],
				_embedded: { contacts: [{ first_name: 'Ольга', custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+79135551234', enum_code: 'WORK' }] }] }] },
				request_id: 'L1',
			},
		]);
		expect(first.map(({ json, pairedItem }) => [json.leadId, json.crmLeadId, json.cardUrl, json.crmCreated, pairedItem])).toEqual([['L1', '30000001', `${server.url}/leads/detail/30000001`, true, { item: 0 }]]);
		// The search before the create, then the create; the Bearer token on both.
		expect(server.received.map((request) => `${request.method} ${request.path}${request.query.query ? `?query=${request.query.query}` : ''}`)).toEqual(['GET /api/v4/leads?query=L1', 'POST /api/v4/leads/complex']);

		const [again] = await runLeadQueue([L1 as unknown as IDataObject], { operation: 'putInCrm', ...CRM }, credential());
		expect(again.map(({ json }) => [json.crmLeadId, json.crmCreated])).toEqual([['30000001', false]]);
		expect(server.createLog).toHaveLength(1);
	});

	it('Put in CRM Queue: a lead that is no lead is an error of its item, the others are created; a 429 is waited out', async () => {
		server = await new AmoCrmServer({ token: TOKEN }).start();
		server.faults.next(1, 429);
		const callback = newLead({ leadId: 'L3', createdAt: '2024-06-03T10:00:00+03:00', form: 'callback', name: 'Пётр', phones: ['+79990001122'] });
		const [out] = await runLeadQueue([L1, { leadId: 'L2', state: 'lost' }, callback] as unknown as IDataObject[], { operation: 'putInCrm', ...CRM }, credential());
		expect(out.map(({ json, pairedItem }) => [json.crmLeadId ?? json.error, pairedItem])).toEqual([
			['30000001', { item: 0 }],
			[expect.stringMatching(/^Item 1 \(leadId "L2"\): state is "lost", not one of waiting, assigned, closed, rejected/), { item: 1, input: 0 }],
			['30000002', { item: 2 }],
		]);
		expect(server.received[0].outcome).toBe(429);
		// The callback lead: its name says so, only its form field, its contact; no route or weight fields.
		expect(server.createLog[1].lead).toEqual({
			name: 'L3: callback, Пётр',
			pipeline_id: 7001,
			status_id: 41001,
			created_at: 1717398000,
			custom_fields_values: [
				{ field_id: 801, values: [{ value: 'L3' }] },
				{ field_id: 806, values: [{ value: 'callback' }] },
			],
			_embedded: { contacts: [{ first_name: 'Пётр', custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+79990001122', enum_code: 'WORK' }] }] }] },
			request_id: 'L3',
		});
	});

	it('Put in CRM Queue: a refused token is an error of each lead in amoCRM\'s words, with the token masked', async () => {
		server = await new AmoCrmServer({ token: 'another-token-entirely' }).start();
		const [out] = await runLeadQueue([L1 as unknown as IDataObject], { operation: 'putInCrm', ...CRM }, credential());
		expect(out.map(({ json }) => json.error)).toEqual(['Item 0 (leadId "L1"): amoCRM refused the credential (HTTP 401: Unauthorized: Unauthorized): the token expired or was revoked: reconnect the credential']);
		expect(JSON.stringify(out)).not.toContain(TOKEN);
		expect(server.createLog).toHaveLength(0);
	});

	it('Load CRM Queue reads every page of the queue status into Lead items; claimed leads go to Claimed, unreadable ones are errors', async () => {
		// 9001: 2,5 t Москва → Омск, created 1717394400 (3 June 09:00 Moscow); 9002: a callback lead, claimed by anna;
		// 9003: made by hand in the CRM (no lead id field), 300 kg as text "300"; 9004: weight "много"; 9005 is in
		// another status. Then 250 filler leads, so the queue spans two pages of 250.
		const leads = [
			queueLead(9001, 1717394400, [field(801, 'L1'), field(802, 'Москва'), field(803, 'Омск'), field(804, 2500), field(805, '12,5'), field(1, 'yandex', 'UTM_SOURCE')]),
			queueLead(9002, 1717398000, [field(801, 'L2'), field(806, 'callback')]),
			queueLead(9003, 1717401600, [field(802, 'Казань'), field(803, 'Омск'), field(804, '300')]),
			queueLead(9004, 1717401600, [field(801, 'L4'), field(804, 'много')]),
			queueLead(9005, 1717401600, [field(801, 'L5')], 41002),
			...Array.from({ length: 250 }, (_, i) => queueLead(10000 + i, 1717401600, [field(801, `F${i}`), field(804, 100)])),
		];
		server = await new AmoCrmServer({ token: TOKEN, readLeads: leads }).start();
		const claim = (id: number, manager: string, execution: string, won: boolean) => ({
			id,
			crmLeadId: '9002',
			claimToken: `${manager}:${execution}`,
			won,
			claimedAtMs: 1717588800000,
			lead: JSON.stringify({ ...newLead({ leadId: 'L2', createdAt: '2024-06-03T10:00:00+03:00', form: 'callback' }), state: 'assigned', assignedTo: manager, assignedAt: '2024-06-05T12:00:00+03:00', claimToken: `${manager}:${execution}` }),
		});
		const [waiting, claimed] = await runLeadQueue([{}], { operation: 'loadCrmQueue', ...CRM, claims: JSON.stringify([claim(1, 'boris@shop.ru', '79', false), claim(2, 'anna@shop.ru', '78', true)]) }, credential());
		expect(server.received.map((request) => [request.query['filter[statuses][0][pipeline_id]'], request.query['filter[statuses][0][status_id]'], request.query.page, request.query.limit])).toEqual([
			['7001', '41001', '1', '250'],
			['7001', '41001', '2', '250'],
		]);
		// 9001, 9003 and the 250 fillers, then the error of 9004 (every item is paired to the one input item: its results come first).
		expect(waiting).toHaveLength(253);
		const empty = { assignedTo: null, assignedAt: null, rank: null, tier: null, reason: null, closedReason: null, name: null, phones: [], state: 'waiting' };
		expect([...waiting.slice(0, 2), waiting[252]].map(({ json }) => json)).toEqual([
			{ ...empty, leadId: 'L1', createdAt: '2024-06-03T09:00:00+03:00', form: 'full', from: 'Москва', to: 'Омск', weightKg: 2500, volumeM3: 12.5, channel: { source: 'yandex', medium: null, campaign: null, content: null, term: null }, crmLeadId: '9001', cardUrl: `${server.url}/leads/detail/9001` },
			{ ...empty, leadId: 'amo-9003', createdAt: '2024-06-03T11:00:00+03:00', form: 'full', from: 'Казань', to: 'Омск', weightKg: 300, volumeM3: null, channel: null, crmLeadId: '9003', cardUrl: `${server.url}/leads/detail/9003` },
			expect.objectContaining({ error: 'CRM lead 9004: weightKg "много" is not a number' }),
		]);
		// anna's row 2 is marked won and stands; boris's row 1 (a loser that has not deleted it yet) decides nothing.
		expect(claimed.map(({ json }) => [json.crmLeadId, json.leadId, json.state, json.assignedTo, json.claimToken, json.form])).toEqual([['9002', 'L2', 'assigned', 'anna@shop.ru', 'anna@shop.ru:78', 'callback']]);
	});

	it('Rank orders the loaded leads like Data Table leads: callback first, then heaviest', async () => {
		server = await new AmoCrmServer({
			token: TOKEN,
			readLeads: [queueLead(1, 1717394400, [field(801, 'A'), field(804, 300)]), queueLead(2, 1717394400, [field(801, 'B'), field(806, 'callback')]), queueLead(3, 1717394400, [field(801, 'C'), field(804, 5000)])],
		}).start();
		const [waiting] = await runLeadQueue([{}], { operation: 'loadCrmQueue', ...CRM }, credential());
		const ruleSets = [{ name: 'All', schedule: { from: '00:00', to: '24:00', zone: 'Europe/Moscow' }, tiers: [{ name: 'callback', when: { form: 'callback' }, sort: 'newest' }, { name: 'big', sort: 'heaviest' }] }];
		const [ranked] = await runLeadQueue(
			waiting.map(({ json }) => json),
			{ operation: 'rank', rules: 'custom', ruleSets: JSON.stringify(ruleSets), options: { timeZone: 'Europe/Moscow', now: '2024-06-05T12:00:00+03:00' } },
			credential(),
		);
		expect(ranked.map(({ json }) => [json.leadId, json.crmLeadId, json.rank, json.tier])).toEqual([
			['B', '2', 1, 'callback'],
			['C', '3', 2, 'big'],
			['A', '1', 3, 'big'],
		]);
	});

	it('Assign in CRM sets the responsible user and the working status, the same body when repeated; an unknown manager is an error of its item', async () => {
		server = await new AmoCrmServer({ token: TOKEN, readLeads: [queueLead(9001, 1717394400, [field(801, 'L1')])] }).start();
		const claimed = { ...L1, state: 'assigned', assignedTo: 'Anna@Shop.ru', crmLeadId: '9001' };
		const parameters = { operation: 'assignInCrm', crm: 'amocrm', workPipelineId: '7002', workStatusId: '42001', managerUsers: '{"anna@shop.ru": 5551}' };
		const [out] = await runLeadQueue([claimed, { ...claimed, leadId: 'L9', assignedTo: 'stranger' }] as unknown as IDataObject[], parameters, credential());
		expect(out.map(({ json }) => json.responsibleUserId ?? json.error)).toEqual(['5551', 'Item 1 (leadId "L9"): manager "stranger" has no CRM user in Manager CRM Users (JSON)']);
		expect(out[0].json.cardUrl).toBe(`${server.url}/leads/detail/9001`);
		await runLeadQueue([claimed as unknown as IDataObject], parameters, credential());
		const body = { id: 9001, responsible_user_id: 5551, pipeline_id: 7002, status_id: 42001 };
		expect(server.patchLog).toEqual([body, body]);
		expect(server.stored[0]).toMatchObject({ pipeline_id: 7002, status_id: 42001, responsible_user_id: 5551 });
	});

	it('Close in CRM moves the lead to 143 with the loss reason and writes the reason as a note', async () => {
		server = await new AmoCrmServer({ token: TOKEN, readLeads: [queueLead(9004, 1717394400, [field(801, 'L4')])] }).start();
		const expired = { ...newLead({ leadId: 'L4', createdAt: '2024-06-03T09:00:00+03:00', weightKg: 150 }), state: 'closed', closedReason: 'closed, not realised', crmLeadId: '9004' };
		const [out] = await runLeadQueue([expired as unknown as IDataObject, { ...expired, leadId: 'L5', crmLeadId: undefined }] as unknown as IDataObject[], { operation: 'closeInCrm', ...CRM, lossReasonId: 12 }, credential());
		expect(out.map(({ json }) => json.cardUrl ?? json.error)).toEqual([`${server.url}/leads/detail/9004`, 'Item 1 (leadId "L5"): the lead has no crmLeadId (null)']);
		expect(server.patchLog).toEqual([{ id: 9004, pipeline_id: 7001, status_id: 143, loss_reason_id: 12 }]);
		expect(server.notes).toEqual([{ entity_id: 9004, note_type: 'common', params: { text: 'closed, not realised' } }]);
		expect(server.stored[0].status_id).toBe(143);
	});

	it('the repair: a lead still in the queue with a standing claim comes out of Claimed with its claimant, and Assign in CRM makes it theirs', async () => {
		// 9001: boris's row 9 is marked won (anna's row 4, lower, is a loser's not yet deleted). 9002 was claimed by an
		// expiry. 9003 has rows marked won by two managers, which the rule never writes (rows edited by hand): an error,
		// the lead neither waiting nor repaired.
		const queued = [queueLead(9001, 1717394400, [field(801, 'L1'), field(804, 700)]), queueLead(9002, 1717394400, [field(801, 'L2'), field(804, 90)]), queueLead(9003, 1717394400, [field(801, 'L3')])];
		server = await new AmoCrmServer({ token: TOKEN, readLeads: queued }).start();
		const row = (id: number, crmLeadId: string, claimToken: string, won: boolean, decided: IDataObject) => ({ id, crmLeadId, claimToken, won, claimedAtMs: 1717588800000, lead: JSON.stringify({ ...newLead({ leadId: `L${crmLeadId}`, createdAt: '2024-06-03T09:00:00+03:00' }), ...decided, claimToken }) });
		const claims = [
			row(4, '9001', 'anna@shop.ru:12', false, { state: 'assigned', assignedTo: 'anna@shop.ru' }),
			row(9, '9001', 'boris@shop.ru:11', true, { state: 'assigned', assignedTo: 'boris@shop.ru', assignedAt: '2024-06-05T12:00:00+03:00' }),
			row(5, '9002', 'expire:13', true, { state: 'closed', closedReason: 'closed, not realised', closedAt: '2024-06-05T13:00:00+03:00' }),
			row(6, '9003', 'anna@shop.ru:14', true, { state: 'assigned', assignedTo: 'anna@shop.ru' }),
			row(7, '9003', 'boris@shop.ru:15', true, { state: 'assigned', assignedTo: 'boris@shop.ru' }),
		];
		const [waiting, claimed] = await runLeadQueue([{}], { operation: 'loadCrmQueue', ...CRM, claims }, credential());
		expect(waiting.map(({ json }) => json.error)).toEqual(['CRM lead 9003 has claim rows marked won by "anna@shop.ru:14" and "boris@shop.ru:15"']);
		expect(claimed.map(({ json }) => [json.crmLeadId, json.leadId, json.weightKg, json.state, json.assignedTo, json.assignedAt, json.claimToken, json.closedReason])).toEqual([
			['9001', 'L1', 700, 'assigned', 'boris@shop.ru', '2024-06-05T12:00:00+03:00', 'boris@shop.ru:11', null],
			['9002', 'L2', 90, 'closed', null, null, 'expire:13', 'closed, not realised'],
		]);
		const [repaired] = await runLeadQueue([claimed[0].json], { operation: 'assignInCrm', crm: 'amocrm', workPipelineId: '7002', workStatusId: '42001', managerUsers: '{"boris@shop.ru": 5552}' }, credential());
		expect(repaired.map(({ json }) => json.responsibleUserId)).toEqual(['5552']);
		expect(server.patchLog).toEqual([{ id: 9001, responsible_user_id: 5552, pipeline_id: 7002, status_id: 42001 }]);
	});
});

describe('Lead Queue in Bitrix24', () => {
	let server: Bitrix24Server;
	const SECRET = 'b24webhooksecret0123';
	const credential = () => ({ webhookUrl: `${server.url}/rest/1/${SECRET}/` });
	const B24 = { crm: 'bitrix24', queueStatusId: 'C3:NEW', queueFields: { from: 'UF_CRM_FROM', to: 'UF_CRM_TO', weightKg: 'UF_CRM_WEIGHT', volumeM3: 'UF_CRM_VOLUME', form: 'UF_CRM_FORM' }, options: { timeZone: 'Europe/Moscow' } };
	afterEach(async () => {
		await server.close();
	});

	it('Put in CRM Queue adds the deal in the queue stage with its fields and ORIGIN_ID, once', async () => {
		server = await new Bitrix24Server({ userId: '1', token: SECRET }).start();
		server.faults.next(1, { kind: 'status', status: 503, body: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' } });
		const [out] = await runLeadQueue([L1 as unknown as IDataObject], { operation: 'putInCrm', ...B24 }, credential());
		// The search met the full bucket (503) and was sent again.
		expect(server.received.map((request) => request.outcome)).toEqual([503, 200, 200]);
		// Every value arrives as text: the stand-in reads a JSON body as Bitrix24's REST reads a form.
		expect(server.addLog).toEqual([
			{
				id: 5001,
				fields: {
					TITLE: 'L1: Москва → Омск, 2500 kg',
					CATEGORY_ID: '3',
					STAGE_ID: 'C3:NEW',
					ORIGINATOR_ID: 'n8n-sales-analytics',
					ORIGIN_ID: 'L1',
					UF_CRM_FROM: 'Москва',
					UF_CRM_TO: 'Омск',
					UF_CRM_WEIGHT: '2500',
					UF_CRM_VOLUME: '12.5',
					UF_CRM_FORM: 'full',
					UTM_SOURCE: 'yandex',
					UTM_MEDIUM: 'cpc',
					UTM_CAMPAIGN: 'brand',
					COMMENTS: 'Ольга, +79135551234',
				},
			},
		]);
		expect(out.map(({ json }) => [json.crmLeadId, json.cardUrl, json.crmCreated])).toEqual([['5001', `${server.url}/crm/deal/details/5001/`, true]]);
		const [again] = await runLeadQueue([L1 as unknown as IDataObject], { operation: 'putInCrm', ...B24 }, credential());
		expect(again.map(({ json }) => [json.crmLeadId, json.crmCreated])).toEqual([['5001', false]]);
		expect(server.addLog).toHaveLength(1);
		expect(server.received.map((request) => request.path.split('/').pop())).toEqual(['crm.deal.list.json', 'crm.deal.list.json', 'crm.deal.add.json', 'crm.deal.list.json']);
	});

	it('Load CRM Queue reads the first page of its stage, then the other pages in one batch request; Assign and Close update the deal', async () => {
		// Deal 1: L1 from the site (ORIGIN_ID), 2,5 t; deal 2 made by hand, weight "2,5" in a text field; deal 3 in another
		// stage; 160 filler deals, so the stage spans four pages of 50 (162 deals): page 1, then pages 2-4 in one batch.
		const deals: Record<number, Record<string, string>> = {
			1: { TITLE: 'L1', CATEGORY_ID: '3', STAGE_ID: 'C3:NEW', ORIGINATOR_ID: 'n8n-sales-analytics', ORIGIN_ID: 'L1', UF_CRM_FROM: 'Москва', UF_CRM_TO: 'Омск', UF_CRM_WEIGHT: '2500', UTM_SOURCE: 'yandex', DATE_CREATE: '2024-06-03T09:00:00+03:00' },
			2: { TITLE: 'by hand', CATEGORY_ID: '3', STAGE_ID: 'C3:NEW', UF_CRM_WEIGHT: '2,5', UF_CRM_FORM: 'callback', DATE_CREATE: '2024-06-03T10:00:00+03:00' },
			3: { TITLE: 'elsewhere', CATEGORY_ID: '3', STAGE_ID: 'C3:PREPARATION', DATE_CREATE: '2024-06-03T10:00:00+03:00' },
		};
		for (let i = 0; i < 160; i++) deals[100 + i] = { TITLE: `F${i}`, CATEGORY_ID: '3', STAGE_ID: 'C3:NEW', DATE_CREATE: '2024-06-03T10:00:00+03:00' };
		server = await new Bitrix24Server({ userId: '1', token: SECRET, deals }).start();
		const [waiting, claimed] = await runLeadQueue([{}], { operation: 'loadCrmQueue', ...B24 }, credential());
		const page = (start: number) => `crm.deal.list?order[ID]=ASC&select[0]=*&select[1]=UF_*&select[2]=UTM_*&filter[CATEGORY_ID]=3&filter[STAGE_ID]=C3%3ANEW&start=${start}`;
		expect(server.received.map((request) => [request.path, request.body])).toEqual([
			[`/rest/1/${SECRET}/crm.deal.list.json`, { filter: { CATEGORY_ID: '3', STAGE_ID: 'C3:NEW' }, select: ['*', 'UF_*', 'UTM_*'], order: { ID: 'ASC' }, start: 0 }],
			[`/rest/1/${SECRET}/batch.json`, { halt: 1, cmd: { d50: page(50), d100: page(100), d150: page(150) } }],
		]);
		// Every deal of the stage once, in ID order: 1, 2, then the fillers 100-259.
		expect(waiting.map(({ json }) => json.crmLeadId)).toEqual(['1', '2', ...Array.from({ length: 160 }, (_, i) => String(100 + i))]);
		expect(claimed).toEqual([]);
		expect(waiting.slice(0, 2).map(({ json }) => [json.leadId, json.crmLeadId, json.createdAt, json.form, json.from, json.to, json.weightKg, json.channel, json.cardUrl])).toEqual([
			['L1', '1', '2024-06-03T09:00:00+03:00', 'full', 'Москва', 'Омск', 2500, { source: 'yandex', medium: null, campaign: null, content: null, term: null }, `${server.url}/crm/deal/details/1/`],
			['b24-2', '2', '2024-06-03T10:00:00+03:00', 'callback', null, null, 2.5, null, `${server.url}/crm/deal/details/2/`],
		]);

		const taken = { ...waiting[0].json, state: 'assigned', assignedTo: 'anna@shop.ru' };
		const [assigned] = await runLeadQueue([taken], { operation: 'assignInCrm', crm: 'bitrix24', workStatusId: 'C3:PREPARATION', managerUsers: '{"anna@shop.ru": 17}' }, credential());
		expect(assigned.map(({ json }) => json.responsibleUserId)).toEqual(['17']);
		const closing = { ...waiting[1].json, state: 'closed', closedReason: 'closed, not realised' };
		const [closed] = await runLeadQueue([closing, { ...closing, leadId: 'L404', crmLeadId: '404' }], { operation: 'closeInCrm', ...B24 }, credential());
		expect(closed.map(({ json }) => json.crmLeadId ?? json.error)).toEqual(['2', 'Item 1 (leadId "L404"): Bitrix24 could not be read: HTTP 400: Not found']);
		expect(closed[1].json.description).toMatch(/^A 4xx answer names what the CRM did not accept/);
		expect(server.updateLog).toEqual([
			{ id: 1, fields: { ASSIGNED_BY_ID: '17', STAGE_ID: 'C3:PREPARATION' } },
			{ id: 2, fields: { STAGE_ID: 'C3:LOSE' } },
		]);
		expect(server.comments).toEqual([{ ENTITY_ID: '2', ENTITY_TYPE: 'deal', COMMENT: 'closed, not realised' }]);
		expect(JSON.stringify([closed, assigned])).not.toContain(SECRET);
	});

	it('the lost stage of the general pipeline is LOSE; a wrong webhook is an error of each lead', async () => {
		server = await new Bitrix24Server({ userId: '1', token: SECRET, deals: { 9: { TITLE: 'x', CATEGORY_ID: '0', STAGE_ID: 'NEW' } } }).start();
		const lead = { ...newLead({ leadId: 'L9', createdAt: '2024-06-03T09:00:00+03:00' }), state: 'closed', closedReason: 'too small', crmLeadId: '9' };
		await runLeadQueue([lead as unknown as IDataObject], { operation: 'closeInCrm', ...B24, queueStatusId: 'NEW' }, credential());
		expect(server.updateLog).toEqual([{ id: 9, fields: { STAGE_ID: 'LOSE' } }]);
		const [refused] = await runLeadQueue([lead as unknown as IDataObject], { operation: 'closeInCrm', ...B24 }, { webhookUrl: `${server.url}/rest/1/wrongsecret/` });
		expect(refused.map(({ json }) => json.error)).toEqual(['Item 0 (leadId "L9"): Bitrix24 refused the credential (HTTP 401: INVALID_CREDENTIALS: Invalid request credentials): the token expired or was revoked: reconnect the credential']);
	});
});


describe('Confirm Claim, Sole Claim Wins (the CRM queue), on interleavings written by hand', () => {
	/** 2024-06-05 09:00:00 UTC: 1717200000 is 1 June 00:00 UTC, plus 4 days (345600 s) and 9 hours (32400 s). */
	const T0 = 1717578000000;
	const claimRow = (id: number, crmLeadId: string, manager: string, execution: string, won = false, claimedAtMs: number | null = T0) => ({
		id,
		crmLeadId,
		claimToken: `${manager}:${execution}`,
		won,
		claimedAtMs,
		lead: JSON.stringify({ ...L1, leadId: `L${crmLeadId}`, state: 'assigned', assignedTo: manager, crmLeadId, cardUrl: `https://shop.amocrm.ru/leads/detail/${crmLeadId}` }),
	});
	const confirm = async (rows: IDataObject[], manager: string, execution: string) => await runLeadQueue(rows, { operation: 'confirmClaim', claimRule: 'soleClaim', managerId: manager }, {}, true, execution);
	const outcome = ([won, lost]: INodeExecutionData[][]) => ({ won: won.map(({ json }) => json.crmLeadId ?? json.error), lost: lost.map(({ json }) => json.crmLeadId ?? null) });
	const release = async (rows: IDataObject[], now: string) => await runLeadQueue(rows, { operation: 'releaseClaims', options: { timeZone: 'Europe/Moscow', now } }, {});
	const A = ['anna@shop.ru', '300'] as const;
	const B = ['boris@shop.ru', '301'] as const;

	it('Postgres: A takes id 5 and B id 6, B commits and reads {6}, then A commits and reads {5, 6}: B wins, A loses', async () => {
		const a = claimRow(5, '9001', ...A);
		const b = claimRow(6, '9001', ...B);
		const [bWon, bLost] = await confirm([b], ...B);
		expect(bWon.map(({ json, pairedItem }) => [json.leadId, json.crmLeadId, json.assignedTo, json.claimToken, json.cardUrl, pairedItem])).toEqual([
			['L9001', '9001', 'boris@shop.ru', 'boris@shop.ru:301', 'https://shop.amocrm.ru/leads/detail/9001', { item: 0 }],
		]);
		expect(bLost).toEqual([]);
		// The lowest id is A's, and the rule "first row wins" would have given the lead to A as well. A lost; holding
		// the lowest id of a lead with no row marked won, A is first in line: it keeps its row and reads again.
		const [aWon, aLost] = await confirm([a, b], ...A);
		expect([aWon, aLost.map(({ json }) => json)]).toEqual([[], [{ outcome: 'lost', claimToken: 'anna@shop.ru:300', crmLeadId: '9001', firstInLine: true }]]);
		// B marks its row won (the update returns it) and is still the winner.
		expect(outcome(await confirm([{ ...b, won: true }], ...B))).toEqual({ won: ['9001'], lost: [] });
		// A reads again and sees B's row marked won: lost, no longer first in line (it deletes its row).
		const [, again] = await confirm([a, { ...b, won: true }], ...A);
		expect(again.map(({ json }) => json)).toEqual([{ outcome: 'lost', claimToken: 'anna@shop.ru:300', crmLeadId: '9001' }]);
	});

	it('both insert, then both read {5, 6}: both lose, B leaves, A (lowest id) reads again and wins once B\'s row is gone; a row read twice counts once', async () => {
		const rows = [claimRow(5, '9001', ...A), claimRow(6, '9001', ...B), claimRow(5, '9001', ...A)];
		const first = ([, lost]: INodeExecutionData[][]) => lost.map(({ json }) => [json.crmLeadId, json.firstInLine ?? false]);
		expect(first(await confirm(rows, ...A))).toEqual([['9001', true]]);
		expect(first(await confirm(rows, ...B))).toEqual([['9001', false]]);
		expect(outcome(await confirm([claimRow(5, '9001', ...A), claimRow(5, '9001', ...A)], ...A))).toEqual({ won: ['9001'], lost: [] });
		// On Postgres a row with a lower id may commit later: C's row 4 appears; A is no longer first, C is.
		const c = claimRow(4, '9001', 'cyril@shop.ru', '302');
		expect(first(await confirm([claimRow(5, '9001', ...A), c], ...A))).toEqual([['9001', false]]);
		expect(first(await confirm([c, claimRow(5, '9001', ...A)], 'cyril@shop.ru', '302'))).toEqual([['9001', true]]);
	});

	it('a released row: A reads {5} and stalls, the release deletes row 5, B takes the lead; A\'s mark changes no row and A loses', async () => {
		const a = claimRow(5, '9001', ...A);
		expect(outcome(await confirm([a], ...A))).toEqual({ won: ['9001'], lost: [] });
		// 10 minutes after A's claim, row 5 is not marked won: the expire run releases it.
		const [released] = await release([a], '2024-06-05T09:10:00Z');
		expect(released.map(({ json, pairedItem }) => [json, pairedItem])).toEqual([[{ id: 5, crmLeadId: '9001', claimToken: 'anna@shop.ru:300' }, { item: 0 }]]);
		const b = claimRow(6, '9001', ...B, false, T0 + 700_000);
		expect(outcome(await confirm([b], ...B))).toEqual({ won: ['9001'], lost: [] });
		expect(outcome(await confirm([{ ...b, won: true }], ...B))).toEqual({ won: ['9001'], lost: [] });
		// A's Mark Won found no row: the Data Table hands on one empty item.
		const [aWon, aLost] = await confirm([{}], ...A);
		expect([aWon, aLost.map(({ json }) => json)]).toEqual([[], [{ outcome: 'lost', claimToken: 'anna@shop.ru:300' }]]);
	});

	it("a winner's row stays while losers' rows come and go: the release keeps every row of a lead with a row marked won", async () => {
		const aWon = claimRow(5, '9001', ...A, true);
		// B and C insert after A marked won, see A's row and lose; C deletes its row, B crashes before deleting.
		expect(outcome(await confirm([aWon, claimRow(6, '9001', ...B)], ...B))).toEqual({ won: [], lost: ['9001'] });
		expect(outcome(await confirm([aWon, claimRow(7, '9001', 'cyril@shop.ru', '302')], 'cyril@shop.ru', '302'))).toEqual({ won: [], lost: ['9001'] });
		// An hour later: 9001's rows stay (A's is marked won); 9002's old rows go, its row of 09:00:00.001 is 1 ms too young.
		const rows = [aWon, claimRow(6, '9001', ...B), claimRow(8, '9002', 'cyril@shop.ru', '303'), claimRow(9, '9002', 'dina@shop.ru', '304', false, T0 + 3_000_001)];
		const [released] = await release(rows, '2024-06-05T10:00:00Z');
		expect(released.map(({ json }) => json.id)).toEqual([8]);
	});

	it('Release Claims: at exactly the release age a row goes, a millisecond younger it stays; a row that does not say when it was claimed is an error', async () => {
		expect(RELEASE_AFTER_MINUTES).toBe(10);
		const rows = [claimRow(1, '9001', ...A), claimRow(2, '9002', ...B, false, T0 + 1), claimRow(3, '9003', ...A, false, null), { id: 4, crmLeadId: '9004', claimToken: 'x:1', won: 'yes' }, {}];
		const [out] = await release(rows, '2024-06-05T09:10:00Z');
		expect(out.map(({ json }) => json.id ?? json.error)).toEqual([
			1,
			'Item 2: claim row 3 of CRM lead 9003 has no claimedAtMs, so it is never released',
			'Item 3: won is "yes", not true or false',
		]);
		// The same rule straight from claims.ts, with a release age of 1 minute.
		const { claims } = readClaims(rows.slice(0, 2));
		expect(claimsToRelease(claims, T0 + 60_000, 60_000).release.map(({ id }) => id)).toEqual([1]);
	});

	it("open rows (written by the intake): a press that took the open row by its update and reads only it wins; an inserted claim beside an open row loses; the taker of an open row written after another's win loses", async () => {
		expect(OPEN_CLAIM).toBe('open');
		const open = (id: number, crmLeadId: string) => ({ ...claimRow(id, crmLeadId, 'x', 'y', false, null), claimToken: OPEN_CLAIM, lead: '{}' });
		// B's update took row 5 (its token now B's) and B reads it alone: B wins.
		expect(outcome(await confirm([claimRow(5, '9001', ...B)], ...B))).toEqual({ won: ['9001'], lost: [] });
		// A read the claims before the intake wrote row 5, so A inserted row 6 and reads {5 open, 6}: A loses, and is
		// not first in line (row 5 has the lowest id), so it deletes its row.
		expect(await confirm([open(5, '9001'), claimRow(6, '9001', ...A)], ...A).then(([won, lost]) => [won, lost.map(({ json }) => json)])).toEqual([
			[],
			[{ outcome: 'lost', claimToken: 'anna@shop.ru:300', crmLeadId: '9001' }],
		]);
		// The intake wrote its open row 7 after A inserted row 6 and read {6} (A won); B's update takes row 7 and B reads
		// {6, 7}: B loses. Whenever the open row appears, the rule stays "every row read is the claimant's own".
		expect(outcome(await confirm([claimRow(6, '9002', ...A), claimRow(7, '9002', ...B)], ...B))).toEqual({ won: [], lost: ['9002'] });
	});

	it('a row marked won stands for the repair only once it is as old as the release age: before that its lead is being taken', () => {
		const { claims } = readClaims([claimRow(1, '9001', ...A, true, T0), claimRow(2, '9002', ...B, true, T0 + 1), claimRow(3, '9003', ...A, true, T0 + 1), claimRow(4, '9003', ...B, true, T0 - 60_000), claimRow(5, '9004', ...A, true, null)]);
		const { standing, settling, conflicts } = standingClaims(claims, T0 + 600_000, 600_000);
		// 9001 is exactly 10 minutes old: stands. 9002 is 1 ms younger: being taken. 9003: B's older row stands, A's young
		// row (a taker that is about to lose) decides nothing. 9004 does not say when: stands.
		expect([[...standing].map(([lead, row]) => [lead, row.id]), [...settling], conflicts]).toEqual([
			[
				['9001', 1],
				['9003', 4],
				['9004', 5],
			],
			['9002'],
			[],
		]);
	});

	it('Release Claims never releases an open row of a waiting lead, however old, and releases the open rows of a lead taken', async () => {
		const open = (id: number, crmLeadId: string) => ({ id, crmLeadId, claimToken: OPEN_CLAIM, won: false, claimedAtMs: null, lead: '{}' });
		const rows = [open(1, '9001'), open(2, '9002'), claimRow(3, '9002', ...A, true), open(4, '9003'), claimRow(5, '9003', ...B, false, T0 - 3_600_000)];
		const [released] = await release(rows, '2024-06-05T10:00:00Z');
		// 9001: waiting, its open row stays; 9002: taken by A, its open row goes; 9003: B's stale claim goes, the open row stays.
		expect(released.map(({ json }) => [json.id, json.claimToken])).toEqual([
			[2, 'open'],
			[5, 'boris@shop.ru:301'],
		]);
	});

	it('an expiry claims several leads with one token: Won for the leads where every row is its own, Lost for the others', async () => {
		const rows = [claimRow(5, '9001', 'expire', '400'), claimRow(3, '9002', 'anna@shop.ru', '399', true), claimRow(6, '9002', 'expire', '400'), claimRow(7, '9003', 'expire', '400')];
		const [won, lost] = await confirm(rows, 'expire', '400');
		expect(won.map(({ json }) => [json.crmLeadId, json.claimToken])).toEqual([
			['9001', 'expire:400'],
			['9003', 'expire:400'],
		]);
		expect(lost.map(({ json }) => json)).toEqual([{ outcome: 'lost', claimToken: 'expire:400', crmLeadId: '9002' }]);
	});

	it('no rows at all is a lost claim; a row that is no claim is an error of its item, and the read wins no lead (the row may be another claimant\'s)', async () => {
		const [, lost] = await confirm([{}], 'anna@shop.ru', '500');
		expect(lost.map(({ json }) => json)).toEqual([{ outcome: 'lost', claimToken: 'anna@shop.ru:500' }]);
		const [won, lost2] = await confirm([claimRow(1, '9001', 'anna@shop.ru', '501'), { id: 'x', crmLeadId: '9001', claimToken: '', claimedAtMs: 'now' }], 'anna@shop.ru', '501');
		expect(won.map(({ json }) => json.error)).toEqual(['Item 1: id is "x", not a row id; claimToken is "", not a claim; claimedAtMs is "now", not a time in ms']);
		expect(lost2.map(({ json }) => json.crmLeadId)).toEqual(['9001']);
	});
});
