import { InputDataError, redactSecrets } from '../../shared/errors';
import { deliver, type HttpResult, type RetryPolicy } from '../../RevenuePush/transport/deliver';
import type { ReceiptCheck } from '../../RevenuePush/ledger/receipts';
import { RateLimiter, type Clock, type RateLimit } from '../../RevenuePush/transport/rateLimiter';

/** One read: a GET, or a POST of a JSON body (Bitrix24's batch); or a write of the lead queue (a POST or PATCH). */
export interface ReadRequest {
	method: 'GET' | 'POST' | 'PATCH';
	url: string;
	/** JSON text, for a POST or PATCH. */
	body?: string;
	/**
	 * For a write the service would do twice if it came twice (creating a lead): whether it was already done, asked
	 * before the first attempt and before a retry after an attempt that may have reached the service (deliver's
	 * alreadyTaken). Taken: its answer stands for this request's, and nothing is sent.
	 */
	alreadyDone?: (inDoubt: boolean) => Promise<ReceiptCheck>;
}

/** A request as the node sends it (n8nSend.ts) or a test does: any HTTP status comes back as a result, only a network failure throws. */
export type Send = (request: ReadRequest) => Promise<HttpResult>;

export type Read = (request: ReadRequest) => Promise<HttpResult>;

export interface ReaderOptions {
	/** "amoCRM" or "Bitrix24": named in every error. */
	service: string;
	limit: RateLimit;
	clock: Clock;
	retry: RetryPolicy;
	/** The credential's token or webhook URL: never in an error. */
	secrets: string[];
	/** The service's own words for a refused request. */
	errorText(result: HttpResult): string;
	/** How to fix a refused credential (401 / 403). */
	credentialHint: string;
	/** What to do about any other failure; the import's words (nothing imported, the mark kept) by default. */
	failureHint?: string;
}

/**
 * Reads a CRM's API one GET at a time within its rate limit (RevenuePush's RateLimiter), through RevenuePush's
 * deliver: 429, 5xx and broken connections retried with backoff (Retry-After honoured, the limiter paused for
 * everyone); 401 / 403 stop at once with an error that says to reconnect the credential. Every error is in the
 * service's words with the credential's secrets masked. Returns the 2xx answer (a 204 included).
 */
export function crmReader(send: Send, options: ReaderOptions): Read {
	const limiter = new RateLimiter(options.limit, options.clock);
	return async (request) => {
		const { outcomes } = await deliver([request], send, {
			retry: options.retry,
			limiter,
			sleep: options.clock.sleep,
			now: options.clock.now,
			errorText: options.errorText,
			...(request.alreadyDone ? { alreadyTaken: async (taken: ReadRequest, inDoubt: boolean) => await (taken.alreadyDone as NonNullable<ReadRequest['alreadyDone']>)(inDoubt) } : {}),
		});
		const outcome = outcomes[0];
		if (outcome.state === 'delivered') return outcome.response;
		const hide = (text: string) => redactSecrets(text, options.secrets);
		if (outcome.status === 401) {
			throw new InputDataError(hide(`${options.service} refused the credential (${outcome.reason}): the token expired or was revoked: reconnect the credential`), options.credentialHint);
		}
		if (outcome.status === 403) throw new InputDataError(hide(`${options.service} refused access (${outcome.reason})`), options.credentialHint);
		throw new InputDataError(hide(`${options.service} could not be read: ${outcome.reason}`), options.failureHint ?? 'Nothing was imported and the last-run mark was kept: run again later. A 4xx answer names what the service did not accept.');
	}
}

/** A 2xx answer's JSON body as an object (a 204 or an empty body: null); anything else is the service misbehaving. */
export function jsonObject(result: HttpResult, service: string, what: string): Record<string, unknown> | null {
	let body = result.body;
	if (result.status === 204 || body === undefined || body === null || body === '') return null;
	if (typeof body === 'string') {
		const written = body;
		body = parseJson(written);
		if (body === undefined) throw new InputDataError(`${service} answered ${what} with text that is not JSON: "${written.slice(0, 80)}"`, 'Check the account address in the credential: it must be the CRM itself, not a login page or a proxy.');
	}
	if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InputDataError(`${service} answered ${what} with JSON that is not an object`, 'Check the account address in the credential.');
	return body as Record<string, unknown>;
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}
