import { sleep, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import { n8nSend } from '../../RevenuePush/transport/send';
import { readTimeZone } from '../../shared/nodeParameters';
import { numberParameter, type ItemProblem, type NumberRule } from '../../shared/validation';
import { dayRange, MAX_RANGE_DAYS, type DateRangeKind, type DayRange } from '../dateRange';
import type { Exchange } from '../exchange';
import type { SpendRow } from '../spendRows';

export const DEFAULT_DATE_RANGE: DateRangeKind = 'yesterday';
export const DEFAULT_LAST_DAYS = 7;
export const LAST_DAYS: NumberRule = { name: 'Last N Days', min: 1, max: MAX_RANGE_DAYS, integer: true };

/** What a platform gives the router: the rows, each with the input item it comes from, and the problems. */
export interface PlatformOutput {
	rows: Array<{ row: SpendRow; item: number }>;
	problems: ItemProblem[];
}

/** A platform's execute: `secrets` collects the credential's secrets as soon as they are read, for redaction. */
export type PlatformExecute = (this: IExecuteFunctions, secrets: string[]) => Promise<PlatformOutput>;

/**
 * Each request: 4 attempts within a minute (429, 5xx, timeouts); by default 5 minutes for one answer (a large online
 * report), so a request that hangs that long is not asked again within the minute: the run fails whole.
 */
const RETRY = { maxAttempts: 4, maxTotalMs: 60_000 };
export const DEFAULT_TIMEOUT_SEC = 300;
export const TIMEOUT: NumberRule = { name: 'Timeout (Seconds)', min: 1, max: 600, integer: true };

export function options(ctx: IExecuteFunctions): IDataObject {
	return ctx.getNodeParameter('options', 0, {}) as IDataObject;
}

/** Requests signed by n8n with the credential (httpRequestWithAuthentication), Options → Timeout for each answer, n8n's sleep between tries. */
export function n8nExchange(ctx: IExecuteFunctions, credentialType: string): Exchange {
	const timeoutMs = numberParameter(options(ctx).timeoutSec ?? DEFAULT_TIMEOUT_SEC, TIMEOUT) * 1000;
	return { send: n8nSend(ctx, timeoutMs, credentialType), sleep: async (ms) => await sleep(ms), now: () => Date.now(), retry: RETRY };
}

/** The days the parameters ask for, on the clock of Options → Time Zone (else the workflow's). */
export function readRange(ctx: IExecuteFunctions): DayRange {
	const kind = ctx.getNodeParameter('dateRange', 0, DEFAULT_DATE_RANGE) as DateRangeKind;
	return dayRange(kind, Date.now(), readTimeZone(ctx, options(ctx).timeZone), {
		days: kind === 'lastDays' ? numberParameter(ctx.getNodeParameter('lastDays', 0, DEFAULT_LAST_DAYS), LAST_DAYS) : undefined,
		start: ctx.getNodeParameter('startDate', 0, '') as string,
		end: ctx.getNodeParameter('endDate', 0, '') as string,
	});
}

/** Source or Medium: the parameter, else the platform's default. */
export function channelParameter(ctx: IExecuteFunctions, name: 'source' | 'medium', fallback: string): string {
	return String(ctx.getNodeParameter(name, 0, '') ?? '').trim() || fallback;
}

/** The rows of an API report, all from the run's one input item. */
export function fromFirstItem(rows: SpendRow[]): PlatformOutput['rows'] {
	return rows.map((row) => ({ row, item: 0 }));
}
