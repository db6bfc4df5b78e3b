import { parseBracketQuery, type Nested } from './parsing';
import { StandinServer, type Received, type Reply, type StandinOptions } from './standinServer';

export interface AmoStandinOptions extends StandinOptions {
	token: string;
	/** Lead ids that exist; when left out every id exists. */
	leadIds?: number[];
	/** "Not more than 7 requests per second": at most `limit` arrivals in any sliding `windowMs`. */
	limit?: number;
	windowMs?: number;
	/** After this many 429s in a row (no accepted request between) within `blockWindowMs`, every answer is 403. */
	blockAfter?: number;
	blockWindowMs?: number;
	/** Seconds for a Retry-After header on 429 (amoCRM sends none by default). */
	retryAfterSec?: number;
	/** What GET /api/v4/account says; the currency is what CRM Deals Import reads. */
	account?: { id: number; name: string; subdomain: string; currency: string };
	/** The pipelines and their statuses, for GET /api/v4/leads/pipelines (142 and 143 are added to each). */
	pipelines?: Array<{ id: number; name: string; statuses: Array<{ id: number; name: string }> }>;
	/** Leads for GET /api/v4/leads, in the order the API gives them, as its lead model shows them. */
	readLeads?: AmoReadLead[];
	/** Contacts for GET /api/v4/contacts. */
	contacts?: Array<{ id: number; name: string; custom_fields_values: AmoFieldValue[] | null }>;
	/** `_links.next` on every page with leads, the last one too (the reader then gets a 204 for the page after). */
	nextOnLastPage?: boolean;
}

export interface AmoFieldValue {
	field_id: number;
	field_name: string;
	field_code: string | null;
	field_type: string;
	values: Array<{ value: unknown; enum_id?: number; enum_code?: string }>;
}

export interface AmoReadLead {
	id: unknown;
	name: string;
	price: unknown;
	status_id: number;
	pipeline_id: number;
	created_at: number;
	updated_at: number;
	custom_fields_values: AmoFieldValue[] | null;
	/** Linked contacts; shown under _embedded.contacts with `with=contacts`. */
	contacts: Array<{ id: number; is_main: boolean }>;
}

export interface AmoLead {
	id: number;
	price: number | null;
	status_id: number | null;
	custom_fields_values: unknown;
	updated_at: number;
}

/**
 * amoCRM / Kommo API v4 leads: Bearer check (401 problem+json), PATCH /api/v4/leads validated as amoCRM does (the
 * whole request is refused with per-lead `validation-errors`), 7 requests per sliding second (429 problem+json), and
 * the IP block amoCRM applies to clients that keep hammering (403 for everything).
 * Reads, as CRM Deals Import makes them (shapes from https://www.amocrm.ru/developers/content/crm_platform/leads-api,
 * .../leads_pipelines and https://developers.kommo.com/reference/leads-list): GET /api/v4/account; GET
 * /api/v4/leads/pipelines; GET /api/v4/leads with page, limit (at most 250), with=contacts and
 * filter[updated_at][from] (hal+json, `_links.next` while a page is full, 204 No Content for a page past the last);
 * GET /api/v4/contacts with filter[id] (204 when none is found).
 */
export class AmoCrmServer extends StandinServer {
	readonly leads = new Map<number, AmoLead>();
	/** Every 429 given: when, and how many requests the window held. */
	readonly violations: Array<{ at: number; inWindow: number }> = [];
	blocked = false;
	private readonly arrivals: number[] = [];
	private consecutive429: number[] = [];

	constructor(private readonly options: AmoStandinOptions) {
		super(options);
		for (const id of options.leadIds ?? []) this.leads.set(id, { id, price: null, status_id: null, custom_fields_values: null, updated_at: 0 });
	}

	get tooManyRequests(): number {
		return this.violations.length;
	}

	protected handle(request: Received, reply: Reply): void {
		const now = this.now();
		const problem = (status: number, title: string, detail: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
			reply.json(status, { title, type: `https://httpstatus.es/${status}`, status, detail, ...extra }, { 'Content-Type': 'application/problem+json', ...headers });
		if (this.blocked) return problem(403, 'Forbidden', 'Access from this IP address is blocked for exceeding the API limits');
		const windowMs = this.options.windowMs ?? 1000;
		this.arrivals.push(now);
		while (this.arrivals.length > 0 && this.arrivals[0] <= now - windowMs) this.arrivals.shift();
		if (this.arrivals.length > (this.options.limit ?? 7)) {
			this.violations.push({ at: now, inWindow: this.arrivals.length });
			this.consecutive429 = [...this.consecutive429.filter((at) => at > now - (this.options.blockWindowMs ?? 60_000)), now];
			if (this.consecutive429.length >= (this.options.blockAfter ?? 10)) this.blocked = true;
			return problem(429, 'Too Many Requests', 'Too many requests', {}, this.options.retryAfterSec ? { 'Retry-After': String(this.options.retryAfterSec) } : {});
		}
		this.consecutive429 = [];
		if (request.headers.authorization !== `Bearer ${this.options.token}`) return problem(401, 'Unauthorized', 'Unauthorized');
		if (request.method === 'GET') return this.read(request, reply, problem);
		if (request.path !== '/api/v4/leads' || request.method !== 'PATCH') return problem(404, 'Not Found', `${request.method} ${request.path} is not a route of this stand-in`);
		const body = request.body;
		if (!Array.isArray(body) || body.length === 0) return problem(400, 'Bad Request', 'Request body must be a non-empty array of leads');
		if (body.length > 250) return problem(400, 'Bad Request', `Too many entities: ${body.length}, at most 250`);
		const validation = body.map((lead, index) => ({ request_id: typeof lead?.request_id === 'string' ? lead.request_id : String(index), errors: this.leadErrors(lead) })).filter((entry) => entry.errors.length > 0);
		if (validation.length > 0) return problem(400, 'Bad Request', 'Request validation failed', { 'validation-errors': validation });
		const updatedAt = Math.floor(now / 1000);
		const answered = body.map((lead: { id: number; price?: number; status_id?: number; custom_fields_values?: unknown; request_id?: string }, index) => {
			const current = this.leads.get(lead.id) ?? { id: lead.id, price: null, status_id: null, custom_fields_values: null, updated_at: 0 };
			this.leads.set(lead.id, {
				id: lead.id,
				price: lead.price ?? current.price,
				status_id: lead.status_id ?? current.status_id,
				custom_fields_values: lead.custom_fields_values ?? current.custom_fields_values,
				updated_at: updatedAt,
			});
			return { id: lead.id, updated_at: updatedAt, request_id: lead.request_id ?? String(index), _links: { self: { href: `${this.url}/api/v4/leads/${lead.id}` } } };
		});
		reply.json(200, { _links: { self: { href: `${this.url}/api/v4/leads` } }, _embedded: { leads: answered } }, { 'Content-Type': 'application/hal+json' });
	}

	private read(request: Received, reply: Reply, problem: (status: number, title: string, detail: string) => void): void {
		const hal = (body: unknown) => reply.json(200, body, { 'Content-Type': 'application/hal+json' });
		const query: Nested = parseBracketQuery(new URLSearchParams(request.query).toString());
		const filter = typeof query.filter === 'object' ? query.filter : {};
		if (request.path === '/api/v4/account') return hal(this.options.account ?? { id: 1, name: 'Stand-in', subdomain: 'standin', currency: 'RUB' });
		if (request.path === '/api/v4/leads/pipelines') {
			const pipelines = (this.options.pipelines ?? []).map((pipeline) => ({
				id: pipeline.id,
				name: pipeline.name,
				_embedded: {
					statuses: [...pipeline.statuses, { id: 142, name: 'Успешно реализовано' }, { id: 143, name: 'Закрыто и не реализовано' }].map((status) => ({ ...status, pipeline_id: pipeline.id })),
				},
			}));
			return hal({ _total_items: pipelines.length, _embedded: { pipelines } });
		}
		if (request.path === '/api/v4/contacts') {
			const ids = new Set(Object.values(typeof filter.id === 'object' ? filter.id : {}).map(Number));
			const found = (this.options.contacts ?? []).filter((contact) => ids.has(contact.id));
			return found.length === 0 ? reply.empty(204) : hal({ _page: 1, _embedded: { contacts: found } });
		}
		if (request.path !== '/api/v4/leads') return problem(404, 'Not Found', `GET ${request.path} is not a route of this stand-in`);
		const limit = Number(query.limit ?? 50);
		const page = Number(query.page ?? 1);
		if (!Number.isInteger(limit) || limit < 1 || limit > 250) return problem(400, 'Bad Request', 'limit must be between 1 and 250');
		const from = typeof filter.updated_at === 'object' ? Number(filter.updated_at.from) : -Infinity;
		const matching = (this.options.readLeads ?? []).filter((lead) => lead.updated_at >= from);
		const slice = matching.slice((page - 1) * limit, page * limit);
		if (slice.length === 0) return reply.empty(204);
		const withContacts = String(query.with ?? '').split(',').includes('contacts');
		const self = `${this.url}/api/v4/leads?page=${page}&limit=${limit}`;
		const more = page * limit < matching.length || (this.options.nextOnLastPage ?? false);
		hal({
			_page: page,
			_links: { self: { href: self }, ...(more ? { next: { href: `${this.url}/api/v4/leads?page=${page + 1}&limit=${limit}` } } : {}) },
			_embedded: {
				leads: slice.map(({ contacts, ...lead }) => ({ ...lead, account_id: 1, _links: { self: { href: `${this.url}/api/v4/leads/${String(lead.id)}` } }, _embedded: { tags: [], companies: [], ...(withContacts ? { contacts } : {}) } })),
			},
		});
	}

	private leadErrors(lead: unknown): Array<{ code: string; path: string; detail: string }> {
		const errors: Array<{ code: string; path: string; detail: string }> = [];
		const notInt = (path: string) => errors.push({ code: 'InvalidType', path, detail: 'This value should be of type int.' });
		if (!lead || typeof lead !== 'object') return [{ code: 'InvalidType', path: '', detail: 'This value should be of type object.' }];
		const { id, price, status_id: statusId, custom_fields_values: fields } = lead as Record<string, unknown>;
		if (typeof id !== 'number' || !Number.isInteger(id) || id <= 0) notInt('id');
		else if (this.options.leadIds && !this.leads.has(id)) errors.push({ code: 'NotFound', path: 'id', detail: `Lead ${id} not found` });
		if (price !== undefined && (typeof price !== 'number' || !Number.isInteger(price) || price < 0 || price > 2_147_483_647)) notInt('price');
		if (statusId !== undefined && (typeof statusId !== 'number' || !Number.isInteger(statusId))) notInt('status_id');
		if (fields !== undefined) {
			if (!Array.isArray(fields)) errors.push({ code: 'InvalidType', path: 'custom_fields_values', detail: 'This value should be of type array.' });
			else
				fields.forEach((field: { field_id?: unknown; values?: unknown }, index) => {
					if (typeof field?.field_id !== 'number' || !Number.isInteger(field.field_id)) notInt(`custom_fields_values.${index}.field_id`);
					if (!Array.isArray(field?.values) || field.values.some((v: { value?: unknown }) => v?.value === undefined)) errors.push({ code: 'InvalidType', path: `custom_fields_values.${index}.values`, detail: 'This value should be an array of { value }.' });
				});
		}
		return errors;
	}
}
