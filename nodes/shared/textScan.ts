/**
 * Character tests for the hand-written scanners that read user text in one pass (phone.ts, email.ts), and small
 * one-pass scans, where a regular expression would try every start position and backtrack over runs of spaces, dots,
 * commas or slashes.
 */

/**
 * The text without the run of `char` (one code unit) at its end, read once from the end. `/\/+$/` tries every start
 * and runs over each run of slashes to its end: quadratic in a value of many slashes not at the end.
 */
export function trimTrailing(text: string, char: string): string {
	const code = char.charCodeAt(0);
	let end = text.length;
	while (end > 0 && text.charCodeAt(end - 1) === code) end--;
	return text.slice(0, end);
}

/** Exactly the characters of a regular expression's `\s`: WhiteSpace and LineTerminator of ECMAScript. */
export function isSpace(code: number): boolean {
	if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
	if (code < 0xa0) return false;
	return code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

/** An ASCII digit, as `\d`. */
export function isDigit(code: number): boolean {
	return code >= 0x30 && code <= 0x39;
}

// Sticky: tests the one code point at lastIndex, whatever the length of the text.
const LETTER = /\p{L}/uy;

/** Whether the code point at `at` (a code point's start) is a letter of any script, as `\p{L}`; false past the end. */
export function isLetterAt(text: string, at: number): boolean {
	const code = text.charCodeAt(at);
	if (code < 0x80) return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
	LETTER.lastIndex = at;
	return LETTER.test(text);
}

/**
 * A code unit as a case-insensitive regular expression without the `u` flag compares it (ECMAScript's
 * Canonicalize): its upper case when that is one code unit and does not turn a non-ASCII character into ASCII.
 */
function canonical(code: number): number {
	if (code < 0x80) return code >= 0x61 && code <= 0x7a ? code - 0x20 : code;
	const upper = String.fromCharCode(code).toUpperCase();
	if (upper.length !== 1) return code;
	const folded = upper.charCodeAt(0);
	return folded < 0x80 ? code : folded;
}

/** Whether `word` is written in the text at `at`, ignoring case as a regular expression's `i` flag does. */
export function hasWordAt(text: string, at: number, word: string): boolean {
	if (at < 0 || at + word.length > text.length) return false;
	for (let k = 0; k < word.length; k++) {
		const code = text.charCodeAt(at + k);
		const wanted = word.charCodeAt(k);
		// An ASCII and a non-ASCII character never match (canonical keeps each on its side).
		if (code !== wanted && ((code < 0x80) !== (wanted < 0x80) || canonical(code) !== canonical(wanted))) return false;
	}
	return true;
}
