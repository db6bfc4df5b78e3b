export interface RateLimit {
	/** The sustained rate: the bucket drains this many requests per second. */
	ratePerSec: number;
	/** The bucket's size: how many requests may go back to back after a quiet spell. */
	burst: number;
	/**
	 * Also at most `limit` requests in any sliding window of `ms` (+ `marginMs` for network jitter): a bucket alone
	 * lets `burst` go at once and then one more every 1/rate s, which puts burst + 1 in the first second.
	 */
	window?: { limit: number; ms: number; marginMs?: number };
}

/**
 * amoCRM / Kommo: "not more than 7 requests per second", held as 7 in any sliding second plus 100 ms, so requests
 * that travel at different speeds still arrive at most 7 a second.
 */
export const AMOCRM_RATE: RateLimit = { ratePerSec: 7, burst: 7, window: { limit: 7, ms: 1000, marginMs: 100 } };

/**
 * Bitrix24 cloud: a leaky bucket of 50 requests draining 2 per second (HTTP 503 QUERY_LIMIT_EXCEEDED beyond it).
 * Two places are kept free for network jitter, which can make requests arrive closer together than they were sent.
 */
export const BITRIX24_RATE: RateLimit = { ratePerSec: 2, burst: 48 };

/** Metrica's management API: 30 requests per second from one address. */
export const METRICA_RATE: RateLimit = { ratePerSec: 30, burst: 30, window: { limit: 30, ms: 1000, marginMs: 100 } };

export interface Clock {
	now(): number;
	/** n8n-workflow's `sleep` in the node; a fake in tests. */
	sleep(ms: number): Promise<void>;
}

/**
 * Schedules requests so that a service's limits are never exceeded, from the first request on. Each take() reserves
 * the earliest moment that keeps both the bucket and the window, in call order, then waits for it: concurrent
 * callers get distinct, correctly spaced slots.
 */
export class RateLimiter {
	/** Bucket level as of `lastAt`. */
	private level = 0;
	private lastAt = -Infinity;
	/** Reserved send times, ascending; only the last `window.limit` matter. */
	private readonly sends: number[] = [];
	private pausedUntil = -Infinity;

	constructor(
		readonly limit: RateLimit,
		private readonly clock: Clock,
	) {
		if (!(limit.ratePerSec > 0) || !(limit.burst >= 1)) throw new Error('RateLimiter needs ratePerSec > 0 and burst >= 1');
		if (limit.window && (!(limit.window.limit >= 1) || !(limit.window.ms > 0))) throw new Error('RateLimiter window needs limit >= 1 and ms > 0');
	}

	/** Waits for the next slot; resolves with the slot's time. */
	async take(): Promise<number> {
		const at = this.reserve(this.clock.now());
		const wait = at - this.clock.now();
		if (wait > 0) await this.clock.sleep(wait);
		return at;
	}

	/** No slot before `time` (epoch ms): a service said "too many requests" and asked for a pause. */
	pauseUntil(time: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, time);
	}

	private reserve(now: number): number {
		const { ratePerSec, burst, window } = this.limit;
		let at = Math.max(now, this.pausedUntil, this.lastAt);
		// Bucket: the level drained until `at` must leave room for one more.
		const excess = this.level - (burst - 1);
		// Slots are whole milliseconds, rounded up: never a hair early (epoch-sized floats keep no sub-ms fractions).
		if (excess > 0) at = Math.max(at, Math.ceil(this.lastAt + (excess * 1000) / ratePerSec));
		// Window: the limit-th most recent send must have left the window.
		if (window && this.sends.length >= window.limit) at = Math.max(at, Math.ceil(this.sends[this.sends.length - window.limit] + window.ms + (window.marginMs ?? 0)));
		const drained = this.lastAt === -Infinity ? 0 : Math.max(0, this.level - ((at - this.lastAt) * ratePerSec) / 1000);
		this.level = drained + 1;
		this.lastAt = at;
		this.sends.push(at);
		if (window && this.sends.length > window.limit) this.sends.splice(0, this.sends.length - window.limit);
		return at;
	}
}
