import type { HttpResult } from '../transport/deliver';
import type { RateLimiter } from '../transport/rateLimiter';
import type { PushRequest } from '../transport/request';

/**
 * How to ask a service which requests it already took, for services that would count a request twice if it came
 * twice (Metrica's offline conversions): a listing request, and how to read the receipt keys out of its answer.
 */
export interface ReceiptLookup {
	listing: Pick<PushRequest, 'method' | 'url' | 'headers' | 'body'>;
	/** Each receipt key in the listing, with the answer the service gave (or would have given) when it took that request. */
	read(result: HttpResult): Map<string, HttpResult>;
}

/** Whether the service already took a request: yes (with its answer), no, or no way to tell now. */
export type ReceiptCheck = { state: 'taken'; response: HttpResult } | { state: 'absent' } | { state: 'unknown'; reason: string };

/**
 * Checks requests that carry a receipt key against the service's listing: read once per run (a request sent in an
 * earlier run whose answer was lost is found there), and read again whenever a request's fate is in doubt (a timeout
 * or a connection lost after sending). Requests without a receipt key are always absent.
 */
export function receiptChecker(
	lookup: ReceiptLookup,
	send: (request: PushRequest) => Promise<HttpResult>,
	limiter?: RateLimiter,
): (request: PushRequest, inDoubt: boolean) => Promise<ReceiptCheck> {
	let listing: Promise<Map<string, HttpResult> | string> | null = null;
	const read = async (): Promise<Map<string, HttpResult> | string> => {
		if (limiter) await limiter.take();
		try {
			const result = await send({ key: 'receipts', ...lookup.listing, orderIds: [], versionKeys: [] });
			return result.status >= 200 && result.status < 300 ? lookup.read(result) : `the service's list of what it took answered HTTP ${result.status}`;
		} catch {
			return "the service's list of what it took could not be read (network error)";
		}
	};
	return async (request, inDoubt) => {
		if (request.receiptKey === undefined) return { state: 'absent' };
		if (listing === null || inDoubt) listing = read();
		const known = await listing;
		if (typeof known === 'string') return { state: 'unknown', reason: known };
		const response = known.get(request.receiptKey);
		return response ? { state: 'taken', response } : { state: 'absent' };
	};
}
