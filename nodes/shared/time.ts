import { DateTime } from 'luxon';

/**
 * Reads the dates CRMs write: ISO 8601 with or without an offset, "2021-02-11" plus a separate "18:45:21",
 * "11.02.2021 18:45:21" (1C, Bitrix), unix seconds or milliseconds. A time without an offset is read in `zone`.
 * Returns ISO 8601 with the zone's offset, or null when the text is not a date.
 */
export function parseDateTime(value: string | null | undefined, zone: string, time?: string | null, quick = true): string | null {
	if (!value) return null;
	const text = value.trim();
	let parsed: DateTime | undefined;
	if (/^\d{10}$/.test(text)) parsed = DateTime.fromSeconds(Number(text), { zone });
	else if (/^\d{13}$/.test(text)) parsed = DateTime.fromMillis(Number(text), { zone });
	else {
		const withTime = time && !/[T ]\d/.test(text) ? `${text} ${time.trim()}` : text;
		const local = quick ? quickLocalTime(withTime, zone) : null;
		if (local !== null) return local;
		parsed = DateTime.fromISO(withTime.replace(' ', 'T'), { zone, setZone: true });
		if (!parsed.isValid) {
			for (const format of ['dd.MM.yyyy HH:mm:ss', 'dd.MM.yyyy HH:mm', 'dd.MM.yyyy', 'yyyy-MM-dd HH:mm:ss']) {
				parsed = DateTime.fromFormat(withTime, format, { zone });
				if (parsed.isValid) break;
			}
		}
	}
	if (!parsed?.isValid) return null;
	return parsed.toISO({ suppressMilliseconds: true });
}

const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const RU_LOCAL = /^(\d{2})\.(\d{2})\.(\d{4})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/;
/** Zone → local hour (a number made of year, month, day, hour) → offset in minutes; NaN for an hour with a clock change. */
const offsets = new Map<string, Map<number, number>>();

/**
 * A naive local time in the two shapes feeds use most ("2021-02-11 18:45:21", "11.02.2021 18:45:21") read without
 * luxon's parser: luxon asks Intl for the zone offset on every call, which dominated a 100,000-order import. The
 * offset is asked once per local hour and kept; an hour that holds a clock change (a gap or a repeat), a zero
 * offset and anything out of range go back to luxon, so the answer is always luxon's.
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

function daysInMonth(year: number, month: number): number {
	if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
	return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function hourOffset(zone: string, year: number, month: number, day: number, hour: number): number {
	let byHour = offsets.get(zone);
	if (byHour === undefined) offsets.set(zone, (byHour = new Map()));
	const key = ((year * 16 + month) * 32 + day) * 32 + hour;
	let offset = byHour.get(key);
	if (offset === undefined) {
		const start = DateTime.fromObject({ year, month, day, hour }, { zone });
		const end = DateTime.fromObject({ year, month, day, hour, minute: 59, second: 59 }, { zone });
		const regular = start.isValid && end.isValid && start.hour === hour && end.hour === hour && end.minute === 59 && start.offset === end.offset;
		offset = regular ? start.offset : NaN;
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

const HAS_OFFSET = /(?:Z|[+-]\d\d(?::?\d\d)?)$/i;

/**
 * A moment as epoch milliseconds, so times from different sources compare as instants: ISO text with an offset is
 * read as written, a naive time ("2024-03-05 14:02:11", "05.03.2024 14:02") in `zone`. NaN when it is not a time.
 */
export function toEpochMs(value: string | null | undefined, zone: string): number {
	if (!value) return NaN;
	if (HAS_OFFSET.test(value) && value.length >= 20) {
		const fast = Date.parse(value);
		if (!Number.isNaN(fast)) return fast;
	}
	const iso = parseDateTime(value, zone);
	return iso === null ? NaN : Date.parse(iso);
}
