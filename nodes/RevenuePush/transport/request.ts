/**
 * One HTTP request a destination wants sent, with the revenue versions it carries: the node records exactly
 * these `versionKeys` once the request is accepted, and nothing else.
 */
export interface PushRequest {
	/** Stable within a run, for reports: e.g. "amocrm:batch:0". */
	key: string;
	method: 'GET' | 'POST' | 'PATCH';
	url: string;
	headers: Record<string, string>;
	/** Exact bytes to send: JSON or form text, or multipart bytes. */
	body: string | Uint8Array;
	/** The deals (order ids) and revenue versions inside, in body order. */
	orderIds: string[];
	versionKeys: string[];
	/**
	 * A mark the service keeps with what it took (a Metrica upload's comment), for requests it would count twice if
	 * sent twice: before sending one whose fate is unknown, the node asks the service whether it already took it.
	 */
	receiptKey?: string;
}

/** A deal that was not sent, and why (the node reports these per deal). */
export interface Rejection {
	orderId: string;
	reason: string;
}

export function jsonRequest(key: string, method: PushRequest['method'], url: string, payload: unknown, carried: Pick<PushRequest, 'orderIds' | 'versionKeys'>, headers: Record<string, string> = {}): PushRequest {
	return {
		key,
		method,
		url,
		headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
		body: JSON.stringify(payload),
		...carried,
	};
}
