import { DateTime } from 'luxon';
import type { ICredentialDataDecryptedObject, INodeExecutionData } from 'n8n-workflow';
import { join } from 'path';
import { VkAdsApi } from '../../credentials/VkAdsApi.credentials';
import { spendByChannel } from '../../nodes/Attribution/adSpend';
import { parseSpendTable } from '../../nodes/Attribution/settings';
import type { Exchange } from '../../nodes/AdSpend/exchange';
import { parseVkStatistics, vkAdPlans } from '../../nodes/AdSpend/vkAdsReport';
import { executeNode, type NodeRun, type NodeUnderTest } from '../faults/fakeContext';
import { VkAdsServer, type VkAdPlan, type VkStatRow } from '../helpers/standins/vkAdsServer';

type NodeModule = typeof import('../../nodes/AdSpend/AdSpend.node');
const { AdSpend } = require(join(__dirname, '..', '..', 'nodes', 'AdSpend', 'AdSpend.node.ts')) as NodeModule;

const NODE: NodeUnderTest = {
	type: new AdSpend(),
	node: { id: 'ad-spend', name: 'Ad Spend', type: 'n8n-nodes-sales-analytics.adSpend', typeVersion: 1, position: [0, 0], parameters: {} },
	credentials: [new VkAdsApi()],
};

const TOKEN = 'vkAdsSecretToken-7f3a91';

/** VK keeps day statistics for 365 days: the days are the last two, on the fake context's clock (Europe/Moscow). */
const YESTERDAY = DateTime.now().setZone('Europe/Moscow').startOf('day').minus({ days: 1 });
const D1 = YESTERDAY.minus({ days: 1 }).toISODate() as string;
const D2 = YESTERDAY.toISODate() as string;
const LAST_TWO_DAYS = { dateRange: 'lastDays', lastDays: 2 };

/** 52 plans that spent nothing, so the list takes two pages of 50; plan 103 is deleted but spent. */
const FILLERS: VkAdPlan[] = Array.from({ length: 52 }, (_, i) => ({ id: i + 1, name: `Filler ${i + 1}` }));
const PLANS: VkAdPlan[] = [{ id: 101, name: 'Brand VK' }, { id: 102, name: 'Ретаргет  Корзина' }, { id: 103, name: 'Old', status: 'deleted' }, ...FILLERS];

/*
 * Two days × two ad plans, and a deleted plan. By hand, half up to the cent from the decimal text:
 * "1500.50" -> 1500.50; "123.456" -> 123.46 (third decimal 6); "99.994" -> 99.99 (4 rounds down);
 * "0.005" -> 0.01 (exactly half: up); "7" -> 7.00. Sum 1500.50 + 123.46 + 99.99 + 0.01 + 7.00 = 1730.96 RUB.
 * VK's documentation shows spent with two decimals and does not say whether more can come or how it rounds: these
 * are the node's rounding (as for Direct's and Google's micros), not VK's.
 */
const STATS: VkStatRow[] = [
	{ planId: 101, date: D1, shows: 1000, clicks: 50, spent: '1500.50' },
	{ planId: 101, date: D2, shows: 1200, clicks: 60, spent: '123.456' },
	{ planId: 102, date: D1, shows: 800, clicks: 10, spent: '99.994' },
	{ planId: 102, date: D2, shows: 0, clicks: 0, spent: '0.005' },
	{ planId: 103, date: D2, shows: 10, clicks: 1, spent: '7' },
];

function run(parameters: Record<string, unknown>, credential: ICredentialDataDecryptedObject, continueOnFail = false, input?: INodeExecutionData[]): NodeRun {
	return { parameters: { platform: 'vkAds', ...LAST_TWO_DAYS, ...parameters }, credential, staticData: {}, continueOnFail, input };
}

const rowsOf = (items: INodeExecutionData[]) => items.filter((item) => item.json.error === undefined).map((item) => item.json);
const errorsOf = (items: INodeExecutionData[]) => items.filter((item) => item.json.error !== undefined).map((item) => item.json);
const paths = (server: VkAdsServer) => server.received.map((request) => `${request.path}${request.query.offset !== undefined ? `@${request.query.offset}` : ''}`);

describe('Ad Spend node: VK Ads', () => {
	let server: VkAdsServer;
	const start = async (options: Partial<ConstructorParameters<typeof VkAdsServer>[0]> = {}) => {
		server = await new VkAdsServer({ token: TOKEN, plans: PLANS, stats: STATS, ...options }).start();
		return { token: TOKEN, apiUrl: server.url };
	};
	afterEach(async () => await server?.close());

	it('reads two days of two ad plans and a deleted one, to the cent, as the Ad Spend rows of Attribution', async () => {
		const credential = await start();
		const { items, error } = await executeNode(NODE, run({}, credential));
		expect(error).toBeUndefined();
		const row = (date: string, campaign: string, utmCampaign: string, campaignId: string, cost: number, clicks: number, impressions: number) => ({
			date, platform: 'vkAds', source: 'vk', medium: 'cpc', campaign, utmCampaign, campaignId, cost, currency: 'RUB', vat: 'unknown', clicks, impressions, periodStart: date, periodEnd: date, spend: cost,
		});
		expect(rowsOf(items)).toEqual([
			row(D1, 'Brand VK', 'brand vk', '101', 1500.5, 50, 1000),
			row(D2, 'Brand VK', 'brand vk', '101', 123.46, 60, 1200),
			row(D1, 'Ретаргет  Корзина', 'ретаргет корзина', '102', 99.99, 10, 800),
			row(D2, 'Ретаргет  Корзина', 'ретаргет корзина', '102', 0.01, 0, 0),
			row(D2, 'Old', 'old', '103', 7, 1, 10),
		]);
		expect(items.every((item) => JSON.stringify(item.pairedItem) === JSON.stringify({ item: 0 }))).toBe(true);
		// Given to Attribution as its Ad Spend table: vk / cpc spent 1730.96 RUB over the two days.
		const spend = spendByChannel(parseSpendTable(JSON.stringify(rowsOf(items))), null, (currency) => currency);
		expect(Math.round((spend.get('RUB')?.get('vk / cpc') ?? NaN) * 100)).toBe(173096);
		// What VK was asked: the currency, the plans in two pages of 50 (deleted ones too), then one statistics request.
		expect(paths(server)).toEqual(['/api/v3/user.json', '/api/v2/ad_plans.json@0', '/api/v2/ad_plans.json@50', '/api/v2/statistics/ad_plans/day.json']);
		expect(server.received[1].query).toEqual({ fields: 'id,name', limit: '50', offset: '0', sorting: 'id', _status__in: 'active,blocked,deleted' });
		expect(server.received.every((request) => request.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
		const [query] = server.statisticsQueries;
		expect({ ...query, id: query.id.split(',').length }).toEqual({ id: 55, date_from: D1, date_to: D2, metrics: 'base' });
	});

	it('Source and Medium set by hand; more than 200 plans are asked for in two statistics requests, every row once', async () => {
		const plans: VkAdPlan[] = Array.from({ length: 230 }, (_, i) => ({ id: 1000 + i, name: `Plan ${i}` }));
		const credential = await start({ plans, stats: [{ planId: 1000, date: D1, shows: 5, clicks: 1, spent: '10.10' }, { planId: 1229, date: D2, shows: 6, clicks: 2, spent: '20.20' }] });
		const { items, error } = await executeNode(NODE, run({ source: 'vk.com', medium: 'paid' }, credential));
		expect(error).toBeUndefined();
		expect(rowsOf(items).map((row) => [row.date, row.campaignId, row.cost, row.source, row.medium])).toEqual([
			[D1, '1000', 10.1, 'vk.com', 'paid'],
			[D2, '1229', 20.2, 'vk.com', 'paid'],
		]);
		// 230 plans: 5 pages of 50, then 200 + 30 ids.
		expect(server.statisticsQueries.map((query) => query.id.split(',').length)).toEqual([200, 30]);
		expect(paths(server).filter((path) => path.startsWith('/api/v2/ad_plans.json'))).toHaveLength(5);
	});

	it("429 of VK's per-second limit is asked again: the rows come once", async () => {
		const credential = await start();
		server.rateLimitNext('RPS', 1);
		const { items, error } = await executeNode(NODE, run({}, credential));
		expect(error).toBeUndefined();
		expect(rowsOf(items)).toHaveLength(5);
		expect(server.received.map((request) => request.outcome)).toEqual([429, 200, 200, 200, 200]);
	});

	it('429 with the hour\'s requests used up is not asked again within the run: it says to run in the next hour', async () => {
		const credential = await start();
		server.rateLimitNext('Hourly', 1, 2);
		const { items, error } = await executeNode(NODE, run({}, credential));
		expect(items).toEqual([]);
		expect(error?.message).toBe('VK Ads error too_many_requests: Hourly limit exceeded');
		expect(error?.description).toContain('requests for this hour are used up');
		expect(server.received).toHaveLength(3);
	});

	it('401: a token error, not retried, the token not in it', async () => {
		const credential = await start();
		const { error } = await executeNode(NODE, run({}, { ...credential, token: 'wrong-token' }));
		expect(error?.message).toBe('VK Ads error invalid_token: Invalid access token');
		expect(error?.description).toContain('get a new one');
		expect(server.received).toHaveLength(1);
		expect(`${error?.message} ${error?.description}`).not.toContain('wrong-token');
	});

	it("a statistics error body is VK's code and words; nothing is output, also with Continue On Fail", async () => {
		const credential = await start();
		server.faults.next(3, 'pass').next(1, { kind: 'status', status: 400, body: { error: { code: 'ERR_LIMIT_EXCEEDED', message: 'Too many objects or days' } } });
		const { items, error } = await executeNode(NODE, run({}, credential, true, [{ json: {} }, { json: {} }]));
		expect(error).toBeUndefined();
		expect(items).toEqual([{ json: { error: 'VK Ads error ERR_LIMIT_EXCEEDED: Too many objects or days', description: expect.stringContaining('shorter range') }, pairedItem: [{ item: 0 }, { item: 1 }] }]);
	});

	it('500 that persists on the second page: the run fails after 4 attempts, no rows from the first page', async () => {
		const credential = await start();
		server.faults.next(2, 'pass').next(10, 500);
		const { items, error } = await executeNode(NODE, run({}, credential));
		expect(items).toEqual([]);
		expect(error?.message).toMatch(/^VK Ads error HTTP 500: HTTP 500/);
		expect(error?.description).toContain('run again later');
		expect(paths(server)).toEqual(['/api/v3/user.json', '/api/v2/ad_plans.json@0', ...Array(4).fill('/api/v2/ad_plans.json@50')]);
	}, 20_000);

	it('an error page that repeats the token does not bring it into the error', async () => {
		const credential = await start();
		server.faults.next(1, { kind: 'echo', status: 400 });
		const { error } = await executeNode(NODE, run({}, credential));
		expect(server.received[0].answer).toContain(TOKEN);
		expect(error?.message).toContain('VK Ads error HTTP 400');
		expect(`${error?.message} ${error?.description}`).not.toContain(TOKEN);
	});

	it('a range starting more than 365 days back is refused before anything is sent', async () => {
		const credential = await start();
		const { error } = await executeNode(NODE, run({ dateRange: 'custom', startDate: '2020-01-01', endDate: '2020-01-31' }, credential));
		expect(error?.message).toContain('VK Ads gives day statistics for the last 365 days only: 2020-01-01 is before');
		expect(server.received).toEqual([]);
	});

	it('a 100 kB plan name is an error item, the other rows go on; without Continue On Fail it stops the run', async () => {
		const credential = await start({ plans: [{ id: 101, name: 'Brand VK' }, { id: 102, name: 'A'.repeat(100_000) }] });
		const { items, error } = await executeNode(NODE, run({}, credential, true));
		expect(error).toBeUndefined();
		expect(rowsOf(items).map((row) => [row.date, row.campaignId, row.cost])).toEqual([
			[D1, '101', 1500.5],
			[D2, '101', 123.46],
		]);
		expect(errorsOf(items).map((item) => item.error)).toEqual([
			`VK Ads ad plan 102 ${D1}: the campaign name is 100000 characters long, over the 1000-character cap`,
			`VK Ads ad plan 102 ${D2}: the campaign name is 100000 characters long, over the 1000-character cap`,
		]);
		const strict = await executeNode(NODE, run({}, credential));
		expect(strict.error?.message).toContain('VK Ads ad plan 102');
	});
});

describe('VK Ads answers', () => {
	const RANGE = { start: '2026-11-01', end: '2026-11-02' };
	const NAMES = new Map([
		['1', 'One'],
		['2', 'Two'],
		['3', 'Three'],
	]);

	it('rows that cannot be read, days outside the range, plans not asked for or not answered are reported; the good rows go on', () => {
		const body = {
			items: [
				{
					id: 1,
					rows: [
						{ date: '2026-11-01', base: { shows: 10, clicks: 1, spent: '1.5' } },
						{ date: '2026-11-02', base: { shows: 10, clicks: 1, spent: 'abc' } },
						{ date: '2026-10-31', base: { shows: 10, clicks: 1, spent: '1' } },
						{ date: '2026-11-02', base: { shows: 0, clicks: 0, spent: '0' } },
					],
				},
				{ id: '2', rows: [{ date: '2026-11-02', base: { shows: '7', clicks: -1, spent: '-3' } }] },
				{ id: 9, rows: [{ date: '2026-11-01', base: { shows: 1, clicks: 1, spent: '1' } }] },
			],
		};
		const { rows, problems } = parseVkStatistics(body, ['1', '2', '3'], NAMES, RANGE);
		expect(rows).toEqual([{ date: '2026-11-01', campaign: 'One', campaignId: '1', cents: 150, clicks: 1, impressions: 10 }]);
		expect(problems.map((problem) => problem.message)).toEqual([
			'VK Ads ad plan 1 2026-11-02: base.spent "abc" is not a number',
			'VK Ads ad plan 1 2026-10-31: date 2026-10-31 is outside 2026-11-01…2026-11-02',
			'VK Ads ad plan 2 2026-11-02: base.spent "-3" is negative or over 1000000000000; base.clicks is not a count',
			'VK Ads statistics: ad plan 9 was not asked for',
			'VK Ads statistics: ad plan 3 (Three) was not answered for',
		]);
	});

	it('an answer without items is refused whole', () => {
		expect(() => parseVkStatistics({ error: 'cut' }, ['1'], NAMES, RANGE)).toThrow('VK Ads: the statistics answer has no items');
	});

	/** Pages as a list endpoint would answer them, through a fake exchange (plumbing for the checks of vkAdPlans). */
	function pages(...answers: Array<{ count: number; ids: number[] }>): Exchange {
		let call = 0;
		return {
			send: async () => {
				const answer = answers[Math.min(call++, answers.length - 1)];
				return { status: 200, headers: {}, body: { count: answer.count, offset: 0, limit: 50, items: answer.ids.map((id) => ({ id, name: `P${id}` })) } };
			},
			sleep: async () => {},
			now: () => 0,
			retry: { maxAttempts: 1, maxTotalMs: 0 },
		};
	}
	const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
	const settings = { baseUrl: 'http://vk.invalid', range: RANGE };

	it('a list whose count changes while it is read, or that gives fewer plans than it promised, is refused whole', async () => {
		await expect(vkAdPlans(settings, pages({ count: 60, ids: ids(1, 50) }, { count: 61, ids: ids(51, 11) }))).rejects.toThrow('the number of ad plans changed while they were read (60, then 61)');
		await expect(vkAdPlans(settings, pages({ count: 60, ids: ids(1, 50) }, { count: 60, ids: [] }))).rejects.toThrow('the list of ad plans promised 60 but gave 50');
		// A page that repeats a plan (the list shifted): one plan fewer than promised.
		await expect(vkAdPlans(settings, pages({ count: 60, ids: ids(1, 50) }, { count: 60, ids: ids(50, 10) }))).rejects.toThrow('promised 60 but gave 59');
		expect([...(await vkAdPlans(settings, pages({ count: 60, ids: ids(1, 50) }, { count: 60, ids: ids(51, 10) }))).keys()]).toEqual(ids(1, 60).map(String));
	});
});
