import { labelToUnicode } from './punycode';
import { MAX_DOMAIN_LABEL, MAX_EMAIL_ADDRESS, MAX_EMAIL_FIELD, MAX_EMAIL_LOCAL, overCap } from './textLimits';
import { hasWordAt, isSpace } from './textScan';

export interface EmailParse {
	/** Canonical addresses (see normaliseEmail), each once. */
	emails: string[];
	/** The parts that are not e-mail addresses, as written. */
	rejected: string[];
}

/**
 * An address already in its canonical form (lower-case ASCII, dot-atom local part, no Punycode label): the common case,
 * one test, on at most MAX_EMAIL_ADDRESS characters. Linear besides: anchored; an atom of the local part and a domain
 * label cannot hold the dot that ends them, so each is read one way only, and a failed label gives back at most its
 * own characters.
 */
const CANONICAL = /^(?!.*xn--)[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$/;
/** A local part (RFC 5322 dot-atom, letters of any script as RFC 6531 allows). Linear: anchored, atoms hold no dot; tested on at most 64 characters. */
const LOCAL = /^[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
/** A domain label (letters of any script: IDN). Linear: anchored at both ends; tested on at most 63 characters. */
const LABEL = /^[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}-]*[\p{L}\p{M}\p{N}])?$/u;
/** Characters that show nothing: zero-width spaces and joiners, the word joiner, a BOM, a soft hyphen. Linear: one character class, global. */
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
/**
 * "Name <a@b.ru>": the address between angle brackets. Linear: a try that fails stops at the next "<", where the
 * next try starts, so each character is read by one try.
 */
const ANGLE = /<([^<>]*)>/;
const MAILTO = /^mailto:/i;
/** Punctuation around an address in running text: `(a@b.ru)`, `"a@b.ru",`, `a@b.ru.` Linear: anchored, one class. */
const LEADING_PUNCTUATION = /^[\s<([{"'«„“]+/;
/** The same after it (see withoutTrailingPunctuation). */
const TRAILING_PUNCTUATION = new Set(['>', ')', ']', '}', '"', "'", '»', '“', '”', '.', ',', ';', ':', '!', '?'].map((c) => c.charCodeAt(0)));
/** Words that separate addresses in one field, between spaces ("a@b.ru или c@d.ru"), in lower case. */
const SEPARATOR_WORDS = ['или', 'or', 'и', 'and'];
const QUOTE = 0x22;
// Linear: runs of one class, each read once.
const SPACES = /\s+/;
const HAS_SPACE = /\s/;
const DIGITS_ONLY = /^\d+$/;

/**
 * Reads the e-mails in fields that may hold several ("a@b.ru; c@d.ru", "Иван <a@b.ru>, c@d.ru") into canonical
 * addresses; every part that holds no address is reported as written.
 */
export function parseEmails(fields: Iterable<string>): EmailParse {
	const result: EmailParse = { emails: [], rejected: [] };
	for (const written of fields) {
		readEmails(
			written,
			(email) => {
				if (!result.emails.includes(email)) result.emails.push(email);
			},
			(part) => result.rejected.push(part),
		);
	}
	return result;
}

/**
 * parseEmails of one field without building its result (the Order Matcher reads a million): `onEmail` gets each
 * canonical address, `onRejected` each part that is not one, as written. Words beside an address ("Иван",
 * "(личная)") are a label, not a rejection; a part with no "@" at all is one.
 */
export function readEmails(written: string, onEmail: (email: string) => void, onRejected: (part: string) => void): void {
	if (written.length <= MAX_EMAIL_ADDRESS && CANONICAL.test(written)) {
		onEmail(written);
		return;
	}
	const tooLong = overCap(written, MAX_EMAIL_FIELD, 'an e-mail field');
	if (tooLong !== null) {
		onRejected(tooLong);
		return;
	}
	for (const raw of emailParts(written)) {
		const part = raw.replace(INVISIBLE, '').trim();
		if (part.length === 0) continue;
		const candidates = ANGLE.test(part) || !HAS_SPACE.test(part) ? [part] : withoutSpacesAroundAt(part).split(SPACES).filter((word) => word.includes('@'));
		if (candidates.length === 0) onRejected(part);
		for (const candidate of candidates) {
			const email = normaliseEmail(candidate);
			if (email === null) onRejected(candidate);
			else onEmail(email);
		}
	}
}

/**
 * One written address in its canonical form, or null when it is not an e-mail address. Canonical: lower case
 * (Unicode NFC), without what surrounds an address in the wild (spaces, invisible characters, "mailto:" and its
 * "?subject=", a display name with the address in angle brackets, quotes, brackets, a full stop after it), the
 * domain in Unicode ("xn--80a1acny.xn--p1ai" is "почта.рф"). Refused: no or several "@", an empty part, a dot at
 * either end of the local part or two in a row, a domain label that starts or ends with "-", a one-label domain, a
 * top-level domain of one character or of digits, parts past the RFC's lengths.
 */
export function normaliseEmail(text: string): string | null {
	if (text.length <= MAX_EMAIL_ADDRESS && CANONICAL.test(text)) return text;
	if (overCap(text, MAX_EMAIL_FIELD, 'an e-mail field') !== null) return null;
	let address = text.replace(INVISIBLE, '').trim();
	address = ANGLE.exec(address)?.[1] ?? address;
	address = address.replace(LEADING_PUNCTUATION, '').replace(MAILTO, '');
	const query = address.indexOf('?');
	if (query !== -1) address = address.slice(0, query);
	address = withoutSpacesAroundAt(withoutTrailingPunctuation(address)).normalize('NFC').toLowerCase();
	const at = address.indexOf('@');
	if (at <= 0 || at !== address.lastIndexOf('@')) return null;
	const local = address.slice(0, at);
	const domain = domainOf(address.slice(at + 1));
	if (local.length > MAX_EMAIL_LOCAL || !LOCAL.test(local) || domain === null) return null;
	const email = `${local}@${domain}`;
	return email.length <= MAX_EMAIL_ADDRESS ? email : null;
}

/**
 * The parts of a field of several addresses, split at ",", ";" and line breaks outside a quoted name (an even number
 * of '"' after them) and at a separating word between spaces (" или ", " or "): what splitting at
 * `[,;\n](?=(?:[^"]*"[^"]*")*[^"]*$)|\s(?:или|or|и|and)\s` (case-insensitive) gave, in one pass. That lookahead read
 * the rest of the text at every comma: quadratic in commas.
 */
export function emailParts(text: string): string[] {
	let quotesAfter = 0;
	for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === QUOTE) quotesAfter++;
	const parts: string[] = [];
	let from = 0;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code === QUOTE) quotesAfter--;
		else if ((code === 0x2c || code === 0x3b || code === 0x0a) && quotesAfter % 2 === 0) {
			parts.push(text.slice(from, i));
			from = i + 1;
		} else if (isSpace(code)) {
			const word = SEPARATOR_WORDS.find((candidate) => hasWordAt(text, i + 1, candidate) && isSpace(text.charCodeAt(i + 1 + candidate.length)));
			if (word !== undefined) {
				parts.push(text.slice(from, i));
				from = i + word.length + 2;
				i = from - 1;
			}
		}
	}
	parts.push(text.slice(from));
	return parts;
}

/** The text without the spaces around its first "@" ("ivan @ mail.ru"), as replacing `\s*@\s*` once, without its backtracking over long runs of spaces. */
export function withoutSpacesAroundAt(text: string): string {
	const at = text.indexOf('@');
	if (at === -1) return text;
	let start = at;
	while (start > 0 && isSpace(text.charCodeAt(start - 1))) start--;
	let end = at + 1;
	while (end < text.length && isSpace(text.charCodeAt(end))) end++;
	return start === at && end === at + 1 ? text : `${text.slice(0, start)}@${text.slice(end)}`;
}

/**
 * The text without the spaces and punctuation after an address (`a@b.ru).`), read from the end: replacing
 * `[\s>)\]}"'»“”.,;:!?]+$` tried every start and ran to the end from each, quadratic in a run of dots.
 */
export function withoutTrailingPunctuation(text: string): string {
	let end = text.length;
	while (end > 0 && (isSpace(text.charCodeAt(end - 1)) || TRAILING_PUNCTUATION.has(text.charCodeAt(end - 1)))) end--;
	return end === text.length ? text : text.slice(0, end);
}

/** A domain in Unicode, lower case; null when it is not a domain name with a top-level domain. */
function domainOf(written: string): string | null {
	const labels = written.split('.');
	if (labels.length < 2) return null;
	for (let i = 0; i < labels.length; i++) {
		const label = labelToUnicode(labels[i]);
		if (label === null) return null;
		labels[i] = label.normalize('NFC').toLowerCase();
		if (labels[i].length > MAX_DOMAIN_LABEL || !LABEL.test(labels[i])) return null;
	}
	const top = labels[labels.length - 1];
	return top.length < 2 || DIGITS_ONLY.test(top) ? null : labels.join('.');
}
