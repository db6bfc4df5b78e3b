import { NodeApiError, type IExecuteFunctions, type IHttpRequestOptions, type JsonObject } from 'n8n-workflow';
import type { Send } from './reader';

interface HttpFailure {
	httpCode?: unknown;
	response?: { status?: unknown; data?: unknown; headers?: Record<string, string> };
	cause?: HttpFailure;
}

/**
 * A read through n8n's HTTP helper, signed by n8n with `credentialType` when given (a long-lived token's Bearer
 * header, or OAuth2, which n8n refreshes on a 401 and retries once). HTTP errors are not ignored here, because n8n
 * refreshes an OAuth2 token only when a request throws; the error's status and body come back as a result, so the
 * reader decides what is retried. A failure without an HTTP status (a network error) is thrown on.
 */
export function n8nSend(ctx: IExecuteFunctions, timeoutMs: number, credentialType?: string): Send {
	return async (request) => {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			returnFullResponse: true,
			timeout: timeoutMs,
			json: true,
			headers: { Accept: 'application/json', ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
			...(request.body === undefined ? {} : { body: request.body }),
		};
		try {
			const response = (
				credentialType === undefined ? await ctx.helpers.httpRequest(options) : await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, options)
			) as { statusCode: number; headers: Record<string, string>; body: unknown };
			return { status: response.statusCode, headers: response.headers, body: response.body };
		} catch (error) {
			const failure = error as HttpFailure;
			const response = failure.response ?? failure.cause?.response;
			const status = Number(response?.status ?? failure.httpCode ?? NaN);
			// No HTTP answer: a network failure, which the reader classifies through the error's cause.
			if (!Number.isInteger(status) || status < 100) throw error instanceof NodeApiError ? error : new NodeApiError(ctx.getNode(), error as JsonObject);
			return { status, headers: response?.headers ?? {}, body: response?.data };
		}
	};
}
