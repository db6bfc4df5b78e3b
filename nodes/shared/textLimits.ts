import { InputDataError } from './errors';

/**
 * How long a text each parser of user text reads, in characters (UTF-16 code units, JavaScript's `length`, spaces
 * around it included: a field padded past its cap is as broken as a long one). A longer value is refused with a
 * reason that gives its length and the cap, never cut to fit (a cut phone or address is another person's). Every
 * parser is linear besides, so the caps bound work and the size of a message, not a super-linear cost.
 */

/**
 * A phone field: one number in any written form is at most about 30 characters ("+7 (495) 123-45-67 доб. 123456";
 * E.164 has at most 15 digits, an extension here at most 6), so 200 holds six of them with their separators: any
 * field that lists one person's numbers. A single number (a tracking number) has the same cap.
 */
export const MAX_PHONE_FIELD = 200;

/** One e-mail address: RFC 5321 (4.5.3.1.3, with erratum 1690) allows a 256-octet path, 254 without its angle brackets. */
export const MAX_EMAIL_ADDRESS = 254;
/** The local part of an address (RFC 5321, 4.5.3.1.1). */
export const MAX_EMAIL_LOCAL = 64;
/** A domain label, in its ASCII (Punycode) form as in DNS (RFC 1035, 2.3.4). */
export const MAX_DOMAIN_LABEL = 63;
/**
 * An e-mail field that may hold several addresses ("Иван Петров <ivan@mail.ru>, anna@bk.ru"): room for three
 * addresses of the longest kind with display names, or twenty ordinary ones.
 */
export const MAX_EMAIL_FIELD = 1000;

/** A weight or volume as text: "12 345 678,125 килограммов" is 26 characters; 64 is more than any quantity a form sends. */
export const MAX_QUANTITY_TEXT = 64;

/**
 * A date and time as text: the longest form read is ISO 8601 with nine decimals of a second and an offset,
 * "2024-03-05T14:02:11.123456789+03:00" (35 characters).
 */
export const MAX_TIME_TEXT = 64;

/**
 * A cookie header (a form's `cookie` field, which sites fill from document.cookie, the Cookie request header
 * without its HttpOnly cookies): nginx (large_client_header_buffers 8k), Apache (LimitRequestFieldSize 8190) and
 * Tomcat refuse a longer header line by default, so a longer value never came from a browser to a site.
 */
export const MAX_COOKIE_HEADER = 8192;

/**
 * One cookie's value (`_ga`, `_ga_<STREAM>`, `_ym_uid`): browsers keep at most 4096 bytes per cookie, name and value
 * together (RFC 6265, 6.1, asks for at least that much; Chrome and Firefox stop there).
 */
export const MAX_COOKIE_VALUE = 4096;

/**
 * A page address: nginx and Apache (LimitRequestLine 8190) refuse a longer request line by default, so no page with a
 * longer address was shown to a visitor.
 */
export const MAX_URL = 8192;

/**
 * A row of an Asterisk Master.csv (cdr_csv): its text fields hold at most 80 characters (clid, src, dst, dcontext,
 * channel, dstchannel, lastapp, lastdata, account codes), 150 (uniqueid, linkedid) and 256 (userfield), 1,356 in
 * all; with every quote doubled, the quotes around fields, three times and the numbers, a row stays under 2,900.
 */
export const MAX_CSV_ROW = 4096;

/**
 * A sender's own id of an event (a call id, a chat or message id, a form's submission id) and an order reference a
 * touch names: the longest seen are Mango's base64 entry ids and Asterisk's 150-character linkedid, so 200 holds every
 * real one; a longer id is refused, since cut it could be another event's and hashed it could not be found again.
 */
export const MAX_EVENT_ID = 200;

/** How much of a refused value a message quotes: enough to find it, never the whole. */
const EXCERPT = 24;

/** The start of a long text, with "…" when there is more. */
export function excerpt(text: string): string {
	return text.length <= EXCERPT ? text : `${text.slice(0, EXCERPT)}…`;
}

/**
 * Why a value over its cap is refused, for a list of refused values that a node reports as written ("phone … is
 * not a phone number"): its start, its length and the cap. null when it is within the cap.
 */
export function overCap(text: string, cap: number, what: string): string | null {
	return text.length > cap ? `${excerpt(text.trimStart())} (${lengthNote(text, cap, what)})` : null;
}

/** Throws an InputDataError (a per-item error) when the text is over its cap, saying its length and the cap. */
export function checkCap(text: string, cap: number, what: string, hint: string): void {
	if (text.length > cap) throw new InputDataError(`"${excerpt(text.trimStart())}" is not read: ${lengthNote(text, cap, what)}`, hint);
}

function lengthNote(text: string, cap: number, what: string): string {
	return `${text.length} characters, over the ${cap}-character cap of ${what}`;
}
