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
