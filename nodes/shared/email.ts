import { labelToUnicode } from './punycode';

export interface EmailParse {
	/** Canonical addresses (see normaliseEmail), each once. */
	emails: string[];
	/** The parts that are not e-mail addresses, as written. */
	rejected: string[];
}

/** An address already in its canonical form (lower-case ASCII, dot-atom local part, no Punycode label): the common case, one test. */
const CANONICAL = /^(?!.*xn--)[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$/;
/** A local part (RFC 5322 dot-atom, letters of any script as RFC 6531 allows). */
const LOCAL = /^[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
/** A domain label (letters of any script: IDN). */
const LABEL = /^[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}-]*[\p{L}\p{M}\p{N}])?$/u;
const MAX_LOCAL = 64;
const MAX_LABEL = 63;
const MAX_ADDRESS = 254;
/** Characters that show nothing: zero-width spaces and joiners, the word joiner, a BOM, a soft hyphen. */
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
/** "Name <a@b.ru>": the address between angle brackets. */
const ANGLE = /<([^<>]*)>/;
const MAILTO = /^mailto:/i;
/** Punctuation around an address in running text: `(a@b.ru)`, `"a@b.ru",`, `a@b.ru.` */
const LEADING_PUNCTUATION = /^[\s<([{"'«„“]+/;
const TRAILING_PUNCTUATION = /[\s>)\]}"'»“”.,;:!?]+$/;
/** Separators between addresses in one field; commas and semicolons inside a quoted name do not count. */
const SEPARATOR = /[,;\n](?=(?:[^"]*"[^"]*")*[^"]*$)|\s(?:или|or|и|and)\s/i;
const SPACES_AROUND_AT = /\s*@\s*/;

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
	if (CANONICAL.test(written) && written.length <= MAX_ADDRESS) {
		onEmail(written);
		return;
	}
	for (const raw of written.split(SEPARATOR)) {
		const part = raw.replace(INVISIBLE, '').trim();
		if (part.length === 0) continue;
		const candidates = ANGLE.test(part) || !/\s/.test(part) ? [part] : part.replace(SPACES_AROUND_AT, '@').split(/\s+/).filter((word) => word.includes('@'));
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
	if (CANONICAL.test(text) && text.length <= MAX_ADDRESS) return text;
	let address = text.replace(INVISIBLE, '').trim();
	address = ANGLE.exec(address)?.[1] ?? address;
	address = address.replace(LEADING_PUNCTUATION, '').replace(MAILTO, '');
	const query = address.indexOf('?');
	if (query !== -1) address = address.slice(0, query);
	address = address.replace(TRAILING_PUNCTUATION, '').replace(SPACES_AROUND_AT, '@').normalize('NFC').toLowerCase();
	const at = address.indexOf('@');
	if (at <= 0 || at !== address.lastIndexOf('@')) return null;
	const local = address.slice(0, at);
	const domain = domainOf(address.slice(at + 1));
	if (local.length > MAX_LOCAL || !LOCAL.test(local) || domain === null) return null;
	const email = `${local}@${domain}`;
	return email.length <= MAX_ADDRESS ? email : null;
}

/** A domain in Unicode, lower case; null when it is not a domain name with a top-level domain. */
function domainOf(written: string): string | null {
	const labels = written.split('.');
	if (labels.length < 2) return null;
	for (let i = 0; i < labels.length; i++) {
		const label = labelToUnicode(labels[i]);
		if (label === null) return null;
		labels[i] = label.normalize('NFC').toLowerCase();
		if (labels[i].length > MAX_LABEL || !LABEL.test(labels[i])) return null;
	}
	const top = labels[labels.length - 1];
	return top.length < 2 || /^\d+$/.test(top) ? null : labels.join('.');
}
