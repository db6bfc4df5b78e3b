import { emptyUtm } from '../../shared/contracts';
import { InputDataError } from '../../shared/errors';
import { field, fieldRecord, fieldText, isRecord, text, type Fields } from '../fields';
import { decodeJson } from '../payload';
import { buildTouch } from '../touchBuilder';
import { one, skip, type TouchSource } from './types';

/**
 * Mango Office "summary" event (POST /events/summary), which arrives as form fields vpbx_api_key, sign and `json`,
 * a JSON string; the decoded object is accepted too:
 * - entry_id (touchId), create_time (unix seconds, the call's start), talk_time (when the talk began, 0 if never),
 *   end_time, entry_result 1 answered / 0 not, disconnect_reason (unused);
 * - call_direction 1 incoming (0 internal and 2 outgoing are skipped; absent is read as incoming);
 * - from.number the caller, to.line_number (or line_number) the company number called (tracking number);
 * - to.extension the employee's extension the call went to (the operator). The summary carries no tags.
 * Duration is end_time - talk_time for an answered call, 0 otherwise.
 */
export const mangoSource: TouchSource = {
	name: 'mango',
	marker: 'a summary with entry_id, or its `json` string (Mango Office)',
	detect: (payload) => summaryOf(payload, false) !== null,
	parse(payload, ctx) {
		const summary = summaryOf(payload, true) ?? {};
		const direction = fieldText(summary, 'call_direction');
		const id = fieldText(summary, 'entry_id');
		if (direction !== null && direction !== '1') {
			return skip(`Mango Office call ${id ?? '(no id)'} is ${direction === '2' ? 'outgoing' : 'internal'}; only incoming calls are touches`);
		}
		const from = fieldRecord(summary, 'from');
		const to = fieldRecord(summary, 'to');
		const talkStart = Number(text(field(summary, 'talk_time')) ?? 0);
		const end = Number(text(field(summary, 'end_time')) ?? 0);
		const result = fieldText(summary, 'entry_result');
		const draft = {
			kind: 'call' as const,
			id,
			time: field(summary, 'create_time'),
			timeField: 'create_time',
			phones: [field(from, 'number')],
			emails: [],
			channel: emptyUtm(),
			trackingNumber: field(to, 'line_number') ?? field(summary, 'line_number'),
			durationSec: talkStart > 0 && end >= talkStart ? end - talkStart : 0,
			answered: result === null ? null : result === '1',
			operator: field(to, 'extension'),
			warnings: [],
			raw: summary,
		};
		return one(buildTouch('mango', draft, ctx));
	},
};

/** The summary object: the payload itself, or its `json` field decoded. `strict` turns bad JSON into an error. */
function summaryOf(payload: unknown, strict: boolean): Fields | null {
	if (!isRecord(payload)) return null;
	if ('entry_id' in payload && ('create_time' in payload || 'entry_result' in payload)) return payload;
	const json = fieldText(payload, 'json');
	if (json === null || !json.includes('entry_id')) return null;
	const decoded = decodeJson(json);
	if ('value' in decoded) return isRecord(decoded.value) ? decoded.value : null;
	if (!strict) return null;
	throw new InputDataError(`Mango Office "json" field does not parse: ${decoded.error}`, 'The json form field must hold the event as Mango Office sent it.');
}
