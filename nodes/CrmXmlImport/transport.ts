import { NodeApiError, NodeOperationError, sleep, type IExecuteFunctions, type IHttpRequestOptions, type JsonObject } from 'n8n-workflow';
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

/**
 * GETs the feed as a stream (nothing is buffered whole), with the feed credential when one is chosen.
 * 429 and 5xx are retried with backoff (Retry-After honoured); other statuses fail with the server's own words.
 */
export async function openFeedUrl(ctx: IExecuteFunctions, itemIndex: number, url: string, withCredential: boolean, timeoutMs: number): Promise<AsyncIterable<Uint8Array>> {
	if (!/^https?:\/\//i.test(url)) {
		throw new NodeOperationError(ctx.getNode(), `The URL "${safeUrl(url)}" is not an http(s) URL`, { itemIndex, description: 'Write the full address of the export, starting with https://' });
	}
	const request: IHttpRequestOptions = {
		method: 'GET',
		url,
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: timeoutMs,
		headers: { 'Accept-Encoding': 'gzip, deflate', Accept: 'application/xml, text/xml, */*' },
	};
	for (let attempt = 0; ; attempt++) {
		let response: StreamResponse;
		try {
			response = (withCredential
				? await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'crmFeedApi', request)
				: await ctx.helpers.httpRequest(request)) as StreamResponse;
		} catch (error) {
			if (attempt + 1 < MAX_ATTEMPTS) {
				await sleep(backoffMs(attempt));
				continue;
			}
			throw new NodeApiError(ctx.getNode(), error as JsonObject, {
				itemIndex,
				message: `Could not download the feed from ${safeUrl(url)}: ${(error as Error).message}`,
				description: 'Check the URL, that the server is reachable from n8n, and the timeout.',
			});
		}
		const status = response.statusCode;
		if (status >= 200 && status < 300) return response.body;
		const text = await readSome(response.body);
		response.body.destroy?.();
		if (isRetryableStatus(status) && attempt + 1 < MAX_ATTEMPTS) {
			await sleep(backoffMs(attempt, response.headers['retry-after']));
			continue;
		}
		const hint =
			status === 401 || status === 403
				? 'The server refused the credentials: check the CRM XML Feed credential (user, password or token).'
				: status === 404
					? 'Nothing is at this URL: check the export address.'
					: isRetryableStatus(status)
						? `The server kept failing after ${MAX_ATTEMPTS} tries; try again later.`
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
