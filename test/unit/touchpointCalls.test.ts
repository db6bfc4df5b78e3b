import type { Touch } from '../../nodes/shared/contracts';
import { InputDataError } from '../../nodes/shared/errors';
import { parseTouches } from '../../nodes/Touchpoint/parseTouches';
import { buildTrackingTable } from '../../nodes/Touchpoint/trackingNumbers';
import { fixtureJson, fixtureText, testContext } from '../fixtures/touches/load';

const NO_UTM = { source: null, medium: null, campaign: null, content: null, term: null };

function byId(touches: Touch[]): Record<string, Touch> {
	return Object.fromEntries(touches.map((touch) => [touch.touchId, touch]));
}

function errorOf(run: () => unknown): InputDataError {
	try {
		run();
	} catch (error) {
		if (error instanceof InputDataError) return error;
		throw error;
	}
	throw new Error('expected an InputDataError');
}

describe('Asterisk Master.csv', () => {
	it('reads the 16 base columns: quoted commas, CRLF, naive times in the zone, outgoing calls skipped', () => {
		const result = parseTouches(fixtureText('asterisk-master-16col.csv'), 'auto', testContext());
		expect(result.touches.map((touch) => [touch.at, touch.phones, touch.trackingNumber, touch.durationSec, touch.answered, touch.outcome])).toEqual([
			['2024-03-05T14:02:11+03:00', ['+79161234567'], '+74951234567', 201, true, 'answered'],
			['2024-03-05T15:10:00+03:00', ['+380441234567'], '+74951234567', 0, false, 'missed'],
			['2024-03-05T16:00:00+03:00', ['+79261112233'], '+74951234567', 6, true, 'short'],
		]);
		expect(result.touches.every((touch) => touch.source === 'asterisk' && touch.kind === 'call' && /^asterisk:#[0-9a-f]{32}$/.test(touch.touchId))).toBe(true);
		expect(result.skipped).toEqual(['Master.csv line 3: call from extension 101 is outgoing or internal; only incoming calls are touches']);
	});

	it('joins the legs of one call by linkedid (21 columns): answered if any leg was, longest billsec, earliest start', () => {
		const result = parseTouches(fixtureText('asterisk-master-21col.csv'), 'asterisk', testContext());
		const calls = byId(result.touches);
		expect(Object.keys(calls)).toEqual(['asterisk:1709636531.20', 'asterisk:1709637000.23', 'asterisk:1709650800.28', 'asterisk:1709654400.30']);
		expect(calls['asterisk:1709636531.20']).toMatchObject({
			at: '2024-03-05T14:02:11+03:00',
			phones: ['+79161234567'],
			trackingNumber: '+74951234567',
			durationSec: 185,
			answered: true,
			outcome: 'answered',
			warnings: ['time "2024-03-05 14:02:11" carries no offset: read in Europe/Moscow (the node\'s Time Zone option)'],
		});
		// two legs, NO ANSWER and BUSY: one missed call
		expect(calls['asterisk:1709637000.23']).toMatchObject({ at: '2024-03-05T14:10:00+03:00', durationSec: 0, answered: false, outcome: 'missed' });
		// the caller of the first call again four hours later
		expect(calls['asterisk:1709650800.28']).toMatchObject({ answered: true, durationSec: 45, outcome: 'repeat' });
		expect(result.skipped).toEqual(['Master.csv line 5: call from extension 101 is outgoing or internal; only incoming calls are touches']);
	});

	it('keeps a call from a hidden number by its uniqueid, with a warning', () => {
		const hidden = byId(parseTouches(fixtureText('asterisk-master-21col.csv'), 'auto', testContext()).touches)['asterisk:1709654400.30'];
		expect(hidden.phones).toEqual([]);
		expect(hidden.warnings).toEqual([
			'phone "anonymous" is not a phone number',
			'time "2024-03-05 19:00:00" carries no offset: read in Europe/Moscow (the node\'s Time Zone option)',
		]);
		expect(hidden.outcome).toBe('answered');
	});

	it('reads lines of 16 and 18 columns in one file and joins legs by the uniqueid core when there is no linkedid', () => {
		const result = parseTouches(fixtureText('asterisk-master-18col.csv'), 'auto', testContext());
		expect(result.touches.map((touch) => [touch.at, touch.durationSec, touch.answered, touch.outcome])).toEqual([
			['2024-03-04T10:00:00+03:00', 180, true, 'answered'],
			['2024-03-05T15:00:00+03:00', 75, true, 'answered'],
		]);
		// the 16-column line has no id: a hash of its content; the two legs share "pbx1-1709640000.40"
		expect(result.touches[0].touchId).toMatch(/^asterisk:#[0-9a-f]{32}$/);
		expect(result.touches[1].touchId).toBe('asterisk:1709640000.40');
		expect(result.touches[1].phones).toEqual(['+79167654321']);
	});

	it('tells a lone uniqueid column (17) from a lone userfield column by its form', () => {
		const base = '"","79161234567","74951234567","from-trunk","","SIP/t-1","SIP/101-2","Dial","SIP/101","2024-03-05 10:00:00","2024-03-05 10:00:03","2024-03-05 10:01:03",63,60,"ANSWERED","DOCUMENTATION"';
		const withId = parseTouches(`${base},"1709622000.7"\n`, 'asterisk', testContext()).touches[0];
		const withUserfield = parseTouches(`${base},"vip client"\n`, 'asterisk', testContext()).touches[0];
		expect(withId.touchId).toBe('asterisk:1709622000.7');
		expect(withUserfield.touchId).toMatch(/^asterisk:#[0-9a-f]{32}$/);
	});

	it('reads naive CDR times in the chosen zone', () => {
		const csv = fixtureText('asterisk-master-16col.csv');
		expect(parseTouches(csv, 'asterisk', testContext({ timeZone: 'Europe/Kyiv' })).touches[0].at).toBe('2024-03-05T14:02:11+02:00');
		expect(parseTouches(csv, 'asterisk', testContext({ timeZone: 'UTC' })).touches[0].at).toBe('2024-03-05T14:02:11Z');
	});

	it('maps the dialled number to the channel of the tracking number table', () => {
		const trackingNumbers = buildTrackingTable([{ number: '8 (495) 123-45-67', source: 'yandex', medium: 'cpc', campaign: 'brand' }], ['RU', 'UA']);
		const touches = parseTouches(fixtureText('asterisk-master-16col.csv'), 'asterisk', testContext({ trackingNumbers })).touches;
		expect(touches[0].channel).toEqual({ source: 'yandex', medium: 'cpc', campaign: 'brand', content: null, term: null });
		expect(touches.every((touch) => touch.channel.source === 'yandex')).toBe(true);
	});

	it('refuses a payload that is not text when Asterisk is chosen', () => {
		expect(errorOf(() => parseTouches(42, 'asterisk', testContext())).message).toBe(
			'Asterisk CDR is read from Master.csv text, and this payload is not text (source "asterisk", chosen in the node)',
		);
		const rows = errorOf(() => parseTouches({ src: '79161234567' }, 'asterisk', testContext()));
		expect(rows.message).toBe(
			'Asterisk CDR is read from Master.csv text, and this payload is an item with src, none of them Master.csv text (source "asterisk", chosen in the node)',
		);
		// the hint no longer sends the user to Extract From File's CSV rows, which cannot be read
		expect(rows.hint).toContain('Binary File');
		expect(rows.hint).toContain('"Extract From Text File"');
	});

	it('refuses a line with another column count, with its line number', () => {
		const csv = fixtureText('asterisk-master-16col.csv') + '"","79161234567","74951234567","from-trunk"\r\n';
		const error = errorOf(() => parseTouches(csv, 'asterisk', testContext()));
		expect(error.message).toBe('Master.csv line has 4 columns; cdr_csv writes 16 to 21 (line 5, column 1)');
		expect(error.line).toBe(5);
	});

	it('reads local city callers and DIDs of PSTN calls with the City Code: the DID then finds its tracking-number row', () => {
		const trackingNumbers = buildTrackingTable([{ number: '+7 (495) 765-43-21', source: 'yandex', medium: 'cpc', campaign: 'city' }], ['RU', 'UA']);
		const result = parseTouches(fixtureText('asterisk-master-city.csv'), 'auto', testContext({ cityCode: '495', trackingNumbers }));
		const city = byId(result.touches)['asterisk:1709622000.26'];
		expect(city).toMatchObject({
			at: '2024-03-05T10:00:00+03:00',
			phones: ['+74952345678'],
			trackingNumber: '+74957654321',
			channel: { source: 'yandex', medium: 'cpc', campaign: 'city', content: null, term: null },
			durationSec: 95,
			answered: true,
			outcome: 'answered',
		});
		// the 6-digit caller on an internal channel and context is an extension
		expect(result.skipped).toEqual(['Master.csv line 4: call from extension 100200 is outgoing or internal; only incoming calls are touches']);
	});

	it('keeps a local city call without the City Code, with warnings that its numbers cannot be matched', () => {
		const city = byId(parseTouches(fixtureText('asterisk-master-city.csv'), 'asterisk', testContext()).touches)['asterisk:1709622000.26'];
		expect(city).toMatchObject({ phones: [], trackingNumber: null, channel: NO_UTM, answered: true, durationSec: 95 });
		expect(city.warnings).toEqual([
			'caller "2345678" is a local city number without its area code: it cannot be matched to a full (E.164) phone; set the node\'s City Code option (e.g. 495) to read it',
			'tracking number (the DID dialled) "7654321" is a local city number without its area code: it cannot be matched to a full (E.164) phone; set the node\'s City Code option (e.g. 495) to read it',
			'time "2024-03-05 10:00:00" carries no offset: read in Europe/Moscow (the node\'s Time Zone option)',
		]);
	});

	it('keeps a 6-digit city caller of a from-pstn call even without ids, read with its own city code', () => {
		const line = '"","234567","8172765432","from-pstn","","DAHDI/1-1","SIP/101-2","Dial","SIP/101","2024-03-05 10:00:00","2024-03-05 10:00:03","2024-03-05 10:01:03",63,60,"ANSWERED","DOCUMENTATION"\n';
		const [read] = parseTouches(line, 'asterisk', testContext({ cityCode: '8172' })).touches;
		expect([read.phones, read.trackingNumber, read.outcome]).toEqual([['+78172234567'], '+78172765432', 'answered']);
		// without the code the call is kept (16 columns: its touchId is a hash of what it says, the local caller included)
		const kept = parseTouches(line, 'asterisk', testContext()).touches;
		expect(kept.map((touch) => [touch.phones, touch.answered])).toEqual([[[], true]]);
		expect(kept[0].touchId).toMatch(/^asterisk:#[0-9a-f]{32}$/);
		// a city code that does not complete the number into one of the first country is refused, not read as another country's
		const wrongCode = parseTouches(line, 'asterisk', testContext({ cityCode: '495' })).touches[0];
		expect(wrongCode.phones).toEqual([]);
		expect(wrongCode.warnings[0]).toBe('caller "234567" with city code 495 is not a valid phone number');
	});

	it('counts a call only the IVR answered as missed, with the IVR named, and a call ANSWERED by an unknown application as unknown', () => {
		const calls = byId(parseTouches(fixtureText('asterisk-master-city.csv'), 'asterisk', testContext({ cityCode: '495' })).touches);
		expect(calls['asterisk:1709625600.30']).toMatchObject({ phones: ['+79035550011'], trackingNumber: '+74951234567', answered: false, durationSec: 0, outcome: 'missed' });
		expect(calls['asterisk:1709625600.30'].warnings[0]).toBe('answered only by the PBX (BackGround on line 2, 25 s); no person answered, so the call is missed');
		expect(calls['asterisk:1709632800.34']).toMatchObject({ answered: null, durationSec: null, outcome: null });
		expect(calls['asterisk:1709632800.34'].warnings[0]).toBe(
			'cannot tell whether a person answered: line 5 is ANSWERED by "AGI", neither Dial / Queue (a person) nor an IVR or voice-mail application',
		);
	});

	it('counts an agent leg ANSWERED with 0 billable seconds as missed', () => {
		const line = '"","79161234567","74951234567","from-trunk","","SIP/rt-trunk-1","SIP/101-2","Dial","SIP/101","2024-03-05 10:00:00","2024-03-05 10:00:03","2024-03-05 10:00:03",3,0,"ANSWERED","DOCUMENTATION","1709622000.9"\n';
		const [touch] = parseTouches(line, 'asterisk', testContext()).touches;
		expect([touch.answered, touch.durationSec, touch.outcome, touch.warnings[0]]).toEqual([
			false,
			0,
			'missed',
			'line 1 is ANSWERED with 0 billable seconds; no person talked, so the call is missed',
		]);
	});

	it('reads Master.csv text from the data field (Extract From File, text) or the one string field of an item', () => {
		const text = fixtureText('asterisk-master-16col.csv');
		const asText = parseTouches(text, 'auto', testContext());
		expect(parseTouches({ data: text }, 'auto', testContext())).toEqual(asText);
		expect(parseTouches({ data: `\uFEFF${text}` }, 'asterisk', testContext())).toEqual(asText);
		expect(parseTouches({ fileName: 3, content: text }, 'auto', testContext())).toEqual(asText);
		expect(asText.touches).toHaveLength(3);
	});

	it('refuses a call whose start is not a time, naming the column, the line and the assumed source', () => {
		const csv = fixtureText('asterisk-master-16col.csv').replace('"2024-03-05 16:00:00"', '"yesterday"');
		const error = errorOf(() => parseTouches(csv, 'auto', testContext()));
		expect(error.message).toBe(
			'Asterisk CDR (Master.csv) call: no time: start (column 10) "yesterday" is not a date (source "asterisk", detected automatically) (line 4, column 1)',
		);
		expect(error.hint).toContain('start (column 10)');
	});
});

describe('Binotel', () => {
	it('reads a nested apiCallCompleted with call tracking data', () => {
		const [touch] = parseTouches(fixtureJson('binotel-completed-nested.json'), 'auto', testContext({ timeZone: 'Europe/Kyiv' })).touches;
		expect(touch).toEqual({
			touchId: 'binotel:4417346570',
			kind: 'call',
			at: '2024-03-05T13:02:11+02:00',
			phones: ['+380671234567'],
			emails: [],
			gaClientId: '1234567890.1709630000',
			gaSessionId: null,
			ymClientId: null,
			yclid: null,
			orderRef: null,
			channel: { source: 'google', medium: 'cpc', campaign: 'spring_sale', content: 'ad1', term: 'купити диван' },
			trackingNumber: '+380443334455',
			durationSec: 95,
			answered: true,
			outcome: 'answered',
			// callDetails[employeeData][name]
			operator: 'Менеджер 1',
			source: 'binotel',
			warnings: [],
		});
	});

	it('reads flat bracket keys and the raw form-encoded body alike', () => {
		const flat = parseTouches(fixtureJson('binotel-completed-flat.json'), 'auto', testContext()).touches;
		const form = parseTouches(fixtureText('binotel-completed-form.txt'), 'auto', testContext()).touches;
		expect(form).toEqual(flat);
		expect(flat[0]).toMatchObject({
			touchId: 'binotel:4417349911',
			at: '2024-03-05T17:46:40+03:00',
			phones: ['+380501112233'],
			trackingNumber: '+380443334455',
			answered: false,
			outcome: 'missed',
			channel: NO_UTM,
		});
	});

	it('takes the channel from the tracking number when the call carries no utm, and the payload utm when it does', () => {
		const trackingNumbers = buildTrackingTable([{ number: '044 333 44 55', source: 'facebook', medium: 'paid_social', campaign: null }], ['UA']);
		const ctx = testContext({ trackingNumbers });
		expect(parseTouches(fixtureJson('binotel-completed-flat.json'), 'binotel', ctx).touches[0].channel).toEqual({
			source: 'facebook',
			medium: 'paid_social',
			campaign: null,
			content: null,
			term: null,
		});
		expect(parseTouches(fixtureJson('binotel-completed-nested.json'), 'binotel', ctx).touches[0].channel.source).toBe('google');
	});

	it('skips outgoing calls and requests that are not a completed call', () => {
		expect(parseTouches(fixtureJson('binotel-outgoing.json'), 'auto', testContext())).toEqual({
			touches: [],
			skipped: ['Binotel call 4417350001 is outgoing; only incoming calls are touches'],
		});
		expect(parseTouches(fixtureJson('binotel-call-settings.json'), 'auto', testContext()).skipped).toEqual([
			'Binotel apiCallSettings is not a completed call; only apiCallCompleted makes a touch',
		]);
	});

	it("reads the GetCall widget's getCallData: its utm is the channel, its gaClientId the client id; didNumber is the tracking number", () => {
		const [touch] = parseTouches(fixtureJson('binotel-completed-getcall.json'), 'auto', testContext({ timeZone: 'Europe/Kyiv' })).touches;
		expect(touch).toEqual({
			touchId: 'binotel:5100000001',
			kind: 'call',
			// 1709712000 is 2024-03-06 08:00:00 UTC, 10:00 in Kyiv (UTC+2 in March)
			at: '2024-03-06T10:00:00+02:00',
			phones: ['+380501112233'],
			emails: [],
			gaClientId: '1111111111.1709700000',
			gaSessionId: null,
			ymClientId: null,
			yclid: null,
			orderRef: null,
			channel: { source: 'facebook', medium: 'paid_social', campaign: 'march_sofas', content: 'carousel', term: null },
			trackingNumber: '+380443334466',
			durationSec: 64,
			answered: true,
			outcome: 'answered',
			// no employeeData: callDetails[internalNumber]
			operator: '902',
			source: 'binotel',
			warnings: [],
		});
	});

	it('finds the tracking-number row by didNumber or did when the call carries no utm, before the company line', () => {
		const trackingNumbers = buildTrackingTable(
			[
				{ number: '+380 44 333 44 66', source: 'google', medium: 'cpc', campaign: 'pool-1' },
				{ number: '+380 44 333 44 55', source: 'direct', medium: 'line', campaign: null },
			],
			['UA'],
		);
		const payload = fixtureJson('binotel-completed-getcall.json') as { callDetails: Record<string, unknown> };
		const { getCallData, didNumber, ...details } = payload.callDetails;
		const line = { pbxNumberData: { number: '0443334455', name: 'Office' } };
		const byDid = parseTouches({ callDetails: { ...details, ...line, didNumber } }, 'binotel', testContext({ trackingNumbers })).touches[0];
		const byDidTopLevel = parseTouches({ did: '+380443334466', callDetails: { ...details, ...line } }, 'binotel', testContext({ trackingNumbers })).touches[0];
		const byLine = parseTouches({ callDetails: { ...details, ...line } }, 'binotel', testContext({ trackingNumbers })).touches[0];
		expect([byDid.trackingNumber, byDid.channel.campaign, byDid.gaClientId]).toEqual(['+380443334466', 'pool-1', null]);
		expect([byDidTopLevel.trackingNumber, byDidTopLevel.channel.campaign]).toEqual(['+380443334466', 'pool-1']);
		expect([byLine.trackingNumber, byLine.channel.source]).toEqual(['+380443334455', 'direct']);
	});

	it("keeps call tracking's utm whole over getCallData's when both are there", () => {
		const nested = fixtureJson('binotel-completed-nested.json') as { callDetails: Record<string, unknown> };
		const getCall = (fixtureJson('binotel-completed-getcall.json') as { callDetails: Record<string, unknown> }).callDetails.getCallData;
		const [touch] = parseTouches({ ...nested, callDetails: { ...nested.callDetails, getCallData: getCall } }, 'binotel', testContext()).touches;
		expect([touch.channel.source, touch.channel.campaign, touch.gaClientId]).toEqual(['google', 'spring_sale', '1234567890.1709630000']);
	});

	it.each([
		['VM-SUCCESS', false, 'missed'],
		['TRANSFER', true, 'answered'],
		['CANCEL', false, 'missed'],
	])('disposition %s is answered=%s', (disposition, answered, outcome) => {
		const payload = { callDetails: { generalCallID: '1', startTime: '1709636531', externalNumber: '0671234567', billsec: '40', disposition } };
		expect(parseTouches(payload, 'binotel', testContext()).touches[0]).toMatchObject({ answered, outcome });
	});
});

describe('Zadarma', () => {
	it('turns NOTIFY_END into a call; 7 billable seconds is a short call', () => {
		const [touch] = parseTouches(fixtureJson('zadarma-notify-end.json'), 'auto', testContext()).touches;
		expect(touch).toMatchObject({
			touchId: 'zadarma:in_4a5d3a7b8c9d0e1f2a3b4c5d6e7f8091',
			at: '2024-03-05T14:02:11+03:00',
			phones: ['+79161234567'],
			trackingNumber: '+74951234567',
			durationSec: 7,
			answered: true,
			outcome: 'short',
		});
	});

	it('skips the other notifications with the reason', () => {
		expect(parseTouches(fixtureJson('zadarma-notify-start.json'), 'auto', testContext())).toEqual({
			touches: [],
			skipped: ['Zadarma NOTIFY_START is not the end of an incoming call; only NOTIFY_END makes a touch'],
		});
	});

	it('refuses a NOTIFY_END without call_start, naming the field and the assumed source', () => {
		const payload = { ...(fixtureJson('zadarma-notify-end.json') as object), call_start: '' };
		const error = errorOf(() => parseTouches(payload, 'auto', testContext()));
		expect(error.message).toBe('Zadarma call: no time: call_start is missing (source "zadarma", detected automatically)');
		expect(error.hint).toBe('The event time is read from call_start. If the payload comes from another system, choose that source instead.');
	});

	it('refuses a payload without event when Zadarma is chosen', () => {
		expect(errorOf(() => parseTouches({ caller_id: '79161234567' }, 'zadarma', testContext())).message).toBe(
			'Zadarma notification has no "event" field (source "zadarma", chosen in the node)',
		);
	});
});

describe('Mango Office', () => {
	it('decodes the summary from the json form field', () => {
		const [touch] = parseTouches(fixtureJson('mango-summary-form.json'), 'auto', testContext()).touches;
		expect(touch).toMatchObject({
			touchId: 'mango:MjYyNTg1NjE3Nzg6MTAx',
			at: '2024-03-05T14:02:11+03:00',
			phones: ['+79161234567'],
			trackingNumber: '+74957890123',
			durationSec: 155,
			answered: true,
			outcome: 'answered',
		});
	});

	it('reads the decoded summary too; entry_result 0 is missed', () => {
		const [touch] = parseTouches(fixtureJson('mango-summary-missed.json'), 'auto', testContext()).touches;
		expect(touch).toMatchObject({ touchId: 'mango:MjYyNTg1NjE3Nzg6MTAy', phones: ['+79035551234'], durationSec: 0, answered: false, outcome: 'missed' });
	});

	it('skips outgoing calls and refuses a json field that does not parse', () => {
		const outgoing = { ...(fixtureJson('mango-summary-missed.json') as object), call_direction: 2 };
		expect(parseTouches(outgoing, 'auto', testContext()).skipped).toEqual(['Mango Office call MjYyNTg1NjE3Nzg6MTAy is outgoing; only incoming calls are touches']);
		expect(errorOf(() => parseTouches({ json: '{"entry_id": "x", ' }, 'mango', testContext())).message).toMatch(/^Mango Office "json" field does not parse: /);
	});
});

describe('Ringostat', () => {
	it('reads the caller, tracking number, utm and client ids', () => {
		const [touch] = parseTouches(fixtureJson('ringostat-call.json'), 'auto', testContext()).touches;
		expect(touch).toMatchObject({
			touchId: 'ringostat:1709636531.5523',
			at: '2024-03-05T14:02:11+03:00',
			phones: ['+380671234567'],
			trackingNumber: '+380443334455',
			gaClientId: '1987654321.1709600000',
			ymClientId: '1709600000987654321',
			channel: { source: 'google', medium: 'cpc', campaign: 'brand', content: null, term: 'ringostat' },
			durationSec: 0,
			answered: false,
			outcome: 'missed',
		});
	});
});

describe('Calltouch', () => {
	it('reads a GET notification from the webhook item query', () => {
		const [touch] = parseTouches(fixtureJson('calltouch-notification.json'), 'auto', testContext()).touches;
		expect(touch).toMatchObject({
			touchId: 'calltouch:46728144',
			at: '2024-03-05T14:02:11+03:00',
			phones: ['+79161234567'],
			trackingNumber: '+74951112233',
			gaClientId: '1183624467.1709630000',
			ymClientId: '1709630000123456789',
			channel: { source: 'yandex', medium: 'cpc', campaign: 'sofa_msk', content: null, term: 'диван купить' },
			durationSec: 64,
			answered: true,
			outcome: 'answered',
		});
	});

	it('reads the calls API list: dd/MM/yyyy dates, its own source when utm is empty, a repeat call', () => {
		const touches = parseTouches(fixtureJson('calltouch-calls.json'), 'auto', testContext()).touches;
		expect(touches.map((touch) => [touch.touchId, touch.at, touch.channel.source, touch.channel.medium, touch.answered, touch.outcome])).toEqual([
			['calltouch:46728145', '2024-03-05T16:20:00+03:00', 'google', 'organic', false, 'missed'],
			['calltouch:46728150', '2024-03-05T16:45:00+03:00', 'google', 'organic', true, 'repeat'],
		]);
	});

	it('reads status when successful is absent', () => {
		const payload = { callId: 9, callerphone: '79161234567', callTime: '2024-03-05 12:00:00', status: 'unsuccessful' };
		expect(parseTouches(payload, 'auto', testContext()).touches[0]).toMatchObject({ at: '2024-03-05T12:00:00+03:00', answered: false, outcome: 'missed' });
	});
});
