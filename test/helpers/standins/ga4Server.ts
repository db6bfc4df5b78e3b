import { StandinServer, type Received, type Reply } from './standinServer';

export interface Ga4ValidationMessage {
	fieldPath: string;
	description: string;
	validationCode: 'VALUE_INVALID' | 'VALUE_REQUIRED' | 'NAME_INVALID' | 'NAME_RESERVED' | 'VALUE_OUT_OF_BOUNDS' | 'EXCEEDED_MAX_ENTITIES' | 'NAME_DUPLICATED';
}

/**
 * GA4 Measurement Protocol: /mp/collect answers 204 to everything, even a broken payload (as GA does: it drops bad
 * data silently); /debug/mp/collect answers 200 with `validationMessages` from real checks of GA's documented limits.
 */
export class Ga4Server extends StandinServer {
	/** Events /mp/collect received, with the request's client_id. */
	collected(): Array<{ clientId: string; event: { name: string; params?: Record<string, unknown>; timestamp_micros?: number } }> {
		return this.received
			.filter((r) => r.path === '/mp/collect' && r.outcome === 204 && r.body && typeof r.body === 'object')
			.flatMap((r) => {
				const body = r.body as { client_id?: string; events?: Array<{ name: string }> };
				return (body.events ?? []).map((event) => ({ clientId: body.client_id ?? '', event }));
			});
	}

	/** transaction_id of every purchase event /mp/collect took, in arrival order. */
	purchaseIds(): string[] {
		return this.collected()
			.filter(({ event }) => event.name === 'purchase')
			.map(({ event }) => String(event.params?.transaction_id));
	}

	protected handle(request: Received, reply: Reply): void {
		if (request.method !== 'POST') return reply.empty(405);
		if (request.path === '/mp/collect') return reply.empty(204);
		if (request.path === '/debug/mp/collect') return reply.json(200, { validationMessages: validateGa4(request, this.now()) });
		reply.empty(404);
	}
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const RESERVED_PREFIXES = ['google_', 'ga_', 'firebase_'];
const RESERVED_EVENTS = new Set(['ad_impression', 'app_remove', 'error', 'first_open', 'first_visit', 'in_app_purchase', 'page_view', 'session_start', 'user_engagement', 'click', 'scroll']);
const PROTOCOL_PARAMS = new Set(['session_id', 'engagement_time_msec']);

export function validateGa4(request: Pick<Received, 'query' | 'raw' | 'body'>, now: number): Ga4ValidationMessage[] {
	const messages: Ga4ValidationMessage[] = [];
	const add = (fieldPath: string, validationCode: Ga4ValidationMessage['validationCode'], description: string) => messages.push({ fieldPath, description, validationCode });
	if (!request.query.measurement_id && !request.query.firebase_app_id) add('measurement_id', 'VALUE_REQUIRED', 'Unable to find non-empty parameter [measurement_id] value in request.');
	if (!request.query.api_secret) add('api_secret', 'VALUE_REQUIRED', 'Unable to find non-empty parameter [api_secret] value in request.');
	if (request.raw.length >= 130_000) add('', 'VALUE_OUT_OF_BOUNDS', `Post body is ${request.raw.length} bytes; it must be smaller than 130kB.`);
	const body = request.body as { client_id?: unknown; events?: unknown; timestamp_micros?: unknown } | undefined;
	if (!body || typeof body !== 'object') {
		add('', 'VALUE_INVALID', 'Unable to parse the request body as JSON.');
		return messages;
	}
	if (typeof body.client_id !== 'string' || body.client_id.length === 0) add('client_id', 'VALUE_REQUIRED', 'Measurement requires a client_id.');
	checkTimestamp(body.timestamp_micros, 'timestamp_micros', now, add);
	if (!Array.isArray(body.events) || body.events.length === 0) {
		add('events', 'VALUE_REQUIRED', 'Measurement requires at least one event.');
		return messages;
	}
	if (body.events.length > 25) add('events', 'EXCEEDED_MAX_ENTITIES', `Measurement has ${body.events.length} events; the maximum is 25.`);
	body.events.forEach((event: { name?: unknown; params?: unknown; timestamp_micros?: unknown }, index: number) => {
		const name = typeof event.name === 'string' ? event.name : '';
		if (!NAME.test(name)) add('events', 'NAME_INVALID', `Event at index: [${index}] has invalid name [${name}]. Names must start with an alphabetic character and contain only alphanumeric characters and underscores.`);
		else if (name.length > 40) add('events', 'VALUE_OUT_OF_BOUNDS', `Event at index: [${index}] has name [${name}] which is longer than 40 characters.`);
		else if (RESERVED_EVENTS.has(name) || RESERVED_PREFIXES.some((p) => name.startsWith(p))) add('events', 'NAME_RESERVED', `Event at index: [${index}] has name [${name}] which is reserved.`);
		checkTimestamp(event.timestamp_micros, `events[${index}].timestamp_micros`, now, add);
		const params = event.params && typeof event.params === 'object' ? (event.params as Record<string, unknown>) : {};
		const entries = Object.entries(params);
		if (entries.length > 25) add(`events[${index}].params`, 'EXCEEDED_MAX_ENTITIES', `Event at index: [${index}] has ${entries.length} params; the maximum is 25.`);
		for (const [param, value] of entries) {
			if (!PROTOCOL_PARAMS.has(param)) {
				if (!NAME.test(param) || param.length > 40) add(`events[${index}].params`, 'NAME_INVALID', `Event param [${param}] has an invalid name.`);
				else if (RESERVED_PREFIXES.some((p) => param.startsWith(p))) add(`events[${index}].params`, 'NAME_RESERVED', `Event param [${param}] has a reserved name.`);
			}
			if (typeof value === 'string' && value.length > 100) add(`events[${index}].params.${param}`, 'VALUE_OUT_OF_BOUNDS', `Event param [${param}] has value [${value.slice(0, 20)}…] which is longer than 100 characters.`);
		}
		if ('currency' in params && (typeof params.currency !== 'string' || !/^[A-Z]{3}$/.test(params.currency))) add(`events[${index}].params.currency`, 'VALUE_INVALID', `Currency [${String(params.currency)}] is not an uppercase 3-letter ISO 4217 code.`);
		if ('value' in params && typeof params.value !== 'number') add(`events[${index}].params.value`, 'VALUE_INVALID', 'Param [value] must be a number.');
		if (Array.isArray(params.items)) {
			if (params.items.length > 200) add(`events[${index}].params.items`, 'EXCEEDED_MAX_ENTITIES', `Event at index: [${index}] has ${params.items.length} items; the maximum is 200.`);
			params.items.forEach((item: Record<string, unknown>, itemIndex: number) => {
				if (!item.item_id && !item.item_name) add(`events[${index}].params.items[${itemIndex}]`, 'VALUE_REQUIRED', 'Item requires one of item_id or item_name.');
				for (const [key, value] of Object.entries(item)) {
					if (typeof value === 'string' && value.length > 100) add(`events[${index}].params.items[${itemIndex}].${key}`, 'VALUE_OUT_OF_BOUNDS', `Item param [${key}] is longer than 100 characters.`);
				}
			});
		}
	});
	return messages;
}

function checkTimestamp(value: unknown, path: string, now: number, add: (path: string, code: Ga4ValidationMessage['validationCode'], text: string) => void): void {
	if (value === undefined) return;
	if (typeof value !== 'number' || !Number.isInteger(value)) return add(path, 'VALUE_INVALID', 'timestamp_micros must be an integer number of microseconds.');
	if (value < 1e15) return add(path, 'VALUE_INVALID', `timestamp_micros [${value}] is not in microseconds (16 digits).`);
	const ms = value / 1000;
	if (ms < now - 72 * 3_600_000) add(path, 'VALUE_OUT_OF_BOUNDS', `timestamp_micros [${value}] is more than 72 hours in the past.`);
	if (ms > now + 15 * 60_000) add(path, 'VALUE_OUT_OF_BOUNDS', `timestamp_micros [${value}] is in the future.`);
}
