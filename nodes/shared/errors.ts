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

/** Replaces every occurrence of each secret (and its URL-encoded form) with "***". */
export function redactSecrets(text: string, secrets: Array<string | undefined>): string {
	let out = text;
	for (const secret of secrets) {
		if (!secret || secret.length < 3) continue;
		for (const form of new Set([secret, encodeURIComponent(secret)])) {
			out = out.split(form).join('***');
		}
	}
	return out;
}
