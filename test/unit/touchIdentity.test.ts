import { join } from 'path';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { parseTouchBatch, parseTouches } from '../../nodes/Touchpoint/parseTouches';
import { executeNode, type NodeRun, type NodeUnderTest } from '../faults/fakeContext';
import { fixtureJson, fixtureText, testContext } from '../fixtures/touches/load';

type TouchpointModule = typeof import('../../nodes/Touchpoint/Touchpoint.node');
// Node's resolution (ts-node) would take "Touchpoint.node" for the Touchpoint.node.json beside it: name the file.
const { Touchpoint } = require(join(__dirname, '..', '..', 'nodes', 'Touchpoint', 'Touchpoint.node.ts')) as TouchpointModule;

const ARRIVED = '2024-03-05T20:00:00+03:00';
const NEXT_DAY = '2024-03-06T09:30:00+03:00';

/** The touchId of the one touch a payload makes, read in Moscow time, arriving at `arrived`. */
function idOf(payload: unknown, arrived = ARRIVED): string {
	const { touches } = parseTouches(payload, 'auto', testContext({ receivedAt: arrived }));
	expect(touches).toHaveLength(1);
	return touches[0].touchId;
}

/** The same value with the keys of every object in reverse order. */
function reversedKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(reversedKeys);
	if (typeof value !== 'object' || value === null) return value;
	return Object.fromEntries(
		Object.entries(value)
			.reverse()
			.map(([key, inner]) => [key, reversedKeys(inner)]),
	);
}

/** A site form with no id and no time of its own: its touchId is a hash of its content. */
const FORM = { phone: '8 (916) 123-45-67', email: 'Anna@Mail.ru', utm_source: 'yandex', utm_medium: 'cpc', utm_campaign: 'brand' };

/** The 16 base columns of a Master.csv line: 79161234567 dials 74951234567 at 10:00:00 Moscow, answered, 60 s billed. */
const CDR = '"","79161234567","74951234567","from-trunk","","SIP/t-1","SIP/101-2","Dial","SIP/101","2024-03-05 10:00:00","2024-03-05 10:00:03","2024-03-05 10:01:03",63,60,"ANSWERED","DOCUMENTATION"';

describe('touchId from the content of an event without an id of its own', () => {
	it('is "<source>:#" and 32 hex characters of the SHA-256 of the canonical content, worked out by hand', () => {
		// The canonical JSON of FORM, keys sorted, values as the touch holds them (written out by hand):
		// {"answered":null,"at":null,"channel":{"campaign":"brand","content":null,"medium":"cpc","source":"yandex","term":null},
		//  "durationSec":null,"emails":["anna@mail.ru"],"form":null,"gaClientId":null,"gaSessionId":null,"kind":"form",
		//  "message":null,"orderRef":null,"page":null,"phones":["+79161234567"],"trackingNumber":null,"yclid":null,"ymClientId":null}
		// on one line; `printf '%s' '<that>' | sha256sum` gives 0b064079af26fee0a7c560faa89accb7e915409b28200e4572e9dc4bc83ee847.
		expect(idOf(FORM)).toBe('form:#0b064079af26fee0a7c560faa89accb7');
		// A Master.csv leg without uniqueid or linkedid: "at" is its start as an instant, 2024-03-05T07:00:00Z =
		// 1709622000000 ms; {"answered":true,"at":1709622000000,"channel":{all five null},"durationSec":60,"emails":[],
		// ...,"kind":"call",...,"phones":["+79161234567"],"trackingNumber":"+74951234567",...} hashes (sha256sum) to
		// f58eac2cdb57fb9b0c6532b67051ad1458fa74f416fb59036c6c252881a12320.
		expect(parseTouches(`${CDR}\n`, 'asterisk', testContext()).touches[0].touchId).toBe('asterisk:#f58eac2cdb57fb9b0c6532b67051ad14');
	});

	it('is the same for the same payload delivered again, at another arrival time, and with its keys in another order', () => {
		const first = parseTouches(FORM, 'auto', testContext({ receivedAt: ARRIVED })).touches[0];
		const again = parseTouches(structuredClone(FORM), 'auto', testContext({ receivedAt: NEXT_DAY })).touches[0];
		const reordered = parseTouches(reversedKeys(FORM), 'auto', testContext({ receivedAt: NEXT_DAY })).touches[0];
		expect([again.touchId, reordered.touchId]).toEqual([first.touchId, first.touchId]);
		// the arrival time still dates the touch, it only stays out of the id
		expect([first.at, again.at]).toEqual([ARRIVED, NEXT_DAY]);
	});

	it.each(['form-nested.json', 'cart-tilda.json'])('is the same for %s with the keys of every object reversed', (file) => {
		const payload = fixtureJson(file);
		expect(idOf(reversedKeys(payload))).toBe(idOf(payload));
		expect(idOf(payload)).toMatch(/^form:#[0-9a-f]{32}$/);
	});

	it('is the same when two phone fields come in the other order', () => {
		const one = { phone: '+79161234567', mobile: '+79035551234', utm_source: 'vk' };
		const other = { mobile: '+79035551234', utm_source: 'vk', phone: '+79161234567' };
		expect(idOf(other)).toBe(idOf(one));
	});

	it('tells two forms from one phone with other utm apart in one batch, where the arrival time is the same', () => {
		const results = parseTouchBatch(
			[{ payload: FORM }, { payload: { ...FORM, utm_source: 'google', utm_campaign: 'search' } }],
			'auto',
			testContext({ receivedAt: ARRIVED }),
		);
		const [yandex, google] = results.map((result) => result.touches[0]);
		expect(yandex.touchId).not.toBe(google.touchId);
		expect([yandex.channel.source, google.channel.source]).toEqual(['yandex', 'google']);
	});

	it.each(['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term'])('changes with %s', (field) => {
		expect(idOf({ ...FORM, [field]: 'other' })).not.toBe(idOf(FORM));
	});

	it.each([
		['the e-mail', { email: 'anna@yandex.ru' }],
		['the phone', { phone: '+79161234568' }],
		['the GA client id', { _ga: 'GA1.1.123456789.1700000000' }],
		['the Metrica client id', { _ym_uid: '1709630000123456789' }],
		['the form', { formname: 'Callback' }],
		['the page', { page_url: 'https://shop.ru/sofas' }],
		['the message', { comment: 'Call me after six' }],
		['the kind', { type: 'cart' }],
		['a time of its own', { created_at: '2024-03-05T12:00:00+03:00' }],
	])('changes with %s', (_what, extra) => {
		expect(idOf({ ...FORM, ...extra })).not.toBe(idOf(FORM));
	});

	it('reads the event time as an instant: the same moment written with another offset is the same touch', () => {
		const moscow = idOf({ ...FORM, created_at: '2024-03-05T12:00:00+03:00' });
		expect(idOf({ ...FORM, created_at: '2024-03-05T09:00:00Z' })).toBe(moscow);
		expect(idOf({ ...FORM, created_at: '2024-03-05T12:00:01+03:00' })).not.toBe(moscow);
	});

	it('keeps the tracking-number table (a setting) out of the id', () => {
		const zadarma = { event: 'NOTIFY_END', call_start: '2024-03-05 14:02:11', caller_id: '79161234567', called_did: '74951234567', duration: '7', disposition: 'answered' };
		const plain = parseTouches(zadarma, 'auto', testContext()).touches[0];
		const mapped = parseTouches(zadarma, 'auto', testContext({ trackingNumbers: new Map([['+74951234567', { source: 'yandex', medium: 'cpc', campaign: null, content: null, term: null }]]) })).touches[0];
		expect(mapped.channel.source).toBe('yandex');
		expect(mapped.touchId).toBe(plain.touchId);
		expect(plain.touchId).toMatch(/^zadarma:#[0-9a-f]{32}$/);
	});
});

describe("touchId from the sender's own id", () => {
	it.each([
		['Asterisk linkedid (21 columns)', `${CDR},"1709622000.7","","","1709622000.5","3"\n`, 'asterisk:1709622000.5'],
		['Asterisk uniqueid (17 columns)', `${CDR},"pbx1-1709622000.7"\n`, 'asterisk:1709622000.7'],
		[
			'Binotel generalCallID',
			{ requestType: 'apiCallCompleted', callDetails: { generalCallID: '4417346570', callID: '4417346571', startTime: '1709636531', callType: '0', externalNumber: '0671234567', billsec: '95', disposition: 'ANSWER' } },
			'binotel:4417346570',
		],
		['Binotel callID without generalCallID', { callDetails: { callID: '4417346571', startTime: '1709636531', externalNumber: '0671234567' } }, 'binotel:4417346571'],
		['Zadarma pbx_call_id', { event: 'NOTIFY_END', pbx_call_id: 'in_4a5d', call_start: '2024-03-05 14:02:11', caller_id: '79161234567', duration: '7', disposition: 'answered' }, 'zadarma:in_4a5d'],
		['Mango Office entry_id', { entry_id: 'MjYyNTg1NjE3Nzg6MTAx', create_time: 1709636531, from: { number: '79161234567' }, entry_result: 1 }, 'mango:MjYyNTg1NjE3Nzg6MTAx'],
		['Mango Office entry_id in its json field', { json: '{"entry_id":"MjYy","create_time":1709636531,"from":{"number":"79161234567"},"entry_result":0}' }, 'mango:MjYy'],
		['Ringostat uniqueid', { uniqueid: '1709636531.5523', calldate: '2024-03-05 14:02:11', caller: '380671234567' }, 'ringostat:1709636531.5523'],
		['Calltouch callId', { callId: 46728144, callerphone: '79161234567', timestamp: '1709636531' }, 'calltouch:46728144'],
		['Jivo chat_id', { event_name: 'chat_finished', chat_id: 6426, visitor: { phone: '+79161234567' }, chat: { messages: [{ timestamp: 1709636540 }] } }, 'jivo:6426'],
		['Jivo offline_message_id', { event_name: 'offline_message', offline_message_id: 'om-8891', visitor: { email: 'olga@example.ru' }, message: 'Перезвоните' }, 'jivo:om-8891'],
		['a form tranid (Tilda)', { tranid: '1234567:7654321', phone: '+79991234567' }, 'form:1234567:7654321'],
		['a form submission_id', { submission_id: 'S-17', email: 'anna@mail.ru' }, 'form:S-17'],
		['a form lead_id', { lead_id: 88, phone: '+79991234567', utm_source: 'vk' }, 'form:88'],
	])('%s', (_sender, payload, touchId) => {
		expect(idOf(payload)).toBe(touchId);
	});

	it('gives a chat one touchId from its accepted to its finished event (one chat, one touch)', () => {
		expect(idOf(fixtureJson('jivo-chat-accepted.json'))).toBe('jivo:6427');
		expect(idOf({ ...(fixtureJson('jivo-chat-finished.json') as object), chat_id: 6427 })).toBe('jivo:6427');
	});

	it('does not depend on the arrival time or the order of the keys', () => {
		const payload = { event_name: 'chat_accepted', chat_id: 6427, visitor: { email: 'maria@example.ru' } };
		expect([idOf(payload, ARRIVED), idOf(reversedKeys(payload), NEXT_DAY)]).toEqual(['jivo:6427', 'jivo:6427']);
	});

	it('prefers the id fields of a form in a fixed order, whatever order the payload has them in', () => {
		expect(idOf({ lead_id: 'L-1', tranid: 'T-1', phone: '+79991234567' })).toBe('form:T-1');
		expect(idOf({ tranid: 'T-1', lead_id: 'L-1', phone: '+79991234567' })).toBe('form:T-1');
	});

	it('keeps two senders that use the same number apart', () => {
		const ids = [
			{ callDetails: { generalCallID: '1000', startTime: '1709636531', externalNumber: '0671234567' } },
			{ callId: '1000', callerphone: '79161234567', timestamp: '1709636531' },
			{ uniqueid: '1000', calldate: '2024-03-05 14:02:11', caller: '79161234567' },
			{ event: 'NOTIFY_END', pbx_call_id: '1000', call_start: '2024-03-05 14:02:11', caller_id: '79161234567' },
			{ entry_id: '1000', create_time: 1709636531, from: { number: '79161234567' } },
			{ event_name: 'chat_finished', chat_id: 1000, visitor: { phone: '+79161234567' }, timestamp: 1709636531 },
			{ lead_id: '1000', phone: '+79161234567' },
		].map((payload) => idOf(payload));
		expect(ids).toEqual(['binotel:1000', 'calltouch:1000', 'ringostat:1000', 'zadarma:1000', 'mango:1000', 'jivo:1000', 'form:1000']);
	});
});

const TOUCHPOINT: NodeUnderTest = {
	type: new Touchpoint(),
	node: { id: 'touch-identity', name: 'Touchpoint', type: 'n8n-nodes-sales-analytics.touchpoint', typeVersion: 1, position: [0, 0], parameters: {} },
	credentials: [],
};

function touchpointRun(input: IDataObject[], continueOnFail: boolean, parameters: Record<string, unknown> = {}): NodeRun {
	return { parameters: { source: 'auto', payloadFrom: 'json', options: {}, ...parameters }, credential: {}, staticData: {}, continueOnFail, input: input.map((json) => ({ json })) };
}

/** Each output item as [pairedItem's item, touchId or the error's itemIndex and message start]. */
function outline(items: INodeExecutionData[]): Array<[number, string]> {
	return items.map((item) => {
		const paired = (item.pairedItem as { item: number }).item;
		const json = item.json;
		return [paired, typeof json.error === 'string' ? `error ${String(json.itemIndex)}: ${json.error.slice(0, 40)}` : String(json.touchId)];
	});
}

describe('the Touchpoint node: output in input order', () => {
	// Item 0 is a Master.csv body with four calls (linkedid 1709636531.20, .23, .28, .30), item 1 nothing known,
	// item 2 a form with its own tranid.
	const csvItem = { headers: { 'content-type': 'text/csv' }, params: {}, query: {}, body: fixtureText('asterisk-master-21col.csv') };
	const badItem = { hello: 'world' };
	const formItem = { tranid: '1234567:7654321', phone: '+79991234567', created_at: '2024-03-05T12:00:00+03:00' };

	it('with Continue On Fail: the touches of an item together at its place, the error at its own, each paired', async () => {
		const { items, error } = await executeNode(TOUCHPOINT, touchpointRun([csvItem, badItem, formItem], true));
		expect(error).toBeUndefined();
		expect(outline(items)).toEqual([
			[0, 'asterisk:1709636531.20'],
			[0, 'asterisk:1709637000.23'],
			[0, 'asterisk:1709650800.28'],
			[0, 'asterisk:1709654400.30'],
			[1, 'error 1: Item 1: cannot tell which system sent th'],
			[2, 'form:1234567:7654321'],
		]);
		expect(items[4].json.description).toBe('Choose the source in the node instead of auto-detection, or check that the webhook passes the body as the sender sent it.');
	});

	it('puts an error first when the first item is the bad one', async () => {
		const { items } = await executeNode(TOUCHPOINT, touchpointRun([badItem, formItem, badItem], true));
		expect(outline(items).map(([item, what]) => [item, what.slice(0, 7)])).toEqual([
			[0, 'error 0'],
			[1, 'form:12'],
			[2, 'error 2'],
		]);
	});

	it('without Continue On Fail: fails on the first bad item with its index, what was wrong and how to fix it', async () => {
		const { items, error } = await executeNode(TOUCHPOINT, touchpointRun([csvItem, badItem, formItem, { foo: 1 }], false));
		expect(items).toEqual([]);
		expect(error?.constructor.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(/^Item 1: cannot tell which system sent this payload \(auto-detection\): it is an object with hello, and none of these was found: /);
		expect((error as Error & { context: { itemIndex: number } }).context.itemIndex).toBe(1);
		expect(error?.description).toBe('Choose the source in the node instead of auto-detection, or check that the webhook passes the body as the sender sent it.');
	});

	it('makes an item without the binary field an error at its place, not a failure of the node', async () => {
		const { items } = await executeNode(TOUCHPOINT, touchpointRun([{}], true, { payloadFrom: 'binary', binaryPropertyName: 'data' }));
		expect(items).toEqual([
			{
				json: {
					error: 'Item 0: the item has no binary field "data" to read the payload from',
					description: 'Set Input Binary Field to the field that holds the text (Read/Write Files from Disk names it "data"), or read the payload from the item.',
					itemIndex: 0,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('gives a payload without id or time the same touchId when it arrives again the next day (clock injected)', async () => {
		jest.useFakeTimers({ now: Date.parse(ARRIVED) });
		try {
			const first = await executeNode(TOUCHPOINT, touchpointRun([FORM], false));
			jest.setSystemTime(Date.parse(NEXT_DAY));
			const again = await executeNode(TOUCHPOINT, touchpointRun([reversedKeys(FORM) as IDataObject], false));
			expect([first.items[0].json.touchId, again.items[0].json.touchId]).toEqual(['form:#0b064079af26fee0a7c560faa89accb7', 'form:#0b064079af26fee0a7c560faa89accb7']);
			// dated by the arrival, the clock's UTC time as the node reads it: 20:00 and 09:30 Moscow are 17:00Z and 06:30Z
			expect([first.items[0].json.at, again.items[0].json.at]).toEqual(['2024-03-05T17:00:00Z', '2024-03-06T06:30:00Z']);
		} finally {
			jest.useRealTimers();
		}
	});
});

describe('the Touchpoint node: number options', () => {
	it.each([
		['shortCallSec', 'abc', 'Short Call Under (Seconds) "abc" is not a number: use a number from 0 to 3600', 'Set Short Call Under (Seconds) to a number from 0 to 3600.'],
		['shortCallSec', '', 'Short Call Under (Seconds) is empty: use a number from 0 to 3600', 'Set Short Call Under (Seconds) to a number from 0 to 3600.'],
		['repeatWindowHours', -1, 'Repeat Call Window (Hours) -1 is too small: use a number from 0 to 8760', 'Set Repeat Call Window (Hours) to a number from 0 to 8760.'],
		['repeatWindowHours', Number.NaN, 'Repeat Call Window (Hours) NaN is not a number: use a number from 0 to 8760', 'Set Repeat Call Window (Hours) to a number from 0 to 8760.'],
	])('refuses %s = %p, naming the option and the value', async (name, value, message, description) => {
		const { items, error } = await executeNode(TOUCHPOINT, touchpointRun([FORM], true, { options: { [name]: value } }));
		expect(items).toEqual([]);
		expect(error?.constructor.name).toBe('NodeOperationError');
		expect([error?.message, error?.description]).toEqual([message, description]);
	});

	it('takes a number written as text, and 0', async () => {
		// a Zadarma call answered with 7 s billed: short under 10 s (the default), answered with the threshold at "5" or 0
		const call = { event: 'NOTIFY_END', pbx_call_id: 'in_1', call_start: '2024-03-05 14:02:11', caller_id: '79161234567', duration: '7', disposition: 'answered' };
		const outcomes = [];
		for (const options of [{}, { shortCallSec: '5' }, { shortCallSec: 0 }]) {
			const { items } = await executeNode(TOUCHPOINT, touchpointRun([call], false, { options }));
			outcomes.push(items[0].json.outcome);
		}
		expect(outcomes).toEqual(['short', 'answered', 'answered']);
	});
});

describe('hostile ids: an event id or order reference longer than any sender writes', () => {
	const parse = (payload: unknown) => parseTouches(payload, 'auto', testContext({ receivedAt: ARRIVED }));

	it('refuses an event whose own id is over 200 characters, saying its length and the cap, and reads one of 200', () => {
		const long = 'x'.repeat(100_000);
		expect(() => parse({ event_name: 'chat_finished', chat_id: long, visitor: { phone: '+79161234567' } })).toThrow(
			'its event id xxxxxxxxxxxxxxxxxxxxxxxx… (100000 characters, over the 200-character cap of an event id) is not read',
		);
		const ok = 'y'.repeat(200);
		expect(idOf({ event_name: 'chat_finished', chat_id: ok, visitor: { phone: '+79161234567' } })).toBe(`jivo:${ok}`);
	});

	it('keeps a form whose order reference is over 200 characters without it, with a warning; one of 200 stays', () => {
		const [touch] = parse({ submission_id: 'S-1', phone: '+79991234567', order_id: '7'.repeat(5_000) }).touches;
		expect([touch.touchId, touch.orderRef, touch.phones]).toEqual(['form:S-1', null, ['+79991234567']]);
		expect(touch.warnings).toContain('order reference 777777777777777777777777… (5000 characters, over the 200-character cap of an order reference) is not read');
		expect(parse({ submission_id: 'S-2', phone: '+79991234567', order_id: '8'.repeat(200) }).touches[0].orderRef).toBe('8'.repeat(200));
	});
});
