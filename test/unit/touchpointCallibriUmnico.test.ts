import { readdirSync } from 'fs';
import { join } from 'path';
import type { IDataObject } from 'n8n-workflow';
import type { Touch } from '../../nodes/shared/contracts';
import { normalisePayload } from '../../nodes/Touchpoint/payload';
import { parseTouches } from '../../nodes/Touchpoint/parseTouches';
import { detectSource, sourceNamed } from '../../nodes/Touchpoint/sources';
import { fixtureJson, fixtureText, testContext } from '../fixtures/touches/load';

/** Every field of a touch, with the ones a case does not set at their empty values. */
function touch(fields: Partial<Touch> & Pick<Touch, 'touchId' | 'kind' | 'at' | 'source'>): Touch {
	return {
		phones: [],
		emails: [],
		gaClientId: null,
		gaSessionId: null,
		ymClientId: null,
		yclid: null,
		orderRef: null,
		channel: { source: null, medium: null, campaign: null, content: null, term: null },
		trackingNumber: null,
		durationSec: null,
		answered: null,
		outcome: null,
		warnings: [],
		...fields,
	};
}

const MOSCOW_NOTE = (written: string) => `time "${written}" carries no offset: read in Europe/Moscow (the node's Time Zone option)`;

describe('Callibri statistics (site_get_statistics)', () => {
	it('makes a touch of every call, form, chat and e-mail, each of its kind, with its phone, client ids, utm and the call outcome', () => {
		const result = parseTouches(fixtureJson('callibri-statistics.json'), 'auto', testContext());
		expect(result.skipped).toEqual([]);
		expect(result.touches).toEqual([
			touch({
				touchId: 'callibri:call-41000001',
				kind: 'call',
				at: '2024-03-05T10:15:30+03:00',
				phones: ['+79161234501'],
				gaClientId: '1234567890.1709600000',
				ymClientId: '1709600000123456789',
				channel: { source: 'yandex', medium: 'cpc', campaign: 'sofas', content: null, term: 'диван' },
				durationSec: 80,
				answered: true,
				outcome: 'answered',
				source: 'callibri',
				warnings: [MOSCOW_NOTE('2024-03-05T10:15:30')],
			}),
			touch({
				touchId: 'callibri:call-41000002',
				kind: 'call',
				at: '2024-03-05T11:00:00+03:00',
				phones: ['+79161234502'],
				durationSec: 0,
				answered: false,
				outcome: 'missed',
				source: 'callibri',
				warnings: [MOSCOW_NOTE('2024-03-05T11:00:00')],
			}),
			touch({
				touchId: 'callibri:form-41000003',
				kind: 'form',
				at: '2024-03-05T09:30:00Z',
				phones: ['+79161234503'],
				emails: ['buyer@example.com'],
				gaClientId: '2233445566.1709500000',
				channel: { source: 'vk', medium: 'social', campaign: 'retarget', content: null, term: null },
				source: 'callibri',
			}),
			touch({
				touchId: 'callibri:chat-41000004',
				kind: 'chat',
				at: '2024-03-05T13:05:00+03:00',
				emails: ['chat.client@example.org'],
				ymClientId: '1709600000987654321',
				source: 'callibri',
			}),
			touch({
				touchId: 'callibri:email-41000005',
				kind: 'email',
				at: '2024-03-05T14:20:00+03:00',
				emails: ['order@client.example'],
				source: 'callibri',
			}),
		]);
		// the times as instants: 10:15:30 Moscow (UTC+3, no DST since 2014) is 07:15:30 UTC
		expect(result.touches.map((t) => new Date(t.at).toISOString())).toEqual([
			'2024-03-05T07:15:30.000Z',
			'2024-03-05T08:00:00.000Z',
			'2024-03-05T09:30:00.000Z',
			'2024-03-05T10:05:00.000Z',
			'2024-03-05T11:20:00.000Z',
		]);
	});

	it('keeps a record listed twice (overlapping periods) once, with a note, and gives the same ids when the response comes again', () => {
		const body = fixtureJson('callibri-statistics.json') as { channels_statistics: IDataObject[] };
		const call = (body.channels_statistics[0].calls as IDataObject[])[0];
		const twice = { channels_statistics: [body.channels_statistics[0], { channel_id: 70001, calls: [call] }] };
		const result = parseTouches(twice, 'auto', testContext());
		expect(result.touches.map((t) => t.touchId)).toEqual([
			'callibri:call-41000001',
			'callibri:call-41000002',
			'callibri:form-41000003',
			'callibri:chat-41000004',
			'callibri:email-41000005',
		]);
		expect(result.skipped).toEqual(['Callibri channels_statistics[1].calls[0] (callibri:call-41000001) is listed again in the response; it is kept once']);
		const again = parseTouches(fixtureJson('callibri-statistics.json'), 'auto', testContext());
		expect(again.touches.map((t) => t.touchId)).toEqual(result.touches.map((t) => t.touchId));
	});

	it('reads one record by its name_type and refuses a record whose kind it cannot tell', () => {
		const body = fixtureJson('callibri-statistics.json') as { channels_statistics: IDataObject[] };
		const call = (body.channels_statistics[0].calls as IDataObject[])[1];
		expect(detectSource(call)?.name).toBe('callibri');
		const [one] = parseTouches(call, 'auto', testContext()).touches;
		expect([one.touchId, one.kind, one.at, one.phones, one.outcome]).toEqual(['callibri:call-41000002', 'call', '2024-03-05T11:00:00+03:00', ['+79161234502'], 'missed']);
		const chat = (body.channels_statistics[0].chats as IDataObject[])[0];
		expect(() => parseTouches(chat, 'auto', testContext())).toThrow(
			'Callibri record has no name_type: it does not say whether it is a call, a form or an e-mail (source "callibri", detected automatically)',
		);
		expect(() => parseTouches({ ...call, name_type: 'Звонок в WhatsApp' }, 'callibri', testContext())).toThrow(
			'Callibri record has name_type "Звонок в WhatsApp": it does not say whether it is a call, a form or an e-mail (source "callibri", chosen in the node)',
		);
	});

	it('leaves the outcome of a call without billsec unknown, and names a record without a date by its place', () => {
		const { billsec, ...noTalkTime } = (fixtureJson('callibri-statistics.json') as { channels_statistics: Array<{ calls: IDataObject[] }> }).channels_statistics[0].calls[0];
		expect(billsec).toBe(80);
		const [call] = parseTouches({ channels_statistics: [{ calls: [noTalkTime] }] }, 'auto', testContext()).touches;
		expect([call.durationSec, call.answered, call.outcome]).toEqual([null, null, null]);
		expect(() => parseTouches({ channels_statistics: [{ calls: [], feedbacks: [{ id: 7, phone: '+79161234503' }] }] }, 'auto', testContext())).toThrow(
			'Callibri form: no time: channels_statistics[0].feedbacks[0].date is missing (source "callibri", detected automatically)',
		);
	});
});

describe('Umnico webhook', () => {
	it('makes an incoming WhatsApp message a chat touch with the customer phone, at the message time', () => {
		const result = parseTouches(fixtureJson('umnico-message-incoming.json'), 'auto', testContext());
		expect(result.skipped).toEqual([]);
		expect(result.touches).toEqual([
			touch({
				touchId: 'umnico:9000001-wamid.FAKE0000000000000001',
				kind: 'chat',
				// 1709630130000 ms = 2024-03-05 09:15:30 UTC (19787 days × 86400 s + 33330 s), shown in Moscow time
				at: '2024-03-05T12:15:30+03:00',
				phones: ['+79031112233'],
				source: 'umnico',
			}),
		]);
		expect(new Date(result.touches[0].at).toISOString()).toBe('2024-03-05T09:15:30.000Z');
	});

	it('gives a message delivered twice one touch id', () => {
		const payload = fixtureJson('umnico-message-incoming.json');
		const touches = parseTouches([payload, structuredClone(payload)], 'auto', testContext()).touches;
		expect(touches.map((t) => t.touchId)).toEqual(['umnico:9000001-wamid.FAKE0000000000000001', 'umnico:9000001-wamid.FAKE0000000000000001']);
	});

	it("keeps a Telegram message without a phone, with the warning that it cannot be matched by phone; one chat's message 17 is not another's", () => {
		const [telegram] = parseTouches(fixtureJson('umnico-message-telegram.json'), 'umnico', testContext()).touches;
		expect(telegram).toEqual(
			touch({
				touchId: 'umnico:9000002-17',
				kind: 'chat',
				// 1709633700000 ms = 2024-03-05 10:15:00 UTC
				at: '2024-03-05T13:15:00+03:00',
				source: 'umnico',
				warnings: ['telegram chat of lead 9000002 gives no phone number: the touch cannot be matched to an order by phone'],
			}),
		);
	});

	it("skips the company's own messages and lead events with the reason", () => {
		expect(parseTouches(fixtureJson('umnico-message-outgoing.json'), 'auto', testContext())).toEqual({
			touches: [],
			skipped: ["Umnico message wamid.FAKE0000000000000002 of lead 9000001 was sent by the company; only the client's messages are touches"],
		});
		const incoming = fixtureJson('umnico-message-incoming.json') as IDataObject;
		const echo = { ...incoming, message: { ...(incoming.message as IDataObject), incoming: false } };
		expect(parseTouches(echo, 'auto', testContext()).skipped).toEqual([
			"Umnico message wamid.FAKE0000000000000001 of lead 9000001 was sent by the company; only the client's messages are touches",
		]);
		expect(parseTouches({ type: 'lead.changed', accountId: 700001, leadId: 9000001 }, 'auto', testContext())).toEqual({
			touches: [],
			skipped: ["Umnico lead.changed is not a client's message; only message.incoming makes a touch"],
		});
	});

	it('refuses an incoming message without its time, naming the field', () => {
		const incoming = fixtureJson('umnico-message-incoming.json') as IDataObject;
		const { datetime, ...undated } = incoming.message as IDataObject;
		expect(datetime).toBe(1709630130000);
		expect(() => parseTouches({ ...incoming, message: undated }, 'auto', testContext())).toThrow(
			'Umnico (WhatsApp, Telegram, VK, Avito) chat: no time: message.datetime is missing (source "umnico", detected automatically)',
		);
	});
});

describe('hostile values', () => {
	const huge = 'Ы'.repeat(100_000);
	const html = '<script>alert(1)</script><img src=x onerror=alert(2)>';

	it('a 100 kB name and HTML in the text change nothing a touch holds; a 100 kB phone is refused with a short warning', () => {
		const incoming = fixtureJson('umnico-message-incoming.json') as IDataObject;
		const message = incoming.message as IDataObject;
		const hostile = { ...incoming, customer: { ...(incoming.customer as IDataObject), name: huge }, message: { ...message, message: { text: html + huge } } };
		const started = Date.now();
		const [chat] = parseTouches(hostile, 'auto', testContext()).touches;
		expect(chat).toEqual(parseTouches(incoming, 'auto', testContext()).touches[0]);

		const body = fixtureJson('callibri-statistics.json') as { channels_statistics: Array<{ calls: IDataObject[] }> };
		const call = { ...body.channels_statistics[0].calls[0], name: huge, comment: html, phone: `${html}${huge}` };
		const [touchOfCall] = parseTouches({ channels_statistics: [{ calls: [call] }] }, 'auto', testContext()).touches;
		expect(touchOfCall.phones).toEqual([]);
		expect(touchOfCall.touchId).toBe('callibri:call-41000001');
		expect(JSON.stringify(touchOfCall).length).toBeLessThan(2_000);
		expect(touchOfCall.warnings).toHaveLength(2);
		expect(Date.now() - started).toBeLessThan(2_000);
	});
});

describe('detection: the new senders take only their own payloads', () => {
	const own = new Set(['callibri-statistics.json', 'umnico-message-incoming.json', 'umnico-message-telegram.json', 'umnico-message-outgoing.json']);
	const others = readdirSync(join(__dirname, '..', 'fixtures', 'touches')).filter((file) => !own.has(file) && (file.endsWith('.json') || file.endsWith('.csv') || file.endsWith('.txt')));

	it.each(others)('%s is not taken by Callibri or Umnico', (file) => {
		const payload = normalisePayload(file.endsWith('.json') ? fixtureJson(file) : fixtureText(file));
		const elements = Array.isArray(payload) ? payload : [payload];
		for (const element of elements) {
			expect(sourceNamed('callibri').detect(element)).toBe(false);
			expect(sourceNamed('umnico').detect(element)).toBe(false);
		}
	});

	it.each([
		['callibri-statistics.json', 'callibri'],
		['umnico-message-incoming.json', 'umnico'],
		['umnico-message-telegram.json', 'umnico'],
		['umnico-message-outgoing.json', 'umnico'],
	])('%s is %s', (file, source) => {
		expect(detectSource(normalisePayload(fixtureJson(file)))?.name).toBe(source);
	});

	it('an Umnico message is not a site form, though it carries a leadId (which the form reader takes as a submission id)', () => {
		expect(sourceNamed('form').detect(fixtureJson('umnico-message-incoming.json'))).toBe(true);
		expect(detectSource(fixtureJson('umnico-message-incoming.json'))?.name).toBe('umnico');
	});
});
