import { gaClientIdFromCookie, gaSessionIdFromCookie, parseCookieHeader, ymClientIdFromCookie } from '../../nodes/shared/cookies';
import { InputDataError } from '../../nodes/shared/errors';
import { parseTouches } from '../../nodes/Touchpoint/parseTouches';
import { fixtureJson, testContext } from '../fixtures/touches/load';

const ARRIVED = '2024-03-05T20:00:00+03:00';

describe('cookies', () => {
	it.each([
		['GA1.1.123456789.1700000000', '123456789.1700000000'],
		['GA1.2.123456789.1700000000', '123456789.1700000000'],
		['123456789.1700000000', '123456789.1700000000'],
		['GA1.2.abc', null],
	])('_ga %s -> client id %s', (cookie, id) => expect(gaClientIdFromCookie(cookie)).toBe(id));

	it.each([
		['GS1.1.1700000000.5.1.1700000100.0.0.0', '1700000000'],
		['GS2.1.s1700000000$o5$g1$t1700000100$j0$l0$h0', '1700000000'],
		['1700000000', '1700000000'],
		['GS2.1.o5$g1', null],
		['GA1.1.1.2', null],
	])('_ga_<STREAM> %s -> session id %s', (cookie, id) => expect(gaSessionIdFromCookie(cookie)).toBe(id));

	it('reads _ym_uid and a cookie header', () => {
		expect(ymClientIdFromCookie(' 1709630000123456789 ')).toBe('1709630000123456789');
		expect(ymClientIdFromCookie('abc')).toBeNull();
		expect(parseCookieHeader('_ga=GA1.1.1.2; _ym_uid="42"; broken; utm=a%20b; _ga=second')).toEqual({ _ga: 'GA1.1.1.2', _ym_uid: '42', utm: 'a b' });
	});
});

describe('Jivo', () => {
	it('turns chat_finished into a chat: first message time, visitor contacts, utm_json over the page URL', () => {
		const [touch] = parseTouches(fixtureJson('jivo-chat-finished.json'), 'auto', testContext()).touches;
		expect(touch).toEqual({
			touchId: 'jivo:6426',
			kind: 'chat',
			at: '2024-03-05T14:02:20+03:00',
			phones: ['+79161234567'],
			emails: ['ivan.petrov@example.com'],
			gaClientId: null,
			gaSessionId: null,
			ymClientId: null,
			yclid: null,
			orderRef: null,
			channel: { source: 'yandex', medium: 'cpc', campaign: 'sofa', content: null, term: 'диван купить' },
			trackingNumber: null,
			durationSec: null,
			answered: null,
			outcome: null,
			source: 'jivo',
			warnings: [],
		});
	});

	it('dates chat_accepted, which carries no time, by its arrival, and reads utm from the page URL', () => {
		const [touch] = parseTouches(fixtureJson('jivo-chat-accepted.json'), 'auto', testContext({ receivedAt: ARRIVED })).touches;
		expect(touch).toMatchObject({
			touchId: 'jivo:6427',
			at: ARRIVED,
			emails: ['maria@example.ru'],
			channel: { source: 'vk', medium: 'social', campaign: 'march', content: null, term: null },
			warnings: ['the event carries no time; the time the webhook arrived is used'],
		});
	});

	it('refuses chat_accepted when the arrival time is not passed either', () => {
		expect(() => parseTouches(fixtureJson('jivo-chat-accepted.json'), 'auto', testContext())).toThrow(
			new InputDataError('Jivo chat: no time: chat.messages[].timestamp or timestamp is missing (source "jivo", detected automatically)'),
		);
	});

	it('makes an offline message a chat touch; a phone that is not one is a warning beside the e-mail', () => {
		const [touch] = parseTouches(fixtureJson('jivo-offline-message.json'), 'auto', testContext({ receivedAt: ARRIVED })).touches;
		expect(touch).toMatchObject({
			touchId: 'jivo:om-8891',
			kind: 'chat',
			phones: [],
			emails: ['olga@example.ru'],
			warnings: ['the event carries no time; the time the webhook arrived is used', 'phone "не скажу" is not a phone number'],
		});
	});

	it('skips other events', () => {
		expect(parseTouches({ event_name: 'chat_updated', chat_id: 6426, visitor: {} }, 'auto', testContext()).skipped).toEqual([
			'Jivo chat_updated is not a new chat or message; only chat_accepted, chat_finished, offline_message make touches',
		]);
	});
});

describe('site form / cart', () => {
	it('reads a Tilda form: phone, e-mail, COOKIES header with GS1 session, utm fields, tranid', () => {
		const [touch] = parseTouches(fixtureJson('form-tilda.json'), 'auto', testContext({ receivedAt: ARRIVED })).touches;
		expect(touch).toEqual({
			touchId: 'form:1234567:7654321',
			kind: 'form',
			at: ARRIVED,
			phones: ['+79991234567'],
			emails: ['anna@mail.ru'],
			gaClientId: '1183624467.1709630000',
			gaSessionId: '1709636000',
			yclid: null,
			ymClientId: '1709630000123456789',
			orderRef: null,
			channel: { source: 'vk', medium: 'social', campaign: 'march', content: null, term: null },
			trackingNumber: null,
			durationSec: null,
			answered: null,
			outcome: null,
			source: 'form',
			warnings: ['the event carries no time; the time the webhook arrived is used'],
		});
	});

	it('reads a Tilda cart: type cart, payment.orderid, GS2 session cookie, utm from the page URL', () => {
		const [touch] = parseTouches(fixtureJson('cart-tilda.json'), 'auto', testContext({ receivedAt: ARRIVED })).touches;
		expect(touch).toMatchObject({
			kind: 'cart',
			phones: ['+79161234567'],
			emails: [],
			orderRef: '1746523901',
			gaClientId: '987654321.1709000000',
			gaSessionId: '1709636000',
			ymClientId: '1709000000987654321',
			channel: { source: 'yandex', medium: 'cpc', campaign: 'sofa_msk', content: null, term: 'диван' },
		});
		expect(touch.touchId).toMatch(/^form:#[0-9a-f]{32}$/);
	});

	it('keeps the Yandex Direct click id from a yclid field or the landing address, and warns about one that is not a number', () => {
		const fromUrl = parseTouches({ phone: '+79161234567', page_url: 'https://shop.ru/?utm_source=yandex&yclid=6071471553466368' }, 'auto', testContext({ receivedAt: ARRIVED })).touches[0];
		const fromField = parseTouches({ phone: '+79161234567', yclid: '7071471553466368', landing: 'https://shop.ru/?yclid=1' }, 'auto', testContext({ receivedAt: ARRIVED })).touches[0];
		const broken = parseTouches({ phone: '+79161234567', yclid: 'abc' }, 'auto', testContext({ receivedAt: ARRIVED })).touches[0];
		expect([fromUrl.yclid, fromUrl.channel.source, fromField.yclid, broken.yclid]).toEqual(['6071471553466368', 'yandex', '7071471553466368', null]);
		expect(broken.warnings).toContain('yclid "abc" is not valid');
	});

	it('reads nested contacts, a utm object, a cookies object, order.id and an own date', () => {
		const [touch] = parseTouches(fixtureJson('form-nested.json'), 'auto', testContext()).touches;
		expect(touch).toMatchObject({
			kind: 'form',
			at: '2024-03-05T10:00:00+02:00',
			phones: ['+380501234567'],
			emails: ['petro@ukr.net'],
			gaClientId: '55555.1709000000',
			ymClientId: '1709000000555',
			orderRef: 'A-1024',
			channel: { source: 'facebook', medium: 'paid_social', campaign: 'spring', content: null, term: null },
			warnings: [],
		});
	});

	it('takes the kind chosen in the node when the payload does not say', () => {
		const ctx = testContext({ receivedAt: ARRIVED, formKind: 'cart' });
		expect(parseTouches(fixtureJson('form-tilda.json'), 'form', ctx).touches[0].kind).toBe('cart');
		expect(parseTouches({ ...(fixtureJson('form-tilda.json') as object), type: 'form' }, 'form', ctx).touches[0].kind).toBe('form');
	});

	it('gives the same content-hash touchId to the same submission sent twice', () => {
		const payload = fixtureJson('form-nested.json');
		const first = parseTouches(payload, 'auto', testContext()).touches[0].touchId;
		expect(parseTouches(structuredClone(payload), 'auto', testContext()).touches[0].touchId).toBe(first);
		expect(first).toMatch(/^form:#[0-9a-f]{32}$/);
	});

	it('keeps values it cannot read as warnings when another identifier stands', () => {
		const payload = { phone: 'call me', email: 'Anna@Mail.ru, not-an-email', _ga: 'GA1.1.bad', created_at: '2024-03-05 12:00:00' };
		expect(parseTouches(payload, 'auto', testContext()).touches[0]).toMatchObject({
			at: '2024-03-05T12:00:00+03:00',
			phones: [],
			emails: ['anna@mail.ru'],
			gaClientId: null,
			warnings: [
				'GA client id "GA1.1.bad" is not valid',
				'phone "call me" is not a phone number',
				'e-mail "not-an-email" is not an e-mail address',
				'time "2024-03-05 12:00:00" carries no offset: read in Europe/Moscow (the node\'s Time Zone option)',
			],
		});
	});

	it('refuses a submission with nothing that identifies the visitor, listing what it could not read', () => {
		const payload = { phone: '12', utm_source: 'vk', created_at: '2024-03-05 12:00:00' };
		expect(() => parseTouches(payload, 'auto', testContext())).toThrow(
			'Site form: nothing identifies it: no phone, e-mail, GA or Metrica client id, order reference or event id (phone "12" is not a phone number) (source "form", detected automatically)',
		);
	});

	it('keeps the payload in raw only when asked', () => {
		const payload = fixtureJson('form-nested.json');
		expect(parseTouches(payload, 'form', testContext()).touches[0].raw).toBeUndefined();
		expect(parseTouches(payload, 'form', testContext({ keepRaw: true })).touches[0].raw).toEqual(payload);
	});
});

describe('Google Ads click ids (issue 21)', () => {
	const context = () => testContext({ receivedAt: ARRIVED });

	it('keeps gclid, gbraid and wbraid from fields or the landing address, and leaves them out of the touchId', () => {
		const plain = { phone: '+79161234567', created_at: '2024-03-05T14:00:00+03:00', page_url: 'https://shop.ru/?utm_source=google' };
		const fromUrl = parseTouches({ ...plain, page_url: 'https://shop.ru/?utm_source=google&gclid=Cj0KCQiA-abc_123' }, 'auto', context()).touches[0];
		const fromFields = parseTouches({ ...plain, gbraid: '0AAAAAoBraid', wbraid: 'CkAwbraid==' }, 'auto', context()).touches[0];
		const none = parseTouches(plain, 'auto', context()).touches[0];
		expect([fromUrl.gclid, fromUrl.channel.source, fromFields.gbraid, fromFields.wbraid]).toEqual(['Cj0KCQiA-abc_123', 'google', '0AAAAAoBraid', 'CkAwbraid==']);
		// Left out when the visit has none: a touch without them is what it was before.
		expect(['gclid' in none, 'gbraid' in none, 'wbraid' in none]).toEqual([false, false, false]);
		// The page address differs (it is part of the touchId), the click id fields are not: same id with and without them.
		expect(fromFields.touchId).toBe(none.touchId);
	});

	it('refuses a click id with other characters or over 512 characters, with a warning, in linear time', () => {
		const spaced = parseTouches({ phone: '+79161234567', gclid: 'abc def' }, 'auto', context()).touches[0];
		expect(spaced.gclid).toBeUndefined();
		expect(spaced.warnings).toContain('gclid "abc def" is not valid');
		const long = parseTouches({ phone: '+79161234567', gclid: 'a'.repeat(513) }, 'auto', context()).touches[0];
		expect(long.gclid).toBeUndefined();
		expect(parseTouches({ phone: '+79161234567', gclid: 'a'.repeat(512) }, 'auto', context()).touches[0].gclid).toBe('a'.repeat(512));
		const started = Date.now();
		const hostile = parseTouches({ phone: '+79161234567', wbraid: `${'a'.repeat(100_000)}=!` }, 'auto', context()).touches[0];
		expect(hostile.wbraid).toBeUndefined();
		expect(Date.now() - started).toBeLessThan(1000);
	});
});
