import { emptyUtm } from '../../shared/contracts';
import { field, fieldRecord, fieldText, flag, isRecord } from '../fields';
import { buildTouch } from '../touchBuilder';
import { one, skip, type TouchSource } from './types';

const INCOMING = 'message.incoming';
const OUTGOING = 'message.outgoing';

/**
 * Umnico (umnico.com, one inbox for WhatsApp, Telegram, VK, Avito …) webhooks, API v1.3: a JSON body per event with
 * `type` ("message.incoming", "message.outgoing", lead events), `accountId`, `leadId` (Umnico's "обращение", one per
 * client conversation), `isNewLead`, `isNewCustomer` and, for messages, `message` { messageId, datetime (unix
 * milliseconds), incoming, message { text, attachments }, sender { id, login, customerId }, source { id, realId, saId,
 * type }, sa { id, type, login } (the integration: its type is the messenger) } (api.umnico.com/docs/ru, events and
 * leads pages, as public webhook handlers read them). Each message.incoming is a touch of kind 'chat':
 * - touchId "umnico:<leadId>-<messageId>": a message delivered twice is one touch; the lead is in it because a
 *   messenger's message ids need not be unique beyond one chat (Telegram numbers each chat's messages from 1);
 * - the time: message.datetime;
 * - the client's phone and e-mail: customer.phone and customer.email (the lead's customer, as Umnico's lead object
 *   carries it) when the event has them; a chat without a phone (a Telegram or VK user known by login) is kept with a
 *   warning, since it cannot be matched to an order by phone;
 * - the text only tells messages without an id apart (it is not kept).
 * message.outgoing, and a message with incoming false, are the company's own and are skipped with a note; other
 * event types (lead changes) are skipped with the reason. Umnico passes no ad source, so the channel is empty.
 */
export const umnicoSource: TouchSource = {
	name: 'umnico',
	marker: 'type message.* / lead.* with leadId (Umnico)',
	detect: (payload) => isRecord(payload) && field(payload, 'leadId') !== undefined && isUmnicoType(fieldText(payload, 'type')),
	parse(payload, ctx) {
		const body = isRecord(payload) ? payload : null;
		const type = fieldText(body, 'type') ?? '(no type)';
		const message = fieldRecord(body, 'message');
		const leadId = fieldText(body, 'leadId');
		const messageId = fieldText(message, 'messageId');
		const named = `Umnico message ${messageId ?? '(no id)'} of lead ${leadId ?? '(no id)'}`;
		if (type === OUTGOING || (type === INCOMING && flag(field(message, 'incoming')) === false)) {
			return skip(`${named} was sent by the company; only the client's messages are touches`);
		}
		if (type !== INCOMING) return skip(`Umnico ${type} is not a client's message; only ${INCOMING} makes a touch`);
		const customer = fieldRecord(body, 'customer');
		const phone = field(customer, 'phone');
		const messenger = fieldText(fieldRecord(message, 'sa') ?? fieldRecord(body, 'sa'), 'type') ?? 'messenger';
		const warnings = phone === undefined ? [`${messenger} chat of lead ${leadId ?? '(no id)'} gives no phone number: the touch cannot be matched to an order by phone`] : [];
		const draft = {
			kind: 'chat' as const,
			id: leadId !== null && messageId !== null ? `${leadId}-${messageId}` : null,
			time: field(message, 'datetime'),
			timeField: 'message.datetime',
			says: { message: field(fieldRecord(message, 'message'), 'text') },
			phones: [phone],
			emails: [field(customer, 'email')],
			channel: emptyUtm(),
			warnings,
			raw: payload,
		};
		return one(buildTouch('umnico', draft, ctx));
	},
};

/** Umnico's event types are "message.…" and "lead.…". */
function isUmnicoType(type: string | null): boolean {
	return type !== null && (type.startsWith('message.') || type.startsWith('lead.'));
}
