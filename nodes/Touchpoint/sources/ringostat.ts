import { answeredBy, field, fieldText, isRecord, seconds } from '../fields';
import { buildTouch } from '../touchBuilder';
import { utmFromFields } from '../utm';
import { one, skip, type TouchSource } from './types';

/**
 * Ringostat call webhook (JSON; its field names are the ones Ringostat's webhook editor offers):
 * - uniqueid (touchId), calldate ("2024-03-05 14:02:11", read in ctx.timeZone), caller, billsec,
 *   disposition ANSWERED | NO ANSWER | BUSY | FAILED;
 * - dst the number called (tracking number), number_pool when dst is absent;
 * - utm_source ... utm_term, clientId (GA, "GA1.2.x.y" or "x.y"), yaClientId (Metrica);
 * - call_type: 'out' / 'outgoing' calls are skipped; 'in' and 'callback' (a callback ordered on the site) are touches;
 * - the operator: employee_fio (the employee's name), else employee_number (call-log field names). No field for
 *   the call's tags is documented, so none is read.
 */
export const ringostatSource: TouchSource = {
	name: 'ringostat',
	marker: 'uniqueid with calldate or caller (Ringostat)',
	detect: (payload) => isRecord(payload) && field(payload, 'uniqueid') !== undefined && field(payload, 'calldate', 'caller') !== undefined,
	parse(payload, ctx) {
		const body = isRecord(payload) ? payload : null;
		const id = fieldText(body, 'uniqueid');
		if (/^out/i.test(fieldText(body, 'call_type') ?? '')) return skip(`Ringostat call ${id ?? '(no id)'} is outgoing; only incoming calls are touches`);
		const warnings: string[] = [];
		const draft = {
			kind: 'call' as const,
			id,
			time: field(body, 'calldate'),
			timeField: 'calldate',
			phones: [field(body, 'caller')],
			emails: [],
			gaClientId: field(body, 'clientId'),
			ymClientId: field(body, 'yaClientId'),
			channel: utmFromFields(body),
			trackingNumber: field(body, 'dst', 'number_pool'),
			durationSec: seconds(field(body, 'billsec'), 'billsec', warnings),
			answered: answeredBy(field(body, 'disposition'), ['ANSWERED', 'ANSWER']),
			operator: field(body, 'employee_fio', 'employee_number'),
			warnings,
			raw: payload,
		};
		return one(buildTouch('ringostat', draft, ctx));
	},
};
