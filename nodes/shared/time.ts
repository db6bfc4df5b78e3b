import { DateTime, FixedOffsetZone, type Zone } from 'luxon';
import { MAX_TIME_TEXT } from './textLimits';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/**
 * A zone no written offset names (-11:59): a text parsed "in" it that still has it carried no offset of its own, so
 * it is a naive local time.
 */
const NAIVE = FixedOffsetZone.instance(-719);
const NAIVE_FORMATS = ['dd.MM.yyyy HH:mm:ss', 'dd.MM.yyyy HH:mm', 'dd.MM.yyyy', 'yyyy-MM-dd HH:mm:ss'];
// Linear: fixed lengths, anchored (the third reads two characters at each position).
const UNIX_SECONDS = /^\d{10}$/;
const UNIX_MS = /^\d{13}$/;
const HAS_TIME = /[T ]\d/;

/**
 * Reads the dates CRMs write: ISO 8601 with or without an offset, "2021-02-11" plus a separate "18:45:21",
 * "11.02.2021 18:45:21" (1C, Bitrix), unix seconds or milliseconds. A time without an offset is read in `zone`
 * (see wallTimeToEpochMs for the hour a clock change skips or repeats). Returns ISO 8601 with the zone's offset
 * (a written offset is kept), or null when the text is not a date, or when it or `time` is longer than MAX_TIME_TEXT.
 */
export function parseDateTime(value: string | null | undefined, zone: string, time?: string | null, quick = true): string | null {
	if (!value || value.length > MAX_TIME_TEXT || (time && time.length > MAX_TIME_TEXT)) return null;
	const text = value.trim();
	let parsed: DateTime | undefined;
	if (UNIX_SECONDS.test(text)) parsed = DateTime.fromSeconds(Number(text), { zone });
	else if (UNIX_MS.test(text)) parsed = DateTime.fromMillis(Number(text), { zone });
	else {
		const withTime = time && !HAS_TIME.test(text) ? `${text} ${time.trim()}` : text;
		const local = quick ? quickLocalTime(withTime, zone) : null;
		if (local !== null) return local;
		parsed = DateTime.fromISO(withTime.replace(' ', 'T'), { zone: NAIVE, setZone: true });
		let naive = parsed.isValid && parsed.zone === NAIVE;
		for (let f = 0; !parsed.isValid && f < NAIVE_FORMATS.length; f++) {
			parsed = DateTime.fromFormat(withTime, NAIVE_FORMATS[f], { zone: 'UTC' });
			naive = parsed.isValid;
		}
		if (naive) parsed = DateTime.fromMillis(wallTimeToEpochMs(parsed.toMillis() + parsed.offset * MINUTE_MS, zone), { zone });
	}
	if (!parsed?.isValid) return null;
	return parsed.toISO({ suppressMilliseconds: true });
}

const zones = new Map<string, Zone>();

function zoneNamed(name: string): Zone {
	let zone = zones.get(name);
	if (zone === undefined) zones.set(name, (zone = DateTime.now().setZone(name).zone));
	return zone;
}

/**
 * The offsets (minutes) a wall-clock time (`wallMs`: its fields read as UTC) has in a zone: one as a rule, two in
 * the hour a clock change repeats (the smaller, later instant, first), none in the hour it skips. Asks the zone
 * about instants only, never about "now": luxon's own reading of such a time starts from the zone's offset today,
 * so the same text gave a different instant in summer and in winter.
 */
function offsetsOfWallTime(wallMs: number, zone: Zone): number[] {
	const candidates = [zone.offset(wallMs - DAY_MS), zone.offset(wallMs), zone.offset(wallMs + DAY_MS)].sort((a, b) => a - b);
	const offsets: number[] = [];
	for (let i = 0; i < candidates.length; i++) {
		const offset = candidates[i];
		if (offset !== candidates[i - 1] && zone.offset(wallMs - offset * MINUTE_MS) === offset) offsets.push(offset);
	}
	return offsets;
}

/**
 * A naive local time in `zone` as epoch ms, the same on every day of the year: always the later reading. In the
 * hour a clock change repeats (autumn), the second of the two instants, after the clock went back (02:30 in Berlin
 * on the last Sunday of October is 02:30 winter time, +01:00); in the hour it skips (spring), the clock read as if
 * it had not yet changed, which lands as far after the change as the time is after its start (02:30 on the last
 * Sunday of March is 03:30 summer time). This is Temporal's "later" disambiguation; luxon gave the same in winter
 * only.
 */
export function wallTimeToEpochMs(wallMs: number, zoneName: string): number {
	const zone = zoneNamed(zoneName);
	const offsets = offsetsOfWallTime(wallMs, zone);
	const offset = offsets.length > 0 ? offsets[0] : Math.min(zone.offset(wallMs - DAY_MS), zone.offset(wallMs + DAY_MS));
	return wallMs - offset * MINUTE_MS;
}

// Linear: anchored, fixed lengths.
const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const RU_LOCAL = /^(\d{2})\.(\d{2})\.(\d{4})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/;
/** Zone → local hour (a number made of year, month, day, hour) → offset in minutes; NaN for an hour with a clock change. */
const offsets = new Map<string, Map<number, number>>();

/**
 * A naive local time in the two shapes feeds use most ("2021-02-11 18:45:21", "11.02.2021 18:45:21") read without
 * luxon's parser: luxon asks Intl for the zone offset on every call, which dominated a 100,000-order import. The
 * offset is asked once per local hour and kept; an hour that holds a clock change (a gap or a repeat), a zero
 * offset and anything out of range take the full path, so the answer is always the full path's.
 */
function quickLocalTime(text: string, zone: string): string | null {
	let parts = ISO_LOCAL.exec(text);
	let year: number, month: number, day: number;
	if (parts) [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
	else {
		parts = RU_LOCAL.exec(text);
		if (!parts) return null;
		[day, month, year] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
	}
	const hour = parts[4] === undefined ? 0 : Number(parts[4]);
	const minute = parts[5] === undefined ? 0 : Number(parts[5]);
	const second = parts[6] === undefined ? 0 : Number(parts[6]);
	if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return null;
	const offset = hourOffset(zone, year, month, day, hour);
	if (Number.isNaN(offset) || offset === 0) return null;
	const abs = Math.abs(offset);
	return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}${offset < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
	return month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : DAYS_IN_MONTH[month - 1];
}

function hourOffset(zone: string, year: number, month: number, day: number, hour: number): number {
	let byHour = offsets.get(zone);
	if (byHour === undefined) offsets.set(zone, (byHour = new Map()));
	const key = ((year * 16 + month) * 32 + day) * 32 + hour;
	let offset = byHour.get(key);
	if (offset === undefined) {
		const start = Date.UTC(year, month - 1, day, hour);
		const atStart = offsetsOfWallTime(start, zoneNamed(zone));
		const atEnd = offsetsOfWallTime(start + 3_599_999, zoneNamed(zone));
		offset = atStart.length === 1 && atEnd.length === 1 && atStart[0] === atEnd[0] ? atStart[0] : NaN;
		if (byHour.size > 50000) byHour.clear();
		byHour.set(key, offset);
	}
	return offset;
}

function pad2(value: number): string {
	return value < 10 ? `0${value}` : String(value);
}

/** true when zone is an IANA time zone name that this runtime knows. */
export function isValidZone(zone: string): boolean {
	return DateTime.local().setZone(zone).isValid;
}

// Linear: at most six characters read at each start position.
const HAS_OFFSET = /(?:Z|[+-]\d\d(?::?\d\d)?)$/i;

/**
 * A moment as epoch milliseconds, so times from different sources compare as instants: ISO text with an offset is
 * read as written (the usual shape digit by digit, several times faster than Date.parse, which matters for a
 * million touches or ten thousand leads ranked on every press), a naive time ("2024-03-05 14:02:11",
 * "05.03.2024 14:02") in `zone`. NaN when it is not a time (or is longer than MAX_TIME_TEXT).
 */
export function toEpochMs(value: string | null | undefined, zone: string): number {
	if (typeof value !== 'string' || value === '' || value.length > MAX_TIME_TEXT) return NaN;
	const fast = isoWithOffsetMs(value);
	if (!Number.isNaN(fast)) return fast;
	if (HAS_OFFSET.test(value) && value.length >= 20 && !hasImpossibleDay(value)) {
		const parsed = Date.parse(value);
		if (!Number.isNaN(parsed)) return parsed;
	}
	const iso = parseDateTime(value, zone);
	return iso === null ? NaN : Date.parse(iso);
}

// Linear: anchored, fixed length.
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** "2023-02-29…", "2024-04-31…": a day the month does not have, which Date.parse would roll into the next month. */
function hasImpossibleDay(value: string): boolean {
	const date = ISO_DATE.exec(value);
	return date !== null && Number(date[3]) > daysInMonth(Number(date[1]), Number(date[2]));
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
	if (day > daysInMonth(year, month)) return NaN;
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
