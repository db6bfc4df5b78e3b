import { field, fieldText, flag, isRecord } from '../fields';
import { buildTouch } from '../touchBuilder';
import { utmFromFields } from '../utm';
import { tagTexts } from './callDetails';
import { one, skip, type TouchSource } from './types';

/**
 * UIS (and CoMagic, the same platform) HTTP notifications: the body is the template the user writes in the account's
 * Notifications section, each value a variable of the event; this reads the variables under their own names, as the
 * UIS documentation lists them for call events ("call_session_id": {{call_session_id}}, ...):
 * - call_session_id (touchId "uis:<call_session_id>": every notification of one call shares it);
 * - start_time, else notification_time ("2024-03-05 14:02:11", the account's time, read in ctx.timeZone);
 * - contact_phone_number (the client), else calling_phone_number; virtual_phone_number the number dialled (tracking
 *   number);
 * - utm_source ... utm_term when the template passes them;
 * - direction "out" (an outgoing call) and is_internal true (an internal call) are skipped;
 * - tags: tags, as UIS's call data gives them ([{ tag_name, ... }]) or as a template writes them (a list of names,
 *   or names separated by commas); the operator: employee_full_name.
 * The call-event variables do not say whether a person answered or for how long, so answered, durationSec and the
 * outcome are null: the reader does not guess them.
 */
export const uisSource: TouchSource = {
	name: 'uis',
	marker: 'call_session_id with contact_phone_number / virtual_phone_number (UIS / CoMagic notification)',
	detect: (payload) =>
		isRecord(payload) && field(payload, 'call_session_id') !== undefined && field(payload, 'contact_phone_number', 'virtual_phone_number') !== undefined,
	parse(payload, ctx) {
		const body = isRecord(payload) ? payload : null;
		const id = fieldText(body, 'call_session_id');
		if (fieldText(body, 'direction')?.toLowerCase() === 'out') return skip(`UIS call ${id ?? '(no id)'} is outgoing; only incoming calls are touches`);
		if (flag(field(body, 'is_internal')) === true) return skip(`UIS call ${id ?? '(no id)'} is internal; only incoming calls are touches`);
		const draft = {
			kind: 'call' as const,
			id,
			time: field(body, 'start_time') ?? field(body, 'notification_time'),
			timeField: 'start_time / notification_time',
			phones: [field(body, 'contact_phone_number') ?? field(body, 'calling_phone_number')],
			emails: [],
			channel: utmFromFields(body),
			trackingNumber: field(body, 'virtual_phone_number'),
			tags: tagTexts(field(body, 'tags'), 'tag_name'),
			operator: field(body, 'employee_full_name'),
			warnings: [],
			raw: payload,
		};
		return one(buildTouch('uis', draft, ctx));
	},
};
