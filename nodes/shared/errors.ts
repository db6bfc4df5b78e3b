/**
 * An error in the input data (a feed, a payload), with where it happened and how to fix it.
 * Logic modules throw it; the node maps it to NodeOperationError with the item index.
 */
export class InputDataError extends Error {
	constructor(
		message: string,
		readonly hint = '',
		readonly line?: number,
		readonly column?: number,
	) {
		super(line === undefined ? message : `${message} (line ${line}, column ${column ?? 0})`);
		this.name = 'InputDataError';
	}
}

/** Replaces every occurrence of each secret (its URL-encoded form and, for a URL, its secret parts) with "***". */
export function redactSecrets(text: string, secrets: Array<string | undefined>): string {
	let out = text;
	for (const secret of secrets.flatMap(secretForms)) {
		if (secret.length < 3) continue;
		for (const form of new Set([secret, encodeURIComponent(secret)])) {
			out = out.split(form).join('***');
		}
	}
	return out;
}

/**
 * A secret and, when it is a URL (a Bitrix24 incoming webhook, a signed hook address), the parts of it that are the
 * secret: a password and the path segments and query values that look like tokens (8 or more characters with a digit,
 * or 20 or more). A service's error page often repeats the request's path (".../rest/1/<token>/batch.json") without
 * the host, so hiding the whole URL alone would leave the token in clear.
 */
function secretForms(secret: string | undefined): string[] {
	if (!secret) return [];
	let url: URL;
	try {
		url = new URL(secret);
	} catch {
		return [secret];
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return [secret];
	const parts = [...url.pathname.split('/'), ...[...url.searchParams.values()], decodeURIComponent(url.password)];
	// Longest first, so that a token is hidden whole before any shorter part inside it is looked for.
	return [secret, ...parts.filter(looksLikeToken).sort((a, b) => b.length - a.length)];
}

function looksLikeToken(part: string): boolean {
	if (part.length >= 20) return true;
	if (part.length < 8) return false;
	for (let i = 0; i < part.length; i++) {
		const code = part.charCodeAt(i);
		if (code >= 48 && code <= 57) return true;
	}
	return false;
}
