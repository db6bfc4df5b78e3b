import { backoffMs, isRetryableStatus } from '../../shared/retry';
import { classifyNetworkError } from './networkErrors';
import type { RateLimiter } from './rateLimiter';
import type { ReceiptCheck } from '../ledger/receipts';

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
	/** How long the service asks to wait, as Retry-After text, when its body says so (Google's retryDelay); default the Retry-After header. */
	retryAfter?: (result: HttpResult) => string | null;
	/** After such an answer nothing more is sent: the credential is wrong or the account is blocked. Default: 401, 403. */
	stopsAll?: (result: HttpResult) => boolean;
	/**
	 * Called with each request's outcome as soon as it is known, before the next request goes out: the node records
	 * what a service accepted here, so a run killed half way has recorded everything delivered before the kill.
	 */
	settled?: (outcome: Outcome<R>) => Promise<void>;
	/**
	 * For requests a service would count twice: whether it already took this one (receipts.ts). Asked before a
	 * request's first attempt and before every retry after an attempt that may have reached the service; a request
	 * already taken is not sent again, and one whose fate cannot be told now is not resent but retried later.
	 */
	alreadyTaken?: (request: R, inDoubt: boolean) => Promise<ReceiptCheck>;
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
			/** It failed in a way worth retrying and its retries ran out (the service may be down). */
			exhausted?: boolean;
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
 * any other refusal is final at once and reported in the service's own words. A request that used up its retries
 * leaves the next one a single attempt (one bad request must not hold back the rest); when that one fails too, the
 * service is down and the remaining requests are not sent (a long outage costs one budget, not one per request).
 */
export async function deliver<R>(requests: R[], send: (request: R, attempt: number) => Promise<HttpResult>, options: DeliverOptions<R>): Promise<Delivery<R>> {
	const delivery: Delivery<R> = { outcomes: [], delivered: [] };
	let stopReason: string | null = null;
	/** Why the previous request gave up after its retries, while no request has got through since. */
	let failing: string | null = null;

	for (const request of requests) {
		const sent: [Outcome<R>, boolean] =
			stopReason !== null
				? [{ request, state: 'failed', attempts: 0, reason: `not sent: ${stopReason}`, status: null, maybeDelivered: false }, false]
				: await deliverOne(request, send, options, failing === null ? options.retry.maxAttempts : 1);
		const [outcome, refusedAll] = sent;
		if (outcome.state === 'delivered') failing = null;
		else if (refusedAll) stopReason = `an earlier request was refused (${outcome.reason})`;
		else if (outcome.state === 'failed' && outcome.exhausted && stopReason === null) {
			if (failing !== null) stopReason = `the service kept failing (${outcome.reason})`;
			failing = outcome.reason;
		}
		delivery.outcomes.push(outcome);
		if (outcome.state === 'delivered') delivery.delivered.push(outcome.request);
		await options.settled?.(outcome);
	}
	return delivery;
}

/** One request, retried within its budget (at most `maxAttempts` attempts); and whether its answer stops all the rest. */
async function deliverOne<R>(request: R, send: (request: R, attempt: number) => Promise<HttpResult>, options: DeliverOptions<R>, maxAttempts: number): Promise<[Outcome<R>, boolean]> {
	const accepted = options.accepted ?? ((r: HttpResult) => r.status >= 200 && r.status < 300);
	const retryable = options.retryable ?? ((r: HttpResult) => isRetryableStatus(r.status));
	const stopsAll = options.stopsAll ?? ((r: HttpResult) => r.status === 401 || r.status === 403);
	const errorText = options.errorText ?? defaultErrorText;
	const { maxTotalMs, baseMs = 500, capMs = 30_000 } = options.retry;
	const started = options.now();
	let maybeDelivered = false;
	for (let attempt = 1; ; attempt++) {
		let result: HttpResult | null = null;
		let verdict: { reason: string; again: boolean };
		const check = options.alreadyTaken && (attempt === 1 || maybeDelivered) ? await options.alreadyTaken(request, attempt > 1) : null;
		if (check?.state === 'taken') return [{ request, state: 'delivered', attempts: attempt - 1, response: check.response }, false];
		if (check?.state === 'unknown' && attempt > 1) {
			// The last attempt may have reached the service and it cannot be asked now: resending could count it twice.
			verdict = { reason: `the last attempt may have reached the service and ${check.reason}`, again: true };
		} else {
			if (options.limiter) await options.limiter.take();
			try {
				result = await send(request, attempt);
				if (accepted(result)) return [{ request, state: 'delivered', attempts: attempt, response: result }, false];
				if (stopsAll(result)) return [{ request, state: 'failed', attempts: attempt, reason: `HTTP ${result.status}: ${errorText(result)}`, status: result.status, maybeDelivered }, true];
				verdict = { reason: `HTTP ${result.status}: ${errorText(result)}`, again: retryable(result) };
			} catch (error) {
				const failure = classifyNetworkError(error);
				maybeDelivered ||= failure.maybeDelivered;
				verdict = { reason: failure.reason, again: failure.retryable };
			}
		}
		const fail = (why: string, exhausted: boolean): [Outcome<R>, boolean] => [{ request, state: 'failed', attempts: attempt, reason: why, status: result?.status ?? null, maybeDelivered, exhausted }, false];
		if (!verdict.again) return fail(verdict.reason, false);
		if (attempt >= maxAttempts) return fail(`${verdict.reason} (gave up after ${attempt} attempt${attempt === 1 ? '' : 's'}${maxAttempts < options.retry.maxAttempts ? ': the request before it had used up its retries' : ''})`, true);
		const wait = backoffMs(attempt - 1, (result && options.retryAfter?.(result)) ?? headerOf(result, 'retry-after'), baseMs, capMs, options.random);
		if (options.now() + wait - started > maxTotalMs) {
			return fail(`${verdict.reason} (gave up after ${attempt} attempts: the next, in ${(wait / 1000).toFixed(1)} s, would pass the ${(maxTotalMs / 1000).toFixed(0)} s budget)`, true);
		}
		// A rate-limit answer holds back every request, not just this one.
		if (options.limiter && result && (result.status === 429 || result.status === 503)) options.limiter.pauseUntil(options.now() + wait);
		await options.sleep(wait);
	}
}

/** A header of an answer by its lower-case name (the first value when it repeats); null without an answer or header. */
export function headerOf(result: HttpResult | null, name: string): string | null {
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
