import { AmoCrmServer, type AmoFieldValue, type AmoReadLead } from '../helpers/standins/amocrmServer';
import { Bitrix24Server } from '../helpers/standins/bitrix24Server';
import { Ga4Server } from '../helpers/standins/ga4Server';
import { GoogleAdsServer } from '../helpers/standins/googleAdsServer';
import { MetricaServer } from '../helpers/standins/metricaServer';
import { N8N_VERSION, packPack, RealN8n, template } from './realN8n';
import { AMO_TOKEN, BITRIX24_HOOK, bitrix24Credential, GOOGLE_ADS, METRICA_TOKEN, pipelineCredentials, stopServers } from './setups';

/**
 * The whole pipeline from a CRM in one real n8n: the touch intake, and the order sync variants for an amoCRM shop
 * (workflows/order-sync-amocrm.json) and a Bitrix24 shop (workflows/order-sync-bitrix24.json), each reading its deals
 * from its CRM's stand-in, matching them to the stored touches, crediting the won revenue and writing the attributed
 * source back into the same CRM. Both shops have the same five customers, deals and touches (only the CRM's ids and
 * shapes differ), so one hand-worked set of figures serves both.
 *
 * Customers, their deals (Moscow time) and touches (Calltouch calls and site forms, posted to the touch intake):
 *   A  won          12,000.00  03-09 12:00  C1 call yandex / cpc / sofa 03-02 10:00, F3 form google / cpc / search
 *                                          03-05 10:00, C2 call without utm (direct) 03-08 10:00; all by A's phone
 *   B  won           8,000.00  03-10 15:00  F1 form vk / social / retarget 03-10 09:00, by e-mail only ("Boris@Example.ru")
 *   C  lost          5,000.00  03-12 12:00  C4 call google / cpc / search 03-11 11:00: matched, never credited or pushed
 *   D  in progress   3,000.00  03-13 12:00  no touch: kept with the matcher's reason, not pushed
 *   E  won           4,500.00  03-14 12:00  F2 form google / cpc / search 03-13 12:00; the deal's own utm is
 *                                          yandex / cpc / brand (amoCRM's tracking fields, Bitrix24's UTM fields)
 *   -  U, a missed call from a number no deal has, google / cpc / search 03-12 14:10: a journey that did not convert
 * Channels: Y yandex / cpc, G google / cpc, V vk / social, D (direct) / (none).
 */
const Y = 'yandex / cpc';
const G = 'google / cpc';
const V = 'vk / social';
const D = '(direct) / (none)';

const call = (id: number, caller: string, unixTime: number, answered: boolean, utm: Record<string, string>) => ({ callId: id, callerNumber: caller, phoneNumber: '74951112233', unixTime, duration: answered ? 120 : 0, successful: answered, ...utm });
const form = (id: string, date: string, contact: Record<string, string>, utm: Record<string, string>) => ({ type: 'form', submission_id: id, date, ...contact, ...utm });
const YANDEX = { utmSource: 'yandex', utmMedium: 'cpc', utmCampaign: 'sofa' };
const GOOGLE = { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'search' };
const TOUCHES: object[] = [
	call(9101, '79162000001', 1772434800, true, YANDEX), // 2026-03-02 10:00 Moscow
	form('F3', '2026-03-05T10:00:00+03:00', { phone: '+7 916 200 00 01' }, GOOGLE),
	call(9102, '79162000001', 1772953200, true, {}), // 03-08 10:00, no utm: direct
	form('F1', '2026-03-10T09:00:00+03:00', { email: 'Boris@Example.ru' }, { utm_source: 'vk', utm_medium: 'social', utm_campaign: 'retarget' }),
	call(9104, '79254000003', 1773216000, true, { utmSource: 'google', utmMedium: 'cpc', utmCampaign: 'search' }), // 03-11 11:00
	call(9199, '79990000099', 1773313800, false, { utmSource: 'google', utmMedium: 'cpc', utmCampaign: 'search' }), // 03-12 14:10, missed
	form('F2', '2026-03-13T12:00:00+03:00', { phone: '+7 917 600 00 05' }, GOOGLE),
];

interface Customer {
	key: 'A' | 'B' | 'C' | 'D' | 'E';
	first: string;
	last: string;
	phone: string;
	email?: string;
	total: number;
	outcome: 'won' | 'lost' | 'in_progress';
	/** Unix seconds: the deal's creation; it last changed an hour later. */
	created: number;
	utm?: { source: string; medium: string; campaign: string };
}

const CUSTOMERS: Customer[] = [
	{ key: 'A', first: 'Анна', last: 'Соколова', phone: '+7 (916) 200-00-01', total: 12000, outcome: 'won', created: 1773046800 },
	{ key: 'B', first: 'Борис', last: 'Иванов', phone: '+7 903 300-00-02', email: 'boris@example.ru', total: 8000, outcome: 'won', created: 1773144000 },
	{ key: 'C', first: 'Вера', last: 'Кузнецова', phone: '8 925 400-00-03', total: 5000, outcome: 'lost', created: 1773306000 },
	{ key: 'D', first: 'Глеб', last: 'Орлов', phone: '+7 926 500-00-04', total: 3000, outcome: 'in_progress', created: 1773392400 },
	{ key: 'E', first: 'Дарья', last: 'Попова', phone: '+7 917 600-00-05', total: 4500, outcome: 'won', created: 1773478800, utm: { source: 'yandex', medium: 'cpc', campaign: 'brand' } },
];

/* amoCRM: leads 3100N with contacts 600N in the pipeline "Продажи" (in progress: its status "Переговоры"). */
const AMO_IDS = { A: '31001', B: '31002', C: '31003', D: '31004', E: '31005' };
const AMO_STATUS = { won: 142, lost: 143, in_progress: 41002 };
const amoField = (id: number, code: string, value: string): AmoFieldValue => ({ field_id: id, field_name: code.toLowerCase(), field_code: code, field_type: code === 'PHONE' || code === 'EMAIL' ? 'multitext' : 'tracking_data', values: [{ value }] });
const AMO_LEADS: AmoReadLead[] = CUSTOMERS.map((customer, i) => ({
	id: Number(AMO_IDS[customer.key]),
	name: `Сделка ${AMO_IDS[customer.key]}`,
	price: customer.total,
	status_id: AMO_STATUS[customer.outcome],
	pipeline_id: 7001,
	created_at: customer.created,
	updated_at: customer.created + 3600,
	custom_fields_values: customer.utm ? [amoField(1001, 'UTM_SOURCE', customer.utm.source), amoField(1002, 'UTM_MEDIUM', customer.utm.medium), amoField(1003, 'UTM_CAMPAIGN', customer.utm.campaign)] : null,
	contacts: [{ id: 6001 + i, is_main: true }],
}));
const AMO_CONTACTS = CUSTOMERS.map((customer, i) => ({
	id: 6001 + i,
	name: `${customer.first} ${customer.last}`,
	custom_fields_values: [amoField(11, 'PHONE', customer.phone), ...(customer.email ? [amoField(12, 'EMAIL', customer.email)] : [])],
}));
/** The three lead custom fields the amoCRM shop made for the attributed source, as its template's note says. */
const AMO_SOURCE_FIELDS = { utm_source: 880001, utm_medium: 880002, utm_campaign: 880003 };

/* Bitrix24: deals 50N with contacts 70N in the default pipeline (in progress: the stage PREPARATION). */
const B24_IDS = { A: '501', B: '502', C: '503', D: '504', E: '505' };
const B24_STAGE = { won: ['WON', 'S'], lost: ['LOSE', 'F'], in_progress: ['PREPARATION', 'P'] };
const moscow = (unix: number) => `${new Date((unix + 3 * 3600) * 1000).toISOString().slice(0, 19)}+03:00`;
const B24_DEALS = Object.fromEntries(
	CUSTOMERS.map((customer, i) => [
		Number(B24_IDS[customer.key]),
		{
			TITLE: `Сделка ${B24_IDS[customer.key]}`,
			CATEGORY_ID: '0',
			STAGE_ID: B24_STAGE[customer.outcome][0],
			STAGE_SEMANTIC_ID: B24_STAGE[customer.outcome][1],
			OPPORTUNITY: customer.total.toFixed(2),
			CURRENCY_ID: 'RUB',
			CONTACT_ID: String(701 + i),
			DATE_CREATE: moscow(customer.created),
			DATE_MODIFY: moscow(customer.created + 3600),
			...(customer.utm ? { UTM_SOURCE: customer.utm.source, UTM_MEDIUM: customer.utm.medium, UTM_CAMPAIGN: customer.utm.campaign } : {}),
		},
	]),
);
const B24_CONTACTS = Object.fromEntries(
	CUSTOMERS.map((customer, i) => [
		701 + i,
		{ NAME: customer.first, LAST_NAME: customer.last, PHONE: [{ VALUE: customer.phone, VALUE_TYPE: 'WORK' }], ...(customer.email ? { EMAIL: [{ VALUE: customer.email, VALUE_TYPE: 'WORK' }] } : {}) },
	]),
);
const B24_STAGES = [
	{ ENTITY_ID: 'DEAL_STAGE', STATUS_ID: 'NEW', NAME: 'Новая', SEMANTICS: null },
	{ ENTITY_ID: 'DEAL_STAGE', STATUS_ID: 'PREPARATION', NAME: 'Подготовка документов', SEMANTICS: null },
	{ ENTITY_ID: 'DEAL_STAGE', STATUS_ID: 'WON', NAME: 'Сделка успешна', SEMANTICS: 'S' },
	{ ENTITY_ID: 'DEAL_STAGE', STATUS_ID: 'LOSE', NAME: 'Сделка провалена', SEMANTICS: 'F' },
];

const amo = new AmoCrmServer({ token: AMO_TOKEN, pipelines: [{ id: 7001, name: 'Продажи', statuses: [{ id: 41001, name: 'Первичный контакт' }, { id: 41002, name: 'Переговоры' }] }], readLeads: AMO_LEADS, contacts: AMO_CONTACTS, account: { id: 1, name: 'Shop', subdomain: 'shop', currency: 'RUB' } });
const bitrix = new Bitrix24Server({ ...BITRIX24_HOOK, deals: B24_DEALS, contacts: B24_CONTACTS, statuses: B24_STAGES });
const ga4 = new Ga4Server();
const metrica = new MetricaServer({ token: METRICA_TOKEN });
const google = new GoogleAdsServer({ ...GOOGLE_ADS });
let n8n: RealN8n;

/** Every lead amoCRM was asked to change, as sent (without the request's own position, request_id). */
function amoPatches(): Array<Record<string, unknown>> {
	return amo.received
		.filter((request) => request.method === 'PATCH')
		.flatMap((request) => request.body as Array<Record<string, unknown>>)
		.map((lead) => Object.fromEntries(Object.entries(lead).filter(([key]) => key !== 'request_id')));
}

beforeAll(async () => {
	for (const server of [amo, bitrix, ga4, metrica, google]) await server.start();
	n8n = new RealN8n(packPack());
	n8n.importCredentials([...pipelineCredentials({ ga4: ga4.url, amo: amo.url, metrica: metrica.url, google: google.url }, 'G-CRMP1234'), bitrix24Credential(bitrix.url)]);
	n8n.importWorkflow(template('touch-intake.json'));
	// As the amoCRM shop sets it up (the template's note): the IDs of its three "attributed source" lead fields.
	const amoSync = template('order-sync-amocrm.json') as { nodes: Array<{ name: string; parameters: Record<string, unknown> }> };
	const amoPush = amoSync.nodes.find((node) => node.name === 'Push Revenue to amoCRM');
	if (!amoPush) throw new Error('the amoCRM order sync has no "Push Revenue to amoCRM" node');
	amoPush.parameters.customFields = { field: Object.entries(AMO_SOURCE_FIELDS).map(([source, fieldId]) => ({ fieldId, source })) };
	n8n.importWorkflow(amoSync);
	n8n.importWorkflow(template('order-sync-bitrix24.json'));
	for (const id of ['saTouchIntake', 'saOrderSyncAmo', 'saOrderSyncB24']) n8n.publish(id);
	await n8n.start();
	for (const touch of TOUCHES) {
		const stored = await n8n.callWebhook('touches', touch);
		if (stored.status !== 200) throw new Error(`the touch intake answered ${stored.status}: ${stored.body}`);
	}
}, 300000);

afterAll(async () => {
	await n8n?.stop();
	await stopServers(amo, bitrix, ga4, metrica, google);
});

/** Per customer: its stage, and the links the matcher made ("touchId key value", in time order) or its reason. */
const MATCHES: Record<Customer['key'], [string, string[] | string]> = {
	A: ['won', ['calltouch:9101 phone +79162000001', 'form:F3 phone +79162000001', 'calltouch:9102 phone +79162000001']],
	B: ['won', ['form:F1 email boris@example.ru']],
	C: ['lost', ['calltouch:9104 phone +79254000003']],
	D: ['in_progress', 'no touch of this customer within 30 days before it'],
	E: ['won', ['form:F2 phone +79176000005']],
};

/*
 * Credits of the won deals by the template's four models, per touch in time order, in RUB.
 * A (12,000.00; Y, G, D): Last Non-Direct skips the direct C2 and credits G (F3). Linear: 4,000.00 each. Position-based
 * 40 / 20 / 40: 4,800 / 2,400 / 4,800.
 * Markov (first order, removal effect). Paths: Y > G > D converts (A), V converts (B), G converts (E), G does not (U).
 * From start: Y 1, V 1, G 2 of 4 people; Y -> G 1; G -> D 1, G -> conversion 1, G -> null 1 (3 people at G);
 * D -> conversion 1; V -> conversion 1. P(conversion from G) = 1/3 (via D) + 1/3 = 2/3; P = 1/4 x 2/3 (Y) + 1/4 (V)
 * + 2/4 x 2/3 (G) = 3/4. Removing Y: 1/4 + 1/3 = 7/12, effect 1 - 7/9 = 2/9; removing G: only V, 1/4, effect 2/3;
 * removing D: G converts 1/3, P = 1/12 + 1/4 + 1/6 = 1/2, effect 1/3; removing V: 1/6 + 1/3 = 1/2, effect 1/3.
 * On A's path Y, G, D the effects 2/9, 6/9, 3/9 share 12,000.00 as 2/11, 6/11, 3/11: 1,200,000 cents x 2/11 =
 * 218,181.82, x 6/11 = 654,545.45, x 3/11 = 327,272.73; floors 218,181 + 654,545 + 327,272 = 1,199,998, the 2 cents
 * left to the largest remainders (.82 Y, .73 D): 2,181.82 / 6,545.45 / 3,272.73.
 * B and E have one touch each: everything to it under every model. C is lost and D not won: no credits.
 */
const CREDITS: Record<string, Array<[Customer['key'], string, number[]]>> = {
	lastNonDirect: [['A', 'calltouch:9101', [0]], ['A', 'form:F3', [12000]], ['A', 'calltouch:9102', [0]]],
	linear: [['A', 'calltouch:9101', [4000]], ['A', 'form:F3', [4000]], ['A', 'calltouch:9102', [4000]]],
	positionBased: [['A', 'calltouch:9101', [4800]], ['A', 'form:F3', [2400]], ['A', 'calltouch:9102', [4800]]],
	markov: [['A', 'calltouch:9101', [2181.82]], ['A', 'form:F3', [6545.45]], ['A', 'calltouch:9102', [3272.73]]],
};
const MODELS = Object.keys(CREDITS);

/** The credit rows expected: per model, A's three, B's and E's one (the whole deal). */
function expectedCredits(ids: Record<Customer['key'], string>): Array<[string, string, string, number]> {
	return MODELS.flatMap((model) => [
		...CREDITS[model].map(([key, touch, [revenue]]): [string, string, string, number] => [model, ids[key], touch, revenue]),
		[model, ids.B, 'form:F1', 8000] as [string, string, string, number],
		[model, ids.E, 'form:F2', 4500] as [string, string, string, number],
	]);
}

/*
 * The source report's channel rows: revenue per model and channel (24,500.00 in all per model: A + B + E), and the
 * touches of each channel among the won deals and the journey that did not convert: Y 1 (C1), G 3 (F3, F2, U),
 * D 1 (C2), V 1 (F1); C's call is on a lost deal, which the report leaves out.
 *   lastNonDirect: G 12,000 + 4,500 = 16,500; V 8,000; Y 0; D 0.
 *   linear:        G 4,000 + 4,500 = 8,500;    V 8,000; Y 4,000; D 4,000.
 *   positionBased: G 2,400 + 4,500 = 6,900;    V 8,000; Y 4,800; D 4,800.
 *   markov:        G 6,545.45 + 4,500 = 11,045.45; V 8,000; Y 2,181.82; D 3,272.73.
 * Lost calls by hour (Moscow): U at 14:10, one missed call at 14, none at any other hour.
 */
const REPORT: Record<string, Record<string, number>> = {
	lastNonDirect: { [G]: 16500, [V]: 8000, [Y]: 0, [D]: 0 },
	linear: { [G]: 8500, [V]: 8000, [Y]: 4000, [D]: 4000 },
	positionBased: { [G]: 6900, [V]: 8000, [Y]: 4800, [D]: 4800 },
	markov: { [G]: 11045.45, [V]: 8000, [Y]: 2181.82, [D]: 3272.73 },
};
const TOUCH_COUNTS: Record<string, number> = { [Y]: 1, [G]: 3, [D]: 1, [V]: 1 };

interface Shop {
	crm: string;
	workflowId: string;
	path: string;
	ids: Record<Customer['key'], string>;
	/** What the CRM received, one entry per deal changed, in arrival order. */
	received: () => unknown[];
	/** What the CRM should receive for each won deal (A, B, E), worked out from the template's note. */
	expected: unknown[];
}

const SHOPS: Shop[] = [
	{
		crm: 'amoCRM',
		workflowId: 'saOrderSyncAmo',
		path: 'order-sync-amocrm',
		ids: AMO_IDS,
		received: amoPatches,
		// No price and no status (the lead's own), only the attributed source of its last non-direct touch into the
		// shop's three fields: A's F3 (google / cpc / search), B's F1, E's F2 (not E's own utm yandex / cpc / brand,
		// which amoCRM keeps in its tracking fields).
		expected: [
			[31001, 'google', 'cpc', 'search'],
			[31002, 'vk', 'social', 'retarget'],
			[31005, 'google', 'cpc', 'search'],
		].map(([id, source, medium, campaign]) => ({
			id,
			custom_fields_values: [
				{ field_id: AMO_SOURCE_FIELDS.utm_source, values: [{ value: source }] },
				{ field_id: AMO_SOURCE_FIELDS.utm_medium, values: [{ value: medium }] },
				{ field_id: AMO_SOURCE_FIELDS.utm_campaign, values: [{ value: campaign }] },
			],
		})),
	},
	{
		crm: 'Bitrix24',
		workflowId: 'saOrderSyncB24',
		path: 'order-sync-bitrix24',
		ids: B24_IDS,
		received: () => bitrix.updateLog,
		// No sum (Bitrix24's own, and writing it would mark it typed by hand), only UTM fields: A's and B's attributed
		// source (they had none); E keeps its own yandex / cpc / brand, sent back as it is.
		expected: [
			[501, 'google', 'cpc', 'search'],
			[502, 'vk', 'social', 'retarget'],
			[505, 'yandex', 'cpc', 'brand'],
		].map(([id, source, medium, campaign]) => ({
			id,
			fields: { UTM_SOURCE: source, UTM_MEDIUM: medium, UTM_CAMPAIGN: campaign },
		})),
	},
];

describe(`the order sync from a CRM in real n8n ${N8N_VERSION}`, () => {
	it('stores the seven touches once each', () => {
		expect(n8n.dataTableRows('touches').map((row) => row.touchId)).toEqual(['calltouch:9101', 'form:F3', 'calltouch:9102', 'form:F1', 'calltouch:9104', 'calltouch:9199', 'form:F2']);
	});

	describe.each(SHOPS)('$crm shop', (shop) => {
		it('deals in, matched, attributed by hand-worked figures, the source report; the attributed source back into the CRM, once', async () => {
			const metricaBefore = metrica.received.length;
			const run = await n8n.callWebhook(shop.path);
			expect([run.status, run.status === 200 ? '' : run.body]).toEqual([200, '']);
			await n8n.waitForExecutions(shop.workflowId, 1);
			expect(n8n.executions(shop.workflowId).map((execution) => execution.status)).toEqual(['success']);

			// Deals: every deal of the CRM with its stage and total, the touches it was linked by, or the matcher's reason.
			const deals = n8n.dataTableRows('deals').map((row) => {
				const deal = JSON.parse(String(row.deal)) as { match?: { keys: Array<{ touchId: string; key: string; value: string }> } };
				return [row.orderId, row.stage, row.total, row.currency, Number(row.touches) > 0 ? (deal.match?.keys ?? []).map((link) => `${link.touchId} ${link.key} ${link.value}`) : row.reason];
			});
			const byId = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
			expect(deals.sort(byId)).toEqual(CUSTOMERS.map((customer) => [shop.ids[customer.key], MATCHES[customer.key][0], customer.total, 'RUB', MATCHES[customer.key][1]]).sort(byId));

			// Credits: the won deals' revenue by the template's four models, to the cent.
			const credits = n8n.dataTableRows('credits').map((row) => [row.model, row.orderId, row.touchId, Number(row.revenue)]);
			const order = (a: unknown[], b: unknown[]) => a.join(' ').localeCompare(b.join(' '));
			expect(credits.sort(order)).toEqual(expectedCredits(shop.ids).sort(order));

			// The source report the webhook answered: channel rows per model, and the one missed call at 14:00.
			const report = JSON.parse(run.body) as Array<{ report: string; model: string; channel: string; revenue: number; touches: number; hour: number; missedCalls: number }>;
			const channels = report.filter((row) => row.report === 'channels').map((row) => [row.model, row.channel, row.revenue, row.touches]);
			const expectedChannels = MODELS.flatMap((model) => Object.entries(REPORT[model]).map(([channel, revenue]) => [model, channel, revenue, TOUCH_COUNTS[channel]]));
			expect(channels.sort(order)).toEqual(expectedChannels.sort(order));
			expect(report.filter((row) => row.report === 'lostCallsByHour' && row.missedCalls > 0).map((row) => [row.hour, row.missedCalls])).toEqual([[14, 1]]);

			// Back into the CRM: exactly one update per won deal (A, B, E), nothing for the lost and the open one.
			expect(shop.received()).toStrictEqual(shop.expected);
			// No visitor id and no Google click in these touches: GA4 and Google Ads got nothing; Metrica its CRM orders.
			expect([ga4.purchaseIds(), google.received]).toEqual([[], []]);
			expect(metrica.received.length).toBeGreaterThan(metricaBefore);

			// A second run reads the same deals, rewrites the same rows, and sends nothing to the CRM or anywhere else.
			const metricaAfter = metrica.received.length;
			const again = await n8n.callWebhook(shop.path);
			expect(again.status).toBe(200);
			await n8n.waitForExecutions(shop.workflowId, 2);
			expect(n8n.executions(shop.workflowId).map((execution) => execution.status)).toEqual(['success', 'success']);
			expect(n8n.dataTableRows('deals')).toHaveLength(CUSTOMERS.length);
			expect(n8n.dataTableRows('credits')).toHaveLength(expectedCredits(shop.ids).length);
			expect(shop.received()).toHaveLength(shop.expected.length);
			expect(metrica.received).toHaveLength(metricaAfter);
		});
	});

	it('each variant takes a lock row of its own', () => {
		expect(n8n.dataTableRows('locks').map((row) => row.name).sort()).toEqual(['order-sync-amocrm', 'order-sync-bitrix24']);
	});
});
