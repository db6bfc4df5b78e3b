/**
 * Failures a stand-in injects on demand, in order: the next N requests get them before any real handling.
 * - status: answer with that status (500, 503, 429, ...), optionally with a Retry-After header or a body;
 * - timeout: read the request, then hold the socket open without answering;
 * - drop: start a 200 answer and destroy the socket in the middle of its body;
 * - reset: destroy the socket as soon as the request arrived, before any answer;
 * - lostAnswer: handle the request (the service acts on it), then lose the answer the way `after` says: reset the
 *   socket, cut the body after its first bytes ('drop'), or hold the socket open ('hold'): the client cannot tell
 *   that the service did its work;
 * - echo: answer with that status and an HTML error page that repeats the request's Authorization header and its
 *   URL (path and query), as proxies and some services' error pages do: the credential the client sent (a bearer
 *   or OAuth token, an api_secret in the query, a secret in the path) comes back in the answer;
 * - pass: handle the request normally (to let some through before a fault).
 */
export type Fault =
	| { kind: 'status'; status: number; retryAfter?: string; body?: unknown; headers?: Record<string, string> }
	| { kind: 'timeout' }
	| { kind: 'drop' }
	| { kind: 'reset' }
	| { kind: 'lostAnswer'; after: AnswerLoss }
	| { kind: 'echo'; status: number }
	| { kind: 'pass' };

/** How an answer is lost: the socket reset, the body cut after its first bytes, or the socket held open. */
export type AnswerLoss = 'reset' | 'drop' | 'hold';

export type FaultSpec = Fault | number | 'timeout' | 'drop' | 'reset' | 'pass';

export class FaultPlan {
	private readonly queue: Fault[] = [];

	/** The next `count` requests fail with `fault`. */
	next(count: number, fault: FaultSpec): this {
		const resolved: Fault = typeof fault === 'number' ? { kind: 'status', status: fault } : typeof fault === 'string' ? { kind: fault } : fault;
		for (let i = 0; i < count; i++) this.queue.push(resolved);
		return this;
	}

	take(): Fault | undefined {
		return this.queue.shift();
	}

	clear(): void {
		this.queue.length = 0;
	}

	get pending(): number {
		return this.queue.length;
	}
}
