import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, IWorkflowSettings } from 'n8n-workflow';
import { join } from 'path';
import { InputDataError } from '../../nodes/shared/errors';
import { createParseContext, timeZoneOrigin } from '../../nodes/Touchpoint/context';
import { parseTouches } from '../../nodes/Touchpoint/parseTouches';
import { buildTrackingTable } from '../../nodes/Touchpoint/trackingNumbers';
import { fixtureJson, testContext } from '../fixtures/touches/load';

type TouchpointModule = typeof import('../../nodes/Touchpoint/Touchpoint.node');
// ts-node would resolve "Touchpoint.node" to the codex JSON beside it: name the file.
const { Touchpoint } = require(join(__dirname, '..', '..', 'nodes', 'Touchpoint', 'Touchpoint.node.ts')) as TouchpointModule;

describe('UIS / CoMagic call notification', () => {
	it('reads the session id, the client, the virtual number and utm; answered is not told, so it stays unknown', () => {
		const result = parseTouches(fixtureJson('uis-call-notification.json'), 'auto', testContext());
		expect(result.skipped).toEqual([]);
		expect(result.touches).toEqual([
			{
				touchId: 'uis:3100000001',
				kind: 'call',
				at: '2024-03-05T15:30:00+03:00',
				phones: ['+79261234500'],
				emails: [],
				gaClientId: null,
				gaSessionId: null,
				ymClientId: null,
				yclid: null,
				orderRef: null,
				channel: { source: 'yandex', medium: 'cpc', campaign: 'brand', content: null, term: 'диваны' },
				trackingNumber: '+74991112233',
				durationSec: null,
				answered: null,
				outcome: null,
				source: 'uis',
				warnings: ['time "2024-03-05 15:30:00" carries no offset: read in Europe/Moscow (the node\'s Time Zone option)'],
			},
		]);
	});

	it('takes the channel from the virtual number when the notification carries no utm, and notification_time without start_time', () => {
		const { utm_source, utm_medium, utm_campaign, utm_content, utm_term, start_time, ...bare } = fixtureJson('uis-call-notification.json') as IDataObject;
		const table = buildTrackingTable([{ number: '8 (499) 111-22-33', source: 'avito', medium: 'classified' }], ['RU', 'UA']);
		const [touch] = parseTouches(bare, 'uis', testContext({ trackingNumbers: table })).touches;
		expect(touch.at).toBe('2024-03-05T15:30:02+03:00');
		expect(touch.channel).toEqual({ source: 'avito', medium: 'classified', campaign: null, content: null, term: null });
	});

	it('skips outgoing and internal calls with the reason', () => {
		const uis = fixtureJson('uis-call-notification.json') as IDataObject;
		expect(parseTouches({ ...uis, direction: 'out' }, 'auto', testContext())).toEqual({
			touches: [],
			skipped: ['UIS call 3100000001 is outgoing; only incoming calls are touches'],
		});
		expect(parseTouches({ ...uis, is_internal: 'true' }, 'auto', testContext()).skipped).toEqual(['UIS call 3100000001 is internal; only incoming calls are touches']);
	});
});

describe('Wazzup messages webhook', () => {
	it('makes each client message a chat touch at its own time (the written UTC offset is kept): the WhatsApp chat id is the phone; a Telegram chat without one is kept with a warning', () => {
		const result = parseTouches(fixtureJson('wazzup-messages.json'), 'auto', testContext());
		expect(result.touches.map((touch) => [touch.touchId, touch.kind, touch.at, touch.phones, touch.source, touch.outcome, touch.warnings])).toEqual([
			['wazzup:6d1f0a2e-0000-4000-8000-000000000001', 'chat', '2024-03-05T09:15:30Z', ['+79161112233'], 'wazzup', null, []],
			[
				'wazzup:6d1f0a2e-0000-4000-8000-000000000002',
				'chat',
				'2024-03-05T09:20:00Z',
				[],
				'wazzup',
				null,
				['telegram chat 123456789 gives no phone number: the touch cannot be matched to an order by phone'],
			],
		]);
		expect(result.skipped).toEqual([
			"Wazzup message 6d1f0a2e-0000-4000-8000-000000000003 was sent by the company (isEcho); only the client's messages are touches",
			'Wazzup: 1 status update(s) of outgoing messages; they are not touches',
		]);
	});

	it('reads the phone a contact carries, and a webhook of statuses alone gives no touch', () => {
		const message = { messageId: 'm-9', chatType: 'telegram', chatId: '987654321', dateTime: '2024-03-05T10:00:00Z', contact: { name: 'Oleg', phone: '+380 67 123 45 67' } };
		const [touch] = parseTouches({ messages: [message] }, 'wazzup', testContext()).touches;
		expect([touch.touchId, touch.phones, touch.warnings]).toEqual(['wazzup:m-9', ['+380671234567'], []]);
		expect(parseTouches({ statuses: [{ messageId: 'x', status: 'delivered' }] }, 'auto', testContext())).toEqual({
			touches: [],
			skipped: ['Wazzup: 1 status update(s) of outgoing messages; they are not touches'],
		});
	});

	it('refuses a message without its time, naming the field', () => {
		expect(() => parseTouches({ messages: [{ messageId: 'm-1', chatType: 'whatsapp', chatId: '79161112233' }] }, 'auto', testContext())).toThrow(
			'Wazzup (WhatsApp, Telegram) chat: no time: messages[].dateTime is missing (source "wazzup", detected automatically)',
		);
	});
});

describe('time zone of naive times', () => {
	const cdr = '"","79161234567","74951234567","from-trunk","","SIP/t-1","SIP/101-2","Dial","SIP/101","2024-03-05 10:00:00","2024-03-05 10:00:03","2024-03-05 10:01:03",63,60,"ANSWERED","DOCUMENTATION"';

	it("names the workflow's zone when the time was read in it", () => {
		const [touch] = parseTouches(cdr, 'auto', createParseContext({ timeZone: 'Europe/Moscow', timeZoneFrom: 'workflow' })).touches;
		expect(touch.at).toBe('2024-03-05T10:00:00+03:00');
		expect(touch.warnings).toEqual(['time "2024-03-05 10:00:00" carries no offset: read in Europe/Moscow (the workflow\'s time zone)']);
	});

	it("says how to set the zone when n8n's fallback New York was used because nothing was set", () => {
		const [touch] = parseTouches(cdr, 'auto', createParseContext({ timeZone: 'America/New_York', timeZoneFrom: 'instance' })).touches;
		// 10:00 in New York on 5 March 2024 is standard time, UTC−5
		expect(touch.at).toBe('2024-03-05T10:00:00-05:00');
		expect(touch.warnings).toEqual([
			"time \"2024-03-05 10:00:00\" carries no offset: read in America/New_York (n8n's default zone: neither the node's Time Zone option nor the workflow's time zone is set); if the sender's clock is not New York time, set the workflow's time zone (Workflow Settings → Timezone) or this node's Time Zone option",
		]);
	});

	it('adds no note to a time with its own offset or a unix time', () => {
		const withOffset = { tranid: 't1', phone: '+79161234567', created_at: '2024-03-05T10:00:00+05:00' };
		const unix = { tranid: 't2', phone: '+79161234567', created_at: '1709622000' };
		const touches = parseTouches([withOffset, unix], 'form', testContext()).touches;
		expect(touches.map((touch) => [touch.at, touch.warnings])).toEqual([
			['2024-03-05T10:00:00+05:00', []],
			['2024-03-05T10:00:00+03:00', []],
		]);
	});

	it("tells where the zone came from: the node's option, else the workflow's, else n8n's default", () => {
		expect(timeZoneOrigin('Europe/Kyiv', 'Europe/Moscow')).toBe('node');
		expect(timeZoneOrigin('', 'Europe/Moscow')).toBe('workflow');
		expect(timeZoneOrigin(undefined, undefined)).toBe('instance');
	});
});

/** The real node's execute() with the few context methods it uses; proves the wiring of the zone's origin (plumbing). */
async function runNode(payload: IDataObject, settings: IWorkflowSettings, timezone: string, options: IDataObject = {}): Promise<INodeExecutionData[]> {
	const node: INode = { id: 'tp', name: 'Touchpoint', type: 'n8n-nodes-sales-analytics.touchpoint', typeVersion: 1, position: [0, 0], parameters: {} };
	const parameters: Record<string, unknown> = { source: 'auto', payloadFrom: 'json', options };
	const ctx = {
		getInputData: () => [{ json: payload }],
		getNode: () => node,
		getTimezone: () => timezone,
		getWorkflowSettings: () => settings,
		continueOnFail: () => true,
		getNodeParameter: (name: string, _item: number, fallback?: unknown) => parameters[name] ?? fallback,
	};
	const [items] = await new Touchpoint().execute.call(ctx as unknown as IExecuteFunctions);
	return items;
}

describe('Touchpoint node: the zone it reads naive times in (plumbing)', () => {
	const form = { tranid: 'z1', phone: '+79161234567', created_at: '2024-03-05 10:00:00' };

	it("uses and names the workflow's zone when the workflow sets one", async () => {
		const [item] = await runNode(form, { timezone: 'Europe/Moscow' }, 'Europe/Moscow');
		expect([item.json.at, item.json.warnings]).toEqual([
			'2024-03-05T10:00:00+03:00',
			['time "2024-03-05 10:00:00" carries no offset: read in Europe/Moscow (the workflow\'s time zone)'],
		]);
	});

	it('warns when neither the workflow nor the node sets a zone and n8n falls back to New York', async () => {
		const [item] = await runNode(form, { timezone: 'DEFAULT' }, 'America/New_York');
		expect(item.json.at).toBe('2024-03-05T10:00:00-05:00');
		expect((item.json.warnings as string[])[0]).toContain("set the workflow's time zone (Workflow Settings → Timezone) or this node's Time Zone option");
	});

	it("names the node's option when it is set, and reads a City Code option", async () => {
		const cdr = '"","2345678","74951234567","from-pstn","","PJSIP/trunk-1","PJSIP/101-2","Dial","PJSIP/101","2024-03-05 10:00:00","2024-03-05 10:00:03","2024-03-05 10:01:03",63,60,"ANSWERED","DOCUMENTATION"';
		const [item] = await runNode({ data: cdr }, {}, 'America/New_York', { timeZone: 'Europe/Moscow', cityCode: '(495)' });
		expect([item.json.phones, item.json.warnings]).toEqual([
			['+74952345678'],
			['time "2024-03-05 10:00:00" carries no offset: read in Europe/Moscow (the node\'s Time Zone option)'],
		]);
	});

	it('refuses a City Code that is not an area code', () => {
		expect(() => createParseContext({ timeZone: 'Europe/Moscow', cityCode: '495; drop' })).toThrow(InputDataError);
		expect(() => createParseContext({ timeZone: 'Europe/Moscow', cityCode: '495; drop' })).toThrow('city code "495; drop" is not an area code');
	});
});
