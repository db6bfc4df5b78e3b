import { emptyUtm, type Touch } from '../../shared/contracts';
import type { SourceContext } from '../context';
import { field, fieldRecord, fieldText, flag, isRecord, type Fields } from '../fields';
import { buildTouch } from '../touchBuilder';
import type { TouchSource } from './types';

/** Chat types whose chatId is the client's phone number. */
const PHONE_CHATS = ['whatsapp'];

/**
 * Wazzup (wazzup24) webhooks: a JSON body with a `messages` array (new messages) and / or a `statuses` array (status
 * changes of outgoing messages). Each incoming message is a touch of kind 'chat':
 * - messageId (touchId "wazzup:<messageId>": a message delivered twice is one touch; every message is its own touch);
 * - dateTime (ISO 8601 with its offset), the time;
 * - the client's phone: chatId when chatType is whatsapp (there the chat id is the number), and contact.phone when the
 *   contact carries one; a chat without a phone (a Telegram chat by username) is kept with a warning, since it cannot
 *   be matched to an order by phone;
 * - text, as what the message says (not kept in the touch).
 * Messages with isEcho true (sent by the company: from Wazzup, the phone or the API) are skipped, and so are the
 * statuses. Wazzup passes no ad source, so the channel is empty.
 */
export const wazzupSource: TouchSource = {
	name: 'wazzup',
	marker: 'a messages or statuses array (Wazzup)',
	detect: (payload) => isRecord(payload) && (Array.isArray(payload.messages) || Array.isArray(payload.statuses)),
	parse(payload, ctx) {
		const body = isRecord(payload) ? payload : {};
		const messages = Array.isArray(body.messages) ? body.messages : [];
		const touches: Touch[] = [];
		const skipped: string[] = [];
		messages.forEach((message, index) => {
			const record = isRecord(message) ? message : {};
			const id = fieldText(record, 'messageId');
			if (flag(field(record, 'isEcho')) === true) skipped.push(`Wazzup message ${id ?? `#${index + 1}`} was sent by the company (isEcho); only the client's messages are touches`);
			else touches.push(touchOf(record, id, ctx));
		});
		if (Array.isArray(body.statuses) && body.statuses.length > 0) {
			skipped.push(`Wazzup: ${body.statuses.length} status update(s) of outgoing messages; they are not touches`);
		}
		return { touches, skipped };
	},
};

function touchOf(message: Fields, id: string | null, ctx: SourceContext): Touch {
	const chatType = fieldText(message, 'chatType');
	const chatId = fieldText(message, 'chatId');
	const contactPhone = field(fieldRecord(message, 'contact'), 'phone');
	const byChat = chatType !== null && PHONE_CHATS.includes(chatType.toLowerCase());
	const warnings: string[] = [];
	if (!byChat && contactPhone === undefined) {
		const chat = [chatType, 'chat', chatId].filter((part) => part !== null).join(' ');
		warnings.push(`${chat} gives no phone number: the touch cannot be matched to an order by phone`);
	}
	const draft = {
		kind: 'chat' as const,
		id,
		time: field(message, 'dateTime'),
		timeField: 'messages[].dateTime',
		says: { message: field(message, 'text') },
		phones: [byChat ? chatId : null, contactPhone],
		emails: [],
		channel: emptyUtm(),
		warnings,
		raw: message,
	};
	return buildTouch('wazzup', draft, ctx);
}
