import { emptyUtm } from '../../shared/contracts';
import { InputDataError } from '../../shared/errors';
import { answeredBy, field, fieldText, isRecord, seconds } from '../fields';
import { buildTouch } from '../touchBuilder';
import { one, skip, type TouchSource } from './types';

/**
 * Zadarma PBX notifications (form fields). Only NOTIFY_END, the end of an incoming call, is a touch:
 * - pbx_call_id (touchId), call_start ("2024-03-05 14:02:11", read in ctx.timeZone, the zone set in the Zadarma
 *   account), caller_id the caller, called_did the number called (tracking number), duration in seconds,
 *   disposition 'answered' | 'busy' | 'cancel' | 'no answer' | 'failed' | 'no money' | ..., is_recorded (unused),
 *   internal the extension that took or rang for the call (the operator). Zadarma sends no tags.
 * NOTIFY_START, NOTIFY_INTERNAL, NOTIFY_ANSWER (the call is still going), NOTIFY_OUT_START, NOTIFY_OUT_END
 * (outgoing), NOTIFY_RECORD, NOTIFY_IVR are skipped with the reason. A payload without `event` is an error.
 */
export const zadarmaSource: TouchSource = {
	name: 'zadarma',
	marker: 'event NOTIFY_* (Zadarma)',
	detect: (payload) => isRecord(payload) && /^NOTIFY_/.test(fieldText(payload, 'event') ?? ''),
	parse(payload, ctx) {
		const body = isRecord(payload) ? payload : null;
		const event = fieldText(body, 'event');
		if (event === null) {
			throw new InputDataError(`Zadarma notification has no "event" field (${ctx.assumed})`, 'Point the Zadarma PBX notifications at the webhook unchanged; they always carry event=NOTIFY_...');
		}
		if (event !== 'NOTIFY_END') return skip(`Zadarma ${event} is not the end of an incoming call; only NOTIFY_END makes a touch`);
		const warnings: string[] = [];
		const draft = {
			kind: 'call' as const,
			id: fieldText(body, 'pbx_call_id'),
			time: field(body, 'call_start'),
			timeField: 'call_start',
			phones: [field(body, 'caller_id')],
			emails: [],
			channel: emptyUtm(),
			trackingNumber: field(body, 'called_did'),
			durationSec: seconds(field(body, 'duration'), 'duration', warnings),
			answered: answeredBy(field(body, 'disposition'), ['ANSWERED']),
			operator: field(body, 'internal'),
			warnings,
			raw: payload,
		};
		return one(buildTouch('zadarma', draft, ctx));
	},
};
