import { StandinServer, type Received, type Reply, type StandinOptions } from './standinServer';

/**
 * Google Ads API over REST, `POST /v{N}/customers/{customerId}/googleAds:searchStream`, from Google's documentation:
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
	rows: GoogleAdsRow[];
	batchSize?: number;
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
		const path = /^\/v(\d+)\/customers\/(\d+)\/googleAds:searchStream$/.exec(request.path);
		if (request.method !== 'POST' || !path) return reply.json(404, googleAdsError(404, 'NOT_FOUND', 'requestError', 'RESOURCE_NOT_FOUND', `${request.path} not found`));
		const login = request.headers['login-customer-id'];
		if (path[2] !== this.options.customerId || (this.options.managerId !== undefined && login !== this.options.managerId)) {
			return reply.json(403, googleAdsError(403, 'PERMISSION_DENIED', 'authorizationError', 'USER_PERMISSION_DENIED', `User doesn't have permission to access customer ${path[2]}${login ? ` through ${String(login)}` : ''}.`));
		}
		const query = String((request.body as { query?: unknown } | undefined)?.query ?? '');
		this.queries.push(query);
		const range = BETWEEN.exec(query);
		const missing = ['campaign.id', 'campaign.name', 'segments.date', 'metrics.cost_micros', 'customer.currency_code'].find((field) => !query.includes(field));
		if (!range || missing) return reply.json(400, googleAdsError(400, 'INVALID_ARGUMENT', 'queryError', 'BAD_VALUE', `The query is not understood: ${query}`));
		const results = this.options.rows
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
}
