import { join } from 'path';
import { NodeApiError, NodeOperationError, type ICredentialDataDecryptedObject, type IDataObject, type IExecuteFunctions, type IHttpRequestOptions, type INodeExecutionData } from 'n8n-workflow';
import { AmoCrmApi } from '../../credentials/AmoCrmApi.credentials';
import { Ga4MeasurementProtocolApi } from '../../credentials/Ga4MeasurementProtocolApi.credentials';
import { RevenueWebhookApi } from '../../credentials/RevenueWebhookApi.credentials';
import { YandexMetricaApi } from '../../credentials/YandexMetricaApi.credentials';
import type { Deal } from '../../nodes/shared/contracts';
import { fakeExecuteFunctions, type NodeUnderTest } from '../faults/fakeContext';
import { Ga4Server } from '../helpers/standins/ga4Server';
import { makeDeal, makeTouch } from '../helpers/standins/revenueDeals';

/**
 * The Revenue Push node's own face (router.ts), through its real execute() with the fake n8n context and HTTP faked
 * at n8n's helpers: where the credential is read, what Continue On Fail turns a failure into, what the error says
 * when it is off, and which requests n8n signs with the credential's `authenticate`.
 */
type NodeModule = typeof import('../../nodes/RevenuePush/RevenuePush.node');
const { RevenuePush } = require(join(__dirname, '..', '..', 'nodes', 'RevenuePush', 'RevenuePush.node.ts')) as NodeModule;

const NODE: NodeUnderTest = {
	type: new RevenuePush(),
	node: { id: 'push-node', name: 'Revenue Push', type: 'n8n-nodes-sales-analytics.revenuePush', typeVersion: 1, position: [0, 0], parameters: {}, credentials: {} },
	credentials: [new RevenueWebhookApi(), new AmoCrmApi(), new YandexMetricaApi()],
};

const WEBHOOK = { parameters: { destination: 'webhook', webhookMode: 'perDeal', options: { maxAttempts: 1 } }, credential: { url: 'https://hook.example/revenue' } };

type Http = (options: IHttpRequestOptions) => Promise<unknown>;

interface Setup {
	parameters: Record<string, unknown>;
	credential: ICredentialDataDecryptedObject;
	continueOnFail: boolean;
	httpRequest?: Http;
	httpRequestWithAuthentication?: (type: string, options: IHttpRequestOptions) => Promise<unknown>;
	getCredentials?: () => Promise<ICredentialDataDecryptedObject>;
}

async function execute(setup: Setup, deals: Deal[]): Promise<INodeExecutionData[]> {
	const ctx = fakeExecuteFunctions({ parameters: setup.parameters, credential: setup.credential, staticData: {}, continueOnFail: setup.continueOnFail, input: deals.map((deal) => ({ json: deal as unknown as IDataObject })) }, NODE);
	const helpers = ctx.helpers as unknown as Record<string, unknown>;
	helpers.httpRequest = setup.httpRequest ?? (async () => await Promise.reject(new Error('the test sends nothing unsigned')));
	helpers.httpRequestWithAuthentication = async (type: string, options: IHttpRequestOptions) => await (setup.httpRequestWithAuthentication ?? (async () => await Promise.reject(new Error('the test sends nothing signed by n8n'))))(type, options);
	if (setup.getCredentials) (ctx as unknown as Record<string, unknown>).getCredentials = setup.getCredentials;
	const output = await (NODE.type.execute as (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>).call(ctx);
	return output[0];
}

const answer = (statusCode: number, body = '') => ({ statusCode, headers: {}, body });
const deals = [makeDeal({ orderId: '1' }), makeDeal({ orderId: '2' })];

describe('Revenue Push node: errors the n8n way', () => {
	const noCredential = async () => await Promise.reject(new Error('Node does not have any credentials set for "revenueWebhookApi"'));

	it('reads the credential inside its try: with Continue On Fail every input item fails with the error, paired to it', async () => {
		const items = await execute({ ...WEBHOOK, continueOnFail: true, getCredentials: noCredential }, deals);
		expect(items.map((item) => [item.json.orderId, item.json.status, item.json.error, item.pairedItem])).toEqual([
			['1', 'failed', 'Node does not have any credentials set for "revenueWebhookApi"', { item: 0 }],
			['2', 'failed', 'Node does not have any credentials set for "revenueWebhookApi"', { item: 1 }],
		]);
	});

	it('without Continue On Fail, a credential that cannot be read fails the run with its own message', async () => {
		const run = execute({ ...WEBHOOK, continueOnFail: false, getCredentials: noCredential }, deals);
		await expect(run).rejects.toThrow(NodeOperationError);
		await expect(run).rejects.toThrow('Node does not have any credentials set for "revenueWebhookApi"');
	});

	it('refuses a destination this version does not know, naming it', async () => {
		await expect(execute({ ...WEBHOOK, parameters: { ...WEBHOOK.parameters, destination: 'vkAds' }, continueOnFail: false }, deals)).rejects.toThrow('"vkAds" is not a destination this version of Revenue Push knows');
	});

	it('deals refused, Continue On Fail off: a NodeApiError whose message is the destination and the status, the count in its description', async () => {
		const error = (await execute({ ...WEBHOOK, continueOnFail: false, httpRequest: async () => answer(503, 'down') }, deals).catch((e: unknown) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('webhook: HTTP 503');
		expect(error.httpCode).toBe('503');
		expect(error.description).toBe(
			'2 of 2 deals were not accepted by webhook; the first, 1: HTTP 503: down (gave up after 1 attempt). The deals that were accepted are recorded and will not be sent again; run again to retry the rest.',
		);
	});

	it('a connection reset keeps its own message: n8n would swap a message naming ECONNRESET for its generic text', async () => {
		const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		const error = (await execute({ ...WEBHOOK, continueOnFail: false, httpRequest: async () => await Promise.reject(reset) }, [deals[0]]).catch((e: unknown) => e)) as NodeApiError;
		expect([error.message, error.httpCode]).toEqual(['webhook: network error', null]);
		expect(error.description).toBe('1 of 1 deals were not accepted by webhook; the first, 1: network error: ECONNRESET socket hang up (gave up after 1 attempt). The deals that were accepted are recorded and will not be sent again; run again to retry the rest.');
	});

	it('deals refused, Continue On Fail on: each refused deal is a failed item with its error, the accepted ones are sent, in input order', async () => {
		let calls = 0;
		const items = await execute({ ...WEBHOOK, continueOnFail: true, httpRequest: async () => (++calls === 1 ? answer(200) : answer(400, 'bad deal')) }, deals);
		expect(items.map((item) => [item.json.orderId, item.json.status, item.json.error, item.pairedItem])).toEqual([
			['1', 'sent', undefined, { item: 0 }],
			['2', 'failed', 'HTTP 400: bad deal', { item: 1 }],
		]);
	});
});

describe('Revenue Push node: n8n signs the requests of credentials that have an authenticate', () => {
	it('amoCRM: sent through httpRequestWithAuthentication with the amoCrmApi credential, no token written by the node', async () => {
		const sent: Array<[string, IHttpRequestOptions]> = [];
		const items = await execute(
			{
				parameters: { destination: 'amocrm', crmIdFrom: 'orderId', options: { maxAttempts: 1 } },
				credential: { baseUrl: 'https://shop.amocrm.ru', token: 'amo-token' },
				continueOnFail: false,
				httpRequestWithAuthentication: async (type, options) => {
					sent.push([type, options]);
					return answer(200, '{"_embedded":{"leads":[]}}');
				},
			},
			[makeDeal({ orderId: '7' })],
		);
		expect(items.map((item) => item.json.status)).toEqual(['sent']);
		expect(sent.map(([type, options]) => [type, options.method, options.url, options.headers])).toEqual([
			['amoCrmApi', 'PATCH', 'https://shop.amocrm.ru/api/v4/leads', { 'Content-Type': 'application/json', Accept: 'application/json' }],
		]);
		// 1500.50 rounded half up to whole units.
		expect(JSON.parse(String(sent[0][1].body))).toEqual([{ id: 7, price: 1501, request_id: '0' }]);
	});

	it('Metrica: the list of uploads and the upload both signed by n8n with the yandexMetricaApi credential', async () => {
		const sent: Array<[string, string, string]> = [];
		const now = Date.now();
		const deal = makeDeal({ orderId: '9', updatedAt: new Date(now - 3_600_000).toISOString(), customer: { name: null, phones: [], emails: [], gaClientId: null, ymClientId: '1700000000123456789' } });
		const items = await execute(
			{
				parameters: { destination: 'metrica', counterId: '44147844', withoutMetricaId: 'report', options: { maxAttempts: 1 } },
				credential: { token: 'ym-token', apiBase: 'https://metrica.example' },
				continueOnFail: false,
				httpRequestWithAuthentication: async (type, options) => {
					sent.push([type, String(options.method), JSON.stringify(options.headers)]);
					return options.method === 'GET' ? answer(200, '{"uploadings":[]}') : answer(200, '{"uploading":{"id":1001,"status":"UPLOADED"}}');
				},
			},
			[deal],
		);
		expect(items.map((item) => [item.json.status, item.json.receipt])).toEqual([['sent', 'Metrica upload 1001: UPLOADED']]);
		expect(sent.map(([type, method]) => [type, method])).toEqual([
			['yandexMetricaApi', 'GET'],
			['yandexMetricaApi', 'POST'],
		]);
		expect(sent.every(([, , headers]) => !headers.includes('ym-token') && !headers.includes('Authorization'))).toBe(true);
	});
});

describe('Revenue Push node: GA4 signed by n8n with the credential\'s authenticate', () => {
	const GA4_NODE: NodeUnderTest = { ...NODE, credentials: [new Ga4MeasurementProtocolApi()] };
	const secret = 'ga4-node-s3cret';

	/** Runs the node with the fake context's own httpRequestWithAuthentication (the real credential class applied), recording in `asked` what the node asked it to send. */
	async function runGa4(credential: ICredentialDataDecryptedObject, deal: Deal, asked: Array<[string, IHttpRequestOptions]> = []): Promise<{ items: INodeExecutionData[]; asked: Array<[string, IHttpRequestOptions]> }> {
		const ctx = fakeExecuteFunctions({ parameters: { destination: 'ga4', validateOnly: true, options: { maxAttempts: 1 } }, credential, staticData: {}, continueOnFail: false, input: [{ json: deal as unknown as IDataObject }] }, GA4_NODE);
		const helpers = ctx.helpers as unknown as Record<string, unknown>;
		const signed = helpers.httpRequestWithAuthentication as (this: IExecuteFunctions, type: string, options: IHttpRequestOptions) => Promise<unknown>;
		helpers.httpRequest = async () => await Promise.reject(new Error('GA4 must be signed by n8n'));
		helpers.httpRequestWithAuthentication = async function (this: IExecuteFunctions, type: string, options: IHttpRequestOptions) {
			asked.push([type, { ...options }]);
			return await signed.call(this, type, options);
		};
		const output = await (GA4_NODE.type.execute as (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>).call(ctx);
		return { items: output[0], asked };
	}

	it('the node builds no URL with the secret; n8n adds it to the query, where GA (the stand-in) finds it', async () => {
		const server = await new Ga4Server().start();
		try {
			const deal = makeDeal({ orderId: '5', updatedAt: new Date(Date.now() - 3_600_000).toISOString(), touches: [makeTouch({ gaClientId: '111.222' })] });
			const { items, asked } = await runGa4({ measurementId: 'G-NODE12345', apiSecret: secret, endpoint: `${server.url}///` }, deal);
			expect(asked.map(([type, options]) => [type, options.method, options.url, options.qs])).toEqual([['ga4MeasurementProtocolApi', 'POST', `${server.url}/debug/mp/collect?measurement_id=G-NODE12345`, undefined]]);
			expect(server.received.map((request) => [request.path, request.query])).toEqual([['/debug/mp/collect', { measurement_id: 'G-NODE12345', api_secret: secret }]]);
			// The stand-in's validation says VALUE_REQUIRED without an api_secret: "validated" means it arrived.
			expect(items.map((item) => [item.json.status, item.json.reason])).toEqual([['validated', null]]);
			expect(JSON.stringify(items)).not.toContain(secret);
		} finally {
			await server.close();
		}
	});

	it('a credential that cannot be used fails the run when it is read, naming the problem and not the secret, and sends nothing', async () => {
		const deal = makeDeal({ orderId: '6' });
		const asked: Array<[string, IHttpRequestOptions]> = [];
		const universal = await runGa4({ measurementId: 'UA-1234567-1', apiSecret: secret }, deal, asked).catch((error: unknown) => error as NodeOperationError);
		expect(universal).toBeInstanceOf(NodeOperationError);
		expect((universal as NodeOperationError).message).toMatch(/^The GA4 credential cannot be used: "UA-1234567-1" is a Universal Analytics property id; Universal Analytics stopped processing data in July 2023/);
		expect((universal as NodeOperationError).message).not.toContain(secret);
		const noSecret = await runGa4({ measurementId: 'G-NODE12345', apiSecret: '' }, deal, asked).catch((error: unknown) => error as NodeOperationError);
		expect((noSecret as NodeOperationError).message).toMatch(/the Measurement Protocol API secret is empty/);
		expect(asked).toEqual([]);
	});
});
