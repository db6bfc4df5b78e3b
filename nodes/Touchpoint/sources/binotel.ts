import { answeredBy, field, fieldRecord, fieldText, isRecord, seconds } from '../fields';
import { buildTouch } from '../touchBuilder';
import { firstUtm, utmFromFields } from '../utm';
import { one, skip, type TouchSource } from './types';

/** Dispositions of a call a person talked on; NOANSWER, BUSY, CANCEL, CONGESTION, CHANUNAVAIL, VM, VM-SUCCESS are not. */
const ANSWERED = ['ANSWER', 'TRANSFER', 'ONLINE'];

/**
 * Binotel "call completed" webhook (requestType=apiCallCompleted), form-encoded, as flat keys ("callDetails[billsec]")
 * or already nested (both arrive here nested, see payload.ts):
 * - callDetails[generalCallID] (touchId; callID when absent), [startTime] unix seconds, [billsec], [disposition];
 * - [externalNumber] the caller;
 * - the number the caller dialled (tracking number, read to E.164 like the numbers of the tracking-number table):
 *   [didNumber] or [did] (in callDetails, else at the top level), else [pbxNumberData][number] (the company line);
 * - [callType] 0 incoming, 1 outgoing: outgoing calls are skipped (not a touch the customer made);
 * - the operator: [employeeData][name] (the employee who took the call), else [employeeName] (the same in Binotel's
 *   older flat form), else [internalNumber] (the line that took or rang for the call). Binotel's call data carries
 *   no tags;
 * - [callTrackingData] (Binotel's call tracking) and [getCallData] (the GetCall call-back widget's request): gaClientId
 *   and utm_source ... utm_term, call tracking first; the utm of one of them is taken whole, never mixed.
 * Other requestTypes (apiCallSettings, receivedTheCall, answeredTheCall) are skipped: the call has not ended.
 * VM / VM-SUCCESS (a voice mail left) count as not answered.
 */
export const binotelSource: TouchSource = {
	name: 'binotel',
	marker: 'callDetails[...] fields (Binotel)',
	detect: (payload) => isRecord(payload) && isRecord(field(payload, 'callDetails')),
	parse(payload, ctx) {
		const body = isRecord(payload) ? payload : null;
		const requestType = fieldText(body, 'requestType');
		if (requestType !== null && requestType !== 'apiCallCompleted') {
			return skip(`Binotel ${requestType} is not a completed call; only apiCallCompleted makes a touch`);
		}
		const details = fieldRecord(body, 'callDetails');
		const id = fieldText(details, 'generalCallID', 'callID');
		if (fieldText(details, 'callType') === '1') return skip(`Binotel call ${id ?? '(no id)'} is outgoing; only incoming calls are touches`);
		const tracking = fieldRecord(details, 'callTrackingData');
		const getCall = fieldRecord(details, 'getCallData');
		const warnings: string[] = [];
		const draft = {
			kind: 'call' as const,
			id,
			time: field(details, 'startTime'),
			timeField: 'callDetails[startTime]',
			phones: [field(details, 'externalNumber')],
			emails: [],
			gaClientId: field(tracking, 'gaClientId') ?? field(getCall, 'gaClientId'),
			channel: firstUtm(utmFromFields(tracking), utmFromFields(getCall)),
			trackingNumber: field(details, 'didNumber', 'did') ?? field(body, 'didNumber', 'did') ?? field(fieldRecord(details, 'pbxNumberData'), 'number'),
			durationSec: seconds(field(details, 'billsec'), 'callDetails[billsec]', warnings),
			answered: answeredBy(field(details, 'disposition'), ANSWERED),
			operator: field(fieldRecord(details, 'employeeData'), 'name') ?? field(details, 'employeeName', 'internalNumber'),
			warnings,
			raw: payload,
		};
		return one(buildTouch('binotel', draft, ctx));
	},
};
