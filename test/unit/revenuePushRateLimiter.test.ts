import { AMOCRM_RATE, BITRIX24_RATE, RateLimiter, type RateLimit } from '../../nodes/RevenuePush/transport/rateLimiter';
import { VirtualClock } from '../helpers/standins/clocks';

/** Largest number of sends inside any half-open window (t - ms, t]. */
function maxInWindow(sends: number[], ms: number): number {
	let max = 0;
	for (let i = 0, j = 0; j < sends.length; j++) {
		while (sends[i] <= sends[j] - ms) i++;
		max = Math.max(max, j - i + 1);
	}
	return max;
}

/** Bitrix24's server side: the level each request finds, drained at `drain` per second; returns the peak. */
function bucketPeak(sends: number[], drain: number): number {
	let level = 0;
	let at = sends[0] ?? 0;
	let peak = 0;
	for (const send of sends) {
		level = Math.max(0, level - ((send - at) * drain) / 1000) + 1;
		at = send;
		peak = Math.max(peak, level);
	}
	return peak;
}

async function run(limit: RateLimit, count: number, concurrent = false, clock = new VirtualClock()): Promise<number[]> {
	const limiter = new RateLimiter(limit, clock);
	const sends: number[] = [];
	if (concurrent) await Promise.all(Array.from({ length: count }, () => limiter.take().then(() => sends.push(clock.now()))));
	else for (let i = 0; i < count; i++) sends.push(await limiter.take());
	return sends.sort((a, b) => a - b);
}

describe('rate limiter', () => {
	it('never lets amoCRM see more than 7 requests in any second, from the first request on', async () => {
		const sends = await run(AMOCRM_RATE, 200);
		expect(maxInWindow(sends, 1000)).toBe(7);
		expect(maxInWindow(sends, 1100)).toBe(7);
		// The first 7 go at once; the whole run takes close to the floor of 200 / 7 windows.
		expect(sends.slice(0, 7).every((t) => t === sends[0])).toBe(true);
		const elapsed = sends[sends.length - 1] - sends[0];
		expect(elapsed).toBe(Math.floor(199 / 7) * 1100);
	});

	it('holds the limit for concurrent callers, each at the time it is woken', async () => {
		const sends = await run(AMOCRM_RATE, 60, true);
		expect(sends).toHaveLength(60);
		expect(maxInWindow(sends, 1000)).toBe(7);
	});

	it('keeps Bitrix24\'s bucket (50, draining 2 per second) from overflowing', async () => {
		const sends = await run(BITRIX24_RATE, 300);
		expect(bucketPeak(sends, 2)).toBeLessThanOrEqual(48 + 1e-9);
		// After the burst, one request every half second: the documented sustained rate.
		expect(sends[48] - sends[47]).toBeCloseTo(500, 6);
		const exact = await run({ ratePerSec: 2, burst: 50 }, 300);
		expect(bucketPeak(exact, 2)).toBeLessThanOrEqual(50 + 1e-9);
		expect(exact[299] - exact[0]).toBeCloseTo((300 - 50) * 500, 3);
	});

	it('holds random limits under random arrival patterns', async () => {
		let seed = 7;
		const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
		for (let round = 0; round < 30; round++) {
			const limit: RateLimit = { ratePerSec: 1 + Math.floor(random() * 20), burst: 1 + Math.floor(random() * 10) };
			if (random() < 0.5) limit.window = { limit: 1 + Math.floor(random() * 8), ms: 100 + Math.floor(random() * 2000) };
			const clock = new VirtualClock();
			const limiter = new RateLimiter(limit, clock);
			const sends: number[] = [];
			for (let i = 0; i < 80; i++) {
				if (random() < 0.3) await clock.sleep(Math.floor(random() * 3000));
				sends.push(await limiter.take());
			}
			expect(bucketPeak(sends, limit.ratePerSec)).toBeLessThanOrEqual(limit.burst + 1e-9);
			if (limit.window) expect(maxInWindow(sends, limit.window.ms)).toBeLessThanOrEqual(limit.window.limit);
		}
	});

	it('pauses every caller when a service asks for it', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter({ ratePerSec: 100, burst: 100 }, clock);
		await limiter.take();
		limiter.pauseUntil(clock.now() + 5000);
		const start = clock.now();
		expect((await limiter.take()) - start).toBe(5000);
	});

	it('refuses nonsense limits', () => {
		expect(() => new RateLimiter({ ratePerSec: 0, burst: 1 }, new VirtualClock())).toThrow(/ratePerSec/);
		expect(() => new RateLimiter({ ratePerSec: 1, burst: 1, window: { limit: 0, ms: 1 } }, new VirtualClock())).toThrow(/window/);
	});
});
