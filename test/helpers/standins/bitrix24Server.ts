import { parseBracketQuery, type Nested } from './parsing';
import { StandinServer, type Received, type Reply, type StandinOptions } from './standinServer';

export interface BitrixStandinOptions extends StandinOptions {
	userId: string;
	token: string;
	/** Existing deals by id, with their fields. */
	deals?: Record<number, Record<string, string>>;
	/** The leaky bucket: `capacity` requests, draining `drainPerSec` per second (Bitrix24 cloud: 50 and 2). */
	capacity?: number;
	drainPerSec?: number;
	/** Contacts by id for crm.contact.list: NAME, LAST_NAME, and PHONE / EMAIL multi-fields [{ VALUE, VALUE_TYPE }]. */
	contacts?: Record<number, Record<string, unknown>>;
	/** crm.status.list's entries (deal stages: ENTITY_ID DEAL_STAGE or DEAL_STAGE_<pipeline>, STATUS_ID, NAME, SEMANTICS). */
	statuses?: Array<Record<string, string | null>>;
	/** The ID crm.deal.add gives the first deal it creates (then +1 each); 5001 by default. */
	firstNewId?: number;
}

type MethodAnswer = { status: number; body: { result?: unknown; error?: string; error_description?: string; next?: number; total?: number } };

/** A list method's page: always 50 (https://apidocs.bitrix24.com/api-reference/crm/deals/crm-deal-list.html). */
const PAGE = 50;

const CURRENCIES = new Set(['RUB', 'USD', 'EUR', 'UAH', 'KZT', 'BYN']);

/**
 * Bitrix24 REST through an incoming webhook: /rest/<user>/<token>/<method>.json with form, JSON or query parameters;
 * crm.deal.update / crm.deal.get over kept deal state, and batch (at most 50 commands, halt). Wrong token: 401
 * INVALID_CREDENTIALS. The leaky bucket answers 503 QUERY_LIMIT_EXCEEDED when a request would overflow it.
 * Reads, as CRM Deals Import makes them: crm.deal.list (ordered by ID, filter ">=DATE_MODIFY" / ">DATE_MODIFY",
 * pages of 50 by `start`, with `next` and `total`; batch answers carry them in result_next / result_total),
 * crm.contact.list (filter "@ID") and crm.status.list.
 * The lead queue, as Lead Queue's CRM operations use it: crm.deal.add (the deal stored with DATE_CREATE and
 * DATE_MODIFY, answered with its new ID), crm.deal.list filtered by equality on plain keys (CATEGORY_ID, STAGE_ID,
 * ORIGINATOR_ID, ORIGIN_ID), crm.deal.update with ASSIGNED_BY_ID / STAGE_ID (in updateLog), and
 * crm.timeline.comment.add (in comments).
 */
export class Bitrix24Server extends StandinServer {
	readonly deals = new Map<number, Record<string, string>>();
	/** The id of every deal updated, in order (a deal updated twice is here twice). */
	readonly updates: number[] = [];
	/** Every update applied, in order, with the fields it set. */
	readonly updateLog: Array<{ id: number; fields: Record<string, string> }> = [];
	/** Every deal crm.deal.add created: its ID and the fields as sent. */
	readonly addLog: Array<{ id: number; fields: Record<string, string> }> = [];
	/** Every crm.timeline.comment.add's fields, as sent. */
	readonly comments: Array<Record<string, string>> = [];
	/** Requests refused because the bucket was full. */
	overflows = 0;
	/** The highest bucket level reached. */
	peakLevel = 0;
	private level = 0;
	private levelAt = 0;
	private nextId: number;

	constructor(private readonly options: BitrixStandinOptions) {
		super(options);
		for (const [id, fields] of Object.entries(options.deals ?? {})) this.deals.set(Number(id), { ...fields });
		this.nextId = options.firstNewId ?? 5001;
	}

	protected handle(request: Received, reply: Reply): void {
		const match = /^\/rest\/([^/]+)\/([^/]+)\/([A-Za-z0-9_.]+?)(?:\.(json|xml))?$/.exec(request.path);
		if (!match) return reply.json(404, { error: 'NOT_FOUND', error_description: 'Not a REST path' });
		if (match[1] !== this.options.userId || match[2] !== this.options.token) return reply.json(401, { error: 'INVALID_CREDENTIALS', error_description: 'Invalid request credentials' });
		if (!this.admit()) return reply.json(503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' });
		const params: Nested = { ...parseBracketQuery(new URLSearchParams(request.query).toString()), ...(asNested(request.body) ?? {}) };
		const answer = match[3] === 'batch' ? this.batch(params) : this.call(match[3], params);
		reply.json(answer.status, { ...answer.body, time: timing(this.now()) });
	}

	/** Drains the bucket to now; admits the request when one more fits. */
	private admit(): boolean {
		const now = this.now();
		const capacity = this.options.capacity ?? 50;
		this.level = Math.max(0, this.level - ((now - this.levelAt) * (this.options.drainPerSec ?? 2)) / 1000);
		this.levelAt = now;
		if (this.level + 1 > capacity + 1e-9) {
			this.overflows++;
			return false;
		}
		this.level += 1;
		this.peakLevel = Math.max(this.peakLevel, this.level);
		return true;
	}

	/** crm.deal.list: every deal (select is not applied), ordered by ID, filtered by DATE_MODIFY, one page from `start`. */
	private dealList(params: Nested): MethodAnswer {
		const filter = typeof params.filter === 'object' ? params.filter : {};
		const bound = (key: string) => (typeof filter[key] === 'string' ? Date.parse(filter[key] as string) : NaN);
		const [atLeast, after] = [bound('>=DATE_MODIFY'), bound('>DATE_MODIFY')];
		// A key without an operation prefix is an equality filter ("STAGE_ID": "C3:NEW").
		const equal = Object.entries(filter).filter(([key]) => /^[A-Z_]/.test(key));
		const order = typeof params.order === 'object' ? String(params.order.ID ?? 'ASC').toUpperCase() : 'ASC';
		const matching = [...this.deals.entries()]
			.filter(([, deal]) => {
				const modified = Date.parse(deal.DATE_MODIFY ?? '');
				return (Number.isNaN(atLeast) || modified >= atLeast) && (Number.isNaN(after) || modified > after) && equal.every(([key, value]) => deal[key] === value);
			})
			.sort(([a], [b]) => (order === 'DESC' ? b - a : a - b));
		const start = Number(params.start ?? 0);
		const page = matching.slice(start, start + PAGE).map(([dealId, deal]) => ({ ID: String(dealId), ...deal }));
		return { status: 200, body: { result: page, total: matching.length, ...(start + PAGE < matching.length ? { next: start + PAGE } : {}) } };
	}

	/** crm.deal.add: a TITLE is needed; the deal is kept with its fields (as text), DATE_CREATE and DATE_MODIFY. */
	private dealAdd(params: Nested): MethodAnswer {
		const fields = typeof params.fields === 'object' ? (params.fields as Record<string, string>) : null;
		if (!fields) return { status: 400, body: { error: '', error_description: 'Parameter fields must be an array.' } };
		if (!fields.TITLE) return { status: 400, body: { error: '', error_description: 'TITLE is required' } };
		const id = this.nextId++;
		const at = new Date(this.now()).toISOString().replace('Z', '+00:00').replace(/\.\d{3}/, '');
		this.deals.set(id, { DATE_CREATE: at, ...fields, DATE_MODIFY: at });
		this.addLog.push({ id, fields: { ...fields } });
		return { status: 200, body: { result: id } };
	}

	private batch(params: Nested): MethodAnswer {
		const commands = typeof params.cmd === 'object' ? (params.cmd as Nested) : {};
		const keys = Object.keys(commands);
		if (keys.length > 50) return { status: 400, body: { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' } };
		const halt = params.halt === '1' || params.halt === 'true' || (params.halt as unknown) === 1;
		const result: Record<string, unknown> = {};
		const errors: Record<string, unknown> = {};
		const totals: Record<string, unknown> = {};
		const nexts: Record<string, unknown> = {};
		for (const key of keys) {
			const text = String(commands[key]);
			const split = text.indexOf('?');
			const method = split === -1 ? text : text.slice(0, split);
			const answer = this.call(method, parseBracketQuery(split === -1 ? '' : text.slice(split + 1)));
			if (answer.body.error !== undefined) {
				errors[key] = { error: answer.body.error, error_description: answer.body.error_description };
				if (halt) break;
			} else result[key] = answer.body.result;
			if (answer.body.total !== undefined) totals[key] = answer.body.total;
			if (answer.body.next !== undefined) nexts[key] = answer.body.next;
		}
		// PHP's json_encode writes an empty array as [], a keyed one as an object: so does the stand-in.
		const php = (record: Record<string, unknown>) => (Object.keys(record).length === 0 ? [] : record);
		return { status: 200, body: { result: { result: php(result), result_error: php(errors), result_total: php(totals), result_next: php(nexts), result_time: [] } } };
	}

	private call(method: string, params: Nested): MethodAnswer {
		if (method === 'crm.deal.list') return this.dealList(params);
		if (method === 'crm.contact.list') {
			const filter = typeof params.filter === 'object' ? params.filter : {};
			const ids = Object.values(typeof filter['@ID'] === 'object' ? filter['@ID'] : {}).map(Number);
			if (ids.length > PAGE) return { status: 400, body: { error: 'INVALID_ARG_VALUE', error_description: `at most ${PAGE} ids in one page` } };
			const found = ids.filter((contactId) => this.options.contacts?.[contactId] !== undefined).map((contactId) => ({ ID: String(contactId), ...this.options.contacts?.[contactId] }));
			return { status: 200, body: { result: found, total: found.length } };
		}
		if (method === 'crm.deal.add') return this.dealAdd(params);
		if (method === 'crm.timeline.comment.add') {
			const fields = typeof params.fields === 'object' ? (params.fields as Record<string, string>) : null;
			if (!fields || !fields.ENTITY_ID || !fields.ENTITY_TYPE || !fields.COMMENT) return { status: 400, body: { error: 'ERROR_ARGUMENT', error_description: 'ENTITY_ID, ENTITY_TYPE and COMMENT are required' } };
			this.comments.push(fields);
			return { status: 200, body: { result: this.comments.length } };
		}
		if (method === 'crm.status.list') return { status: 200, body: { result: this.options.statuses ?? [], total: this.options.statuses?.length ?? 0 } };
		const id = Number(params.id ?? params.ID);
		if (method === 'crm.deal.get') {
			const deal = this.deals.get(id);
			return deal ? { status: 200, body: { result: { ID: String(id), ...deal } } } : { status: 400, body: { error: '', error_description: 'Not found' } };
		}
		if (method !== 'crm.deal.update') return { status: 404, body: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' } };
		if (!Number.isInteger(id) || id <= 0) return { status: 400, body: { error: '', error_description: 'ID is not defined or invalid.' } };
		const deal = this.deals.get(id);
		if (!deal) return { status: 400, body: { error: '', error_description: 'Not found' } };
		const fields = typeof params.fields === 'object' ? (params.fields as Record<string, unknown>) : null;
		if (!fields) return { status: 400, body: { error: '', error_description: 'Parameter fields must be an array.' } };
		const opportunity = fields.OPPORTUNITY;
		if (opportunity !== undefined && (typeof opportunity !== 'string' || !/^-?\d+(\.\d+)?$/.test(opportunity))) return { status: 400, body: { error: '', error_description: `OPPORTUNITY "${String(opportunity)}" is not a number` } };
		if (fields.CURRENCY_ID !== undefined && !CURRENCIES.has(String(fields.CURRENCY_ID))) return { status: 400, body: { error: '', error_description: `Currency ${String(fields.CURRENCY_ID)} is not found` } };
		if (fields.IS_MANUAL_OPPORTUNITY !== undefined && !['Y', 'N'].includes(String(fields.IS_MANUAL_OPPORTUNITY))) return { status: 400, body: { error: '', error_description: 'IS_MANUAL_OPPORTUNITY must be Y or N' } };
		const applied = Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
		Object.assign(deal, applied);
		this.updates.push(id);
		this.updateLog.push({ id, fields: applied });
		return { status: 200, body: { result: true } };
	}
}

function asNested(body: unknown): Nested | null {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
	// JSON bodies carry numbers and nested objects; the REST reads every leaf as text, like a form.
	const walk = (value: unknown): string | Nested => (value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)])) : String(value));
	return walk(body) as Nested;
}

function timing(now: number) {
	const seconds = now / 1000;
	return { start: seconds, finish: seconds, duration: 0, processing: 0, date_start: new Date(now).toISOString(), date_finish: new Date(now).toISOString(), operating: 0 };
}
