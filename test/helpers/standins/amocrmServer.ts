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
	/** The id of the first lead POST /api/v4/leads/complex creates (then +1 each); 30,000,001 by default. */
	firstNewId?: number;
	/** How long every answer waits (a real account answers in about 100 ms). */
	delayMs?: number;
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
	responsible_user_id?: number;
	loss_reason_id?: number | null;
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
 * The lead queue, as Lead Queue's CRM operations use it: POST /api/v4/leads/complex (a lead with its custom fields and
 * one contact: stored, then read back by GET /api/v4/leads), GET /api/v4/leads with filter[statuses][0][pipeline_id] /
 * [status_id] and with query (a search in the custom fields' values), PATCH /api/v4/leads with responsible_user_id,
 * pipeline_id, status_id and loss_reason_id (applied to the stored leads, so a lead leaves the queue status), and
 * POST /api/v4/leads/notes. Every create, patch and note is logged as sent.
 */
export class AmoCrmServer extends StandinServer {
	readonly leads = new Map<number, AmoLead>();
	/** Every 429 given: when, and how many requests the window held. */
	readonly violations: Array<{ at: number; inWindow: number }> = [];
	blocked = false;
	/** Every lead of every PATCH /api/v4/leads that was applied, as sent. */
	readonly patchLog: Array<Record<string, unknown>> = [];
	/** Every lead of every POST /api/v4/leads/complex, as sent, with the id it got. */
	readonly createLog: Array<{ id: number; lead: Record<string, unknown> }> = [];
	/** Every note of POST /api/v4/leads/notes, as sent. */
	readonly notes: Array<Record<string, unknown>> = [];
	/** The next this-many PATCH requests answer 500 (after the limits and the token are checked). */
	failNextPatches = 0;
	private nextId: number;
	private readonly arrivals: number[] = [];
	private consecutive429: number[] = [];

	constructor(private readonly options: AmoStandinOptions) {
		super(options);
		for (const id of options.leadIds ?? []) this.leads.set(id, { id, price: null, status_id: null, custom_fields_values: null, updated_at: 0 });
		this.nextId = options.firstNewId ?? 30_000_001;
	}

	/** The leads GET /api/v4/leads reads: the readLeads given (a test may swap them), then the ones created. */
	get stored(): AmoReadLead[] {
		return (this.options.readLeads ??= []);
	}

	get tooManyRequests(): number {
		return this.violations.length;
	}

	protected handle(request: Received, reply: Reply): void {
		if (this.options.delayMs) setTimeout(() => this.answer(request, reply), this.options.delayMs);
		else this.answer(request, reply);
	}

	private answer(request: Received, reply: Reply): void {
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
		if (request.method === 'POST' && request.path === '/api/v4/leads/complex') return this.create(request.body, reply, problem);
		if (request.method === 'POST' && request.path === '/api/v4/leads/notes') return this.addNotes(request.body, reply, problem);
		if (request.method === 'PATCH' && this.failNextPatches > 0) {
			this.failNextPatches--;
			return problem(500, 'Internal Server Error', 'Internal error');
		}
		if (request.path !== '/api/v4/leads' || request.method !== 'PATCH') return problem(404, 'Not Found', `${request.method} ${request.path} is not a route of this stand-in`);
		const body = request.body;
		if (!Array.isArray(body) || body.length === 0) return problem(400, 'Bad Request', 'Request body must be a non-empty array of leads');
		if (body.length > 250) return problem(400, 'Bad Request', `Too many entities: ${body.length}, at most 250`);
		const validation = body.map((lead, index) => ({ request_id: typeof lead?.request_id === 'string' ? lead.request_id : String(index), errors: this.leadErrors(lead) })).filter((entry) => entry.errors.length > 0);
		if (validation.length > 0) return problem(400, 'Bad Request', 'Request validation failed', { 'validation-errors': validation });
		const updatedAt = Math.floor(now / 1000);
		const answered = body.map((lead: { id: number; price?: number; status_id?: number; custom_fields_values?: unknown; request_id?: string }, index) => {
			this.patchLog.push(lead);
			// A queue move (it names the pipeline or the responsible user; Revenue Push's price edits name neither) moves the read lead.
			const { pipeline_id: pipeline, status_id: status, responsible_user_id: user, loss_reason_id: lossReason } = lead as unknown as Record<string, number | undefined>;
			const kept = pipeline !== undefined || user !== undefined ? this.stored.find((entry) => entry.id === lead.id) : undefined;
			if (kept) {
				Object.assign(kept, { updated_at: updatedAt }, pipeline === undefined ? {} : { pipeline_id: pipeline }, status === undefined ? {} : { status_id: status }, user === undefined ? {} : { responsible_user_id: user }, lossReason === undefined ? {} : { loss_reason_id: lossReason });
			}
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
		const statuses = Object.values(typeof filter.statuses === 'object' ? filter.statuses : {}).map((entry) => (typeof entry === 'object' ? { pipeline: Number(entry.pipeline_id), status: Number(entry.status_id) } : null));
		if (statuses.some((entry) => entry === null || !Number.isInteger(entry.pipeline) || !Number.isInteger(entry.status))) return problem(400, 'Bad Request', 'filter[statuses] takes pipeline_id and status_id');
		const search = typeof query.query === 'string' ? query.query : null;
		const matching = this.stored.filter(
			(lead) =>
				lead.updated_at >= from &&
				(statuses.length === 0 || statuses.some((entry) => entry?.pipeline === lead.pipeline_id && entry.status === lead.status_id)) &&
				(search === null || (lead.custom_fields_values ?? []).some((field) => field.values.some((value) => String(value.value).includes(search)))),
		);
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

	/** POST /api/v4/leads/complex: each lead stored in its pipeline and status, answered with its id (a plain array). */
	private create(body: unknown, reply: Reply, problem: (status: number, title: string, detail: string, extra?: Record<string, unknown>) => void): void {
		if (!Array.isArray(body) || body.length === 0) return problem(400, 'Bad Request', 'Request body must be a non-empty array of leads');
		if (body.length > 50) return problem(400, 'Bad Request', `Too many entities: ${body.length}, at most 50`);
		const validation = body
			.map((lead: Record<string, unknown>, index) => {
				const errors: Array<{ code: string; path: string; detail: string }> = [];
				const notInt = (path: string) => errors.push({ code: 'InvalidType', path, detail: 'This value should be of type int.' });
				if (typeof lead?.name !== 'string' || lead.name === '') errors.push({ code: 'NotBlank', path: 'name', detail: 'This value should not be blank.' });
				for (const key of ['pipeline_id', 'status_id', 'created_at']) if (lead?.[key] !== undefined && !Number.isInteger(lead[key])) notInt(key);
				const fields = lead?.custom_fields_values;
				if (fields !== undefined && (!Array.isArray(fields) || fields.some((field: Record<string, unknown>) => (field.field_id === undefined) === (field.field_code === undefined) || !Array.isArray(field.values)))) {
					errors.push({ code: 'InvalidType', path: 'custom_fields_values', detail: 'Each field needs field_id or field_code, and values.' });
				}
				const contacts = (lead?._embedded as Record<string, unknown> | undefined)?.contacts;
				if (contacts !== undefined && (!Array.isArray(contacts) || contacts.length > 1)) errors.push({ code: 'InvalidType', path: '_embedded.contacts', detail: 'At most one contact.' });
				return { request_id: typeof lead?.request_id === 'string' ? lead.request_id : String(index), errors };
			})
			.filter((entry) => entry.errors.length > 0);
		if (validation.length > 0) return problem(400, 'Bad Request', 'Request validation failed', { 'validation-errors': validation });
		const now = Math.floor(this.now() / 1000);
		const answered = body.map((lead: Record<string, unknown>, index) => {
			const id = this.nextId++;
			this.createLog.push({ id, lead });
			const fields = (lead.custom_fields_values as Array<{ field_id?: number; field_code?: string; values: AmoFieldValue['values'] }> | undefined) ?? [];
			this.stored.push({
				id,
				name: String(lead.name),
				price: lead.price ?? 0,
				status_id: Number(lead.status_id),
				pipeline_id: Number(lead.pipeline_id),
				created_at: typeof lead.created_at === 'number' ? lead.created_at : now,
				updated_at: now,
				custom_fields_values: fields.length === 0 ? null : fields.map((field) => ({ field_id: field.field_id ?? 0, field_name: field.field_code ?? `Field ${String(field.field_id)}`, field_code: field.field_code ?? null, field_type: field.field_code ? 'tracking_data' : 'text', values: field.values })),
				contacts: [],
			});
			return { id, contact_id: (lead._embedded as Record<string, unknown> | undefined)?.contacts ? id + 500_000_000 : null, company_id: null, request_id: typeof lead.request_id === 'string' ? [lead.request_id] : [String(index)], merged: false };
		});
		reply.json(200, answered, { 'Content-Type': 'application/hal+json' });
	}

	/** POST /api/v4/leads/notes: each note kept as sent. */
	private addNotes(body: unknown, reply: Reply, problem: (status: number, title: string, detail: string) => void): void {
		if (!Array.isArray(body) || body.length === 0 || body.some((note: Record<string, unknown>) => !Number.isInteger(note?.entity_id) || typeof note.note_type !== 'string')) return problem(400, 'Bad Request', 'Each note needs entity_id and note_type');
		const first = this.notes.length;
		this.notes.push(...(body as Array<Record<string, unknown>>));
		reply.json(200, { _embedded: { notes: body.map((note: Record<string, unknown>, index) => ({ id: first + index + 1, entity_id: note.entity_id, request_id: String(index) })) } }, { 'Content-Type': 'application/hal+json' });
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
		for (const key of ['pipeline_id', 'responsible_user_id', 'loss_reason_id']) {
			const value = (lead as Record<string, unknown>)[key];
			if (value !== undefined && !Number.isInteger(value)) notInt(key);
		}
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
