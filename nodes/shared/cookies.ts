/** The analytics cookies of a visitor: Google Analytics `_ga` and `_ga_<STREAM>`, Yandex Metrica `_ym_uid`. */

/** "GA1.1.123456.789" (the _ga cookie) -> "123456.789"; a bare client id passes. */
export function gaClientIdFromCookie(value: string | null): string | null {
	if (!value) return null;
	const text = value.trim();
	const cookie = /^GA\d\.\d+\.(\d+\.\d+)$/.exec(text);
	if (cookie) return cookie[1];
	return /^\d+\.\d+$/.test(text) ? text : null;
}

/**
 * The session id from a GA4 `_ga_<STREAM>` cookie: the third dot field of the older "GS1.1.1700000000.5.1.1700000100.0.0.0",
 * or the `s` part of the newer "GS2.1.s1700000000$o5$g1$t1700000100$j0$l0$h0"; a bare number passes.
 */
export function gaSessionIdFromCookie(value: string | null): string | null {
	if (!value) return null;
	const text = value.trim();
	if (/^\d+$/.test(text)) return text;
	const parts = /^GS\d\.\d+\.(.+)$/.exec(text);
	if (!parts) return null;
	const first = parts[1].split('.')[0];
	if (/^\d+$/.test(first)) return first;
	const session = first.split('$').find((part) => /^s\d+$/.test(part));
	return session ? session.slice(1) : null;
}

/** The `_ym_uid` cookie is the Metrica client id itself: digits only. */
export function ymClientIdFromCookie(value: string | null): string | null {
	const text = value?.trim();
	return text && /^\d+$/.test(text) ? text : null;
}

/** "_ga=GA1.1.1.2; _ym_uid=3" -> { _ga: "GA1.1.1.2", _ym_uid: "3" }; values are URL-decoded where they can be. */
export function parseCookieHeader(header: string): Record<string, string> {
	const cookies: Record<string, string> = {};
	for (const pair of header.split(';')) {
		const at = pair.indexOf('=');
		if (at <= 0) continue;
		const name = pair.slice(0, at).trim();
		const value = pair.slice(at + 1).trim().replace(/^"(.*)"$/, '$1');
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
