import { Metadata, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import { MAX_PHONE_FIELD, overCap } from './textLimits';
import { hasWordAt, isDigit, isLetterAt, isSpace } from './textScan';

export interface PhoneParse {
	/** Valid numbers in E.164. */
	phones: string[];
	/** Parts that are not phone numbers, as written. */
	rejected: string[];
}

/**
 * Separators between several numbers in one field: commas, semicolons, lines, a word ("или"), a slash before a number
 * (not the one of "n/a"). An extension ("доб. 123", "ext 5") is dropped.
 * Linear: each alternative starts with a fixed character; the lookahead after a "/" reads only the run of spaces
 * that follows that "/", and no other "/" reads the same run.
 */
const SPLIT = /[,;\n]|\/(?=\s*[+(\d])|\s(?:или|or|и|and|або)\s/i;
// Linear: one character class, global.
const NON_DIGITS = /\D/g;
const PLUS = 43;
/**
 * Besides digits, what a plain number holds (see plainDigits): spaces of any kind (those of \s; also U+2000 to
 * U+200A) but no line break, since two numbers on two lines are two; brackets, "+", ".", "-".
 */
const PLAIN_PUNCTUATION = new Set([0x09, 0x0b, 0x0c, 0x20, 0xa0, 0x1680, 0x202f, 0x205f, 0x3000, 0xfeff, 0x28, 0x29, PLUS, 0x2e, 0x2d]);
/** The words that start an extension ("доб. 123", "ext 5", "x12", "#3"), in lower case, with and without their dot. */
const EXTENSION_WORDS = ['доб.', 'доб', 'добавочный', 'доп.', 'доп', 'вн.', 'вн', 'ext.', 'ext', 'extension', 'x', '#'];
/** An extension has one to six digits. */
const MAX_EXTENSION_DIGITS = 6;
/** Letters that look like a digit: Latin and Cyrillic O, o, l, I. */
const DIGIT_LOOKALIKES = new Set([0x4f, 0x6f, 0x41e, 0x43e, 0x6c, 0x49]);
/** Decimal digits of other scripts people type or paste: full-width (CJK input), Arabic-Indic, Persian. Linear: one character class, global. */
const OTHER_DIGITS = /[\uff10-\uff19\u0660-\u0669\u06f0-\u06f9]/g;

/** The countries tried for a number written without a country code when none are given: RU then UA, the market's usual order. */
export const DEFAULT_PHONE_COUNTRIES: readonly CountryCode[] = ['RU', 'UA'];

/**
 * Normalises whatever a CRM or a form holds in a phone field into E.164 numbers, trying the default country first
 * and then the fallbacks (DEFAULT_PHONE_COUNTRIES when not given).
 */
export function parsePhones(value: string | null | undefined, countries: CountryCode[] = [...DEFAULT_PHONE_COUNTRIES]): PhoneParse {
	const result: PhoneParse = { phones: [], rejected: [] };
	readPhones(
		value,
		countries,
		(phone) => {
			if (!result.phones.includes(phone)) result.phones.push(phone);
		},
		(written) => result.rejected.push(written),
	);
	return result;
}

/**
 * parsePhones without building its result, for callers that read a million fields: `onPhone` gets each E.164 number
 * (a number written twice in one field comes twice), `onRejected` each part that is not a number, as written.
 */
export function readPhones(value: string | null | undefined, countries: CountryCode[], onPhone: (phone: string) => void, onRejected: (written: string) => void): void {
	if (!value) return;
	const tooLong = overCap(value, MAX_PHONE_FIELD, 'a phone field');
	if (tooLong !== null) {
		onRejected(tooLong);
		return;
	}
	const digits = plainDigits(value);
	if (digits !== null) {
		const text = value.trim();
		const phone = parseNumberText(text, countries, true, digits);
		if (phone === null) onRejected(text);
		else onPhone(phone);
		return;
	}
	const parts = value.split(SPLIT);
	for (const part of parts) {
		const written = part.trim();
		// A part that is only an extension: "+7 495 123-45-67, доб. 12" split at the comma. It belongs to the number before it.
		if (written.length === 0 || (parts.length > 1 && extensionStart(written) === 0)) continue;
		const phone = parsePhone(written, countries);
		if (phone === null) onRejected(written);
		else onPhone(phone);
	}
}

/**
 * One written number in E.164, or null when it is not a valid number of the countries: the quick path for the common
 * forms, libphonenumber-js for the rest (`quick` false forces the full parse, to check the quick path against it).
 */
export function parsePhone(written: string, countries: CountryCode[], quick = true): string | null {
	if (overCap(written, MAX_PHONE_FIELD, 'a phone field') !== null) return null;
	const plain = plainDigits(written);
	if (plain !== null) return parseNumberText(written.trim(), countries, quick, plain);
	// Without its extension most text is plain (one cheap test); only the rest is read digit by digit and searched for letters.
	const text = withoutExtension(written).trim();
	const plainText = plainDigits(text);
	if (plainText !== null) return parseNumberText(text, countries, quick, plainText);
	const digits = withoutExtension(asciiDigits(text)).trim();
	return letterAmongDigits(digits) ? null : parseNumberText(digits, countries, quick);
}

/** The text without a trailing extension ("+7 495 123-45-67 доб. 12" → "+7 495 123-45-67"). */
function withoutExtension(text: string): string {
	const start = extensionStart(text);
	return start === -1 ? text : text.slice(0, start);
}

/**
 * Where a trailing extension starts, the spaces before it included, or -1: what `\s*(?:доб\.?|добавочный|доп\.?|
 * вн\.?|ext\.?|extension|x|#)\s*\d{1,6}\s*$` (case-insensitive) matches, read once from the end. That regex tried
 * every start position and ran over a run of spaces from each: quadratic ("1" + 80,000 spaces + "z" took 19 s).
 * From the end the match is fixed: its digits are the whole run of digits before the trailing spaces (a digit
 * before them would belong to the match too), the word ends where the spaces before those digits start, and no word
 * is the end of another, so at most one fits.
 */
export function extensionStart(text: string): number {
	let end = text.length;
	while (end > 0 && isSpace(text.charCodeAt(end - 1))) end--;
	let digits = end;
	while (digits > 0 && isDigit(text.charCodeAt(digits - 1))) digits--;
	if (digits === end || end - digits > MAX_EXTENSION_DIGITS) return -1;
	let wordEnd = digits;
	while (wordEnd > 0 && isSpace(text.charCodeAt(wordEnd - 1))) wordEnd--;
	const word = EXTENSION_WORDS.find((candidate) => hasWordAt(text, wordEnd - candidate.length, candidate));
	if (word === undefined) return -1;
	let start = wordEnd - word.length;
	while (start > 0 && isSpace(text.charCodeAt(start - 1))) start--;
	return start;
}

/**
 * A letter among the digits ("8 (9l2) 345-67-89": a letter whose nearest letter or digit before it is a digit, with
 * a digit somewhere after it), or one that looks like a digit right after a digit and before no letter
 * ("8 (912) 345-67-8O"): a typo, and reading the digits without it would make another person's number. One pass
 * over the code points, for what `\d[^\p{L}\d]*\p{L}[^\d]*\d|\d[OoОоlI](?!\p{L})` matched with backtracking.
 */
export function letterAmongDigits(text: string): boolean {
	let afterDigit = false;
	let letterAfterDigit = false;
	for (let i = 0; i < text.length; ) {
		const code = text.codePointAt(i) as number;
		const size = code > 0xffff ? 2 : 1;
		if (isDigit(code)) {
			if (letterAfterDigit) return true;
			afterDigit = true;
		} else if (isLetterAt(text, i)) {
			if (afterDigit && isDigit(text.charCodeAt(i - 1)) && DIGIT_LOOKALIKES.has(code) && !isLetterAt(text, i + size)) return true;
			letterAfterDigit ||= afterDigit;
			afterDigit = false;
		}
		i += size;
	}
	return false;
}

/**
 * The digits of a plain number: digits and PLAIN_PUNCTUATION only (one number, no extension, no separator: the
 * common case, kept cheap), read in one pass; the text itself, or it without its leading "+", when it holds nothing
 * else (no new string). null for any other text. A million touches each pass here.
 */
export function plainDigits(text: string): string | null {
	let others = 0;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code >= 0x30 && code <= 0x39) continue;
		if (!PLAIN_PUNCTUATION.has(code) && !(code >= 0x2000 && code <= 0x200a)) return null;
		others++;
	}
	if (text.length === 0) return null;
	if (others === 0) return text;
	if (others === 1 && text.charCodeAt(0) === PLUS) return text.slice(1);
	return text.replace(NON_DIGITS, '');
}

/** The text with other scripts' decimal digits as ASCII digits ("８９１２" → "8912"). */
function asciiDigits(text: string): string {
	return text.replace(OTHER_DIGITS, (digit) => {
		const code = digit.charCodeAt(0);
		return String(code - (code >= 0xff10 ? 0xff10 : code >= 0x06f0 ? 0x06f0 : 0x0660));
	});
}

/** parsePhone of a number's text: its extension dropped, trimmed. */
function parseNumberText(text: string, countries: CountryCode[], quick: boolean, digits = text.replace(NON_DIGITS, '')): string | null {
	if (digits.length < 7 || digits.length > 15) return null;
	const common = quick ? quickParse(text, digits, countries) : null;
	if (common !== null) return common;
	// "810 ..." is the Russian international prefix, "00 ..." the European one.
	const candidates = digits.startsWith('810') && digits.length > 12 ? ['+' + digits.slice(3)] : digits.startsWith('00') ? ['+' + digits.slice(2)] : [];
	candidates.push(text);
	for (const candidate of candidates) {
		for (const country of countries) {
			const phone = parsePhoneNumberFromString(candidate, country);
			if (phone?.isValid()) return phone.number;
		}
	}
	return null;
}

interface CountryPlan {
	callingCode: string;
	/** The trunk prefix ("8" in Russia, "0" in Ukraine) when it is a plain digit string. */
	nationalPrefix: string | null;
	/** Digits that are a national number; the same after the calling code. Tested on 7 to 15 digits only (parseNumberText). */
	national: RegExp;
	afterCallingCode: RegExp;
}

const plans = new Map<CountryCode, CountryPlan>();

/** What libphonenumber-js's metadata holds for a country (its typings leave these accessors out). */
interface MetadataPlan {
	callingCode(): string;
	nationalPrefixForParsing(): string | undefined;
	nationalNumberPattern(): string;
}

function planOf(country: CountryCode): CountryPlan {
	let plan = plans.get(country);
	if (!plan) {
		const metadata = new Metadata();
		metadata.selectNumberingPlan(country);
		const numbering = metadata.numberingPlan as unknown as MetadataPlan | undefined;
		const prefix = numbering?.nationalPrefixForParsing() ?? '';
		const callingCode = numbering?.callingCode() ?? '';
		const pattern = numbering?.nationalNumberPattern() ?? '(?!)';
		plan = {
			callingCode,
			nationalPrefix: /^\d+$/.test(prefix) ? prefix : null,
			national: new RegExp(`^(?:${pattern})$`),
			// A calling code is digits only, so it needs no escaping; testing it in the pattern spares a slice per number.
			afterCallingCode: new RegExp(`^${callingCode}(?:${pattern})$`),
		};
		plans.set(country, plan);
	}
	return plan;
}

/**
 * The common written forms (trunk prefix + national number, country code without "+", bare national number,
 * "+" and country code) checked against the country's numbering pattern directly: the same answer the full parser
 * gives with the same metadata, at a fraction of its cost, which matters for a million touches. Anything else
 * (international prefixes, other countries) returns null and goes to the full parser.
 */
function quickParse(text: string, digits: string, countries: CountryCode[]): string | null {
	const international = text.charCodeAt(0) === PLUS;
	if (!international && (digits.startsWith('00') || digits.startsWith('810'))) return null;
	for (const country of countries) {
		const plan = planOf(country);
		if (international) {
			// Written in E.164 already ("+" and the digits only): the text itself, no new string.
			if (plan.afterCallingCode.test(digits)) return text.length === digits.length + 1 ? text : `+${digits}`;
			continue;
		}
		if (plan.nationalPrefix !== null && digits.startsWith(plan.nationalPrefix) && plan.national.test(digits.slice(plan.nationalPrefix.length))) {
			return `+${plan.callingCode}${digits.slice(plan.nationalPrefix.length)}`;
		}
		if (plan.afterCallingCode.test(digits)) return `+${digits}`;
		if (plan.national.test(digits)) return `+${plan.callingCode}${digits}`;
	}
	return null;
}
