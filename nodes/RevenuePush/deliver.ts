import { backoffMs, isRetryableStatus } from '../shared/retry';
import { classifyNetworkError } from './networkErrors';
import type { RateLimiter } from './rateLimiter';

/** What `send` returns: the node maps n8n's full response onto it, tests map fetch's. */
export interface HttpResult {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

export interface RetryPolicy {
	/** Attempts in all, the first included. */
	maxAttempts: number;
	/** No retry starts later than this after the request's first attempt. */
	maxTotalMs: number;
	baseMs?: number;
	capMs?: number;
}

export interface DeliverOptions<R = unknown> {
	retry: RetryPolicy;
	limiter?: RateLimiter;
	sleep(ms: number): Promise<void>;
	now(): number;
	random?: () => number;
	/** The service's own words for a refused request (problem+json, Bitrix24's error_description, ...). */
	errorText?: (result: HttpResult) => string;
	/** Default: any 2xx. */
	accepted?: (result: HttpResult) => boolean;
	/** Default: 429, 408 and 5xx. */
	retryable?: (result: HttpResult) => boolean;
	/** After such an answer nothing more is sent: the credential is wrong or the account is blocked. Default: 401, 403. */
	stopsAll?: (result: HttpResult) => boolean;
	/**
	 * Called with each request's outcome as soon as it is known, before the next request goes out: the node records
	 * what a service accepted here, so a run killed half way has recorded everything delivered before the kill.
	 */
	settled?: (outcome: Outcome<R>) => Promise<void>;
}

export type Outcome<R> =
	| { request: R; state: 'delivered'; attempts: number; response: HttpResult }
	| {
			request: R;
			state: 'failed';
			attempts: number;
			reason: string;
			/** The last HTTP status, null for a network failure or a request never sent. */
			status: number | null;
			/** A timeout or reset happened after the request may have reached the service. */
			maybeDelivered: boolean;
	  };

export interface Delivery<R> {
	/** One per request, in request order. */
	outcomes: Array<Outcome<R>>;
	/** Exactly the requests the service accepted: the node records these and only these. */
	delivered: R[];
}

/**
 * Sends requests one at a time through the rate limiter. 429, 5xx, timeouts and broken connections are retried with
 * exponential backoff and jitter (Retry-After wins when it asks for longer) within the attempt and time budget;
 * any other refusal is final at once and reported in the service's own words.
 */
export async function deliver<R>(requests: R[], send: (request: R, attempt: number) => Promise<HttpResult>, options: DeliverOptions<R>): Promise<Delivery<R>> {
	const accepted = options.accepted ?? ((r: HttpResult) => r.status >= 200 && r.status < 300);
	const retryable = options.retryable ?? ((r: HttpResult) => isRetryableStatus(r.status));
	const stopsAll = options.stopsAll ?? ((r: HttpResult) => r.status === 401 || r.status === 403);
	const errorText = options.errorText ?? defaultErrorText;
	const { maxAttempts, maxTotalMs, baseMs = 500, capMs = 30_000 } = options.retry;
	const delivery: Delivery<R> = { outcomes: [], delivered: [] };
	const settle = async (outcome: Outcome<R>) => {
		delivery.outcomes.push(outcome);
		if (outcome.state === 'delivered') delivery.delivered.push(outcome.request);
		await options.settled?.(outcome);
	};
	let stopReason: string | null = null;

	for (const request of requests) {
		if (stopReason !== null) {
			await settle({ request, state: 'failed', attempts: 0, reason: `not sent: ${stopReason}`, status: null, maybeDelivered: false });
			continue;
		}
		const started = options.now();
		let maybeDelivered = false;
		let outcome: Outcome<R>;
		for (let attempt = 1; ; attempt++) {
			if (options.limiter) await options.limiter.take();
			let result: HttpResult | null = null;
			let verdict: { reason: string; again: boolean };
			try {
				result = await send(request, attempt);
				if (accepted(result)) {
					outcome = { request, state: 'delivered', attempts: attempt, response: result };
					break;
				}
				verdict = { reason: `HTTP ${result.status}: ${errorText(result)}`, again: retryable(result) };
				if (stopsAll(result)) {
					stopReason = `an earlier request was refused (${verdict.reason})`;
					verdict.again = false;
				}
			} catch (error) {
				const failure = classifyNetworkError(error);
				maybeDelivered ||= failure.maybeDelivered;
				verdict = { reason: failure.reason, again: failure.retryable };
			}
			const fail = (why: string): Outcome<R> => ({ request, state: 'failed', attempts: attempt, reason: why, status: result?.status ?? null, maybeDelivered });
			if (!verdict.again) {
				outcome = fail(verdict.reason);
				break;
			}
			if (attempt >= maxAttempts) {
				outcome = fail(`${verdict.reason} (gave up after ${attempt} attempts)`);
				break;
			}
			const wait = backoffMs(attempt - 1, header(result, 'retry-after'), baseMs, capMs, options.random);
			if (options.now() + wait - started > maxTotalMs) {
				outcome = fail(`${verdict.reason} (gave up after ${attempt} attempts: the next, in ${(wait / 1000).toFixed(1)} s, would pass the ${(maxTotalMs / 1000).toFixed(0)} s budget)`);
				break;
			}
			// A rate-limit answer holds back every request, not just this one.
			if (options.limiter && result && (result.status === 429 || result.status === 503)) options.limiter.pauseUntil(options.now() + wait);
			await options.sleep(wait);
		}
		await settle(outcome);
	}
	return delivery;
}

function header(result: HttpResult | null, name: string): string | null {
	if (!result) return null;
	for (const [key, value] of Object.entries(result.headers)) {
		if (key.toLowerCase() === name) return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
	}
	return null;
}

function defaultErrorText(result: HttpResult): string {
	const body = result.body;
	if (typeof body === 'string') return body.replace(/\s+/g, ' ').trim().slice(0, 300) || 'no error text';
	if (body instanceof Uint8Array) return new TextDecoder().decode(body.subarray(0, 300)).replace(/\s+/g, ' ').trim() || 'no error text';
	return body === undefined || body === null ? 'no error text' : JSON.stringify(body).slice(0, 300);
}
