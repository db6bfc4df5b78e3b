import { DateTime } from 'luxon';
import type { CallOutcome, Touch } from '../shared/contracts';
import { InputDataError } from '../shared/errors';
import { isValidZone } from '../shared/time';
import { channelKey } from './channels';

/**
 * Missed calls by the hour of day (0-23) on the clock of `timeZone` (IANA, e.g. "Europe/Berlin"), with daylight
 * saving applied per call, so a call at 10:00 UTC counts at 11 in a Berlin winter and at 12 in its summer.
 */
export function lostCallsByHour(touches: readonly Touch[], timeZone: string): number[] {
	if (!isValidZone(timeZone)) throw new InputDataError(`"${timeZone}" is not a time zone`, 'Use an IANA name such as Europe/Moscow.');
	const hours = new Array<number>(24).fill(0);
	for (const touch of touches) {
		if (touch.kind !== 'call' || touch.outcome !== 'missed') continue;
		const at = DateTime.fromISO(touch.at, { zone: timeZone });
		if (!at.isValid) throw new InputDataError(`Touch ${touch.touchId}: "${touch.at}" is not an ISO 8601 time`);
		hours[at.hour]++;
	}
	return hours;
}

export interface CallOutcomeRow extends Record<CallOutcome, number> {
	channel: string;
	calls: number;
	/** Calls whose source does not tell how they ended. */
	unknown: number;
}

/** Calls per channel and how they ended, most calls first. */
export function callOutcomesByChannel(touches: readonly Touch[]): CallOutcomeRow[] {
	const rows = new Map<string, CallOutcomeRow>();
	for (const touch of touches) {
		if (touch.kind !== 'call') continue;
		const channel = channelKey(touch.channel);
		let row = rows.get(channel);
		if (row === undefined) {
			row = { channel, calls: 0, answered: 0, missed: 0, short: 0, repeat: 0, unknown: 0 };
			rows.set(channel, row);
		}
		row.calls++;
		row[touch.outcome ?? 'unknown']++;
	}
	return [...rows.values()].sort((a, b) => b.calls - a.calls || a.channel.localeCompare(b.channel));
}
