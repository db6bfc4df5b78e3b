import type { HttpResult } from '../../../nodes/RevenuePush/transport/deliver';
import type { PushRequest } from '../../../nodes/RevenuePush/transport/request';

/**
 * Sends a PushRequest with fetch, as the node will with n8n's httpRequest: the body is read inside the call, so a
 * connection dropped mid-answer throws like a network failure; `timeoutMs` aborts a held request.
 */
export function fetchSend(timeoutMs = 2000, rewrite: (url: string) => string = (url) => url) {
	return async (request: PushRequest): Promise<HttpResult> => {
		const response = await fetch(rewrite(request.url), { method: request.method, headers: request.headers, body: request.method === 'GET' ? undefined : typeof request.body === 'string' ? request.body : Buffer.from(request.body), signal: AbortSignal.timeout(timeoutMs) });
		const text = await response.text();
		let body: unknown = text;
		try {
			body = text.length > 0 ? JSON.parse(text) : '';
		} catch {
			// not JSON: keep the text
		}
		const headers: Record<string, string> = {};
		response.headers.forEach((value, name) => (headers[name] = value));
		return { status: response.status, headers, body };
	};
}

/** Points a service URL (https://api-metrika.yandex.net/..., https://x.amocrm.ru/...) at a stand-in. */
export function toStandin(base: string) {
	return (url: string): string => {
		const parsed = new URL(url);
		return `${base}${parsed.pathname}${parsed.search}`;
	};
}
