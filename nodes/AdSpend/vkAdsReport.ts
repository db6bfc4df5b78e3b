import type { HttpResult } from '../RevenuePush/transport/deliver';
import type { PushRequest } from '../RevenuePush/transport/request';
import { normaliseCurrency } from '../shared/money';
import { isRetryableStatus } from '../shared/retry';
import type { ItemProblem } from '../shared/validation';
import type { DayRange } from './dateRange';
import { ask, headerOf, noAnswer, ServiceError, type Exchange } from './exchange';
import { campaignNameProblem, isoDate, readCost, readCount, type RawSpend } from './spendRows';

/**
 * VK Ads ("VK Реклама", ads.vk.com), API v2, read from its documentation (https://ads.vk.com/doc/api, a script page;
 * read through the Markdown copy of it in github.com/metapeka/vk-ads-api-docs, docs/api/info and docs/api/resource):
 * - Overview (https://ads.vk.com/doc/api/info/Overview): OAuth2 bearer token; a list answers
 *   `{ count, offset, limit, items }` and pages by `limit` (at most 50) and `offset`; filters `_<field>__in`, `sorting`;
 *   Decimal is JSON text ("1.23"); errors carry the HTTP status (400, 401, 403, 404, 429 rate limit, 500) and a JSON
 *   body; the limits per second, hour and day come in `X-RateLimit-{RPS,Hourly,Daily}-{Limit,Remaining}` headers on
 *   every answer.
 * - AdPlans (https://ads.vk.com/doc/api/resource/AdPlans): `GET /api/v2/ad_plans.json`, the campaigns ("ad plans";
 *   VK Ads' ad groups are what myTarget called campaigns), with `fields`, `limit`, `offset`, `_status__in` (active,
 *   blocked, deleted) and `sorting=id`.
 * - User (https://ads.vk.com/doc/api/resource/User): `GET /api/v3/user.json` gives the account's `currency`.
 * - Statistics (https://ads.vk.com/doc/api/info/Statistics): `GET /api/v2/statistics/{objects}/day.json?id=&date_from=
 *   &date_to=&metrics=base` -> `items[].rows[]` with `date` and `base.{shows, clicks, spent}`, `spent` a Decimal in the
 *   account's currency; at most 200 objects per request; day statistics for the last 365 days only; errors
 *   `{ error: { code, message } }` (ERR_WRONG_PARAMETER, ERR_LIMIT_EXCEEDED, ERR_WRONG_DATE, ERR_ACCESS_DENIED,
 *   ERR_INTERNAL, ...). The page names `banners | campaigns | users` as the objects; `ad_plans` (the campaigns of the
 *   ads.vk.com cabinet) is what VK Ads clients ask for, the documentation does not list it.
 * What the documentation does not say: whether `spent` includes VAT (so each row says vat "unknown"), how many
 * decimals `spent` may have (its examples have two; more are taken to the cent, half up, as micros are), and the body
 * of a 401.
 */
export const VK_ADS_URL = 'https://ads.vk.com';

/** A list page: the documented maximum of `limit`. */
export const VK_PAGE_SIZE = 50;

/** Objects per statistics request. */
export const VK_STATISTICS_IDS = 200;

/** Day statistics are given for the last 365 days only. */
export const VK_DAYS_BACK = 365;

/** More ad plans than this (400 pages) is no account the node reads in one run. */
const MAX_AD_PLANS = 20_000;

/** Longer ids are no VK ids. */
const MAX_ID = 20;

export interface VkAdsSettings {
	baseUrl: string;
	range: DayRange;
}

function vkGet(key: string, settings: VkAdsSettings, path: string, query: Record<string, string> = {}): PushRequest {
	const search = new URLSearchParams(query).toString();
	return { key, method: 'GET', url: `${settings.baseUrl}${path}${search ? `?${search}` : ''}`, headers: { Accept: 'application/json' }, body: '', orderIds: [], versionKeys: [] };
}

/** Which of VK's limits a 429 says is used up for longer than a retry within the run can wait: the hour's or the day's. */
function spentLimit(result: HttpResult | null): 'hour' | 'day' | null {
	if (headerOf(result, 'x-ratelimit-daily-remaining') === '0') return 'day';
	if (headerOf(result, 'x-ratelimit-hourly-remaining') === '0') return 'hour';
	return null;
}

/** 429 (its per-second limit), 5xx, timeouts and broken connections are retried; a 429 for the hour or the day is not. */
function vkRetryable(result: HttpResult): boolean {
	return isRetryableStatus(result.status) && !(result.status === 429 && spentLimit(result) !== null);
}

/** What to do about a VK Ads error: by its code (Statistics' list) or, without one, its HTTP status (Overview's list). */
function advice(code: string, result: HttpResult): string {
	const status = result.status;
	const limit = spentLimit(result);
	if (status === 429) return limit ? `VK Ads' requests for this ${limit} are used up: run again in the next ${limit}.` : "VK Ads' rate limit: run again in a minute.";
	if (status === 401) return 'The access token is missing, wrong or expired: get a new one in VK Ads (Settings → API access) and save it in the VK Ads credential.';
	if (code === 'ERR_ACCESS_DENIED' || status === 403) return 'The token has no access to the statistics of this account: check that it was issued for this cabinet (an agency: the client\'s token).';
	if (code === 'ERR_LIMIT_EXCEEDED') return 'Too many days or objects in one request: ask for a shorter range.';
	if (code === 'ERR_WRONG_DATE') return `Check Start Date and End Date: VK Ads gives day statistics for the last ${VK_DAYS_BACK} days.`;
	if (code === 'ERR_INTERNAL' || status >= 500) return "VK Ads' server failed: run again later.";
	return 'See the error list at https://ads.vk.com/doc/api/info/Statistics.';
}

/** A VK Ads answer that is not what was asked for, as the node's error: `{ error: { code, message } }` when it has one. */
function vkFailure(result: HttpResult | null, failure: string): ServiceError {
	if (result === null) return noAnswer('VK Ads', failure);
	const body = result.body;
	const error = (typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined) as { code?: unknown; message?: unknown } | undefined;
	const code = typeof error?.code === 'string' ? error.code.slice(0, 100) : '';
	const words = typeof error?.message === 'string' ? error.message.slice(0, 500) : '';
	const name = code || `HTTP ${result.status}`;
	return new ServiceError(`VK Ads error ${name}: ${words || failure}`, advice(code, result), result.status);
}

/** One GET, retried as vkRetryable says; its JSON body. When VK says no request is left this second, the next waits a second. */
async function vkJson(request: PushRequest, exchange: Exchange): Promise<unknown> {
	const answer = await ask(request, exchange, { retryable: vkRetryable });
	if ('failure' in answer) throw vkFailure(answer.last, answer.failure);
	if (headerOf(answer.result, 'x-ratelimit-rps-remaining') === '0') await exchange.sleep(1000);
	const body = answer.result.body;
	if (typeof body !== 'object' || body === null) throw new ServiceError(`VK Ads: the answer to ${request.url.split('?')[0]} is not JSON (cut short, or not from VK Ads)`, 'Nothing was output: run again; if it persists, check the API URL of the credential.', answer.result.status);
	return body;
}

/** An object id as VK gives it (a JSON integer, or its digits as text), or null. */
function vkId(value: unknown): string | null {
	if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : null;
	return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID && /^\d+$/.test(value) ? value : null;
}

/** The account's currency (`GET /api/v3/user.json`): statistics give amounts without one. */
async function vkCurrency(settings: VkAdsSettings, exchange: Exchange): Promise<string> {
	const body = (await vkJson(vkGet('vk:user', settings, '/api/v3/user.json'), exchange)) as { currency?: unknown };
	const code = typeof body.currency === 'string' ? normaliseCurrency(body.currency.slice(0, 20)) : null;
	if (code === null) throw new ServiceError(`VK Ads: the account's currency ${JSON.stringify(body.currency ?? null).slice(0, 40)} is not a currency the pack knows`, 'Nothing was output: check the API URL of the credential.');
	return code;
}

/**
 * Every ad plan of the account, deleted ones too (they may have spent in the days asked for), id -> name, page by page
 * in id order (a plan added while the list is read comes last, so no page shifts). A list whose `count` changes on the
 * way, or that ends with fewer plans than it promised, is refused whole: a plan left out would be spend lost.
 */
export async function vkAdPlans(settings: VkAdsSettings, exchange: Exchange): Promise<Map<string, string>> {
	const names = new Map<string, string>();
	let count: number | null = null;
	for (let offset = 0; ; offset += VK_PAGE_SIZE) {
		const query = { fields: 'id,name', limit: String(VK_PAGE_SIZE), offset: String(offset), sorting: 'id', _status__in: 'active,blocked,deleted' };
		const page = (await vkJson(vkGet(`vk:ad_plans:${offset}`, settings, '/api/v2/ad_plans.json', query), exchange)) as { count?: unknown; items?: unknown };
		const pageCount = readCount(page.count);
		if (pageCount === null || !Array.isArray(page.items)) throw new ServiceError('VK Ads: the list of ad plans has no count or items', 'Nothing was output: run again; if it persists, check the API URL of the credential.');
		if (count !== null && pageCount !== count) throw new ServiceError(`VK Ads: the number of ad plans changed while they were read (${count}, then ${pageCount})`, 'Nothing was output: run again.');
		if (pageCount > MAX_AD_PLANS) throw new ServiceError(`VK Ads: the account has ${pageCount} ad plans, more than the ${MAX_AD_PLANS} one run reads`, 'Split the account, or export its costs as a table.');
		count = pageCount;
		for (const item of page.items as Array<{ id?: unknown; name?: unknown }>) {
			const id = vkId(item?.id);
			if (id === null) throw new ServiceError(`VK Ads: an ad plan's id ${JSON.stringify(item?.id ?? null).slice(0, 40)} is not an id`, 'Nothing was output: run again; if it persists, check the API URL of the credential.');
			names.set(id, typeof item.name === 'string' ? item.name : '');
		}
		if (page.items.length === 0 || offset + VK_PAGE_SIZE >= count) break;
	}
	if (names.size !== count) throw new ServiceError(`VK Ads: the list of ad plans promised ${count} but gave ${names.size}`, 'Nothing was output: run again.');
	return names;
}

interface StatisticsRow {
	date?: unknown;
	base?: { shows?: unknown; clicks?: unknown; spent?: unknown };
}

/**
 * The rows of one statistics answer for the ad plans `asked`: a row per plan and day with something shown, clicked or
 * spent (days of nothing are left out, as Direct and Google Ads leave them out). An answer without `items` is refused
 * whole; a row that cannot be read, a day outside the range, a plan not asked for or not answered for are problems of
 * their own (`itemIndex` 0, the run's input item), reported, never guessed.
 */
export function parseVkStatistics(body: unknown, asked: readonly string[], names: ReadonlyMap<string, string>, range: DayRange): { rows: RawSpend[]; problems: ItemProblem[] } {
	const items = (body as { items?: unknown }).items;
	if (!Array.isArray(items)) throw new ServiceError('VK Ads: the statistics answer has no items (cut short, or not statistics)', 'Nothing was output: run again.');
	const rows: RawSpend[] = [];
	const problems: ItemProblem[] = [];
	const problem = (message: string, description = 'The row is left out; the other rows are output.') => problems.push({ itemIndex: 0, message: `VK Ads ${message}`, description });
	const answered = new Set<string>();
	for (const item of items as Array<{ id?: unknown; rows?: unknown }>) {
		const id = vkId(item?.id);
		if (id === null || !asked.includes(id) || answered.has(id)) {
			problem(`statistics: ad plan ${JSON.stringify(item?.id ?? null).slice(0, 40)} ${id !== null && answered.has(id) ? 'is answered twice' : 'was not asked for'}`, 'Its rows are left out: run again; if it persists, tell VK Ads support.');
			continue;
		}
		answered.add(id);
		const name = names.get(id) ?? '';
		for (const row of Array.isArray(item.rows) ? (item.rows as StatisticsRow[]) : []) {
			const dateText = typeof row?.date === 'string' ? row.date.slice(0, 40) : '';
			const date = isoDate(dateText);
			const cost = readCost(row?.base?.spent);
			const clicks = readCount(row?.base?.clicks);
			const impressions = readCount(row?.base?.shows);
			const wrong = [
				date === null ? `date ${JSON.stringify(row?.date ?? null).slice(0, 40)} is not a date` : date < range.start || date > range.end ? `date ${date} is outside ${range.start}…${range.end}` : null,
				'reason' in cost ? `base.spent ${cost.reason}` : null,
				clicks === null ? 'base.clicks is not a count' : null,
				impressions === null ? 'base.shows is not a count' : null,
				campaignNameProblem(name),
			].filter((text): text is string => text !== null);
			if (wrong.length > 0) {
				problem(`ad plan ${id} ${dateText}: ${wrong.join('; ')}`);
				continue;
			}
			const cents = (cost as { value: number }).value;
			if (cents === 0 && clicks === 0 && impressions === 0) continue;
			rows.push({ date: date as string, campaign: name || null, campaignId: id, cents, clicks, impressions });
		}
	}
	for (const id of asked.filter((entry) => !answered.has(entry))) {
		problem(`statistics: ad plan ${id} (${(names.get(id) ?? '').slice(0, 100)}) was not answered for`, 'Its spend is not in the output: run again; if it persists, tell VK Ads support.');
	}
	return { rows, problems };
}

/**
 * The account's spend per ad plan and day: the currency, every ad plan, then the statistics of 200 plans per request.
 * Any request that fails (after the retries) fails the whole read: no rows are given from part of the plans.
 */
export async function vkAdsReport(settings: VkAdsSettings, exchange: Exchange): Promise<{ rows: RawSpend[]; problems: ItemProblem[]; currency: string }> {
	const currency = await vkCurrency(settings, exchange);
	const names = await vkAdPlans(settings, exchange);
	const ids = [...names.keys()];
	const bodies: Array<{ body: unknown; asked: string[] }> = [];
	for (let start = 0; start < ids.length; start += VK_STATISTICS_IDS) {
		const asked = ids.slice(start, start + VK_STATISTICS_IDS);
		const query = { id: asked.join(','), date_from: settings.range.start, date_to: settings.range.end, metrics: 'base' };
		bodies.push({ body: await vkJson(vkGet(`vk:statistics:${start}`, settings, '/api/v2/statistics/ad_plans/day.json', query), exchange), asked });
	}
	const report = { rows: [] as RawSpend[], problems: [] as ItemProblem[], currency };
	for (const { body, asked } of bodies) {
		const part = parseVkStatistics(body, asked, names, settings.range);
		report.rows.push(...part.rows);
		report.problems.push(...part.problems);
	}
	return report;
}
