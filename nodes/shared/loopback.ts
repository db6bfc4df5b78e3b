/**
 * Whether a URL points at this machine over plain http (127.0.0.1 or localhost): the services' stand-ins in tests.
 * Real accounts and portals are reached over https only, since their tokens would otherwise travel in clear text.
 */
export function isLoopback(url: string): boolean {
	return /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(url.trim());
}
