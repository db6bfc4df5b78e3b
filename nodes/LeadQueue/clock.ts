import { DateTime } from 'luxon';

import { InputDataError } from '../shared/errors';
import { isValidZone, toEpochMs } from '../shared/time';

/**
 * "Now" as the workflow passes it: a Date, or ISO text (with an offset; without one it is read in `zone`).
 * The machine's own time zone is never used.
 */
export type Instant = Date | string;

export function instantMs(now: Instant, zone = 'UTC'): number {
	const ms = now instanceof Date ? now.getTime() : toEpochMs(now, zone);
	if (!Number.isFinite(ms)) {
		throw new InputDataError(`"${String(now)}" is not a time`, 'Pass the current time as ISO 8601 with an offset, e.g. {{ $now.toISO() }}.');
	}
	return ms;
}

/** Zones already checked: luxon builds a DateTime to check one, and rules are checked on every ranking. */
const knownZones = new Set<string>();

export function checkZone(zone: string): void {
	if (knownZones.has(zone)) return;
	if (isValidZone(zone)) knownZones.add(zone);
	else {
		throw new InputDataError(`"${zone}" is not a time zone`, 'Use an IANA time zone name such as Europe/Moscow.');
	}
}

/** ISO 8601 with the zone's offset, without milliseconds when there are none. */
export function isoInZone(ms: number, zone: string): string {
	return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) as string;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Epoch milliseconds of a lead time. The usual form, ISO 8601 with seconds and an offset ("2024-06-03T10:15:00+03:00",
 * "2024-06-03T07:15:00.123Z"), is read digit by digit, several times faster than Date.parse, which matters when
 * ranking ten thousand leads on every "take a lead"; anything else goes to the shared parser (a time without an
 * offset is read in `zone`). NaN when it is not a time.
 */
export function leadTimeMs(text: string, zone: string): number {
	if (typeof text !== 'string') return NaN;
	const fast = isoWithOffsetMs(text);
	return Number.isNaN(fast) ? toEpochMs(text, zone) : fast;
}

function isoWithOffsetMs(s: string): number {
	const n = s.length;
	if (n < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
	const separator = s.charCodeAt(10);
	if (separator !== 84 && separator !== 116 && separator !== 32) return NaN;
	const year = twoDigits(s, 0) * 100 + twoDigits(s, 2);
	const month = twoDigits(s, 5);
	const day = twoDigits(s, 8);
	const hour = twoDigits(s, 11);
	const minute = twoDigits(s, 14);
	const second = twoDigits(s, 17);
	if (!(month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59)) return NaN;
	const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
	if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1])) return NaN;
	let at = 19;
	let ms = 0;
	if (s.charCodeAt(at) === 46) {
		let scale = 100;
		at++;
		const start = at;
		while (at < n) {
			const c = s.charCodeAt(at) - 48;
			if (c < 0 || c > 9) break;
			ms += c * scale;
			scale /= 10;
			at++;
		}
		if (at === start) return NaN;
		ms = Math.floor(ms);
	}
	let offset: number;
	const sign = s.charCodeAt(at);
	if ((sign === 90 || sign === 122) && at + 1 === n) offset = 0;
	else if (sign === 43 || sign === 45) {
		const offsetHours = twoDigits(s, at + 1);
		const colon = s.charCodeAt(at + 3) === 58 ? 1 : 0;
		if (at + 5 + colon !== n) return NaN;
		const offsetMinutes = twoDigits(s, at + 3 + colon);
		if (!(offsetHours <= 23 && offsetMinutes <= 59)) return NaN;
		offset = (sign === 45 ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
	} else return NaN;
	return daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + (minute - offset) * 60_000 + second * 1000 + ms;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil): plain arithmetic, where
 * Date.UTC costs most of the time of a parse.
 */
function daysFromCivil(year: number, month: number, day: number): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yearOfEra = y - era * 400;
	const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
	return era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468;
}

/** The number written by two ASCII digits at `from`, or NaN. */
function twoDigits(s: string, from: number): number {
	const tens = s.charCodeAt(from) - 48;
	const units = s.charCodeAt(from + 1) - 48;
	return tens >= 0 && tens <= 9 && units >= 0 && units <= 9 ? tens * 10 + units : NaN;
}
