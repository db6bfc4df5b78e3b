import { field, fieldText, flag, isRecord, seconds } from '../fields';
import { buildTouch } from '../touchBuilder';
import { firstUtm, utmFromFields } from '../utm';
import { tagTexts } from './callDetails';
import { one, type TouchSource } from './types';

/**
 * Calltouch call data, from its HTTP notification (lower-case names: callid, callerphone, phonenumber, timestamp ...)
 * or its calls API (callId, callerNumber, phoneNumber, date "05/03/2024 14:02:11", unixTime ...); names match
 * ignoring case and "_":
 * - callId (touchId); time from timestamp / unixTime (unix) or callTime / date (read in ctx.timeZone);
 * - callerphone / callerNumber the caller, phonenumber the tracking number, duration in seconds;
 * - answered: successful (true/false), else status ("successful" / "unsuccessful");
 * - channel: utmSource ... utmTerm (or utm_source ...); when none is set, Calltouch's own source / medium /
 *   keyword (as term);
 * - clientId (GA) and yaClientId (Metrica). Calltouch's sessionId is its own visit id, not GA's: not mapped;
 * - tags: the names of callTags ([{ category, type, names: [...] }], the calls API; a tag's category is the group the
 *   tag belongs to, not a tag); the operator: manager (the manager's name Calltouch holds for the call).
 */
export const calltouchSource: TouchSource = {
	name: 'calltouch',
	marker: 'callId with callerphone / callerNumber / phonenumber (Calltouch)',
	detect: (payload) => isRecord(payload) && field(payload, 'callId') !== undefined && field(payload, 'callerphone', 'callerNumber', 'phonenumber') !== undefined,
	parse(payload, ctx) {
		const body = isRecord(payload) ? payload : null;
		const status = fieldText(body, 'status');
		const warnings: string[] = [];
		const draft = {
			kind: 'call' as const,
			id: fieldText(body, 'callId'),
			time: field(body, 'timestamp', 'unixTime', 'callTime', 'date'),
			timeField: 'timestamp / callTime',
			phones: [field(body, 'callerphone', 'callerNumber')],
			emails: [],
			gaClientId: field(body, 'clientId'),
			ymClientId: field(body, 'yaClientId'),
			channel: firstUtm(utmFromFields(body), {
				source: fieldText(body, 'source'),
				medium: fieldText(body, 'medium'),
				campaign: null,
				content: null,
				term: fieldText(body, 'keyword'),
			}),
			trackingNumber: field(body, 'phonenumber'),
			durationSec: seconds(field(body, 'duration'), 'duration', warnings),
			answered: flag(field(body, 'successful')) ?? (status === null ? null : /^successful$/i.test(status)),
			tags: tagTexts(field(body, 'callTags'), 'names'),
			operator: field(body, 'manager'),
			warnings,
			raw: payload,
		};
		return one(buildTouch('calltouch', draft, ctx));
	},
};
