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
