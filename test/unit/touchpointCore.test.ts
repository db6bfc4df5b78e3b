import type { Touch } from '../../nodes/shared/contracts';
import { InputDataError } from '../../nodes/shared/errors';
import { assignOutcomes, callOutcome } from '../../nodes/Touchpoint/callOutcome';
import { createParseContext } from '../../nodes/Touchpoint/context';
import { parseCsv } from '../../nodes/Touchpoint/csv';
import { parseTouchBatch, parseTouches } from '../../nodes/Touchpoint/parseTouches';
import { expandBracketKeys, normalisePayload } from '../../nodes/Touchpoint/payload';
import { detectSource } from '../../nodes/Touchpoint/sources';
import { buildTrackingTable, channelOf } from '../../nodes/Touchpoint/trackingNumbers';
import { fixtureJson, fixtureText, testContext } from '../fixtures/touches/load';

function call(touchId: string, at: string, phone: string | null, answered: boolean | null, durationSec: number | null): Touch {
	return {
		touchId,
		kind: 'call',
		at,
		phones: phone ? [phone] : [],
		emails: [],
		gaClientId: null,
		gaSessionId: null,
		ymClientId: null,
		yclid: null,
		orderRef: null,
		channel: { source: null, medium: null, campaign: null, content: null, term: null },
		trackingNumber: null,
		durationSec,
		answered,
		outcome: null,
		source: 'zadarma',
		warnings: [],
	};
}

const OPTIONS = { shortCallSec: 10, repeatWindowHours: 24 };

describe('auto-detection', () => {
	it.each([
		['asterisk-master-16col.csv', 'asterisk'],
		['asterisk-master-18col.csv', 'asterisk'],
		['asterisk-master-21col.csv', 'asterisk'],
		['binotel-completed-nested.json', 'binotel'],
		['binotel-completed-flat.json', 'binotel'],
		['binotel-completed-form.txt', 'binotel'],
		['zadarma-notify-end.json', 'zadarma'],
		['zadarma-notify-start.json', 'zadarma'],
		['mango-summary-form.json', 'mango'],
		['mango-summary-missed.json', 'mango'],
		['ringostat-call.json', 'ringostat'],
		['calltouch-notification.json', 'calltouch'],
		['jivo-chat-finished.json', 'jivo'],
		['jivo-offline-message.json', 'jivo'],
		['form-tilda.json', 'form'],
		['cart-tilda.json', 'form'],
		['form-nested.json', 'form'],
		['asterisk-master-city.csv', 'asterisk'],
		['binotel-completed-getcall.json', 'binotel'],
		['uis-call-notification.json', 'uis'],
		['wazzup-messages.json', 'wazzup'],
	])('%s is %s', (file, source) => {
		const payload = file.endsWith('.json') ? fixtureJson(file) : fixtureText(file);
		expect(detectSource(normalisePayload(payload))?.name).toBe(source);
	});

	it('recognises Master.csv text in the data field of an item, and in a Webhook body', () => {
		const text = fixtureText('asterisk-master-16col.csv');
		expect(detectSource(normalisePayload({ data: text }))?.name).toBe('asterisk');
		expect(detectSource(normalisePayload({ headers: {}, query: {}, body: text }))?.name).toBe('asterisk');
		// two text fields: neither is taken for the file
		expect(detectSource(normalisePayload({ note: text, other: text }))).toBeNull();
	});

	it('recognises each element of an array on its own', () => {
		const touches = parseTouches([fixtureJson('zadarma-notify-end.json'), fixtureJson('ringostat-call.json')], 'auto', testContext()).touches;
		expect(touches.map((touch) => touch.source)).toEqual(['zadarma', 'ringostat']);
	});

	it('refuses a payload it cannot place, listing what it looked for', () => {
		let error: unknown;
		try {
			parseTouches({ foo: 'bar', hello: 1 }, 'auto', testContext());
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(InputDataError);
		expect((error as InputDataError).message).toMatch(
			/^cannot tell which system sent this payload \(auto-detection\): it is an object with foo, hello, and none of these was found: callDetails\[\.\.\.\] fields \(Binotel\); /,
		);
		expect((error as InputDataError).hint).toBe('Choose the source in the node instead of auto-detection, or check that the webhook passes the body as the sender sent it.');
		expect(() => parseTouches('hello world', 'auto', testContext())).toThrow('it is text starting "hello world"');
		// a date and a page address identify nobody: not taken for a form
		expect(() => parseTouches({ timestamp: 1709636531, url: 'https://shop.ru/' }, 'auto', testContext())).toThrow(/^cannot tell which system/);
	});

	it('says the source was chosen when a chosen parser meets a foreign payload', () => {
		expect(() => parseTouches(fixtureJson('form-nested.json'), 'ringostat', testContext())).toThrow(
			'Ringostat call: no time: calldate is missing (source "ringostat", chosen in the node)',
		);
	});
});

describe('payload shapes', () => {
	it('unwraps an n8n Webhook item to its body', () => {
		const item = { headers: { 'content-type': 'application/json' }, params: {}, query: {}, body: fixtureJson('zadarma-notify-end.json') };
		expect(parseTouches(item, 'auto', testContext()).touches[0].touchId).toBe('zadarma:in_4a5d3a7b8c9d0e1f2a3b4c5d6e7f8091');
	});

	it('parses JSON text and form-encoded text', () => {
		expect(normalisePayload(' {"event":"NOTIFY_END"} ')).toEqual({ event: 'NOTIFY_END' });
		expect(normalisePayload('event=NOTIFY_END&caller_id=%2B79161234567&a%5Bb%5D=1')).toEqual({ event: 'NOTIFY_END', caller_id: '+79161234567', a: { b: '1' } });
		expect(() => normalisePayload('{"event": ')).toThrow(/^the payload looks like JSON but does not parse: /);
	});

	it('expands bracket keys without reaching Object.prototype', () => {
		const expanded = expandBracketKeys({ 'a[b][c]': 1, 'a[d]': 2, 'a[b][c][e]': 3, '__proto__[polluted]': 'yes', 'x[constructor][y]': 1, toString: 'kept' });
		expect(expanded).toEqual({ a: { b: { c: 1 }, d: 2 }, toString: 'kept' });
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('never writes into the payload it expands', () => {
		const payload = { callDetails: { billsec: '5' }, 'callDetails[disposition]': 'ANSWER' };
		expect(expandBracketKeys(payload)).toEqual({ callDetails: { billsec: '5', disposition: 'ANSWER' } });
		expect(payload.callDetails).toEqual({ billsec: '5' });
	});
});

describe('Master.csv reader', () => {
	it('reads quoted commas, "" escapes, line breaks inside quotes, CRLF and LF, skipping empty lines', () => {
		expect(parseCsv('"a,b","say ""hi""",3\r\n\r\n"multi\nline",,x\nlast')).toEqual([
			{ line: 1, fields: ['a,b', 'say "hi"', '3'] },
			{ line: 3, fields: ['multi\nline', '', 'x'] },
			{ line: 5, fields: ['last'] },
		]);
	});

	it('refuses a quote left open, with its line', () => {
		expect(() => parseCsv('"a",1\n"b,2\n')).toThrow(new InputDataError('a quoted field is not closed before the end of the text', '', 2, 1));
	});
});

describe('call outcome', () => {
	it.each([
		[true, 10, 'answered'],
		[true, 9, 'short'],
		[true, 0, 'short'],
		[true, null, 'answered'],
		[false, 0, 'missed'],
		[null, 30, null],
	] as const)('answered=%s billsec=%s is %s with shortCallSec 10', (answered, billsec, outcome) => {
		expect(callOutcome(answered, billsec, 10)).toBe(outcome);
	});

	it('marks a call from the same number within the window a repeat, exactly at the window included', () => {
		const touches = assignOutcomes(
			[
				call('z:3', '2024-03-06T12:00:01+03:00', '+79161234567', true, 60),
				call('z:1', '2024-03-05T12:00:00+03:00', '+79161234567', false, 0),
				call('z:2', '2024-03-06T12:00:00+03:00', '+79161234567', true, 60),
				call('z:4', '2024-03-05T12:30:00+03:00', '+79035551234', true, 5),
			],
			OPTIONS,
		);
		// input order kept; z:2 is 24 h after z:1 (repeat), z:3 one second after z:2 (the window runs from the latest call)
		expect(touches.map((touch) => [touch.touchId, touch.outcome])).toEqual([
			['z:3', 'repeat'],
			['z:1', 'missed'],
			['z:2', 'repeat'],
			['z:4', 'short'],
		]);
	});

	it('does not mark a call a repeat one second past the window, nor an event sent twice, nor a call without a number', () => {
		const touches = assignOutcomes(
			[
				call('z:1', '2024-03-05T12:00:00Z', '+79161234567', true, 60),
				call('z:2', '2024-03-06T12:00:01Z', '+79161234567', true, 60),
				call('z:2', '2024-03-06T12:00:01Z', '+79161234567', true, 60),
				call('z:3', '2024-03-06T12:00:05Z', null, true, 60),
				call('z:4', '2024-03-06T12:00:06Z', null, true, 60),
			],
			OPTIONS,
		);
		expect(touches.map((touch) => touch.outcome)).toEqual(['answered', 'answered', 'answered', 'answered', 'answered']);
	});

	it('compares instants across offsets and leaves non-calls without an outcome', () => {
		const chat: Touch = { ...call('jivo:1', '2024-03-05T10:00:00Z', '+79161234567', null, null), kind: 'chat' };
		const touches = assignOutcomes(
			[call('z:2', '2024-03-05T13:00:00+03:00', '+79161234567', true, 60), chat, call('z:1', '2024-03-05T09:00:00Z', '+79161234567', true, 60)],
			{ shortCallSec: 10, repeatWindowHours: 1 },
		);
		expect(touches.map((touch) => [touch.touchId, touch.outcome])).toEqual([
			['z:2', 'repeat'],
			['jivo:1', null],
			['z:1', 'answered'],
		]);
	});

	it('applies shortCallSec and repeatWindowHours from the context', () => {
		const ctx = testContext({ shortCallSec: 5, repeatWindowHours: 1 });
		expect(parseTouches(fixtureJson('zadarma-notify-end.json'), 'auto', ctx).touches[0].outcome).toBe('answered');
		const [batch] = parseTouchBatch([{ payload: fixtureText('asterisk-master-21col.csv') }], 'auto', ctx);
		expect(batch.touches.find((touch) => touch.touchId === 'asterisk:1709650800.28')?.outcome).toBe('answered');
	});
});

describe('batch', () => {
	it('decides repeats across items and gives each item its touches, skips or error, in input order', () => {
		const later = { ...(fixtureJson('zadarma-notify-end.json') as object), pbx_call_id: 'in_2', call_start: '2024-03-05 16:00:00', duration: '50' };
		const unread = new InputDataError('the item has no binary field "data" to read the payload from', 'Set Input Binary Field.');
		const results = parseTouchBatch(
			[{ payload: later }, { payload: fixtureJson('zadarma-notify-start.json') }, { payload: { foo: 1 } }, { error: unread }, { payload: fixtureJson('zadarma-notify-end.json') }],
			'auto',
			testContext(),
		);
		// item order kept (the later call came first); repeats decided in time order across the items
		expect(results.map((result) => [result.touches.map((touch) => [touch.touchId, touch.outcome]), result.skipped, result.error?.message.slice(0, 40) ?? null])).toEqual([
			[[['zadarma:in_2', 'repeat']], [], null],
			[[], ['Zadarma NOTIFY_START is not the end of an incoming call; only NOTIFY_END makes a touch'], null],
			[[], [], 'cannot tell which system sent this paylo'],
			[[], [], 'the item has no binary field "data" to r'],
			[[['zadarma:in_4a5d3a7b8c9d0e1f2a3b4c5d6e7f8091', 'short']], [], null],
		]);
	});
});

describe('tracking numbers', () => {
	it('normalises the numbers of the table and refuses bad rows', () => {
		const table = buildTrackingTable(
			[
				{ number: '8 (495) 123-45-67', source: 'yandex', medium: 'cpc', campaign: 'brand' },
				{ number: 380443334455, source: 'google', medium: 'cpc' },
			],
			['RU', 'UA'],
		);
		expect([...table.keys()]).toEqual(['+74951234567', '+380443334455']);
		expect(table.get('+380443334455')).toEqual({ source: 'google', medium: 'cpc', campaign: null, content: null, term: null });
		expect(() => buildTrackingTable([{ number: 'office', source: 'x' }], ['RU'])).toThrow('tracking number row 1: "office" is not a phone number');
		expect(() => buildTrackingTable([{ number: '74951234567' }], ['RU'])).toThrow('tracking number row 1: +74951234567 has neither source nor medium');
		expect(() =>
			buildTrackingTable(
				[
					{ number: '74951234567', source: 'a' },
					{ number: '84951234567', source: 'b' },
				],
				['RU'],
			),
		).toThrow('tracking number row 2: +74951234567 is already listed for another channel');
	});

	it('lets utm from the payload win whole over the tracking number', () => {
		const table = buildTrackingTable([{ number: '74951234567', source: 'yandex', medium: 'cpc' }], ['RU']);
		const payloadUtm = { source: null, medium: null, campaign: 'from_payload', content: null, term: null };
		expect(channelOf(payloadUtm, '+74951234567', table)).toEqual(payloadUtm);
		expect(channelOf({ ...payloadUtm, campaign: null }, '+74951234567', table).source).toBe('yandex');
		expect(channelOf({ ...payloadUtm, campaign: null }, '+74959999999', table).source).toBeNull();
	});
});

describe('parse context', () => {
	it('fills the defaults and checks the zone and the arrival time', () => {
		expect(createParseContext({ timeZone: 'Europe/Moscow' })).toEqual({
			cityCode: null,
			timeZoneFrom: 'node',
			timeZone: 'Europe/Moscow',
			countries: ['RU', 'UA'],
			shortCallSec: 10,
			repeatWindowHours: 24,
			trackingNumbers: new Map(),
			formKind: 'form',
			keepRaw: false,
			receivedAt: null,
		});
		expect(createParseContext({ timeZone: 'Europe/Moscow', receivedAt: '2024-03-05 20:00:00' }).receivedAt).toBe('2024-03-05T20:00:00+03:00');
		expect(() => createParseContext({ timeZone: 'Mars/Olympus' })).toThrow('time zone "Mars/Olympus" is not a known IANA zone');
		expect(() => createParseContext({ timeZone: 'UTC', receivedAt: 'soon' })).toThrow('arrival time "soon" is not a date');
	});
});
