import { NodeApiError, NodeOperationError, sleep, type IExecuteFunctions, type IHttpRequestOptions, type JsonObject } from 'n8n-workflow';
import { InputDataError, redactSecrets } from '../shared/errors';
import { backoffMs, isRetryableStatus } from '../shared/retry';

const MAX_ATTEMPTS = 4;

/** The URL without its query string: what may appear in messages (a query can carry a token). */
export function safeUrl(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.origin}${parsed.pathname}`;
	} catch {
		return '(an invalid URL)';
	}
}

async function readSome(body: AsyncIterable<Uint8Array> | undefined, limit = 512): Promise<string> {
	if (!body) return '';
	const parts: Uint8Array[] = [];
	let length = 0;
	for await (const chunk of body) {
		parts.push(chunk);
		length += chunk.length;
		if (length >= limit) break;
	}
	return new TextDecoder().decode(Buffer.concat(parts).subarray(0, limit)).replace(/\s+/g, ' ').trim();
}

interface StreamResponse {
	statusCode: number;
	headers: Record<string, string | undefined>;
	body: AsyncIterable<Uint8Array> & { destroy?: () => void };
}

/** What went wrong with a request that got no answer, in words that name the timeout when it was the timeout. */
function downloadFailure(error: unknown, timeoutMs: number): string {
	// n8n's request helper wraps the HTTP client's error, and replaces its message with a generic one.
	const cause = (error instanceof NodeApiError && error.cause instanceof Error ? error.cause : error) as Error & { code?: string };
	if (cause.code === 'ECONNABORTED' || cause.code === 'ETIMEDOUT' || /timeout/i.test(cause.message ?? '')) {
		return `the server did not answer within the timeout (${Math.round(timeoutMs / 1000)} s)`;
	}
	return cause.message ?? String(cause);
}

/**
 * The body, with a connection that breaks off, a Content-Encoding the body does not match and a body that stops
 * arriving until the timeout turned into errors that say so (the HTTP client only says "aborted" or
 * "incorrect header check").
 */
async function* guardBody(body: AsyncIterable<Uint8Array>, contentEncoding: string | undefined, deadline: number): AsyncIterable<Uint8Array> {
	let bytes = 0;
	try {
		for await (const chunk of body) {
			bytes += chunk.length;
			yield chunk;
		}
	} catch (error) {
		const code = String((error as { code?: unknown }).code ?? '');
		const failure =
			// zlib's errors: the HTTP client decompresses what the Content-Encoding header announces (and drops the header).
			code.startsWith('Z_')
				? new InputDataError(
						`The server says the feed is compressed (Content-Encoding${contentEncoding ? `: ${contentEncoding}` : ''}) but the body does not decompress (${(error as Error).message}, after ${bytes} bytes)`,
						'The server or a proxy in between sends a wrong Content-Encoding header. Fix the server, or download the file in another way.',
					)
				: Date.now() >= deadline - 100
					? new InputDataError('The feed took longer to download than the timeout allows', 'The server stopped sending. Raise Timeout in the node, or check the server.')
					: new InputDataError(
							`The connection broke off after ${bytes} bytes of the feed (${(error as Error).message}): the download is incomplete`,
							'The server or the network closed the connection in the middle of the file. Run the import again.',
						);
		throw failure;
	}
}

/**
 * GETs the feed as a stream (nothing is buffered whole), with the feed credential when one is chosen.
 * 429 and 5xx are retried with backoff (Retry-After honoured) while the timeout allows; other statuses fail with the
 * server's own words, with `secrets` (the credential's password and token) redacted from them.
 */
export async function openFeedUrl(
	ctx: IExecuteFunctions,
	itemIndex: number,
	url: string,
	withCredential: boolean,
	timeoutMs: number,
	secrets: string[] = [],
): Promise<AsyncIterable<Uint8Array>> {
	if (!/^https?:\/\//i.test(url)) {
		throw new NodeOperationError(ctx.getNode(), `The URL "${safeUrl(url)}" is not an http(s) URL`, { itemIndex, description: 'Write the full address of the export, starting with https://' });
	}
	const deadline = Date.now() + timeoutMs;
	const request: IHttpRequestOptions = {
		method: 'GET',
		url,
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: timeoutMs,
		headers: { 'Accept-Encoding': 'gzip, deflate', Accept: 'application/xml, text/xml, */*' },
	};
	/** Whether a wait of `ms` before the next try still leaves time for it. */
	const canRetry = (attempt: number, ms: number) => attempt + 1 < MAX_ATTEMPTS && Date.now() + ms < deadline;
	for (let attempt = 0; ; attempt++) {
		let response: StreamResponse;
		// Every try gets what is left of the overall timeout, not the whole of it again.
		request.timeout = Math.max(1, deadline - Date.now());
		try {
			response = (withCredential
				? await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'crmFeedApi', request)
				: await ctx.helpers.httpRequest(request)) as StreamResponse;
		} catch (error) {
			const wait = backoffMs(attempt);
			if (canRetry(attempt, wait)) {
				await sleep(wait);
				continue;
			}
			// A NodeOperationError with our own words: n8n's NodeApiError would swap them for a generic text.
			const failure = new NodeOperationError(ctx.getNode(), redactSecrets(`Could not download the feed from ${safeUrl(url)}: ${downloadFailure(error, timeoutMs)}`, secrets), {
				itemIndex,
				description: 'Check the URL, that the server is reachable from n8n, and the timeout.',
			});
			throw failure;
		}
		const status = response.statusCode;
		if (status >= 200 && status < 300) return guardBody(response.body, response.headers['content-encoding'], deadline);
		// The server's words, without the credential: error pages that print the request would show it.
		const text = redactSecrets(await readSome(response.body), secrets);
		response.body.destroy?.();
		const wait = backoffMs(attempt, response.headers['retry-after']);
		if (isRetryableStatus(status) && canRetry(attempt, wait)) {
			await sleep(wait);
			continue;
		}
		const hint =
			status === 401 || status === 403
				? 'The server refused the credentials: check the CRM XML Feed credential (user, password or token).'
				: status === 404
					? 'Nothing is at this URL: check the export address.'
					: isRetryableStatus(status)
						? `The server kept failing after ${attempt + 1} tries; try again later.`
						: 'Check the URL and the credential.';
		throw new NodeApiError(ctx.getNode(), { statusCode: status, body: text } as JsonObject, {
			itemIndex,
			httpCode: String(status),
			message: `The feed URL ${safeUrl(url)} answered HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`,
			description: hint,
		});
	}
}

/** The bytes of a binary property, streamed from n8n's binary store when it keeps them outside the item. */
export async function openBinary(ctx: IExecuteFunctions, itemIndex: number, propertyName: string): Promise<AsyncIterable<Uint8Array>> {
	const binary = ctx.helpers.assertBinaryData(itemIndex, propertyName);
	if (binary.id) return await ctx.helpers.getBinaryStream(binary.id, 1 << 20);
	const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, propertyName);
	return (async function* () {
		for (let i = 0; i < buffer.length; i += 1 << 20) yield buffer.subarray(i, i + (1 << 20));
	})();
}
