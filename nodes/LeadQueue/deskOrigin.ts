/**
 * Where a press of the lead desk's button came from, by what the browser says (Fetch Metadata's Sec-Fetch-Site and
 * the Origin header, RFC 6454) against the Host the request was sent to. A page of another site can make a
 * signed-in manager's browser post a form to the desk (CSRF): such a post says so, and is refused.
 *
 * One case cannot be told apart: a page with an opaque origin (`Origin: null`). n8n serves every webhook page in a
 * sandbox (Content-Security-Policy: sandbox, unless N8N_INSECURE_DISABLE_WEBHOOK_IFRAME_SANDBOX is set), so the desk's
 * own form posts with `Origin: null` and `Sec-Fetch-Site: cross-site`, exactly as a sandboxed frame of another site
 * would. That case is "opaque": the form token (deskAuth.ts), which only the desk's own page carries, decides it.
 */

export type RequestSite = 'same-origin' | 'cross-site' | 'opaque' | 'unknown';

export interface SiteCheck {
	site: RequestSite;
	/** Why, in words for the refusal page (no header is quoted). */
	reason: string;
}

/** An Origin or Host longer than this does not read: a host name is at most 253 characters. */
const MAX_ORIGIN = 300;

const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443' };

/** One header's text: the first of several values, '' when absent or not text. */
function headerText(headers: Record<string, unknown>, name: string): string {
	const value = headers[name];
	const text = Array.isArray(value) ? value[0] : value;
	return typeof text === 'string' ? text.trim() : '';
}

/** "host[:port]" in lower case, without the scheme's default port; null when it does not read. */
function authority(text: string, scheme: string): string | null {
	if (text === '' || text.length > MAX_ORIGIN) return null;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code <= 0x20 || code === 0x2f || code === 0x40 || code === 0x3f || code === 0x23 || code >= 0x7f) return null;
	}
	const lower = text.toLowerCase();
	const port = `:${DEFAULT_PORTS[scheme]}`;
	return lower.endsWith(port) ? lower.slice(0, -port.length) : lower;
}

/** The scheme and authority of an Origin header ("https://desk.shop.ru:8443"); null when it is no http(s) origin. */
function readOrigin(origin: string): { scheme: string; authority: string } | null {
	const separator = origin.indexOf('://');
	if (separator === -1) return null;
	const scheme = origin.slice(0, separator).toLowerCase();
	if (DEFAULT_PORTS[scheme] === undefined) return null;
	const host = authority(origin.slice(separator + 3), scheme);
	return host === null ? null : { scheme, authority: host };
}

/**
 * Where the request came from. `headers` are the request's headers with lower-case names (as n8n's Webhook node
 * gives them). The Host it was sent to is `host`, or the first `x-forwarded-host` a reverse proxy set (a browser
 * cannot set that header on a form post, so another site cannot use it).
 *
 * | Origin                           | Sec-Fetch-Site          | site        |
 * |----------------------------------|-------------------------|-------------|
 * | not http(s), or unreadable       | any                     | cross-site  |
 * | another host than the request's  | any                     | cross-site  |
 * | the request's host               | cross-site, same-site   | cross-site  |
 * | the request's host               | same-origin, none, —    | same-origin |
 * | "null"                           | any                     | opaque      |
 * | —                                | cross-site, same-site   | cross-site  |
 * | —                                | same-origin             | same-origin |
 * | —                                | none, —                 | unknown     |
 */
export function requestSite(headers: Record<string, unknown>): SiteCheck {
	const origin = headerText(headers, 'origin');
	const fetchSite = headerText(headers, 'sec-fetch-site').toLowerCase();
	const fromOtherSite = fetchSite === 'cross-site' || fetchSite === 'same-site';
	if (origin === 'null') return { site: 'opaque', reason: 'the page that sent it has no origin of its own (a sandboxed page)' };
	if (origin !== '') {
		const read = readOrigin(origin);
		if (read === null) return { site: 'cross-site', reason: 'it came from a page whose origin is no web address' };
		const hosts = [headerText(headers, 'host'), headerText(headers, 'x-forwarded-host').split(',')[0].trim()].map((host) => authority(host, read.scheme));
		if (!hosts.includes(read.authority)) return { site: 'cross-site', reason: 'it came from a page of another site' };
		if (fromOtherSite) return { site: 'cross-site', reason: 'the browser says it came from another site' };
		return { site: 'same-origin', reason: 'it came from the lead desk’s own address' };
	}
	if (fromOtherSite) return { site: 'cross-site', reason: 'the browser says it came from another site' };
	if (fetchSite === 'same-origin') return { site: 'same-origin', reason: 'the browser says it came from the lead desk’s own address' };
	return { site: 'unknown', reason: 'the request does not say where it came from' };
}
