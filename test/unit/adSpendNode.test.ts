import type { ICredentialDataDecryptedObject, ICredentialType, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';
import { join } from 'path';
import { GoogleAdsOAuth2Api } from '../../credentials/GoogleAdsOAuth2Api.credentials';
import { YandexDirectApi } from '../../credentials/YandexDirectApi.credentials';
import { spendByChannel } from '../../nodes/Attribution/adSpend';
import { parseSpendTable } from '../../nodes/Attribution/settings';
import { executeNode, type NodeRun, type NodeUnderTest } from '../faults/fakeContext';
import { GoogleAdsServer, QUOTA_EXHAUSTED, type GoogleAdsRow } from '../helpers/standins/googleAdsServer';
import { YandexDirectServer, type DirectRow } from '../helpers/standins/yandexDirectServer';

type NodeModule = typeof import('../../nodes/AdSpend/AdSpend.node');
const { AdSpend } = require(join(__dirname, '..', '..', 'nodes', 'AdSpend', 'AdSpend.node.ts')) as NodeModule;

/**
 * n8n signs a Google request with the OAuth2 token it keeps in oauthTokenData (requestOAuth2); the fake context
 * knows only `authenticate`, so this double of the real credential class does that one step (plumbing only).
 */
const googleCredential: ICredentialType = Object.assign(new GoogleAdsOAuth2Api(), {
	properties: [...new GoogleAdsOAuth2Api().properties, { displayName: 'Token Data', name: 'oauthTokenData', type: 'json' as const, default: {} }],
	authenticate: async (credential: ICredentialDataDecryptedObject, options: IHttpRequestOptions) => ({
		...options,
		headers: { ...options.headers, Authorization: `Bearer ${(credential.oauthTokenData as { access_token: string }).access_token}` },
	}),
});

const NODE: NodeUnderTest = {
	type: new AdSpend(),
	node: { id: 'ad-spend', name: 'Ad Spend', type: 'n8n-nodes-sales-analytics.adSpend', typeVersion: 1, position: [0, 0], parameters: {} },
	credentials: [new YandexDirectApi(), googleCredential],
};

const TOKEN = 'y0_directSecretToken123';
const ACCESS = 'ya29.googleAccessSecret456';
const DEV_TOKEN = 'devTokenSecret789';

/*
 * Two days, two campaigns; costs with VAT in micros. By hand: 1234560000 -> 1234.56; 987654321 -> 987.654321 -> 987.65;
 * 1000005000 -> 1000.005 -> 1000.01 (half up); 0 -> 0. Sum over the two days: 3222.22. Without VAT (× 100 / 120 in
 * whole micros): 1028800000 -> 1028.80; 823045267 -> 823.05; 833337500 -> 833.3375 -> 833.34; 0.
 * 2026-11-03 is outside the range asked for.
 */
const DIRECT_ROWS: DirectRow[] = [
	{ date: '2026-11-01', campaignId: '101', campaignName: 'Brand', impressions: 1000, clicks: 50, costMicros: '1234560000' },
	{ date: '2026-11-01', campaignId: '102', campaignName: '«Search Generic»', impressions: 2000, clicks: 40, costMicros: '987654321' },
	{ date: '2026-11-02', campaignId: '101', campaignName: 'Brand', impressions: 1100, clicks: 55, costMicros: '1000005000' },
	{ date: '2026-11-02', campaignId: '102', campaignName: '«Search Generic»', impressions: 1900, clicks: 0, costMicros: '0' },
	{ date: '2026-11-03', campaignId: '101', campaignName: 'Brand', impressions: 900, clicks: 30, costMicros: '500000000' },
];

const CUSTOM_RANGE = { dateRange: 'custom', startDate: '2026-11-01', endDate: '2026-11-02' };

function run(parameters: Record<string, unknown>, credential: ICredentialDataDecryptedObject, continueOnFail = false, input?: INodeExecutionData[]): NodeRun {
	return { parameters, credential, staticData: {}, continueOnFail, input };
}

const rowsOf = (items: INodeExecutionData[]) => items.filter((item) => item.json.error === undefined).map((item) => item.json);
const errorsOf = (items: INodeExecutionData[]) => items.filter((item) => item.json.error !== undefined).map((item) => item.json);

describe('Ad Spend node: Yandex Direct', () => {
	let server: YandexDirectServer;
	const start = async (options: Partial<ConstructorParameters<typeof YandexDirectServer>[0]> = {}) => {
		server = await new YandexDirectServer({ token: TOKEN, rows: DIRECT_ROWS, ...options }).start();
		return { token: TOKEN, apiUrl: server.url };
	};
	afterEach(async () => await server?.close());

	it('reads two days of two campaigns with VAT, to the cent, as the Ad Spend rows of Attribution', async () => {
		const credential = await start();
		const { items, error } = await executeNode(NODE, run({ platform: 'yandexDirect', ...CUSTOM_RANGE }, credential));
		expect(error).toBeUndefined();
		expect(rowsOf(items)).toEqual([
			{ date: '2026-11-01', platform: 'yandexDirect', source: 'yandex', medium: 'cpc', campaign: 'Brand', utmCampaign: 'brand', campaignId: '101', cost: 1234.56, currency: 'RUB', vat: 'included', clicks: 50, impressions: 1000, periodStart: '2026-11-01', periodEnd: '2026-11-01', spend: 1234.56 },
			{ date: '2026-11-01', platform: 'yandexDirect', source: 'yandex', medium: 'cpc', campaign: '«Search Generic»', utmCampaign: 'search generic', campaignId: '102', cost: 987.65, currency: 'RUB', vat: 'included', clicks: 40, impressions: 2000, periodStart: '2026-11-01', periodEnd: '2026-11-01', spend: 987.65 },
			{ date: '2026-11-02', platform: 'yandexDirect', source: 'yandex', medium: 'cpc', campaign: 'Brand', utmCampaign: 'brand', campaignId: '101', cost: 1000.01, currency: 'RUB', vat: 'included', clicks: 55, impressions: 1100, periodStart: '2026-11-02', periodEnd: '2026-11-02', spend: 1000.01 },
			{ date: '2026-11-02', platform: 'yandexDirect', source: 'yandex', medium: 'cpc', campaign: '«Search Generic»', utmCampaign: 'search generic', campaignId: '102', cost: 0, currency: 'RUB', vat: 'included', clicks: 0, impressions: 1900, periodStart: '2026-11-02', periodEnd: '2026-11-02', spend: 0 },
		]);
		expect(items.every((item) => JSON.stringify(item.pairedItem) === JSON.stringify({ item: 0 }))).toBe(true);
		// Given to Attribution as its Ad Spend table: yandex / cpc spent 3222.22 RUB over the two days.
		const spend = spendByChannel(parseSpendTable(JSON.stringify(rowsOf(items))), null, (currency) => currency);
		expect(Math.round((spend.get('RUB')?.get('yandex / cpc') ?? NaN) * 100)).toBe(322222);
		// What Direct was asked: the account's currency, then the report with the headers the parser relies on.
		const report = server.received.find((request) => request.path === '/json/v5/reports');
		expect(server.received.map((request) => request.path)).toEqual(['/json/v5/clients', '/json/v5/reports']);
		expect(report?.headers).toMatchObject({ processingmode: 'auto', skipreportheader: 'true', 'accept-language': 'en', authorization: `Bearer ${TOKEN}` });
		expect(report?.headers.returnmoneyinmicros).toBeUndefined();
		expect((report?.body as { params: Record<string, unknown> }).params).toMatchObject({
			SelectionCriteria: { DateFrom: '2026-11-01', DateTo: '2026-11-02' },
			FieldNames: ['Date', 'CampaignId', 'CampaignName', 'Impressions', 'Clicks', 'Cost'],
			ReportType: 'CAMPAIGN_PERFORMANCE_REPORT',
			DateRangeType: 'CUSTOM_DATE',
			Format: 'TSV',
			IncludeVAT: 'YES',
		});
	});

	it('costs without VAT say so, figures worked out by hand', async () => {
		const credential = await start();
		const { items, error } = await executeNode(NODE, run({ platform: 'yandexDirect', ...CUSTOM_RANGE, includeVat: false, source: 'Yandex.Direct', medium: 'paid' }, credential));
		expect(error).toBeUndefined();
		expect(rowsOf(items).map((row) => [row.date, row.campaignId, row.cost, row.spend, row.vat, row.source, row.medium])).toEqual([
			['2026-11-01', '101', 1028.8, 1028.8, 'excluded', 'Yandex.Direct', 'paid'],
			['2026-11-01', '102', 823.05, 823.05, 'excluded', 'Yandex.Direct', 'paid'],
			['2026-11-02', '101', 833.34, 833.34, 'excluded', 'Yandex.Direct', 'paid'],
			['2026-11-02', '102', 0, 0, 'excluded', 'Yandex.Direct', 'paid'],
		]);
		expect((server.received[1].body as { params: { IncludeVAT: string } }).params.IncludeVAT).toBe('NO');
	});

	it('the offline queue: 201, then 202, then the report, asked with the same body each time (retryIn 1 s)', async () => {
		const credential = await start({ queueSteps: 2, retryIn: '1' });
		const started = Date.now();
		const { items, error } = await executeNode(NODE, run({ platform: 'yandexDirect', ...CUSTOM_RANGE }, credential));
		expect(error).toBeUndefined();
		expect(rowsOf(items)).toHaveLength(4);
		expect(server.received.filter((request) => request.path === '/json/v5/reports').map((request) => request.outcome)).toEqual([201, 202, 200]);
		expect(new Set(server.reportBodies).size).toBe(1);
		expect([...server.asks.values()]).toEqual([3]);
		// Two waits of retryIn = 1 s.
		expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
	});

	it('an agency reads its client through Client-Login; another login is refused with the login named', async () => {
		const credential = await start({ agencyClients: ['client-a'] });
		const ok = await executeNode(NODE, run({ platform: 'yandexDirect', ...CUSTOM_RANGE }, { ...credential, clientLogin: 'client-a' }));
		expect(ok.error).toBeUndefined();
		expect(rowsOf(ok.items)).toHaveLength(4);
		expect(server.received.every((request) => request.headers['client-login'] === 'client-a')).toBe(true);
		const other = await executeNode(NODE, run({ platform: 'yandexDirect', ...CUSTOM_RANGE }, { ...credential, clientLogin: 'client-b' }));
		expect(other.error?.message).toBe('Yandex Direct error 54: No rights');
		expect(other.error?.description).toContain('The user client-b is not a client of this agency');
		expect(other.error?.description).toContain('Client-Login');
		const none = await executeNode(NODE, run({ platform: 'yandexDirect', ...CUSTOM_RANGE }, credential));
		expect(none.error?.message).toBe('Yandex Direct error 8000: Invalid request');
		expect(none.error?.description).toContain('The Client-Login header must be specified for an agency');
	});

	it.each([
		[53, 'Authorization error', 'get a new token', 1],
		[152, 'Not enough Yandex units', 'refill within the hour', 1],
	])('error %i is a clear node error, not retried: %s', async (code, text, advice, requests) => {
		const credential = await start();
		server.failNext(code, 5);
		const { items, error } = await executeNode(NODE, run({ platform: 'yandexDirect', ...CUSTOM_RANGE }, credential));
		expect(items).toEqual([]);
		expect(error?.message).toBe(`Yandex Direct error ${code}: ${text}`);
		expect(error?.description).toContain(advice);
		expect(error?.description).toMatch(/\(request_id standin-\d+\)$/);
		expect(server.received).toHaveLength(requests);
	});

	it.each([52, 506])('error %i is transient: asked again, and the rows come once', async (code) => {
		const credential = await start();
		server.failNext(code, 1);
		const { items, error } = await executeNode(NODE, run({ platform: 'yandexDirect', ...CUSTOM_RANGE }, credential));
		expect(error).toBeUndefined();
		expect(rowsOf(items)).toHaveLength(4);
		expect(server.received.map((request) => request.outcome)).toEqual([DIRECT_STATUS[code], 200, 200]);
	});

	it('error 506 that persists: named with what to do, after 4 attempts', async () => {
		const credential = await start();
		server.failNext(506, 10);
		const { error } = await executeNode(NODE, run({ platform: 'yandexDirect', ...CUSTOM_RANGE }, credential));
		expect(error?.message).toBe('Yandex Direct error 506: Exceeded limit on number of connections');
		expect(error?.description).toContain('run again when the others are done');
		expect(server.received).toHaveLength(4);
	}, 20_000);

	it('an answer cut in the middle is asked again: every row once', async () => {
		const credential = await start();
		server.faults.next(1, 'pass').next(1, 'drop');
		const { items, error } = await executeNode(NODE, run({ platform: 'yandexDirect', ...CUSTOM_RANGE }, credential));
		expect(error).toBeUndefined();
		expect(rowsOf(items).map((row) => [row.date, row.campaignId])).toEqual([
			['2026-11-01', '101'],
			['2026-11-01', '102'],
			['2026-11-02', '101'],
			['2026-11-02', '102'],
		]);
	});

	it('an error page that repeats the token does not bring it into the error', async () => {
		const credential = await start();
		server.faults.next(1, { kind: 'echo', status: 400 });
		const { error } = await executeNode(NODE, run({ platform: 'yandexDirect', ...CUSTOM_RANGE }, credential));
		expect(error?.message).toContain('Yandex Direct: HTTP 400');
		expect(error?.message).toContain('Authorization: Bearer ***');
		expect(`${error?.message} ${error?.description}`).not.toContain(TOKEN);
	});

	it('hostile campaign names: HTML stays text, % escapes decode in utmCampaign, a 100 kB name is an error item while the rest go on', async () => {
		const credential = await start({
			rows: [
				{ date: '2026-11-01', campaignId: '201', campaignName: '<img src=x onerror=alert(1)>', impressions: 10, clicks: 1, costMicros: '1000000' },
				{ date: '2026-11-01', campaignId: '202', campaignName: 'Brand%20Spring%D0%BA', impressions: 10, clicks: 1, costMicros: '2000000' },
				{ date: '2026-11-01', campaignId: '203', campaignName: 'A'.repeat(100_000), impressions: 10, clicks: 1, costMicros: '3000000' },
			],
		});
		const { items, error } = await executeNode(NODE, run({ platform: 'yandexDirect', ...CUSTOM_RANGE }, credential, true));
		expect(error).toBeUndefined();
		expect(rowsOf(items).map((row) => [row.campaign, row.utmCampaign, row.cost])).toEqual([
			['<img src=x onerror=alert(1)>', '<img src=x onerror=alert(1)>', 1],
			['Brand%20Spring%D0%BA', 'brand springк', 2],
		]);
		expect(errorsOf(items)).toEqual([
			expect.objectContaining({ itemIndex: 0, error: 'Yandex Direct report row 3: the campaign name is 100000 characters long, over the 1000-character cap' }),
		]);
		// Without Continue On Fail the bad row stops the run, naming it.
		const strict = await executeNode(NODE, run({ platform: 'yandexDirect', ...CUSTOM_RANGE }, credential));
		expect(strict.error?.message).toContain('Yandex Direct report row 3');
	});

	it('with Continue On Fail a refused run is one error item paired to every input item', async () => {
		const credential = await start();
		server.failNext(53, 1);
		const { items, error } = await executeNode(NODE, run({ platform: 'yandexDirect', ...CUSTOM_RANGE }, credential, true, [{ json: {} }, { json: {} }]));
		expect(error).toBeUndefined();
		expect(items).toEqual([{ json: { error: 'Yandex Direct error 53: Authorization error', description: expect.stringContaining('Invalid OAuth token') }, pairedItem: [{ item: 0 }, { item: 1 }] }]);
	});
});

const DIRECT_STATUS: Record<number, number> = { 52: 500, 506: 400 };

/*
 * Google: the same figures in micros, in EUR; the stand-in answers in batches of 3 (the second one partial). The
 * 2026-11-02 row of campaign 12 has no clicks: proto3 JSON leaves the field out, it reads as 0.
 */
const GOOGLE_ROWS: GoogleAdsRow[] = [
	{ date: '2026-11-01', campaignId: '11', campaignName: 'Brand', costMicros: '1234560000', clicks: 50, impressions: 1000 },
	{ date: '2026-11-01', campaignId: '12', campaignName: 'Search%20Generic', costMicros: '987654321', clicks: 40, impressions: 2000 },
	{ date: '2026-11-02', campaignId: '11', campaignName: 'Brand', costMicros: '1000005000', clicks: 55, impressions: 1100 },
	{ date: '2026-11-02', campaignId: '12', campaignName: 'Search%20Generic', costMicros: '1', clicks: 0, impressions: 3 },
	{ date: '2026-11-05', campaignId: '11', campaignName: 'Brand', costMicros: '7000000', clicks: 1, impressions: 10 },
];

describe('Ad Spend node: Google Ads', () => {
	let server: GoogleAdsServer;
	const start = async (options: Partial<ConstructorParameters<typeof GoogleAdsServer>[0]> = {}) => {
		server = await new GoogleAdsServer({ accessToken: ACCESS, developerToken: DEV_TOKEN, customerId: '1234567890', currency: 'EUR', rows: GOOGLE_ROWS, batchSize: 3, ...options }).start();
		return { developerToken: DEV_TOKEN, apiUrl: server.url, oauthTokenData: { access_token: ACCESS } } as unknown as ICredentialDataDecryptedObject;
	};
	afterEach(async () => await server?.close());
	const GOOGLE = { platform: 'googleAds', customerId: '123-456-7890', ...CUSTOM_RANGE };

	it('reads searchStream batches (the last one partial), cost_micros to the cent, currency from the account', async () => {
		const credential = await start();
		const { items, error } = await executeNode(NODE, run(GOOGLE, credential));
		expect(error).toBeUndefined();
		// 1 micro is 0.000001: 0.00 to the cent.
		expect(rowsOf(items).map((row) => [row.date, row.campaignId, row.campaign, row.utmCampaign, row.cost, row.spend, row.clicks, row.impressions, row.currency, row.vat, row.source, row.medium, row.platform])).toEqual([
			['2026-11-01', '11', 'Brand', 'brand', 1234.56, 1234.56, 50, 1000, 'EUR', 'excluded', 'google', 'cpc', 'googleAds'],
			['2026-11-01', '12', 'Search%20Generic', 'search generic', 987.65, 987.65, 40, 2000, 'EUR', 'excluded', 'google', 'cpc', 'googleAds'],
			['2026-11-02', '11', 'Brand', 'brand', 1000.01, 1000.01, 55, 1100, 'EUR', 'excluded', 'google', 'cpc', 'googleAds'],
			['2026-11-02', '12', 'Search%20Generic', 'search generic', 0, 0, 0, 3, 'EUR', 'excluded', 'google', 'cpc', 'googleAds'],
		]);
		const [request] = server.received;
		expect(request.path).toBe('/v25/customers/1234567890/googleAds:searchStream');
		expect(request.headers['developer-token']).toBe(DEV_TOKEN);
		expect(request.headers['login-customer-id']).toBeUndefined();
		expect(server.queries).toEqual([
			"SELECT customer.currency_code, campaign.id, campaign.name, segments.date, metrics.cost_micros, metrics.clicks, metrics.impressions FROM campaign WHERE segments.date BETWEEN '2026-11-01' AND '2026-11-02'",
		]);
	});

	it('a manager account: login-customer-id sent; without it the customer is refused, named clearly', async () => {
		const credential = await start({ managerId: '9876543210' });
		const ok = await executeNode(NODE, run({ ...GOOGLE, loginCustomerId: '987-654-3210' }, credential));
		expect(ok.error).toBeUndefined();
		expect(rowsOf(ok.items)).toHaveLength(4);
		expect(server.received[0].headers['login-customer-id']).toBe('9876543210');
		const refused = await executeNode(NODE, run(GOOGLE, credential));
		expect(refused.error?.message).toBe("Google Ads error authorizationError USER_PERMISSION_DENIED (PERMISSION_DENIED): User doesn't have permission to access customer 1234567890.");
		expect(refused.error?.description).toContain('Login Customer ID');
	});

	it('429 RESOURCE_EXHAUSTED once: asked again, the rows come once', async () => {
		const credential = await start();
		server.faults.next(1, { kind: 'status', status: 429, body: QUOTA_EXHAUSTED });
		const { items, error } = await executeNode(NODE, run(GOOGLE, credential));
		expect(error).toBeUndefined();
		expect(rowsOf(items)).toHaveLength(4);
		expect(server.received.map((request) => request.outcome)).toEqual([429, 200]);
	});

	it('429 RESOURCE_EXHAUSTED that persists: a quota error saying what to do, after 4 attempts', async () => {
		const credential = await start();
		server.faults.next(4, { kind: 'status', status: 429, body: QUOTA_EXHAUSTED });
		const { error } = await executeNode(NODE, run(GOOGLE, credential));
		expect(error?.message).toBe('Google Ads error quotaError RESOURCE_EXHAUSTED (RESOURCE_EXHAUSTED): Too many requests. Retry in 30 seconds.');
		expect(error?.description).toContain('run again later');
		expect(server.received).toHaveLength(4);
	}, 20_000);

	it('401: an authentication error, not retried, with no token in it', async () => {
		const credential = await start({ accessToken: 'another-token' });
		const { error } = await executeNode(NODE, run(GOOGLE, credential));
		expect(error?.message).toBe('Google Ads error authenticationError OAUTH_TOKEN_INVALID (UNAUTHENTICATED): Request had invalid authentication credentials.');
		expect(error?.description).toContain('Sign in again');
		expect(server.received).toHaveLength(1);
		server.faults.next(1, { kind: 'echo', status: 400 });
		const echoed = await executeNode(NODE, run(GOOGLE, credential));
		expect(echoed.error?.message).toContain('Bearer ***');
		expect(`${echoed.error?.message} ${echoed.error?.description}`).not.toContain(ACCESS);
	});

	it('a customer id that is not 10 digits is a setting error; nothing is sent', async () => {
		const credential = await start();
		const { error } = await executeNode(NODE, run({ ...GOOGLE, customerId: '123-456' }, credential));
		expect(error?.message).toBe('Customer ID "123-456" is not a Google Ads customer id');
		expect(server.received).toHaveLength(0);
	});

	it('a 100 kB campaign name is an error item; HTML and % escapes pass as text', async () => {
		const credential = await start({
			rows: [
				{ date: '2026-11-01', campaignId: '21', campaignName: '<b>Sale</b> 100%', costMicros: '10000', clicks: 1, impressions: 1 },
				{ date: '2026-11-01', campaignId: '22', campaignName: '%'.repeat(100_000), costMicros: '10000', clicks: 1, impressions: 1 },
			],
		});
		const { items, error } = await executeNode(NODE, run(GOOGLE, credential, true));
		expect(error).toBeUndefined();
		expect(rowsOf(items).map((row) => [row.campaign, row.utmCampaign, row.cost])).toEqual([['<b>Sale</b> 100%', '<b>sale</b> 100%', 0.01]]);
		expect(errorsOf(items).map((row) => row.error)).toEqual(['Google Ads row 2: the campaign name is 100000 characters long, over the 1000-character cap']);
	});
});

describe('Ad Spend node: Table', () => {
	const TABLE = { platform: 'table' };
	const item = (json: Record<string, unknown>) => ({ json: json as never });

	it('rows checked and normalised like the platforms; a bad row is an error item with its index, the good rows go on', async () => {
		const input = [
			item({ date: '2026-11-01', source: 'vk', medium: 'cpc', campaign: 'Autumn%20Sale', cost: '1 234,56', currency: 'руб', clicks: '12', impressions: 3400 }),
			item({ date: '31.11.2026', source: 'vk', medium: 'cpc', campaign: 'Autumn', cost: 10, currency: 'RUB' }),
			item({ date: '02.11.2026', source: 'vk', medium: 'cpc', cost: 99.999, currency: 'RUB' }),
			item({ date: '2026-11-01', source: 'vk', medium: 'cpc', campaign: 'Winter', cost: -5, currency: 'XX1', clicks: 1.5 }),
			item({ date: '2026-11-01T00:00:00+03:00', source: 'vk', medium: 'cpc', campaign: 'Autumn%20Sale', cost: 1, currency: 'RUB' }),
		];
		const { items, error } = await executeNode(NODE, run(TABLE, {}, true, input));
		expect(error).toBeUndefined();
		expect(rowsOf(items)).toEqual([
			{ date: '2026-11-01', platform: 'table', source: 'vk', medium: 'cpc', campaign: 'Autumn%20Sale', utmCampaign: 'autumn sale', campaignId: null, cost: 1234.56, currency: 'RUB', vat: 'unknown', clicks: 12, impressions: 3400, periodStart: '2026-11-01', periodEnd: '2026-11-01', spend: 1234.56 },
			// No campaign: spend of the whole channel; 99.999 to the cent, half up: 100.00.
			{ date: '2026-11-02', platform: 'table', source: 'vk', medium: 'cpc', campaign: null, utmCampaign: null, campaignId: null, cost: 100, currency: 'RUB', vat: 'unknown', clicks: null, impressions: null, periodStart: '2026-11-02', periodEnd: '2026-11-02', spend: 100 },
		]);
		expect(items.filter((i) => i.json.error === undefined).map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(errorsOf(items).map((row) => [row.itemIndex, row.error])).toEqual([
			[1, 'Item 1: date "31.11.2026" is not a date (YYYY-MM-DD or DD.MM.YYYY)'],
			[3, 'Item 3: cost -5 is negative or over 1000000000000; currency "XX1" is not a currency (use an ISO 4217 code such as RUB); clicks 1.5 is not a whole number'],
			[4, 'Item 4: 2026-11-01 Autumn%20Sale is given again (first at item 0); it is left out, not added twice'],
		]);
	});

	it('column names, default currency, source and VAT from the parameters; without Continue On Fail the first bad row stops the run', async () => {
		const input = [item({ Day: '2026-11-05', Campaign: 'Brand', Spend: 50.5, Vat: 'included' }), item({ Day: '2026-11-06', Campaign: 'Brand', Spend: 'abc' })];
		const parameters = { ...TABLE, columns: { date: 'Day', campaign: 'Campaign', cost: 'Spend', vat: 'Vat' }, defaultCurrency: 'USD', source: 'facebook', medium: 'paid_social', vat: 'excluded' };
		const lenient = await executeNode(NODE, run(parameters, {}, true, input));
		expect(rowsOf(lenient.items).map((row) => [row.date, row.source, row.medium, row.campaign, row.cost, row.currency, row.vat])).toEqual([['2026-11-05', 'facebook', 'paid_social', 'Brand', 50.5, 'USD', 'included']]);
		const strict = await executeNode(NODE, run(parameters, {}, false, input));
		expect(strict.error?.message).toBe('Item 1: Spend "abc" is not a number');
	});

	it('a row without source, medium or currency, with none set: reported, not guessed', async () => {
		const { items } = await executeNode(NODE, run(TABLE, {}, true, [item({ date: '2026-11-01', cost: 5 })]));
		expect(errorsOf(items).map((row) => row.error)).toEqual(['Item 0: source is missing and Source is not set; medium is missing and Medium is not set; currency is missing and Default Currency is not set']);
	});
});
