import { deliver, type HttpResult, type RetryPolicy } from '../RevenuePush/transport/deliver';
import { trimTrailing } from '../shared/textScan';

export { headerOf } from '../RevenuePush/transport/deliver';
import type { PushRequest } from '../RevenuePush/transport/request';

/**
 * A service refused or failed a report request: the message names the service and what it said (its error code
 * and words), the hint what to do. The node turns it into a NodeApiError.
 */
export class ServiceError extends Error {
	constructor(
		message: string,
		readonly hint: string,
		readonly httpCode?: number,
	) {
		super(message);
		this.name = 'ServiceError';
	}
}

/**
 * A request that got no answer within its retries (timeouts, broken connections) as the node's error. The message
 * names only the service and "network error": n8n's NodeApiError replaces a message that mentions an error code
 * (ECONNABORTED, ETIMEDOUT, ...) with generic text that names neither; deliver's words go to the hint.
 */
export function noAnswer(service: string, failure: string): ServiceError {
	return new ServiceError(`${service}: network error, no answer`, `${failure}. Nothing was output: run again later; if it persists, check the API URL of the credential.`);
}

/** How a platform's requests go out: n8nSend in the node, fetch to a stand-in in tests; n8n's sleep and the clock. */
export interface Exchange {
	send(request: PushRequest): Promise<HttpResult>;
	sleep(ms: number): Promise<void>;
	now(): number;
	retry: RetryPolicy;
}

export type Answer = { result: HttpResult } | { failure: string; last: HttpResult | null };

/**
 * One report request through the pack's deliver (429, 5xx, timeouts and broken connections retried with backoff
 * within the retry budget; `retryable` adds a service's own transient answers): the answer it was accepted with
 * (`accepted`, default any 2xx), or why it failed with the last answer the service gave, for the caller to read its
 * error body. A report request changes nothing at the service, so a retry is always safe.
 */
export async function ask(request: PushRequest, exchange: Exchange, rules: { retryable?: (result: HttpResult) => boolean; accepted?: (result: HttpResult) => boolean } = {}): Promise<Answer> {
	let last: HttpResult | null = null;
	const send = async (sent: PushRequest) => {
		last = null;
		last = await exchange.send(sent);
		return last;
	};
	const { outcomes } = await deliver([request], send, { retry: exchange.retry, sleep: exchange.sleep, now: exchange.now, retryable: rules.retryable, accepted: rules.accepted });
	const outcome = outcomes[0];
	return outcome.state === 'delivered' ? { result: outcome.response } : { failure: outcome.reason, last };
}

/** A service's base address from a credential field, without trailing slashes; `fallback` when the field is empty. */
export function serviceUrl(value: unknown, fallback: string): string {
	return trimTrailing(typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback, '/');
}
