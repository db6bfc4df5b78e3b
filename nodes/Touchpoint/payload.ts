import { InputDataError } from '../shared/errors';
import { isRecord, type Fields } from './fields';

const FORM_ENCODED = /^[^=&\s]+=[^&\n]*(?:&[^=&\s]+=[^&\n]*)*$/;

/**
 * Brings what a webhook or a file gives into one shape before detection:
 * - JSON text is parsed, x-www-form-urlencoded text ("event=NOTIFY_END&caller_id=...") becomes fields;
 *   any other text (Master.csv) stays text;
 * - an n8n Webhook item ({ headers, params, query, body }) becomes its body, or its query when the body is empty
 *   (Calltouch and Zadarma can call with GET);
 * - flat bracket keys ("callDetails[callTrackingData][utm_source]") become nested objects.
 */
export function normalisePayload(payload: unknown): unknown {
	if (typeof payload === 'string') return normaliseText(payload);
	if (Array.isArray(payload)) return payload;
	if (!isRecord(payload)) return payload;
	if (isWebhookItem(payload)) {
		const body = normalisePayload(payload.body);
		const bodyEmpty = body === undefined || body === null || body === '' || (isRecord(body) && Object.keys(body).length === 0);
		return bodyEmpty && isRecord(payload.query) ? expandBracketKeys(payload.query) : body;
	}
	return expandBracketKeys(payload);
}

function normaliseText(value: string): unknown {
	const text = value.replace(/^\uFEFF/, '').trim();
	if (text.startsWith('{') || text.startsWith('[')) {
		const decoded = decodeJson(text);
		if ('error' in decoded) {
			throw new InputDataError(
				`the payload looks like JSON but does not parse: ${decoded.error}`,
				'Send the body as the sender sent it; a body cut short or edited by hand does not parse.',
			);
		}
		return normalisePayload(decoded.value);
	}
	if (FORM_ENCODED.test(text)) return expandBracketKeys(Object.fromEntries(new URLSearchParams(text)));
	return text;
}

/** JSON.parse without throwing: the value, or the parser's message. */
export function decodeJson(text: string): { value: unknown } | { error: string } {
	try {
		return { value: JSON.parse(text) as unknown };
	} catch (error) {
		return { error: (error as Error).message };
	}
}

function isWebhookItem(record: Fields): boolean {
	return 'body' in record && (isRecord(record.headers) || isRecord(record.query));
}

/** Names that would reach Object.prototype if used as keys of a plain object. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** { "a[b][c]": 1, "a[d]": 2 } -> { a: { b: { c: 1 }, d: 2 } }; a key already set is not overwritten. */
export function expandBracketKeys(record: Fields): Fields {
	if (!Object.keys(record).some((key) => key.includes('['))) return record;
	const out: Fields = {};
	for (const [key, value] of Object.entries(record)) {
		const match = /^([^[\]]+)((?:\[[^\]]*\])+)$/.exec(key);
		setPath(out, match ? [match[1], ...match[2].slice(1, -1).split('][')] : [key], value);
	}
	return out;
}

function setPath(root: Fields, path: string[], value: unknown): void {
	if (path.some((step) => UNSAFE_KEYS.has(step))) return;
	let node = root;
	for (const step of path.slice(0, -1)) {
		const next = Object.hasOwn(node, step) ? node[step] : {};
		// a plain value already holds this name: the deeper key has nowhere to go
		if (!isRecord(next)) return;
		// a copy, so that the payload's own objects are never written to
		const copy = { ...next };
		node[step] = copy;
		node = copy;
	}
	const last = path[path.length - 1];
	if (!Object.hasOwn(node, last)) node[last] = value;
}
