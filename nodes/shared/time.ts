import { DateTime } from 'luxon';

/**
 * Reads the dates CRMs write: ISO 8601 with or without an offset, "2021-02-11" plus a separate "18:45:21",
 * "11.02.2021 18:45:21" (1C, Bitrix), unix seconds or milliseconds. A time without an offset is read in `zone`.
 * Returns ISO 8601 with the zone's offset, or null when the text is not a date.
 */
export function parseDateTime(value: string | null | undefined, zone: string, time?: string | null): string | null {
	if (!value) return null;
	const text = value.trim();
	let parsed: DateTime | undefined;
	if (/^\d{10}$/.test(text)) parsed = DateTime.fromSeconds(Number(text), { zone });
	else if (/^\d{13}$/.test(text)) parsed = DateTime.fromMillis(Number(text), { zone });
	else {
		const withTime = time && !/[T ]\d/.test(text) ? `${text} ${time.trim()}` : text;
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
