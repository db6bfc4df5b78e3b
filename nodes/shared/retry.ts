/** When and how long to wait before trying an HTTP request again: 429 and 5xx are worth a retry, other 4xx are not. */
export function isRetryableStatus(status: number): boolean {
	return status === 429 || status === 408 || (status >= 500 && status <= 599);
}

/**
 * Exponential backoff with full jitter, capped; a Retry-After header (seconds or an HTTP date) wins when it asks
 * for longer. `random` is injectable for tests.
 */
export function backoffMs(attempt: number, retryAfter?: string | null, baseMs = 500, capMs = 30000, random = Math.random): number {
	const exponential = Math.min(capMs, baseMs * 2 ** attempt);
	const jittered = Math.round(exponential / 2 + random() * (exponential / 2));
	if (!retryAfter) return jittered;
	const seconds = Number(retryAfter);
	const asked = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - Date.now();
	return Number.isFinite(asked) && asked > jittered ? Math.min(asked, capMs * 4) : jittered;
}
