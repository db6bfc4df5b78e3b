import type { Utm } from '../../shared/contracts';
import { parseCookieHeader } from '../../shared/cookies';
import { isRecord, normaliseKey, text, type Fields } from '../fields';
import { buildTouch } from '../touchBuilder';
import { firstUtm, urlQuery, utmFromFields, utmFromObject, utmFromUrl } from '../utm';
import { one, type TouchSource } from './types';

/** A scalar value of a payload, with its key and its parent's key normalised (see normaliseKey). */
interface Entry {
	name: string;
	key: string;
	parent: string;
	value: string;
}

/** Field names (normalised) the site form reader understands, at any depth up to three objects down. */
const KEYS = {
	phone: ['phone', 'phones', 'tel', 'telephone', 'phonenumber', 'mobile', 'mobilephone', 'телефон'],
	email: ['email', 'emails', 'mail', 'почта'],
	orderRef: ['orderid', 'ordernumber', 'orderno', 'ordernum', 'order', 'номерзаказа'],
	id: ['tranid', 'submissionid', 'leadid', 'eventid'],
	time: ['createdat', 'created', 'submittedat', 'sentat', 'timestamp', 'datetime', 'date'],
	gaClientId: ['gaclientid', 'clientid', 'gacid', 'cid', 'googleclientid'],
	gaSessionId: ['gasessionid'],
	ymClientId: ['ymclientid', 'yaclientid', 'ymuid', 'metrikaclientid', 'yandexclientid'],
	yclid: ['yclid'],
	gclid: ['gclid'],
	gbraid: ['gbraid'],
	wbraid: ['wbraid'],
	cookies: ['cookie', 'cookies'],
	url: ['pageurl', 'url', 'page', 'landing', 'landingpage', 'href', 'location'],
	utmObject: ['utm', 'utmjson'],
	form: ['formid', 'formname', 'form', 'formtitle'],
	message: ['message', 'comment', 'comments', 'text', 'question', 'сообщение', 'комментарий', 'вопрос'],
};
const UTM_FIELDS = ['utmsource', 'utmmedium', 'utmcampaign', 'utmcontent', 'utmterm'];
const COOKIE_NAME = /^_ga$|^_ga_[A-Za-z0-9]+$|^_ym_uid$/;
const MAX_DEPTH = 3;

/**
 * A site form or cart submission: any flat-ish JSON (Tilda, a hand-written fetch, a CMS hook). What it reads:
 * - phones (phone, tel, Phone, телефон ...; several per field allowed), e-mails (email, mail ...);
 * - orderRef from order_id / orderNumber / payment.orderid (Tilda carts); the touchId from tranid / submission_id /
 *   lead_id when the sender gives one, else a hash of the content (see touchBuilder), the form's id or name, the
 *   page address and the message (message, comment ...) included;
 * - of several names for one value, the first of each list in KEYS wins, whatever order the payload has them in;
 * - cookies: `_ga`, `_ga_<STREAM>` (GA4 session, GS1 and GS2 formats) and `_ym_uid` as fields, as a `cookies`
 *   object, or as a cookie header string in a `cookie` / `COOKIES` field; also ga_client_id / clientId,
 *   ga_session_id, ym_client_id / yaClientId fields;
 * - click ids: yclid (Yandex Direct), gclid / gbraid / wbraid (Google Ads) as fields, else from the page URL's query;
 * - channel: utm_source ... utm_term fields, else a `utm` (or `utm_json`) object, else the utm_ of the page URL
 *   (page_url, url, page.url, landing ...);
 * - time: created_at / date / timestamp ...; none (Tilda sends none) takes ctx.receivedAt with a warning;
 * - kind: the payload's `type` when it is 'cart' or 'form', else ctx.formKind. Names are not kept (a Touch has no name).
 */
export const formSource: TouchSource = {
	name: 'form',
	marker: 'form fields: phone, email, _ga / _ym_uid cookies, utm_*, order id (site form / cart)',
	detect: (payload) => isRecord(payload) && collect(payload).some(isKnown),
	parse(payload, ctx) {
		const entries = isRecord(payload) ? collect(payload) : [];
		const first = (keys: string[]) => {
			for (const key of keys) {
				const entry = entries.find((candidate) => candidate.key === key);
				if (entry) return entry.value;
			}
			return null;
		};
		const all = (keys: string[]) => entries.filter((entry) => keys.includes(entry.key)).map((entry) => entry.value);
		const cookies = cookiesOf(entries);
		const sessionCookie = Object.keys(cookies).find((name) => name.startsWith('_ga_'));
		const type = first(['type'])?.toLowerCase();
		const draft = {
			kind: type === 'cart' || type === 'form' ? type : ctx.formKind,
			id: first(KEYS.id),
			time: first(KEYS.time),
			timeField: 'created_at / date / timestamp',
			mayUseArrivalTime: true,
			says: { form: first(KEYS.form), page: first(KEYS.url), message: first(KEYS.message) },
			phones: all(KEYS.phone),
			emails: all(KEYS.email),
			gaClientId: cookies._ga ?? first(KEYS.gaClientId),
			gaSessionId: sessionCookie ? cookies[sessionCookie] : first(KEYS.gaSessionId),
			ymClientId: cookies._ym_uid ?? first(KEYS.ymClientId),
			yclid: first(KEYS.yclid) ?? firstUrlParameter(entries, 'yclid'),
			gclid: first(KEYS.gclid) ?? firstUrlParameter(entries, 'gclid'),
			gbraid: first(KEYS.gbraid) ?? firstUrlParameter(entries, 'gbraid'),
			wbraid: first(KEYS.wbraid) ?? firstUrlParameter(entries, 'wbraid'),
			orderRef: first(KEYS.orderRef) ?? entries.find((entry) => entry.parent === 'order' && ['id', 'number'].includes(entry.key))?.value,
			channel: channelOf(entries),
			warnings: [],
			raw: payload,
		};
		return one(buildTouch('form', draft, ctx));
	},
};

function collect(record: Fields, parent = '', depth = 0, out: Entry[] = []): Entry[] {
	for (const [name, value] of Object.entries(record)) {
		const key = normaliseKey(name);
		const values = Array.isArray(value) ? value : [value];
		for (const item of values) {
			const written = text(item);
			if (written !== null) out.push({ name, key, parent, value: written });
			else if (isRecord(item) && !Array.isArray(value) && depth < MAX_DEPTH) collect(item, key, depth + 1, out);
		}
	}
	return out;
}

/** Fields that mark a payload as a form: something that identifies the visitor, or utm. A date or a URL alone does not. */
const MARKERS = [KEYS.phone, KEYS.email, KEYS.orderRef, KEYS.id, KEYS.gaClientId, KEYS.gaSessionId, KEYS.ymClientId, KEYS.cookies, KEYS.utmObject, UTM_FIELDS];

function isKnown(entry: Entry): boolean {
	return COOKIE_NAME.test(entry.name) || MARKERS.some((keys) => keys.includes(entry.key) || keys.includes(entry.parent));
}

/** Cookies given one by one (`_ga`, also inside a `cookies` object) and in cookie header strings; the first wins. */
function cookiesOf(entries: Entry[]): Record<string, string> {
	const cookies: Record<string, string> = {};
	for (const entry of entries) {
		const found = COOKIE_NAME.test(entry.name) ? { [entry.name]: entry.value } : KEYS.cookies.includes(entry.key) ? parseCookieHeader(entry.value) : {};
		for (const [name, value] of Object.entries(found)) if (COOKIE_NAME.test(name) && !Object.hasOwn(cookies, name)) cookies[name] = value;
	}
	return cookies;
}

function channelOf(entries: Entry[]): Utm {
	const fields = firstByKey(entries.filter((entry) => UTM_FIELDS.includes(entry.key)));
	const object = firstByKey(entries.filter((entry) => KEYS.utmObject.includes(entry.parent)));
	const urls = entries.filter((entry) => KEYS.url.includes(entry.key)).map((entry) => utmFromUrl(entry.value));
	return firstUtm(utmFromFields(fields), utmFromObject(object), ...urls);
}

/** A query parameter of the first page address that has it (page_url, landing ...). */
function firstUrlParameter(entries: Entry[], name: string): string | null {
	for (const entry of entries) {
		if (!KEYS.url.includes(entry.key)) continue;
		const value = urlQuery(entry.value)?.get(name);
		if (value) return value;
	}
	return null;
}

function firstByKey(entries: Entry[]): Fields {
	const fields: Fields = {};
	for (const entry of entries) if (!Object.hasOwn(fields, entry.key)) fields[entry.key] = entry.value;
	return fields;
}
