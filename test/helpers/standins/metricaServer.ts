import { csvRecords, type MultipartPart } from './parsing';
import { StandinServer, type Received, type Reply, type StandinOptions } from './standinServer';

const ID_COLUMN: Record<string, string> = { CLIENT_ID: 'ClientId', USER_ID: 'UserId', YCLID: 'Yclid' };
const ORDER_STATUSES = new Set(['IN_PROGRESS', 'PAID', 'CANCELLED', 'SPAM']);

export interface MetricaStandinOptions extends StandinOptions {
	token: string;
	/** Requests per second from one address (Metrica: 30); beyond it 429. */
	ratePerSec?: number;
}

/**
 * Yandex Metrica's management API for uploads: OAuth header check, the offline-conversions upload (multipart CSV,
 * client_id_type, comment) and the simplified CRM orders upload, validated as the docs describe; answers with `uploading`;
 * GET .../offline_conversions/uploadings lists the conversion uploads accepted so far.
 */
export class MetricaServer extends StandinServer {
	/** Conversion rows accepted, with the counter and id type. */
	readonly conversions: Array<Record<string, string> & { counterId: string; idType: string }> = [];
	/** Orders by id (a resend with the same id updates the order, as merge_mode=SAVE does). */
	readonly orders = new Map<string, Record<string, string>>();
	/** Every row accepted, in order: "CLIENT_ID:<id>" / "YCLID:<id>" per conversion, "ORDER:<id>" per CRM order. */
	readonly rows: string[] = [];
	/** Every upload accepted, as the uploadings list of the API gives them back (comment included). */
	readonly uploadings: Array<Record<string, unknown>> = [];
	private readonly arrivals: number[] = [];

	constructor(private readonly options: MetricaStandinOptions) {
		super(options);
	}

	protected handle(request: Received, reply: Reply): void {
		const now = this.now();
		this.arrivals.push(now);
		while (this.arrivals.length > 0 && this.arrivals[0] <= now - 1000) this.arrivals.shift();
		if (this.arrivals.length > (this.options.ratePerSec ?? 30)) return reply.json(429, error(429, 'quota_requests_by_ip', 'Too many requests from this IP'));
		if (request.headers.authorization !== `OAuth ${this.options.token}`) return reply.json(403, error(403, 'invalid_token', 'Invalid oauth_token'));
		if (request.method === 'GET' && /^\/management\/v1\/counter\/\d+\/offline_conversions\/uploadings$/.test(request.path)) {
			return reply.json(200, { uploadings: this.uploadings.filter((uploading) => uploading.type === 'BASIC') });
		}
		const conversions = /^\/management\/v1\/counter\/(\d+)\/offline_conversions\/upload$/.exec(request.path);
		const orders = /^\/cdp\/api\/v1\/counter\/(\d+)\/data\/simple_orders$/.exec(request.path);
		if (request.method !== 'POST' || (!conversions && !orders)) return reply.json(404, error(404, 'not_found', 'Not found'));
		const file = Array.isArray(request.body) ? (request.body as MultipartPart[]).find((part) => part.name === 'file') : undefined;
		if (!file) return reply.json(400, error(400, 'invalid_parameter', 'multipart/form-data with a "file" part is required'));
		const { header, records } = csvRecords(file.content.toString('utf8'));
		const problem = conversions ? this.checkConversions(request, header, records, now) : checkOrders(request, header, records);
		if (problem) return reply.json(400, error(400, 'invalid_parameter', problem));
		const uploading: Record<string, unknown> = { id: 1001 + this.uploadings.length, create_time: new Date(now).toISOString(), source_quantity: records.length, line_quantity: records.length, comment: request.query.comment ?? null, status: 'UPLOADED' };
		if (conversions) {
			for (const record of records) this.conversions.push({ ...record, counterId: conversions[1], idType: request.query.client_id_type });
			this.rows.push(...records.map((record) => `${request.query.client_id_type}:${record[ID_COLUMN[request.query.client_id_type]]}`));
			Object.assign(uploading, { type: 'BASIC', client_id_type: request.query.client_id_type });
		} else {
			for (const record of records) this.orders.set(record.id, { ...this.orders.get(record.id), ...record });
			this.rows.push(...records.map((record) => `ORDER:${record.id}`));
			uploading.api_validation_status = 'PASSED';
		}
		this.uploadings.push(uploading);
		reply.json(200, { uploading });
	}

	private checkConversions(request: Received, header: string[], records: Array<Record<string, string>>, now: number): string | null {
		const type = request.query.client_id_type;
		if (!ID_COLUMN[type]) return `client_id_type must be one of ${Object.keys(ID_COLUMN).join(', ')}`;
		for (const column of [ID_COLUMN[type], 'Target', 'DateTime']) if (!header.includes(column)) return `the file has no ${column} column`;
		for (const [index, record] of records.entries()) {
			const line = index + 2;
			if (!/^\d+$/.test(record[ID_COLUMN[type]])) return `line ${line}: ${ID_COLUMN[type]} is not a number`;
			if (!record.Target) return `line ${line}: Target is empty`;
			if (!/^\d{9,10}$/.test(record.DateTime)) return `line ${line}: DateTime is not a unix timestamp in seconds`;
			if (Number(record.DateTime) * 1000 > now) return `line ${line}: DateTime is in the future`;
			if (record.Price && !/^\d+(\.\d{1,2})?$/.test(record.Price)) return `line ${line}: Price "${record.Price}" is not a number`;
			if (record.Currency && !/^[A-Z]{3}$/.test(record.Currency)) return `line ${line}: Currency "${record.Currency}" is not an ISO 4217 code`;
		}
		return null;
	}
}

function checkOrders(request: Received, header: string[], records: Array<Record<string, string>>): string | null {
	if (!request.query.merge_mode) return 'merge_mode is required';
	for (const column of ['id', 'create_date_time']) if (!header.includes(column)) return `the file has no ${column} column`;
	if (!['client_ids', 'emails', 'phones'].some((column) => header.includes(column))) return 'the file needs one of client_ids, emails, phones';
	for (const [index, record] of records.entries()) {
		const line = index + 2;
		const list = (value: string | undefined) => (value ? value.split(',').filter((v) => v.length > 0) : []);
		if (!/^\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?$/.test(record.create_date_time)) return `line ${line}: create_date_time "${record.create_date_time}" is not yyyy-MM-dd HH:mm:ss`;
		const phones = list(record.phones);
		const emails = list(record.emails);
		if (phones.length + emails.length + list(record.client_ids).length === 0) return `line ${line}: no client_ids, emails or phones`;
		const badPhone = phones.find((phone) => !/^\d{10,15}$/.test(phone));
		if (badPhone) return `line ${line}: phone "${badPhone}" must be digits with the country code`;
		const badEmail = emails.find((email) => email !== email.toLowerCase() || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email));
		if (badEmail) return `line ${line}: e-mail "${badEmail}" must be a lower-case address`;
		if (record.order_status && !ORDER_STATUSES.has(record.order_status)) return `line ${line}: order_status "${record.order_status}" is unknown`;
		if (record.revenue && !/^\d+(\.\d{1,2})?$/.test(record.revenue)) return `line ${line}: revenue "${record.revenue}" is not a number`;
	}
	return null;
}

function error(code: number, type: string, message: string) {
	return { errors: [{ error_type: type, message }], code, message };
}

/** The row a deal should become in Metrica: its latest touch's Metrica client id, else its Direct click, else an order. */
export function metricaRowOf(deal: { orderId: string; touches: Array<{ ymClientId: string | null; yclid: string | null }> }): string {
	const latest = (pick: (touch: { ymClientId: string | null; yclid: string | null }) => string | null) => [...deal.touches].reverse().map(pick).find(Boolean);
	const ym = latest((touch) => touch.ymClientId);
	const yclid = latest((touch) => touch.yclid);
	return ym ? `CLIENT_ID:${ym}` : yclid ? `YCLID:${yclid}` : `ORDER:${deal.orderId}`;
}
