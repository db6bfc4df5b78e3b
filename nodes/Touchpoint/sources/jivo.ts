import { field, fieldRecord, fieldText, isRecord, text, type Fields } from '../fields';
import { buildTouch } from '../touchBuilder';
import { firstUtm, utmFromObject, utmFromUrl } from '../utm';
import { one, skip, type TouchSource } from './types';

const TOUCH_EVENTS = ['chat_accepted', 'chat_finished', 'offline_message'];

/**
 * Jivo webhooks (JSON). chat_accepted, chat_finished and offline_message are touches of kind 'chat': an offline
 * message is written in the chat widget too (Jivo only forwards it by e-mail), so its channel is the chat.
 * Other events (chat_updated, chat_assigned, client_updated, call_event) are skipped.
 * - chat_id (touchId "jivo:<chat_id>"; offline_message_id for offline messages). A chat's accepted and finished
 *   events share the touchId on purpose (the event name is not in it): one chat is one touch, and a store keyed on
 *   it keeps the later, fuller event. Without an id, a hash of the content, page.url and the offline message's text
 *   included (see touchBuilder);
 * - time: the first message's timestamp in chat.messages (unix), else `timestamp`; chat_accepted carries none, so
 *   it takes ctx.receivedAt (with a warning) when the node passes it;
 * - visitor.phone, visitor.email (visitor.name has no place in a Touch; visitor.number is Jivo's visitor counter,
 *   not a phone; chats_count is not used);
 * - channel: session.utm_json { source, medium, campaign, content, term }, else the utm_ of page.url.
 */
export const jivoSource: TouchSource = {
	name: 'jivo',
	marker: 'event_name with chat_id or visitor (Jivo)',
	detect: (payload) => isRecord(payload) && fieldText(payload, 'event_name') !== null && (field(payload, 'chat_id') !== undefined || isRecord(field(payload, 'visitor'))),
	parse(payload, ctx) {
		const body = isRecord(payload) ? payload : null;
		const event = fieldText(body, 'event_name') ?? '(no event_name)';
		if (!TOUCH_EVENTS.includes(event)) return skip(`Jivo ${event} is not a new chat or message; only ${TOUCH_EVENTS.join(', ')} make touches`);
		const visitor = fieldRecord(body, 'visitor');
		const session = fieldRecord(body, 'session');
		const page = fieldText(fieldRecord(body, 'page'), 'url');
		const draft = {
			kind: 'chat' as const,
			id: fieldText(body, event === 'offline_message' ? 'offline_message_id' : 'chat_id'),
			time: firstMessageTime(fieldRecord(body, 'chat')) ?? field(body, 'timestamp'),
			timeField: 'chat.messages[].timestamp or timestamp',
			mayUseArrivalTime: true,
			says: { page, message: field(body, 'message') },
			phones: [field(visitor, 'phone')],
			emails: [field(visitor, 'email')],
			channel: firstUtm(utmFromObject(fieldRecord(session, 'utm_json')), utmFromUrl(page)),
			warnings: [],
			raw: payload,
		};
		return one(buildTouch('jivo', draft, ctx));
	},
};

function firstMessageTime(chat: Fields | null): number | null {
	const messages = field(chat, 'messages');
	if (!Array.isArray(messages)) return null;
	const times = messages.map((message) => Number(text(isRecord(message) ? message.timestamp : null))).filter((time) => time > 0);
	return times.length > 0 ? Math.min(...times) : null;
}
