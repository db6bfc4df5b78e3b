import { checkCap, MAX_COOKIE_HEADER, MAX_COOKIE_VALUE } from './textLimits';

/**
 * The analytics cookies of a visitor: Google Analytics `_ga` and `_ga_<STREAM>`, Yandex Metrica `_ym_uid`. A value
 * longer than a browser keeps (MAX_COOKIE_VALUE) is no id: null.
 * The patterns anchored at both ends are linear: a run of digits always ends at a dot or at the end, which it cannot
 * hold, so it is read one way only.
 */

const GA_COOKIE = /^GA\d\.\d+\.(\d+\.\d+)$/;
const CLIENT_ID = /^\d+\.\d+$/;
const DIGITS = /^\d+$/;
const GS_COOKIE = /^GS\d\.\d+\.(.+)$/;
/** The `s` part of a GS2 cookie. Linear: a try goes past its first character only at the start or a "$", and its digits stop at the next "$". */
const GS2_SESSION = /(?:^|\$)s(\d+)(?=\$|$)/;
// Linear: anchored at both ends; the greedy run gives back at most its own length once.
const QUOTED = /^"(.*)"$/;

/** "GA1.1.123456.789" (the _ga cookie) -> "123456.789"; a bare client id passes. */
export function gaClientIdFromCookie(value: string | null): string | null {
	if (!value || value.length > MAX_COOKIE_VALUE) return null;
	const text = value.trim();
	const cookie = GA_COOKIE.exec(text);
	if (cookie) return cookie[1];
	return CLIENT_ID.test(text) ? text : null;
}

/**
 * The session id from a GA4 `_ga_<STREAM>` cookie: the third dot field of the older "GS1.1.1700000000.5.1.1700000100.0.0.0",
 * or the `s` part of the newer "GS2.1.s1700000000$o5$g1$t1700000100$j0$l0$h0"; a bare number passes.
 */
export function gaSessionIdFromCookie(value: string | null): string | null {
	if (!value || value.length > MAX_COOKIE_VALUE) return null;
	const text = value.trim();
	if (DIGITS.test(text)) return text;
	const parts = GS_COOKIE.exec(text);
	if (!parts) return null;
	// Only the first dot field: a split with a limit stops at the first dot, however many follow.
	const [first] = parts[1].split('.', 1);
	if (DIGITS.test(first)) return first;
	return GS2_SESSION.exec(first)?.[1] ?? null;
}

/** The `_ym_uid` cookie is the Metrica client id itself: digits only. */
export function ymClientIdFromCookie(value: string | null): string | null {
	if (!value || value.length > MAX_COOKIE_VALUE) return null;
	const text = value.trim();
	return text && DIGITS.test(text) ? text : null;
}

/**
 * "_ga=GA1.1.1.2; _ym_uid=3" -> { _ga: "GA1.1.1.2", _ym_uid: "3" }; values are URL-decoded where they can be.
 * Throws an InputDataError for a header longer than MAX_COOKIE_HEADER.
 */
export function parseCookieHeader(header: string): Record<string, string> {
	checkCap(header, MAX_COOKIE_HEADER, 'a cookie header', 'No browser sends a cookie header this long to a site; check what the form puts into its cookie field.');
	const cookies: Record<string, string> = {};
	for (const pair of header.split(';')) {
		const at = pair.indexOf('=');
		if (at <= 0) continue;
		const name = pair.slice(0, at).trim();
		const value = pair.slice(at + 1).trim().replace(QUOTED, '$1');
		if (name.length > 0 && !(name in cookies)) cookies[name] = decodeCookieValue(value);
	}
	return cookies;
}

function decodeCookieValue(value: string): string {
	try {
		return decodeURIComponent(value);
	} catch {
		return value;
	}
}
