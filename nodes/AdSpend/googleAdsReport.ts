import type { HttpResult } from '../RevenuePush/transport/deliver';
import { jsonRequest } from '../RevenuePush/transport/request';
import { normaliseCurrency } from '../shared/money';
import type { ItemProblem } from '../shared/validation';
import type { DayRange } from './dateRange';
import { ask, noAnswer, ServiceError, type Exchange } from './exchange';
import { campaignNameProblem, isoDate, microsToCents, readCount, type RawSpend } from './spendRows';

/**
 * Google Ads API over REST: GAQL through `POST /{version}/customers/{id}/googleAds:searchStream`
 * (https://developers.google.com/google-ads/api/docs/query/overview), the developer token in `developer-token`, a
 * manager account in `login-customer-id`. The answer is a JSON array of batches, each with its `results`; int64
 * values (ids, cost_micros, clicks, impressions) come as text and, proto3 JSON, fields of value 0 are left out.
 */
export const GOOGLE_ADS_URL = 'https://googleads.googleapis.com';

/** The API version the node asks: n8n 2.40's own Google Ads node uses v25. An option overrides it when Google retires it. */
export const GOOGLE_ADS_VERSION = 'v25';

export interface GoogleAdsSettings {
	baseUrl: string;
	version: string;
	/** 10 digits, dashes taken out. */
	customerId: string;
	/** The manager account's id when the customer is reached through one; '' otherwise. */
	loginCustomerId: string;
	developerToken: string;
	range: DayRange;
}

/** A customer id as the Ads UI writes it ("123-456-7890") as its 10 digits, or null. */
export function customerId(value: string): string | null {
	const digits = value.trim().split('-').join('');
	return digits.length === 10 && /^\d{10}$/.test(digits) ? digits : null;
}

export function gaqlQuery(range: DayRange): string {
	return [
		'SELECT customer.currency_code, campaign.id, campaign.name, segments.date, metrics.cost_micros, metrics.clicks, metrics.impressions',
		'FROM campaign',
		`WHERE segments.date BETWEEN '${range.start}' AND '${range.end}'`,
	].join(' ');
}

/** What to do about a Google Ads error code (errorCode's kind and value, https://developers.google.com/google-ads/api/docs/best-practices/common-errors). */
function advice(kind: string, value: string, status: number | undefined): string {
	if (kind === 'quotaError' || status === 429) return 'Google Ads limits requests per developer token and account (RESOURCE_EXHAUSTED): run again later, or ask for a shorter range.';
	if (kind === 'authenticationError' || status === 401) return 'Sign in again in the Google Ads OAuth2 credential; the Google account must have access to this customer.';
	if (kind === 'authorizationError' && value === 'DEVELOPER_TOKEN_NOT_APPROVED') return 'The developer token is approved for test accounts only: apply for Basic access in the API Center of the manager account.';
	if (kind === 'authorizationError' || status === 403) return 'The Google account or the developer token has no access to this customer: check Customer ID and, for a manager account, Login Customer ID.';
	return 'See https://developers.google.com/google-ads/api/docs/best-practices/common-errors.';
}

/**
 * A Google Ads error answer as the node's error: `{ error: { code, message, status, details: [{ errors: [{ errorCode:
 * { quotaError: 'RESOURCE_EXHAUSTED' }, message }], requestId }] } }`, also inside searchStream's array.
 */
export function googleAdsFailure(result: HttpResult | null, failure: string): ServiceError {
	if (result === null) return noAnswer('Google Ads', failure);
	const body = Array.isArray(result?.body) ? (result?.body as unknown[])[0] : result?.body;
	const error = (typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined) as
		| { code?: unknown; message?: unknown; status?: unknown; details?: Array<{ errors?: Array<{ errorCode?: Record<string, unknown>; message?: unknown }>; requestId?: unknown }> }
		| undefined;
	if (!error) return new ServiceError(`Google Ads: ${failure}`, 'Run again later; if it persists, check the credential and Customer ID.', result?.status);
	const details = Array.isArray(error.details) ? error.details : [];
	const first = details.flatMap((detail) => (Array.isArray(detail?.errors) ? detail.errors : []))[0];
	const [kind, value] = Object.entries(first?.errorCode ?? {})[0] ?? ['', ''];
	const requestId = details.map((detail) => detail?.requestId).find((id) => typeof id === 'string');
	const status = typeof error.status === 'string' ? error.status : '';
	const name = kind ? `${kind} ${String(value)}` : status || `HTTP ${result?.status ?? ''}`;
	const words = String((typeof first?.message === 'string' ? first.message : error.message) ?? '').slice(0, 500);
	return new ServiceError(`Google Ads error ${name}${status && kind ? ` (${status})` : ''}: ${words || 'no error text'}`, `${advice(kind, String(value), result?.status)}${requestId ? ` (request id ${String(requestId)})` : ''}`, result?.status);
}

export async function googleAdsReportBody(settings: GoogleAdsSettings, exchange: Exchange): Promise<unknown> {
	const request = jsonRequest('google:searchStream', 'POST', `${settings.baseUrl}/${settings.version}/customers/${settings.customerId}/googleAds:searchStream`, { query: gaqlQuery(settings.range) }, { orderIds: [], versionKeys: [] }, {
		'developer-token': settings.developerToken,
		...(settings.loginCustomerId ? { 'login-customer-id': settings.loginCustomerId } : {}),
	});
	const answer = await ask(request, exchange);
	if ('failure' in answer) throw googleAdsFailure(answer.last, answer.failure);
	return answer.result.body;
}

interface StreamRow {
	customer?: { currencyCode?: unknown };
	campaign?: { id?: unknown; name?: unknown };
	segments?: { date?: unknown };
	metrics?: { costMicros?: unknown; clicks?: unknown; impressions?: unknown };
}

/** A proto3 JSON int64: text, or left out for 0. */
function int64(value: unknown): string | null {
	if (value === undefined) return '0';
	return typeof value === 'string' ? value : typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : null;
}

/**
 * The rows of a searchStream answer and the account's currency. An answer that is not an array of batches (a stream
 * cut short is not JSON) is refused whole; an error inside the stream is the request's failure; a row that cannot be
 * read is a problem of its own and the others go on.
 */
export function parseSearchStream(body: unknown): { rows: RawSpend[]; currency: string | null; problems: ItemProblem[] } {
	if (!Array.isArray(body)) throw new ServiceError('Google Ads: the answer is not a searchStream array (cut short, or not from Google Ads)', 'Nothing was output: run again; if it persists, check the API URL.');
	const rows: RawSpend[] = [];
	const problems: ItemProblem[] = [];
	let currency: string | null = null;
	let number = 0;
	for (const batch of body as Array<{ results?: unknown; error?: unknown }>) {
		if (batch?.error !== undefined) throw googleAdsFailure({ status: 200, headers: {}, body: batch }, 'the stream ended with an error');
		for (const result of Array.isArray(batch?.results) ? (batch.results as StreamRow[]) : []) {
			number++;
			const currencyCode = result?.customer?.currencyCode;
			if (typeof currencyCode === 'string' && currency === null) currency = normaliseCurrency(currencyCode);
			const date = typeof result?.segments?.date === 'string' ? isoDate(result.segments.date) : null;
			const micros = int64(result?.metrics?.costMicros);
			const cents = micros === null ? null : microsToCents(micros);
			const clicks = readCount(int64(result?.metrics?.clicks));
			const impressions = readCount(int64(result?.metrics?.impressions));
			const name = typeof result?.campaign?.name === 'string' ? result.campaign.name : '';
			const id = int64(result?.campaign?.id);
			const wrong = [
				date === null ? 'segments.date is not a date' : null,
				cents === null ? 'metrics.cost_micros is not a whole number of micros' : null,
				clicks === null ? 'metrics.clicks is not a count' : null,
				impressions === null ? 'metrics.impressions is not a count' : null,
				campaignNameProblem(name),
			].filter((problem): problem is string => problem !== null);
			if (wrong.length > 0) {
				problems.push({ itemIndex: 0, message: `Google Ads row ${number}: ${wrong.join('; ')}`, description: 'The row is left out; the other rows are output.' });
				continue;
			}
			rows.push({ date: date as string, campaign: name || null, campaignId: id === '0' ? null : id, cents: cents as number, clicks, impressions });
		}
	}
	return { rows, currency, problems };
}
