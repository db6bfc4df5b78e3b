import { StandinServer, type Received, type Reply, type StandinOptions } from './standinServer';

/**
 * VK Ads (ads.vk.com) API as the Ad Spend node reads it, from VK's documentation (https://ads.vk.com/doc/api, read
 * through its Markdown copy in github.com/metapeka/vk-ads-api-docs):
 * - Overview: `Authorization: Bearer`; lists `{ count, offset, limit, items }`, `limit` at most 50 (default 20),
 *   `offset`; 429 for a rate limit; `X-RateLimit-{RPS,Hourly,Daily}-{Limit,Remaining}` headers on every answer;
 * - AdPlans: `GET /api/v2/ad_plans.json` with `fields`, `_status__in`, `sorting=id`;
 * - User: `GET /api/v3/user.json` with the account's `currency`;
 * - Statistics: `GET /api/v2/statistics/{objects}/day.json?id=&date_from=&date_to=&metrics=base` ->
 *   `{ items: [{ id, rows: [{ date, base: { shows, clicks, goals, spent, cpm, cpc, cpa, ctr, cr } }], total }], total }`,
 *   `spent` as Decimal text; at most 200 ids; errors `{ error: { code, message } }` with ERR_WRONG_PARAMETER,
 *   ERR_LIMIT_EXCEEDED, ERR_WRONG_DATE (400).
 * Not documented, so chosen here: a row for every day asked for, zeros included; the body of a 401
 * (`{ error: { code: 'invalid_token', message } }`); the limits' values.
 */
export interface VkAdPlan {
	id: number;
	name: string;
	status?: 'active' | 'blocked' | 'deleted';
}

/** What one ad plan did on one day; spent as VK writes it (Decimal text). */
export interface VkStatRow {
	planId: number;
	date: string;
	shows: number;
	clicks: number;
	spent: string;
}

export interface VkAdsStandinOptions extends StandinOptions {
	token: string;
	currency?: string;
	plans: VkAdPlan[];
	stats: VkStatRow[];
}

export type VkLimit = 'RPS' | 'Hourly' | 'Daily';

const REMAINING: Record<VkLimit, number> = { RPS: 10, Hourly: 2000, Daily: 20000 };

export class VkAdsServer extends StandinServer {
	/** The query of each statistics request, as it arrived. */
	readonly statisticsQueries: Array<Record<string, string>> = [];
	private readonly limited: Array<VkLimit | null> = [];

	constructor(private readonly options: VkAdsStandinOptions) {
		super(options);
	}

	/** After `after` requests answered as usual, the next `times` are answered 429 with that limit's Remaining header at 0. */
	rateLimitNext(limit: VkLimit, times = 1, after = 0): this {
		for (let i = 0; i < after; i++) this.limited.push(null);
		for (let i = 0; i < times; i++) this.limited.push(limit);
		return this;
	}

	protected handle(request: Received, reply: Reply): void {
		const limit = this.limited.shift() ?? undefined;
		const headers = Object.fromEntries(
			(Object.keys(REMAINING) as VkLimit[]).flatMap((name) => [
				[`X-RateLimit-${name}-Limit`, String(REMAINING[name])],
				[`X-RateLimit-${name}-Remaining`, String(limit === name ? 0 : REMAINING[name] - 1)],
			]),
		);
		const fail = (status: number, code: string, message: string) => reply.json(status, { error: { code, message } }, headers);
		if (limit) return fail(429, 'too_many_requests', `${limit} limit exceeded`);
		if (request.headers.authorization !== `Bearer ${this.options.token}`) return fail(401, 'invalid_token', 'Invalid access token');
		if (request.method !== 'GET') return fail(405, 'method_not_allowed', `${request.method} is not allowed`);
		if (request.path === '/api/v3/user.json') return reply.json(200, { id: 55555, username: 'advertiser@example.com', currency: this.options.currency ?? 'RUB' }, headers);
		if (request.path === '/api/v2/ad_plans.json') return this.adPlans(request, reply, headers, fail);
		if (request.path === '/api/v2/statistics/ad_plans/day.json') return this.statistics(request, reply, headers, fail);
		fail(404, 'ERR_WRONG_RESOURCE', `${request.path} does not exist`);
	}

	private adPlans(request: Received, reply: Reply, headers: Record<string, string>, fail: (status: number, code: string, message: string) => void): void {
		const limit = Number(request.query.limit ?? '20');
		const offset = Number(request.query.offset ?? '0');
		if (!Number.isInteger(limit) || limit < 1 || limit > 50) return fail(400, 'bad_value', 'limit must be from 1 to 50');
		if (!Number.isInteger(offset) || offset < 0) return fail(400, 'bad_value', 'offset must be a whole number');
		// Without _status__in the list has no deleted plans (assumed: the documentation does not say what is left out).
		const statuses = (request.query._status__in ?? 'active,blocked').split(',');
		const plans = this.options.plans.filter((plan) => statuses.includes(plan.status ?? 'active'));
		if (request.query.sorting === 'id') plans.sort((a, b) => a.id - b.id);
		const fields = (request.query.fields ?? 'id,name').split(',');
		const items = plans.slice(offset, offset + limit).map((plan) => Object.fromEntries(fields.map((field) => [field, (plan as unknown as Record<string, unknown>)[field] ?? null])));
		reply.json(200, { count: plans.length, offset, limit, items }, headers);
	}

	private statistics(request: Received, reply: Reply, headers: Record<string, string>, fail: (status: number, code: string, message: string) => void): void {
		const { id, date_from: from, date_to: to, metrics } = request.query;
		this.statisticsQueries.push(request.query);
		if (!id || !from || !to) return fail(400, 'ERR_WRONG_PARAMETER', 'id, date_from and date_to are required');
		if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to) || from > to) return fail(400, 'ERR_WRONG_DATE', `Wrong dates ${from} - ${to}`);
		if ((metrics ?? 'base') !== 'base') return fail(400, 'ERR_WRONG_PARAMETER', `The stand-in gives metrics=base only, not ${metrics}`);
		const ids = id.split(',').map(Number);
		if (ids.length > 200) return fail(400, 'ERR_LIMIT_EXCEEDED', 'No more than 200 objects per request');
		const days: string[] = [];
		for (let day = Date.parse(`${from}T00:00:00Z`); day <= Date.parse(`${to}T00:00:00Z`); day += 86_400_000) days.push(new Date(day).toISOString().slice(0, 10));
		const items = ids.map((planId) => ({
			id: planId,
			rows: days.map((date) => {
				const stat = this.options.stats.find((entry) => entry.planId === planId && entry.date === date);
				return { date, base: base(stat?.shows ?? 0, stat?.clicks ?? 0, stat?.spent ?? '0') };
			}),
		}));
		reply.json(200, { items, total: { base: base(0, 0, '0') } }, headers);
	}
}

/** The base metrics as VK writes them (the derived ones as zeros: the node reads shows, clicks and spent). */
function base(shows: number, clicks: number, spent: string) {
	return { shows, clicks, goals: 0, spent, cpm: '0', cpc: '0', cpa: '0', ctr: 0, cr: 0 };
}
