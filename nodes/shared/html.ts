/**
 * Text from the data on an HTML page (the Sales Report dashboard, the lead desk): every value reaches a page through
 * `htmlText` (cut, then escaped), so one function decides what a page can show of user text.
 */

/** The longest text a page shows from the data; a longer one is cut to this length, "…" included. */
export const MAX_SHOWN_TEXT = 200;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** The five characters that can end a text, an attribute or start a tag, as entities: safe in elements and quoted attributes. */
export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (char) => ENTITIES[char]);
}

/** A text over MAX_SHOWN_TEXT characters cut to its start and "…" (never in the middle of a surrogate pair). */
export function cutText(text: string): string {
	if (text.length <= MAX_SHOWN_TEXT) return text;
	let end = MAX_SHOWN_TEXT - 1;
	const last = text.charCodeAt(end - 1);
	if (last >= 0xd800 && last <= 0xdbff) end--;
	return `${text.slice(0, end)}…`;
}

/** A value from the data as page text: cut to its cap, then escaped. */
export function htmlText(text: string): string {
	return escapeHtml(cutText(text));
}

/**
 * The start of a page up to <main>: one document that loads nothing (its Content-Security-Policy `csp`), sized for
 * phones, sending no referrer; `title` and `style` are written as given (the caller escapes what comes from data).
 */
export function pageHead(csp: string, title: string, style: string): string[] {
	return [
		'<!DOCTYPE html>',
		'<html lang="en"><head><meta charset="utf-8">',
		`<meta http-equiv="Content-Security-Policy" content="${csp}">`,
		'<meta name="viewport" content="width=device-width, initial-scale=1">',
		'<meta name="referrer" content="no-referrer">',
		`<title>${title}</title>`,
		`<style>${style}</style>`,
		'</head><body><main>',
	];
}
