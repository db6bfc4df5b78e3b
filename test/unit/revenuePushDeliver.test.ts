import { deliver, type DeliverOptions, type HttpResult } from '../../nodes/RevenuePush/transport/deliver';
import { classifyNetworkError } from '../../nodes/RevenuePush/transport/networkErrors';
import { RateLimiter } from '../../nodes/RevenuePush/transport/rateLimiter';
import { VirtualClock } from '../helpers/standins/clocks';

const ok: HttpResult = { status: 200, headers: {}, body: { ok: true } };
const status = (code: number, body: unknown = { error: `e${code}` }, headers: Record<string, string> = {}): HttpResult => ({ status: code, headers, body });
const networkError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

function setup(extra: Partial<DeliverOptions> = {}) {
	const clock = new VirtualClock();
	const options: DeliverOptions = { retry: { maxAttempts: 4, maxTotalMs: 60_000 }, sleep: clock.sleep, now: clock.now, random: () => 1, ...extra };
	return { clock, options };
}

/** A send that plays scripted answers per request id and records attempt times. */
function scripted(clock: VirtualClock, script: Record<string, Array<HttpResult | Error>>) {
	const calls: Array<{ id: string; at: number }> = [];
	const send = async (id: string): Promise<HttpResult> => {
		calls.push({ id, at: clock.now() });
		const next = script[id]?.shift() ?? ok;
		if (next instanceof Error) throw next;
		return next;
	};
	return { calls, send };
}

describe('deliver', () => {
	it('retries 5xx and 429 with exponential backoff until accepted', async () => {
		const { clock, options } = setup();
		const { calls, send } = scripted(clock, { a: [status(503), status(500), status(429)] });
		const result = await deliver(['a'], send, options);
		expect(result.outcomes[0]).toMatchObject({ state: 'delivered', attempts: 4 });
		const gaps = calls.slice(1).map((call, i) => call.at - calls[i].at);
		expect(gaps).toEqual([500, 1000, 2000]);
	});

	it('honours Retry-After and pauses the limiter for everyone', async () => {
		const { clock, options } = setup();
		const limiter = new RateLimiter({ ratePerSec: 100, burst: 100 }, clock);
		const { calls, send } = scripted(clock, { a: [status(429, {}, { 'Retry-After': '7' })] });
		await deliver(['a', 'b'], send, { ...options, limiter });
		expect(calls.map((c) => c.id)).toEqual(['a', 'a', 'b']);
		expect(calls[1].at - calls[0].at).toBe(7000);
	});

	it('never retries other 4xx and reports the service\'s own words', async () => {
		const { clock, options } = setup({ errorText: (r) => (r.body as { detail: string }).detail });
		const { calls, send } = scripted(clock, { a: [status(400, { detail: 'price: This value should be of type int.' })], b: [status(404, { detail: 'no route' })] });
		const result = await deliver(['a', 'b'], send, options);
		expect(calls).toHaveLength(2);
		expect(result.outcomes.map((o) => (o.state === 'failed' ? [o.reason, o.status, o.attempts] : null))).toEqual([
			['HTTP 400: price: This value should be of type int.', 400, 1],
			['HTTP 404: no route', 404, 1],
		]);
	});

	it('bounds retries by attempts and by total time', async () => {
		const { clock, options } = setup();
		const { calls, send } = scripted(clock, { a: Array(10).fill(status(503)) });
		const result = await deliver(['a'], send, options);
		expect(calls).toHaveLength(4);
		expect(result.outcomes[0]).toMatchObject({ state: 'failed', reason: 'HTTP 503: {"error":"e503"} (gave up after 4 attempts)', attempts: 4 });

		const timed = setup({ retry: { maxAttempts: 50, maxTotalMs: 10_000 } });
		const second = scripted(timed.clock, { a: Array(50).fill(status(503)) });
		const bounded = await deliver(['a'], second.send, timed.options);
		expect(second.calls.length).toBe(5);
		expect(second.calls[second.calls.length - 1].at - second.calls[0].at).toBeLessThanOrEqual(10_000);
		expect(bounded.outcomes[0].state === 'failed' && bounded.outcomes[0].reason).toMatch(/would pass the 10 s budget/);

		const far = setup({ retry: { maxAttempts: 5, maxTotalMs: 30_000 } });
		const third = scripted(far.clock, { a: [status(429, {}, { 'Retry-After': '100' })] });
		const refused = await deliver(['a'], third.send, far.options);
		expect(third.calls).toHaveLength(1);
		expect(refused.outcomes[0].state === 'failed' && refused.outcomes[0].reason).toMatch(/in 100\.0 s, would pass/);
	});

	it('retries timeouts and broken connections, and says when the service may have got the request', async () => {
		const { clock, options } = setup();
		const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
		const { send } = scripted(clock, { a: [timeout], b: [networkError('ECONNREFUSED'), networkError('ECONNREFUSED')], c: [networkError('ECONNRESET'), networkError('ECONNRESET'), networkError('ECONNRESET'), networkError('ECONNRESET')] });
		const result = await deliver(['a', 'b', 'c'], send, options);
		expect(result.delivered).toEqual(['a', 'b']);
		expect(result.outcomes[2]).toMatchObject({ state: 'failed', maybeDelivered: true, status: null });
		expect(classifyNetworkError(networkError('ECONNREFUSED'))).toMatchObject({ retryable: true, maybeDelivered: false });
		expect(classifyNetworkError(new TypeError('fetch failed', { cause: networkError('UND_ERR_SOCKET') }))).toMatchObject({ retryable: true, maybeDelivered: true, reason: 'network error: UND_ERR_SOCKET connect UND_ERR_SOCKET' });
		expect(classifyNetworkError(new TypeError('Invalid URL'))).toMatchObject({ retryable: false });
	});

	it('reports exactly the accepted requests, in order', async () => {
		const { clock, options } = setup();
		const script: Record<string, Array<HttpResult | Error>> = {};
		const ids = Array.from({ length: 12 }, (_, i) => `r${i}`);
		ids.forEach((id, i) => (script[id] = i % 3 === 0 ? [status(422)] : i % 3 === 1 ? [status(502), networkError('ETIMEDOUT')] : []));
		const result = await deliver(ids, scripted(clock, script).send, options);
		expect(result.delivered).toEqual(ids.filter((_, i) => i % 3 !== 0));
		expect(result.outcomes.filter((o) => o.state === 'delivered').map((o) => o.request)).toEqual(result.delivered);
		expect(result.outcomes).toHaveLength(12);
	});

	it('stops sending after the credential is refused', async () => {
		const { clock, options } = setup();
		const { calls, send } = scripted(clock, { b: [status(401, { title: 'Unauthorized' })] });
		const result = await deliver(['a', 'b', 'c', 'd'], send, options);
		expect(calls.map((c) => c.id)).toEqual(['a', 'b']);
		expect(result.delivered).toEqual(['a']);
		expect(result.outcomes[3]).toMatchObject({ state: 'failed', attempts: 0, reason: expect.stringMatching(/^not sent: an earlier request was refused \(HTTP 401/) });
	});

	it('after a request used up its retries, gives the next one attempt, and stops when that fails too', async () => {
		const { clock, options } = setup();
		// One request the service keeps refusing (a payload it chokes on) holds back nothing...
		const poisoned = scripted(clock, { b: Array(10).fill(status(500)) });
		const first = await deliver(['a', 'b', 'c', 'd'], poisoned.send, options);
		expect(poisoned.calls.map((c) => c.id)).toEqual(['a', 'b', 'b', 'b', 'b', 'c', 'd']);
		expect(first.delivered).toEqual(['a', 'c', 'd']);
		// ...but a service that is down costs one retry budget and one more attempt, not a budget per request.
		const down = scripted(clock, { b: Array(10).fill(status(503)), c: Array(10).fill(status(503)), d: Array(10).fill(status(503)) });
		const second = await deliver(['a', 'b', 'c', 'd', 'e'], down.send, options);
		expect(down.calls.map((c) => c.id)).toEqual(['a', 'b', 'b', 'b', 'b', 'c']);
		expect(second.outcomes.map((o) => o.attempts)).toEqual([1, 4, 1, 0, 0]);
		expect(second.outcomes[2].state === 'failed' && second.outcomes[2].reason).toMatch(/gave up after 1 attempt: the request before it had used up its retries/);
		expect(second.outcomes[4]).toMatchObject({ state: 'failed', reason: expect.stringMatching(/^not sent: the service kept failing \(HTTP 503/) });
	});

	it('asks the service whether it already took a request before sending it, and again before resending one in doubt', async () => {
		const { clock, options } = setup();
		const lost = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		const { calls, send } = scripted(clock, { a: [lost], b: [lost], c: [lost, lost] });
		const asked: string[] = [];
		const taken = new Set(['x']);
		const alreadyTaken = async (id: string, inDoubt: boolean) => {
			asked.push(`${id}${inDoubt ? '?' : ''}`);
			if (id === 'c' && inDoubt) return { state: 'unknown' as const, reason: 'the list could not be read' };
			// The service took "a" although its answer was lost; "b" never arrived.
			if (inDoubt && id === 'a') taken.add('a');
			return taken.has(id) ? { state: 'taken' as const, response: ok } : { state: 'absent' as const };
		};
		const result = await deliver(['x', 'a', 'b', 'c'], send, { ...options, alreadyTaken });
		expect(calls.map((c) => c.id)).toEqual(['a', 'b', 'b', 'c']);
		expect(asked).toEqual(['x', 'a', 'a?', 'b', 'b?', 'c', 'c?', 'c?', 'c?']);
		expect(result.outcomes.map((o) => [o.state, o.attempts])).toEqual([
			['delivered', 0],
			['delivered', 1],
			['delivered', 2],
			['failed', 4],
		]);
		expect(result.outcomes[3].state === 'failed' && result.outcomes[3].reason).toMatch(/may have reached the service and the list could not be read/);
	});

	it('retries an answer cut in the middle of its body (axios: "stream has been aborted")', () => {
		const cut = Object.assign(new Error('stream has been aborted'), { code: 'ERR_BAD_RESPONSE', name: 'AxiosError' });
		expect(classifyNetworkError(cut)).toMatchObject({ retryable: true, maybeDelivered: true });
		expect(classifyNetworkError(Object.assign(new Error('maxContentLength size of 10 exceeded'), { code: 'ERR_BAD_RESPONSE' }))).toMatchObject({ retryable: false });
	});
});
