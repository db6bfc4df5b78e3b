/** Codes of failures worth another try: the connection broke or timed out, or the name did not resolve yet. */
const TRANSIENT = new Set([
	'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN',
	'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);
/** ...of which these mean the request never reached the service (so it surely did nothing). */
const NOT_REACHED = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'UND_ERR_CONNECT_TIMEOUT']);
/** axios says "stream has been aborted" (code ERR_BAD_RESPONSE) when the connection breaks in the middle of an answer. */
const TRANSIENT_TEXT = /socket hang up|other side closed|terminated|timed? ?out|network|fetch failed|ECONNRESET|ETIMEDOUT|^stream has been aborted$/i;

export interface NetworkFailure {
	retryable: boolean;
	/** The service may have processed the request before the connection failed (a timeout, a reset mid-answer). */
	maybeDelivered: boolean;
	reason: string;
}

/** What a thrown error from an HTTP call means for the send loop. Causes are followed (fetch wraps them). */
export function classifyNetworkError(error: unknown): NetworkFailure {
	const chain: Array<{ code?: unknown; name?: unknown; message?: unknown }> = [];
	let current: unknown = error;
	for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
		chain.push(current as { code?: unknown; name?: unknown; message?: unknown });
		current = (current as { cause?: unknown }).cause;
	}
	const codes = chain.map((e) => (typeof e.code === 'string' ? e.code : '')).filter((code) => code.length > 0);
	const names = chain.map((e) => (typeof e.name === 'string' ? e.name : ''));
	const messages = chain.map((e) => (typeof e.message === 'string' ? e.message : '')).filter((m) => m.length > 0);
	const reason = `network error: ${[codes[0] ?? names.find((n) => n && n !== 'Error') ?? '', messages[messages.length - 1] ?? String(error)].filter((p) => p).join(' ')}`;
	const timeout = names.some((n) => n === 'TimeoutError' || n === 'AbortError');
	const transient = timeout || codes.some((code) => TRANSIENT.has(code)) || messages.some((m) => TRANSIENT_TEXT.test(m));
	const notReached = codes.length > 0 && codes.every((code) => NOT_REACHED.has(code));
	return { retryable: transient, maybeDelivered: transient && !notReached, reason };
}
