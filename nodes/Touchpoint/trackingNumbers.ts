import type { CountryCode } from 'libphonenumber-js/min';
import type { Utm } from '../shared/contracts';
import { InputDataError } from '../shared/errors';
import { jsonArrayParameter } from '../shared/jsonArray';
import { parsePhone } from '../shared/phone';
import { text } from './fields';
import { hasUtm } from './utm';

/** Tracking number in E.164 -> the ad channel the number is shown for. */
export type TrackingTable = ReadonlyMap<string, Utm>;

/** One row of the table the user keeps (a Data Table, a sheet): the number and the channel it stands for. */
export interface TrackingNumberRow {
	number: string | number;
	source?: string | null;
	medium?: string | null;
	campaign?: string | null;
	content?: string | null;
	term?: string | null;
}

/**
 * Builds the lookup, numbers normalised to E.164 with the same countries as the calls, so "8 (495) 123-45-67" in the
 * table finds "+74951234567" in a CDR. A number that is not a phone, a row with neither source nor medium, and one
 * number listed for two different channels are refused with the row.
 */
export function buildTrackingTable(rows: TrackingNumberRow[], countries: CountryCode[]): TrackingTable {
	const table = new Map<string, Utm>();
	rows.forEach((row, index) => {
		const where = `tracking number row ${index + 1}`;
		const written = text(row.number) ?? '';
		const number = parsePhone(written, countries);
		if (number === null) throw new InputDataError(`${where}: "${written}" is not a phone number`, 'Write the number in full, e.g. +7 495 123-45-67.');
		const channel: Utm = {
			source: text(row.source),
			medium: text(row.medium),
			campaign: text(row.campaign),
			content: text(row.content),
			term: text(row.term),
		};
		if (channel.source === null && channel.medium === null) {
			throw new InputDataError(`${where}: ${number} has neither source nor medium`, 'Say which ad channel the number is shown for, e.g. source "yandex", medium "cpc".');
		}
		const known = table.get(number);
		if (known && JSON.stringify(known) !== JSON.stringify(channel)) {
			throw new InputDataError(`${where}: ${number} is already listed for another channel`, 'Keep one row per number.');
		}
		table.set(number, channel);
	});
	return table;
}

/**
 * The channel of a call: the utm the payload carries wins, whole, when it has any value (a call tracker that saw
 * the visit knows better than a number shared by a campaign); otherwise the tracking number's row; otherwise empty.
 */
export function channelOf(payloadUtm: Utm, trackingNumber: string | null, table: TrackingTable): Utm {
	if (hasUtm(payloadUtm) || trackingNumber === null) return payloadUtm;
	const channel = table.get(trackingNumber);
	return channel ? { ...channel } : payloadUtm;
}

/** Rows given as JSON text or an array (a parameter filled by an expression from a Data Table or a sheet). */
export function trackingRowsFromJson(value: unknown): TrackingNumberRow[] {
	return jsonArrayParameter<TrackingNumberRow>(value, 'Tracking Numbers (JSON)', 'Give an array of {number, source, medium, campaign}.');
}
