import { DateTime } from 'luxon';
import { InputDataError } from '../shared/errors';
import { isValidZone } from '../shared/time';
import { isoDate } from './spendRows';

export type DateRangeKind = 'yesterday' | 'lastDays' | 'custom';

export const DATE_RANGE_KINDS: readonly DateRangeKind[] = ['yesterday', 'lastDays', 'custom'];

/** First and last day, YYYY-MM-DD, both included, on the ad account's clock. */
export interface DayRange {
	start: string;
	end: string;
}

/** The longest range one run asks for: Direct keeps statistics for about three years, Google Ads for longer; a run of 3 years of days is a backfill. */
export const MAX_RANGE_DAYS = 1100;

/**
 * The days to ask for: yesterday, the last `days` days ending yesterday, or a custom start and end, "today" being
 * the date of `now` (epoch ms) in `timeZone`: the ad account's zone, the one its reports count days in.
 */
export function dayRange(kind: DateRangeKind, now: number, timeZone: string, options: { days?: number; start?: string; end?: string }): DayRange {
	if (!isValidZone(timeZone)) throw new InputDataError(`"${timeZone}" is not a time zone`, 'Use an IANA name such as Europe/Moscow.');
	const yesterday = DateTime.fromMillis(now, { zone: timeZone }).startOf('day').minus({ days: 1 });
	let range: DayRange;
	switch (kind) {
		case 'yesterday':
			range = { start: yesterday.toISODate() as string, end: yesterday.toISODate() as string };
			break;
		case 'lastDays': {
			const days = options.days ?? NaN;
			if (!Number.isInteger(days) || days < 1 || days > MAX_RANGE_DAYS) throw new InputDataError(`Last N Days "${String(options.days)}" is not a number of days`, `Use a whole number from 1 to ${MAX_RANGE_DAYS}.`);
			range = { start: yesterday.minus({ days: days - 1 }).toISODate() as string, end: yesterday.toISODate() as string };
			break;
		}
		case 'custom':
			range = { start: readDay(options.start, 'Start Date'), end: readDay(options.end, 'End Date') };
			if (range.end < range.start) throw new InputDataError(`The End Date (${range.end}) is before the Start Date (${range.start})`, 'Swap them.');
			break;
		default:
			throw new InputDataError(`Unknown date range "${String(kind)}"`, `Use one of ${DATE_RANGE_KINDS.join(', ')}.`);
	}
	const length = Date.parse(`${range.end}T00:00:00Z`) / 86_400_000 - Date.parse(`${range.start}T00:00:00Z`) / 86_400_000 + 1;
	if (length > MAX_RANGE_DAYS) throw new InputDataError(`The date range has ${length} days, more than ${MAX_RANGE_DAYS}`, 'Ask for a shorter range, or backfill in several runs.');
	return range;
}

function readDay(value: string | undefined, what: string): string {
	const text = String(value ?? '').trim();
	const date = isoDate(text);
	if (date === null) throw new InputDataError(`${what} "${text.slice(0, 40)}" is not a date`, 'Write it as YYYY-MM-DD, e.g. 2026-11-30.');
	return date;
}
