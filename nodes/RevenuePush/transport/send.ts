import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import type { HttpResult } from './deliver';
import type { PushRequest } from './request';

/**
 * How the node sends a PushRequest: through n8n's HTTP helper, signed by n8n with the credential's own `authenticate`
 * when `credentialType` is given (httpRequestWithAuthentication), else as the destination built it. Any HTTP status
 * comes back as a result (deliver decides what is retried); a JSON answer is parsed, other text kept for the report.
 */
export function n8nSend(ctx: IExecuteFunctions, timeoutMs: number, credentialType?: string): (request: PushRequest) => Promise<HttpResult> {
	return async (request) => {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			headers: request.headers,
			body: request.body,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: timeoutMs,
			json: false,
		};
		const response = (
			credentialType === undefined ? await ctx.helpers.httpRequest(options) : await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, options)
		) as { statusCode: number; headers: Record<string, string>; body: unknown };
		let body = response.body;
		if (typeof body === 'string' && /^\s*[[{]/.test(body)) {
			try {
				body = JSON.parse(body) as unknown;
			} catch {
				// not JSON after all: keep the text for the error report
			}
		}
		return { status: response.statusCode, headers: response.headers, body };
	};
}
