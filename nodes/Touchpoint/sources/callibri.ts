import type { Touch, TouchKind } from '../../shared/contracts';
import { InputDataError } from '../../shared/errors';
import { excerpt } from '../../shared/textLimits';
import type { SourceContext } from '../context';
import { field, fieldText, isRecord, seconds, type Fields } from '../fields';
import { buildTouch } from '../touchBuilder';
import { utmFromFields } from '../utm';
import type { SourceResult, TouchSource } from './types';

/** The lists of one channel in Callibri's statistics, and the kind of touch each holds. */
const LISTS: ReadonlyArray<readonly [string, TouchKind]> = [
	['calls', 'call'],
	['feedbacks', 'form'],
	['chats', 'chat'],
	['emails', 'email'],
];

/** A lone record's name_type (lower-case) as Callibri writes it, for the values seen in its data; any other is refused. */
const NAMED_TYPES: Record<string, TouchKind> = { звонок: 'call', заявка: 'form', 'e-mail': 'email' };

/**
 * Callibri (callibri.ru) "обращения" (appeals): the response of its statistics API (GET
 * https://api.callibri.ru/site_get_statistics?site_id=…&date1=…&date2=…, at most a week per request), as an HTTP Request
 * node gives it, or one record of it. The field names are those the API returns, as public clients of it read them
 * (github: callibri loaders and exports that read channels_statistics[].calls / feedbacks / chats / emails and each
 * record's id, date, phone, email, utm_*, billsec, ua_client_id, metrika_client_id, ym_uid, name_type,
 * conversations_number, is_lid, clbvid):
 * - `channels_statistics`: one object per tracking channel, each with the lists `calls` (touches of kind 'call'),
 *   `feedbacks` (site forms: 'form'), `chats` ('chat') and `emails` ('email');
 * - a lone record (Split Out over a list) tells its kind by name_type: "Звонок" call, "Заявка" form, "E-mail" e-mail;
 *   another name_type, or none, is refused (the list it came from is not known), not guessed;
 * - id (else appeal_id): the touchId "callibri:<kind>-<id>", the kind in it so that a call and a form that share a
 *   number stay two touches; a record listed twice in one response (overlapping periods) is kept once, with a note;
 * - date: the appeal's time, with its offset, or read in the node's zone when it has none;
 * - phone, email; ua_client_id (GA client id); metrika_client_id, else ym_uid (Metrica client id);
 * - utm_source … utm_term as the channel (Callibri's own source / traffic_type labels are not utm and are not mapped;
 *   the tracking-number table does not apply: the record names no tracking number);
 * - calls: billsec (talk time) as durationSec, answered when it is above 0 (a call nobody talked on is missed); a call
 *   without billsec has its outcome unknown. Callibri's status and call_status are the account's own classes, not read.
 * Names (name) are not kept; content / comment and form_name only tell records without an id apart.
 */
export const callibriSource: TouchSource = {
	name: 'callibri',
	marker: 'channels_statistics, or conversations_number with clbvid / is_lid (Callibri)',
	detect: (payload) => isRecord(payload) && (Array.isArray(field(payload, 'channels_statistics')) || isAppeal(payload)),
	parse(payload, ctx) {
		const body = isRecord(payload) ? payload : {};
		const channels = field(body, 'channels_statistics');
		if (!Array.isArray(channels)) return { touches: [touchOf(body, loneKind(body, ctx), 'date', ctx)], skipped: [] };
		return statistics(channels, ctx);
	},
};

function isAppeal(record: Fields): boolean {
	return field(record, 'conversations_number') !== undefined && field(record, 'clbvid', 'is_lid') !== undefined;
}

/** Every record of every list of every channel, in order; a touchId seen before in the response is noted, not repeated. */
function statistics(channels: unknown[], ctx: SourceContext): SourceResult {
	const result: SourceResult = { touches: [], skipped: [] };
	const seen = new Set<string>();
	channels.forEach((channel, c) => {
		const lists = isRecord(channel) ? channel : {};
		for (const [list, kind] of LISTS) {
			const rows = field(lists, list);
			if (!Array.isArray(rows)) continue;
			rows.forEach((row: unknown, r) => {
				const where = `channels_statistics[${c}].${list}[${r}]`;
				if (!isRecord(row)) {
					result.skipped.push(`Callibri ${where} is not a record; it is passed over`);
					return;
				}
				const touch = touchOf(row, kind, `${where}.date`, ctx);
				if (seen.has(touch.touchId)) result.skipped.push(`Callibri ${where} (${touch.touchId}) is listed again in the response; it is kept once`);
				else {
					seen.add(touch.touchId);
					result.touches.push(touch);
				}
			});
		}
	});
	return result;
}

function loneKind(record: Fields, ctx: SourceContext): TouchKind {
	const named = fieldText(record, 'name_type');
	const kind = named === null ? undefined : NAMED_TYPES[named.toLowerCase()];
	if (kind !== undefined) return kind;
	throw new InputDataError(
		`Callibri record ${named === null ? 'has no name_type' : `has name_type "${excerpt(named)}"`}: it does not say whether it is a call, a form or an e-mail (${ctx.assumed})`,
		'Pass the site_get_statistics response whole (its calls, feedbacks, chats and emails lists say the kind), not its records one by one.',
	);
}

function touchOf(row: Fields, kind: TouchKind, timeField: string, ctx: SourceContext): Touch {
	const id = fieldText(row, 'id', 'appeal_id');
	const warnings: string[] = [];
	const billsec = kind === 'call' ? seconds(field(row, 'billsec'), 'billsec', warnings) : null;
	const draft = {
		kind,
		id: id === null ? null : `${kind}-${id}`,
		time: field(row, 'date'),
		timeField,
		says: { form: field(row, 'form_name'), page: field(row, 'landing_page'), message: field(row, 'content', 'comment') },
		phones: [field(row, 'phone')],
		emails: [field(row, 'email')],
		gaClientId: field(row, 'ua_client_id'),
		ymClientId: field(row, 'metrika_client_id', 'ym_uid'),
		channel: utmFromFields(row),
		durationSec: billsec,
		answered: billsec === null ? null : billsec > 0,
		warnings,
		raw: row,
	};
	return buildTouch('callibri', draft, ctx);
}
