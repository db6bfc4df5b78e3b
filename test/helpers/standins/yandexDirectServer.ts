import { StandinServer, type Received, type Reply, type StandinOptions } from './standinServer';

/**
 * Yandex Direct API v5 as the Reports service and Clients.get answer, from Direct's documentation:
 * - https://yandex.com/dev/direct/doc/en/spec: the report definition ({ params: { SelectionCriteria: { DateFrom,
 *   DateTo }, FieldNames, ReportName, ReportType, DateRangeType, Format, IncludeVAT } });
 * - https://yandex.com/dev/direct/doc/en/headers: processingMode, returnMoneyInMicros: false (money with two decimals,
 *   else integers times 1,000,000), skipReportHeader / skipColumnHeader / skipReportSummary; retryIn and
 *   reportsInQueue in the answer of a queued report;
 * - https://yandex.com/dev/direct/doc/en/report-format: a TSV of the title row (ReportName and the dates), the column
 *   names, the rows, and a last row with the number of rows;
 * - https://yandex.com/dev/direct/doc/en/mode: 201 (added to the offline queue), 202 (being built), 200 (the report)
 *   to the same request asked again; https://tech.yandex.com/direct/doc/reports/codes-docpage/: 400 for an error in
 *   the request or a limit, 500 for a server error, and the error body { error: { request_id, error_code,
 *   error_string, error_detail } };
 * - https://yandex.com/dev/direct/doc/en/concepts/errors-list: the codes and their messages.
 * The HTTP status of an authorisation error (53) is not documented for Reports; the stand-in answers 403.
 */
export interface DirectRow {
	date: string;
	campaignId: string;
	campaignName: string;
	impressions: number;
	clicks: number;
	/** The day's cost with VAT, in micros (integer text); without VAT it is cost × 100 / 120 (VAT of 20 %), in whole micros. */
	costMicros: string;
}

export interface DirectStandinOptions extends StandinOptions {
	token: string;
	currency?: string;
	rows: DirectRow[];
	/** The logins an agency token may read (Client-Login); none: the token is an advertiser's own and takes no Client-Login. */
	agencyClients?: string[];
	/** How many times a report is answered 201 / 202 before it is ready (0: online, at once). */
	queueSteps?: number;
	/** The retryIn header of a queued report, in seconds. */
	retryIn?: string;
}

/** Direct's errors as its error list words them, with the HTTP status the stand-in answers them with. */
export const DIRECT_ERRORS: Record<number, { status: number; text: string; detail: string }> = {
	52: { status: 500, text: 'Authorization server temporarily unavailable', detail: 'Try calling the method again later' },
	53: { status: 403, text: 'Authorization error', detail: 'Invalid OAuth token' },
	54: { status: 403, text: 'No rights', detail: 'No rights to access the client' },
	152: { status: 400, text: 'Not enough Yandex units', detail: 'Not enough units to perform the operation' },
	506: { status: 400, text: 'Exceeded limit on number of connections', detail: 'You have reached the maximum number of simultaneous connections to the Yandex Direct API' },
	8000: { status: 400, text: 'Invalid request', detail: 'Invalid request' },
};

const FIELDS = ['Date', 'CampaignId', 'CampaignName', 'Impressions', 'Clicks', 'Cost'];

export class YandexDirectServer extends StandinServer {
	/** Asks per ReportName, and each report body as sent. */
	readonly asks = new Map<string, number>();
	readonly reportBodies: string[] = [];
	private readonly failures: number[] = [];
	private requestNumber = 0;

	constructor(private readonly options: DirectStandinOptions) {
		super(options);
	}

	/** The next `times` requests are refused with Direct's error `code` (DIRECT_ERRORS). */
	failNext(code: number, times = 1): this {
		for (let i = 0; i < times; i++) this.failures.push(code);
		return this;
	}

	protected handle(request: Received, reply: Reply): void {
		const requestId = `standin-${++this.requestNumber}`;
		const fail = (code: number, detail?: string) => {
			const known = DIRECT_ERRORS[code];
			reply.json(known.status, { error: { request_id: requestId, error_code: code, error_string: known.text, error_detail: detail ?? known.detail } }, { RequestId: requestId });
		};
		const injected = this.failures.shift();
		if (injected !== undefined) return fail(injected);
		if (request.headers.authorization !== `Bearer ${this.options.token}`) return fail(53);
		const login = request.headers['client-login'];
		if (this.options.agencyClients) {
			if (typeof login !== 'string' || login === '') return fail(8000, 'The Client-Login header must be specified for an agency');
			if (!this.options.agencyClients.includes(login)) return fail(54, `The user ${login} is not a client of this agency`);
		} else if (login !== undefined && login !== '') return fail(54, `The user ${String(login)} is not a client of an agency`);
		if (request.method === 'POST' && request.path === '/json/v5/clients') {
			return reply.json(200, { result: { Clients: [{ Login: typeof login === 'string' ? login : 'advertiser', Currency: this.options.currency ?? 'RUB' }] } });
		}
		if (request.method !== 'POST' || request.path !== '/json/v5/reports') return reply.json(404, { error: 'not found' });
		this.report(request, reply, fail, requestId);
	}

	private report(request: Received, reply: Reply, fail: (code: number, detail?: string) => void, requestId: string): void {
		const params = (request.body as { params?: Record<string, unknown> } | undefined)?.params;
		if (typeof params !== 'object' || params === null) return fail(8000, 'The params object is missing');
		const criteria = params.SelectionCriteria as { DateFrom?: string; DateTo?: string } | undefined;
		const fields = params.FieldNames as string[] | undefined;
		for (const required of ['SelectionCriteria', 'FieldNames', 'ReportName', 'ReportType', 'DateRangeType', 'Format', 'IncludeVAT']) {
			if (params[required] === undefined) return fail(8000, `Required field ${required} is missing`);
		}
		const unknown = (fields ?? []).find((field) => !FIELDS.includes(field));
		if (unknown !== undefined) return fail(8000, `FieldNames contains an unknown field: ${unknown}`);
		if (!['CAMPAIGN_PERFORMANCE_REPORT', 'CUSTOM_REPORT'].includes(String(params.ReportType))) return fail(8000, `ReportType ${String(params.ReportType)} is not supported`);
		if (params.DateRangeType !== 'CUSTOM_DATE' || !criteria?.DateFrom || !criteria.DateTo) return fail(8000, 'DateFrom and DateTo are required for CUSTOM_DATE');
		if (params.Format !== 'TSV') return fail(8000, `Format ${String(params.Format)} is not supported`);
		if (params.IncludeVAT !== 'YES' && params.IncludeVAT !== 'NO') return fail(8000, `IncludeVAT ${String(params.IncludeVAT)} must be YES or NO`);
		this.reportBodies.push(request.raw.toString('utf8'));
		const name = String(params.ReportName);
		const asked = (this.asks.get(name) ?? 0) + 1;
		this.asks.set(name, asked);
		const steps = this.options.queueSteps ?? 0;
		const mode = request.headers.processingmode ?? 'auto';
		if (steps > 0 && mode === 'online') return fail(8000, 'The report cannot be generated in online mode');
		if (asked <= steps) {
			return reply.empty(asked === 1 ? 201 : 202, { retryIn: this.options.retryIn ?? '1', reportsInQueue: '1', RequestId: requestId });
		}
		reply.text(200, this.tsv(request, params, criteria, fields as string[]), { RequestId: requestId });
	}

	private tsv(request: Received, params: Record<string, unknown>, criteria: { DateFrom?: string; DateTo?: string }, fields: string[]): string {
		const header = (name: string) => request.headers[name.toLowerCase()] === 'true';
		const micros = request.headers.returnmoneyinmicros !== 'false';
		const rows = this.options.rows.filter((row) => row.date >= String(criteria.DateFrom) && row.date <= String(criteria.DateTo));
		const cost = (row: DirectRow) => {
			const value = params.IncludeVAT === 'YES' ? BigInt(row.costMicros) : (BigInt(row.costMicros) * 100n) / 120n;
			return micros ? value.toString() : (Number(value / 10000n) / 100).toFixed(2);
		};
		const cell: Record<string, (row: DirectRow) => string> = {
			Date: (row) => row.date,
			CampaignId: (row) => row.campaignId,
			CampaignName: (row) => row.campaignName,
			Impressions: (row) => String(row.impressions),
			Clicks: (row) => String(row.clicks),
			Cost: cost,
		};
		const lines = [
			...(header('skipReportHeader') ? [] : [`"${String(params.ReportName)} (${criteria.DateFrom} - ${criteria.DateTo})"`]),
			...(header('skipColumnHeader') ? [] : [fields.join('\t')]),
			...rows.map((row) => fields.map((field) => cell[field](row)).join('\t')),
			...(header('skipReportSummary') ? [] : [`Total rows: ${rows.length}`]),
		];
		return `${lines.join('\n')}\n`;
	}
}
