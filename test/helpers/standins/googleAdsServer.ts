import { StandinServer, type Received, type Reply, type StandinOptions } from './standinServer';

/**
 * Google Ads API over REST, `POST /v{N}/customers/{customerId}/googleAds:searchStream` and the conversion uploads
 * `:uploadClickConversions` / `:uploadConversionAdjustments` (see conversionUpload below), from Google's documentation:
 * - https://developers.google.com/google-ads/api/rest/common/search: the body { query }, the headers Authorization
 *   (Bearer), developer-token and, through a manager account, login-customer-id;
 * - the answer is a JSON array of SearchGoogleAdsStreamResponse batches { results, fieldMask, requestId } (up to
 *   10,000 rows each: `batchSize` makes them small, the last one partial); fields in camelCase, int64 as text, and,
 *   proto3 JSON, a field of value 0 left out;
 * - errors (https://developers.google.com/google-ads/api/docs/best-practices/common-errors): { error: { code, message,
 *   status, details: [{ '@type': '...GoogleAdsFailure', errors: [{ errorCode: { quotaError: 'RESOURCE_EXHAUSTED' },
 *   message }], requestId }] } }, searchStream's wrapped in an array.
 */
export interface GoogleAdsRow {
	date: string;
	campaignId: string;
	campaignName: string;
	costMicros: string;
	clicks: number;
	impressions: number;
}

export interface GoogleAdsStandinOptions extends StandinOptions {
	accessToken: string;
	developerToken: string;
	customerId: string;
	/** The manager account a request must name in login-customer-id; none: the token's user reaches the customer itself. */
	managerId?: string;
	currency?: string;
	rows?: GoogleAdsRow[];
	batchSize?: number;
	/** Click ids Google knows (any gclid / gbraid / wbraid); others are EVENT_NOT_FOUND. Not given: every click is known. */
	clicks?: string[];
	/** The conversion action ids of the customer; not given: any. */
	conversionActions?: string[];
}

/**
 * A conversion the stand-in holds, one per order id and conversion action (ORDER_ID_ALREADY_IN_USE for another), with
 * its adjustments applied: `value` 0 and `retracted` after a RETRACTION, `value` the adjusted one after a RESTATEMENT.
 */
export interface HeldConversion {
	orderId: string;
	conversionAction: string;
	click: string;
	conversionDateTime: string;
	value: number;
	currency: string;
	retracted: boolean;
	restatedAt: string[];
}

/** Every row the stand-in took, in order: what the fault table counts. */
export interface TakenRow {
	kind: 'conversion' | 'RETRACTION' | 'RESTATEMENT';
	orderId: string;
	conversionAction: string;
	value: number;
	currency: string;
}

/** Google's date time "yyyy-mm-dd hh:mm:ss+|-hh:mm" (anchored, fixed lengths: linear) as epoch ms, or NaN. */
function googleTime(value: unknown): number {
	if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/.test(value)) return NaN;
	return Date.parse(value.replace(' ', 'T'));
}

interface RowFailure {
	kind: string;
	code: string;
	message: string;
}

/** The partialFailureError of an upload (google.rpc.Status with a GoogleAdsFailure), each error at its row's index. */
function partialFailure(field: string, failures: Array<[number, RowFailure]>): unknown {
	return {
		code: 3,
		message: `Multiple errors in 'details'. First error: ${failures[0][1].message}, at ${field}[${failures[0][0]}]`,
		details: [
			{
				'@type': 'type.googleapis.com/google.ads.googleads.v25.errors.GoogleAdsFailure',
				errors: failures.map(([index, failure]) => ({ errorCode: { [failure.kind]: failure.code }, message: failure.message, location: { fieldPathElements: [{ fieldName: field, index }] } })),
				requestId: 'standin-request',
			},
		],
	};
}

/** A quota error with Google's retryDelay (QuotaErrorDetails), as uploads answer it (HTTP 429, not in an array): inject it as a fault body. */
export function quotaExhausted(retryDelay: string): { error: unknown } {
	const body = googleAdsError(429, 'RESOURCE_EXHAUSTED', 'quotaError', 'RESOURCE_EXHAUSTED', `Too many requests. Retry in ${retryDelay}.`) as { error: { details: Array<{ errors: Array<Record<string, unknown>> }> } };
	body.error.details[0].errors[0].details = { quotaErrorDetails: { rateScope: 'DEVELOPER', rateName: 'Requests per developer token', retryDelay } };
	return body;
}

export function googleAdsError(status: number, statusText: string, kind: string, value: string, message: string): { error: unknown } {
	return {
		error: {
			code: status,
			message,
			status: statusText,
			details: [{ '@type': 'type.googleapis.com/google.ads.googleads.v25.errors.GoogleAdsFailure', errors: [{ errorCode: { [kind]: value }, message }], requestId: 'standin-request' }],
		},
	};
}

/** The quota error as searchStream answers it (HTTP 429, in an array). */
export const QUOTA_EXHAUSTED = [googleAdsError(429, 'RESOURCE_EXHAUSTED', 'quotaError', 'RESOURCE_EXHAUSTED', 'Too many requests. Retry in 30 seconds.')];

const BETWEEN = /segments\.date BETWEEN '(\d{4}-\d{2}-\d{2})' AND '(\d{4}-\d{2}-\d{2})'/;

export class GoogleAdsServer extends StandinServer {
	readonly queries: string[] = [];
	/** The conversions held, by `${orderId} ${conversionAction}`. */
	readonly conversions = new Map<string, HeldConversion>();
	readonly taken: TakenRow[] = [];

	constructor(private readonly options: GoogleAdsStandinOptions) {
		super(options);
	}

	protected handle(request: Received, reply: Reply): void {
		if (request.headers.authorization !== `Bearer ${this.options.accessToken}`) {
			return reply.json(401, googleAdsError(401, 'UNAUTHENTICATED', 'authenticationError', 'OAUTH_TOKEN_INVALID', 'Request had invalid authentication credentials.'));
		}
		if (request.headers['developer-token'] !== this.options.developerToken) {
			return reply.json(401, googleAdsError(401, 'UNAUTHENTICATED', 'authenticationError', 'DEVELOPER_TOKEN_INVALID', 'The developer token is not valid.'));
		}
		const upload = /^\/v(\d+)\/customers\/(\d+):(uploadClickConversions|uploadConversionAdjustments)$/.exec(request.path);
		const path = upload ?? /^\/v(\d+)\/customers\/(\d+)\/googleAds:searchStream$/.exec(request.path);
		if (request.method !== 'POST' || !path) return reply.json(404, googleAdsError(404, 'NOT_FOUND', 'requestError', 'RESOURCE_NOT_FOUND', `${request.path} not found`));
		const login = request.headers['login-customer-id'];
		if (path[2] !== this.options.customerId || (this.options.managerId !== undefined && login !== this.options.managerId)) {
			return reply.json(403, googleAdsError(403, 'PERMISSION_DENIED', 'authorizationError', 'USER_PERMISSION_DENIED', `User doesn't have permission to access customer ${path[2]}${login ? ` through ${String(login)}` : ''}.`));
		}
		if (upload) return this.conversionUpload(upload[3], request, reply);
		const query = String((request.body as { query?: unknown } | undefined)?.query ?? '');
		this.queries.push(query);
		const range = BETWEEN.exec(query);
		const missing = ['campaign.id', 'campaign.name', 'segments.date', 'metrics.cost_micros', 'customer.currency_code'].find((field) => !query.includes(field));
		if (!range || missing) return reply.json(400, googleAdsError(400, 'INVALID_ARGUMENT', 'queryError', 'BAD_VALUE', `The query is not understood: ${query}`));
		const results = (this.options.rows ?? [])
			.filter((row) => row.date >= range[1] && row.date <= range[2])
			.map((row) => ({
				customer: { resourceName: `customers/${path[2]}`, currencyCode: this.options.currency ?? 'USD' },
				campaign: { resourceName: `customers/${path[2]}/campaigns/${row.campaignId}`, id: row.campaignId, name: row.campaignName },
				// proto3 JSON leaves out fields of value 0
				metrics: { ...(row.costMicros !== '0' ? { costMicros: row.costMicros } : {}), ...(row.clicks ? { clicks: String(row.clicks) } : {}), ...(row.impressions ? { impressions: String(row.impressions) } : {}) },
				segments: { date: row.date },
			}));
		const size = this.options.batchSize ?? 10_000;
		const batches = [];
		for (let start = 0; start < results.length; start += size) {
			batches.push({ results: results.slice(start, start + size), fieldMask: 'customer.currencyCode,campaign.id,campaign.name,segments.date,metrics.costMicros,metrics.clicks,metrics.impressions', requestId: 'standin-request' });
		}
		reply.json(200, batches.length > 0 ? batches : [{ fieldMask: 'customer.currencyCode', requestId: 'standin-request' }]);
	}

	/**
	 * uploadClickConversions and uploadConversionAdjustments as the reference describes them: partialFailure required
	 * (else 400 for the whole request), at most 2000 rows; each row checked on its own and answered at its index in
	 * partialFailureError, the others processed; validateOnly checks and keeps nothing.
	 */
	private conversionUpload(method: string, request: Received, reply: Reply): void {
		const body = (request.body ?? {}) as { conversions?: unknown; conversionAdjustments?: unknown; partialFailure?: unknown; validateOnly?: unknown };
		const field = method === 'uploadClickConversions' ? 'conversions' : 'conversion_adjustments';
		const rows = method === 'uploadClickConversions' ? body.conversions : body.conversionAdjustments;
		if (body.partialFailure !== true) return reply.json(400, googleAdsError(400, 'INVALID_ARGUMENT', 'requestError', 'INVALID_INPUT', 'partial_failure must be true for conversion uploads.'));
		if (!Array.isArray(rows) || rows.length === 0) return reply.json(400, googleAdsError(400, 'INVALID_ARGUMENT', 'requestError', 'REQUIRED_FIELD_MISSING', `${field} is required.`));
		if (rows.length > 2000) return reply.json(400, googleAdsError(400, 'INVALID_ARGUMENT', 'conversionUploadError', 'TOO_MANY_CONVERSIONS_IN_REQUEST', 'Upload fewer than 2001 events in a single request.'));
		const keep = body.validateOnly !== true;
		const orderIds = rows.map((row: { orderId?: unknown }) => String(row?.orderId ?? ''));
		const failures: Array<[number, RowFailure]> = [];
		const results = (rows as Array<Record<string, unknown>>).map((row, index) => {
			const repeated = method === 'uploadClickConversions' && orderIds[index] !== '' && orderIds.indexOf(orderIds[index]) !== orderIds.lastIndexOf(orderIds[index]);
			const failure = repeated
				? { kind: 'conversionUploadError', code: 'DUPLICATE_ORDER_ID', message: 'Imported events include multiple conversions with the same order ID and were not processed.' }
				: method === 'uploadClickConversions'
					? this.clickConversion(row, keep)
					: this.adjustment(row, keep);
			if (failure) failures.push([index, failure]);
			return failure || !keep ? {} : { orderId: orderIds[index], conversionAction: row.conversionAction };
		});
		reply.json(200, { ...(keep ? { results } : {}), ...(failures.length > 0 ? { partialFailureError: partialFailure(field, failures) } : {}), jobId: String(this.received.length) });
	}

	private actionProblem(action: unknown): RowFailure | null {
		const match = typeof action === 'string' ? /^customers\/(\d+)\/conversionActions\/(\d+)$/.exec(action) : null;
		if (match && (this.options.conversionActions === undefined || this.options.conversionActions.includes(match[2]))) return null;
		return { kind: 'conversionUploadError', code: 'NO_CONVERSION_ACTION_FOUND', message: 'The conversion action specified in the upload request cannot be found.' };
	}

	private clickConversion(row: Record<string, unknown>, keep: boolean): RowFailure | null {
		const action = this.actionProblem(row.conversionAction);
		if (action) return action;
		const ids = (['gclid', 'gbraid', 'wbraid'] as const).filter((name) => typeof row[name] === 'string');
		if (ids.includes('gbraid') && ids.includes('wbraid')) return { kind: 'conversionUploadError', code: 'GBRAID_WBRAID_BOTH_SET', message: "Can't use both gbraid and wbraid parameters." };
		const click = ids.length > 0 ? String(row[ids[0]]) : '';
		if (click === '' || (this.options.clicks !== undefined && !this.options.clicks.includes(click))) return { kind: 'conversionUploadError', code: 'EVENT_NOT_FOUND', message: 'The imported event could not be attributed to a click.' };
		if (Number.isNaN(googleTime(row.conversionDateTime))) return { kind: 'dateError', code: 'INVALID_FIELD_VALUES_IN_DATE_TIME', message: `conversion_date_time "${String(row.conversionDateTime)}" is not yyyy-mm-dd hh:mm:ss+|-hh:mm.` };
		const key = `${String(row.orderId)} ${String(row.conversionAction)}`;
		if (this.conversions.has(key)) return { kind: 'conversionUploadError', code: 'ORDER_ID_ALREADY_IN_USE', message: 'The imported event includes an order ID that was previously recorded, so the event was not processed.' };
		if (keep) {
			const held: HeldConversion = { orderId: String(row.orderId), conversionAction: String(row.conversionAction), click, conversionDateTime: String(row.conversionDateTime), value: Number(row.conversionValue), currency: String(row.currencyCode), retracted: false, restatedAt: [] };
			this.conversions.set(key, held);
			this.taken.push({ kind: 'conversion', orderId: held.orderId, conversionAction: held.conversionAction, value: held.value, currency: held.currency });
		}
		return null;
	}

	private adjustment(row: Record<string, unknown>, keep: boolean): RowFailure | null {
		const problem = (code: string, message: string): RowFailure => ({ kind: 'conversionAdjustmentUploadError', code, message });
		const action = this.actionProblem(row.conversionAction);
		if (action) return { ...action, kind: 'conversionAdjustmentUploadError' };
		const held = this.conversions.get(`${String(row.orderId)} ${String(row.conversionAction)}`);
		if (!held) return problem('CONVERSION_NOT_FOUND', 'The conversion for this conversion action and conversion identifier can\'t be found.');
		if (held.retracted) return problem('CONVERSION_ALREADY_RETRACTED', 'The conversion was already retracted. This adjustment was not processed.');
		const at = googleTime(row.adjustmentDateTime);
		if (Number.isNaN(at)) return { kind: 'dateError', code: 'INVALID_FIELD_VALUES_IN_DATE_TIME', message: `adjustment_date_time "${String(row.adjustmentDateTime)}" is not yyyy-mm-dd hh:mm:ss+|-hh:mm.` };
		if (at < googleTime(held.conversionDateTime)) return problem('ADJUSTMENT_PRECEDES_CONVERSION', 'Adjustment has an adjustment_date_time that occurred before the associated conversion.');
		if (row.adjustmentType === 'RETRACTION') {
			if (keep) {
				held.retracted = true;
				held.value = 0;
				this.taken.push({ kind: 'RETRACTION', orderId: held.orderId, conversionAction: held.conversionAction, value: 0, currency: held.currency });
			}
			return null;
		}
		if (row.adjustmentType !== 'RESTATEMENT') return { kind: 'fieldError', code: 'INVALID_VALUE', message: `adjustment_type "${String(row.adjustmentType)}" is not RETRACTION or RESTATEMENT.` };
		const restatement = (row.restatementValue ?? {}) as { adjustedValue?: unknown; currencyCode?: unknown };
		if (typeof restatement.adjustedValue !== 'number') return { kind: 'fieldError', code: 'REQUIRED', message: 'restatement_value.adjusted_value is required for a restatement.' };
		if (held.restatedAt.some((time) => googleTime(time) === at)) return problem('RESTATEMENT_ALREADY_EXISTS', 'The conversion has prior a restatement with the same adjustment_date_time.');
		if (held.restatedAt.some((time) => googleTime(time) > at)) return problem('MORE_RECENT_RESTATEMENT_FOUND', 'More recent adjustment adjustment_date_time has already been reported for the associated conversion.');
		if (keep) {
			held.restatedAt.push(String(row.adjustmentDateTime));
			held.value = restatement.adjustedValue;
			held.currency = typeof restatement.currencyCode === 'string' ? restatement.currencyCode : held.currency;
			this.taken.push({ kind: 'RESTATEMENT', orderId: held.orderId, conversionAction: held.conversionAction, value: held.value, currency: held.currency });
		}
		return null;
	}
}
