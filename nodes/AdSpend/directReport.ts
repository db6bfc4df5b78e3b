import type { HttpResult } from '../RevenuePush/transport/deliver';
import { jsonRequest } from '../RevenuePush/transport/request';
import { isRetryableStatus } from '../shared/retry';
import { canonicalJson, fingerprint } from '../shared/hash';
import { normaliseCurrency } from '../shared/money';
import type { ItemProblem } from '../shared/validation';
import type { DayRange } from './dateRange';
import { ask, headerOf, noAnswer, ServiceError, serviceUrl, type Exchange } from './exchange';
import { campaignNameProblem, isoDate, microsToCents, readCount, type RawSpend } from './spendRows';

/**
 * Yandex Direct, Reports service of API v5 (https://yandex.com/dev/direct/doc/en/reports): a
 * CAMPAIGN_PERFORMANCE_REPORT per day and campaign. Sent with the headers of
 * https://yandex.com/dev/direct/doc/en/headers: `processingMode: auto` (online when the server can, else the offline
 * queue), `skipReportHeader: true` (no title row); the column header and the "Total rows: N" summary are kept, so a
 * report cut short is caught. `returnMoneyInMicros` is not sent: Cost comes in micros (integers), which the node
 * divides to cents with integer math (microsToCents), so no decimal text is read as a float.
 */
export const DIRECT_URLS = { production: 'https://api.direct.yandex.com', sandbox: 'https://api-sandbox.direct.yandex.com' };

export const DIRECT_FIELDS = ['Date', 'CampaignId', 'CampaignName', 'Impressions', 'Clicks', 'Cost'] as const;

export interface DirectSettings {
	baseUrl: string;
	/** An agency's client (the Client-Login header); '' for one's own account. */
	clientLogin: string;
	range: DayRange;
	includeVat: boolean;
	/** The longest the node waits for an offline report, in ms. */
	maxWaitMs: number;
	/** Distinguishes reports asked for on different days (a stored report of the same name would come back otherwise): the run's UTC date. */
	askedOn: string;
}

/** A wait between two asks for an offline report: at least 1 s, at most 60 s whatever retryIn says; 5 s without retryIn. */
export const QUEUE_POLL = { minMs: 1000, maxMs: 60_000, defaultMs: 5000 };

/**
 * Error codes of https://yandex.com/dev/direct/doc/en/concepts/errors-list and what the user can do; the transient ones
 * (52, 506, 1000-1002) are also retried within the run.
 */
const ADVICE: Record<number, string> = {
	52: 'Yandex OAuth was briefly unavailable to Direct: run again in a few minutes.',
	53: 'The OAuth token is invalid or was revoked: get a new token at oauth.yandex.ru and save it in the Yandex Direct credential.',
	54: 'No rights: with an agency token, check that Client-Login in the credential is a client of this agency; an advertiser needs a currency set in Direct.',
	58: "The app's request for API access is not approved yet: wait for Direct's approval (Direct → Tools → API).",
	152: 'The account has used up its API points (units); they refill within the hour: run again later, or ask for a shorter range.',
	506: 'Too many reports are being fetched from this account at once: run again when the others are done.',
	513: 'This login has no Direct account: use the login of an advertiser, or set Client-Login for an agency.',
	1000: "Direct's server failed: run again later; if it persists, contact Direct's support.",
	3000: 'The app has no API access: request it in Direct → Tools → API.',
	8000: 'Direct refused the report request: the detail above says which part.',
	8800: 'Direct does not know the object: check Client-Login in the credential.',
	9000: 'Direct refused the request for now: run again later.',
};
const RETRIED_CODES = new Set([52, 506, 1000, 1001, 1002]);

/** Direct's error body: { error: { request_id, error_code, error_string, error_detail } } (error_code as a number or its text). */
interface DirectError {
	code: number | null;
	text: string;
	detail: string;
	requestId: string;
}

export function directError(body: unknown): DirectError | null {
	const error = (typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined) as Record<string, unknown> | undefined;
	if (typeof error !== 'object' || error === null) return null;
	const code = Number(error.error_code);
	const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 500) : '');
	return { code: Number.isInteger(code) ? code : null, text: text(error.error_string), detail: text(error.error_detail), requestId: text(error.request_id) };
}

/** A Direct answer that is no report, as the error the node shows. */
export function directFailure(result: HttpResult | null, failure: string): ServiceError {
	if (result === null) return noAnswer('Yandex Direct', failure);
	const error = result ? directError(result.body) : null;
	if (error === null) return new ServiceError(`Yandex Direct: ${failure}`, 'Run again later; if it persists, check the credential (token, sandbox switch, API URL).', result?.status);
	const advice = (error.code !== null ? ADVICE[error.code] : undefined) ?? 'See the error list at https://yandex.com/dev/direct/doc/en/concepts/errors-list.';
	return new ServiceError(
		`Yandex Direct error ${error.code ?? '(no code)'}: ${error.text || 'no error text'}`,
		`${error.detail ? `${error.detail}. ` : ''}${advice}${error.requestId ? ` (request_id ${error.requestId})` : ''}`,
		result?.status,
	);
}

function directHeaders(settings: DirectSettings): Record<string, string> {
	return { 'Accept-Language': 'en', ...(settings.clientLogin ? { 'Client-Login': settings.clientLogin } : {}) };
}

/** Transient answers retried within the run: 5xx, 429, and Direct's own transient error codes. */
function directRetryable(result: HttpResult): boolean {
	const code = directError(result.body)?.code;
	return isRetryableStatus(result.status) || (code !== null && code !== undefined && RETRIED_CODES.has(code));
}

/** The report's body: the same settings on the same day give the same ReportName, so each ask of the queue is the same report. */
export function directReportBody(settings: DirectSettings): { params: Record<string, unknown> } {
	const params = {
		SelectionCriteria: { DateFrom: settings.range.start, DateTo: settings.range.end },
		FieldNames: [...DIRECT_FIELDS],
		ReportType: 'CAMPAIGN_PERFORMANCE_REPORT',
		DateRangeType: 'CUSTOM_DATE',
		Format: 'TSV',
		IncludeVAT: settings.includeVat ? 'YES' : 'NO',
	};
	const name = `n8n ad spend ${fingerprint(canonicalJson({ ...params, clientLogin: settings.clientLogin, askedOn: settings.askedOn }))}`;
	return { params: { ...params, ReportName: name } };
}

/** The account's currency (Clients.get, https://yandex.com/dev/direct/doc/en/clients/get): Direct's reports give amounts without one. */
export async function directCurrency(settings: DirectSettings, exchange: Exchange): Promise<string> {
	const request = jsonRequest('direct:clients', 'POST', `${settings.baseUrl}/json/v5/clients`, { method: 'get', params: { FieldNames: ['Currency'] } }, { orderIds: [], versionKeys: [] }, directHeaders(settings));
	// The JSON API answers 200 with an error body too: an answer with an error is not accepted.
	const answer = await ask(request, exchange, { retryable: directRetryable, accepted: (r) => r.status === 200 && directError(r.body) === null });
	if ('failure' in answer) throw directFailure(answer.last, answer.failure);
	const clients = (answer.result.body as { result?: { Clients?: Array<{ Currency?: unknown }> } } | null)?.result?.Clients;
	const currency = Array.isArray(clients) ? clients[0]?.Currency : undefined;
	const code = typeof currency === 'string' ? normaliseCurrency(currency) : null;
	if (code === null) {
		throw new ServiceError(`Yandex Direct: the account's currency ${JSON.stringify(currency ?? null).slice(0, 40)} is not a currency the pack knows`, 'An account in conventional units (YND_FIXED) must be switched to a real currency in Direct first.');
	}
	return code;
}

/**
 * The report's TSV, asking again with the same body while Direct answers 201 (queued) or 202 (being built), waiting
 * what its retryIn header says (capped by QUEUE_POLL) until `maxWaitMs` would be passed.
 */
export async function directReportText(settings: DirectSettings, exchange: Exchange): Promise<string> {
	const request = jsonRequest('direct:report', 'POST', `${settings.baseUrl}/json/v5/reports`, directReportBody(settings), { orderIds: [], versionKeys: [] }, {
		...directHeaders(settings),
		processingMode: 'auto',
		skipReportHeader: 'true',
	});
	const started = exchange.now();
	for (let asks = 1; ; asks++) {
		const answer = await ask(request, exchange, { retryable: directRetryable, accepted: (r) => r.status === 200 || r.status === 201 || r.status === 202 });
		if ('failure' in answer) throw directFailure(answer.last, answer.failure);
		const { result } = answer;
		if (result.status === 200) {
			if (typeof result.body !== 'string') throw new ServiceError('Yandex Direct: the report is not TSV text', 'Run again; if it persists, check the API URL of the credential.', 200);
			return result.body;
		}
		const retryIn = Number(headerOf(result, 'retryin'));
		const wait = Math.min(QUEUE_POLL.maxMs, Math.max(QUEUE_POLL.minMs, Number.isFinite(retryIn) && retryIn > 0 ? retryIn * 1000 : QUEUE_POLL.defaultMs));
		const waited = exchange.now() - started;
		if (waited + wait > settings.maxWaitMs) {
			throw new ServiceError(
				`Yandex Direct: the report is still being prepared after ${Math.round(waited / 1000)} s (${asks} asks)`,
				'Direct builds large reports offline. Run again later (the same report is picked up where Direct left it), or raise Max Wait (Seconds).',
				result.status,
			);
		}
		await exchange.sleep(wait);
	}
}

const TOTAL_ROWS = 'Total rows: ';

/**
 * The rows of a report as Direct writes it (https://yandex.com/dev/direct/doc/en/report-format): tab-separated, the
 * column names first (the title row is skipped by skipReportHeader), then one line per row, then "Total rows: N".
 * A report without the columns asked for, or whose row count is not the summary's, is refused whole (cut short, or
 * not a report); a row that cannot be read is a problem of its own (`itemIndex` 0, the run's input item) and the
 * others go on.
 */
export function parseDirectReport(text: string): { rows: RawSpend[]; problems: ItemProblem[] } {
	const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
	while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
	const header = (lines[0] ?? '').split('\t');
	const column = new Map(header.map((name, index) => [name, index]));
	const missing = DIRECT_FIELDS.filter((name) => !column.has(name));
	if (missing.length > 0) throw new ServiceError(`Yandex Direct: the report has no column ${missing.join(', ')}`, 'The answer is not the report asked for: check the API URL of the credential.');
	const summary = lines.length > 1 ? lines[lines.length - 1] : '';
	const promised = summary.startsWith(TOTAL_ROWS) ? readCount(summary.slice(TOTAL_ROWS.length)) : null;
	const data = lines.slice(1, lines.length - 1);
	if (promised === null || promised !== data.length) {
		throw new ServiceError(
			promised === null ? 'Yandex Direct: the report has no "Total rows" line: it was cut short' : `Yandex Direct: the report says ${promised} rows but holds ${data.length}`,
			'Nothing was output: run again.',
		);
	}
	const rows: RawSpend[] = [];
	const problems: ItemProblem[] = [];
	data.forEach((line, index) => {
		const cells = line.split('\t');
		const cell = (name: (typeof DIRECT_FIELDS)[number]) => cells[column.get(name) as number] ?? '';
		const date = isoDate(cell('Date'));
		const cents = microsToCents(cell('Cost'));
		const clicks = readCount(cell('Clicks'));
		const impressions = readCount(cell('Impressions'));
		const name = cell('CampaignName');
		const wrong = [
			cells.length !== header.length ? `has ${cells.length} cells for ${header.length} columns` : null,
			date === null ? `Date ${JSON.stringify(cell('Date').slice(0, 40))} is not a date` : null,
			cents === null ? `Cost ${JSON.stringify(cell('Cost').slice(0, 40))} is not an amount in micros` : null,
			clicks === null ? `Clicks ${JSON.stringify(cell('Clicks').slice(0, 40))} is not a count` : null,
			impressions === null ? `Impressions ${JSON.stringify(cell('Impressions').slice(0, 40))} is not a count` : null,
			campaignNameProblem(name),
		].filter((problem): problem is string => problem !== null);
		if (wrong.length > 0) {
			problems.push({ itemIndex: 0, message: `Yandex Direct report row ${index + 1}: ${wrong.join('; ')}`, description: 'The row is left out; the other rows are output.' });
			return;
		}
		rows.push({ date: date as string, campaign: name, campaignId: cell('CampaignId') || null, cents: cents as number, clicks, impressions });
	});
	return { rows, problems };
}

/** The API's address: the credential's API URL when set (a proxy, a stand-in), else production or the sandbox. */
export function directBaseUrl(credential: { apiUrl?: unknown; sandbox?: unknown }): string {
	return serviceUrl(credential.apiUrl, credential.sandbox === true ? DIRECT_URLS.sandbox : DIRECT_URLS.production);
}
