/**
 * Messy values as people and systems write them (issue 7, "Messy data"), each with the outcome it must have, worked
 * out from how the value was built and never from the code under test: the generator knows which digits it wrote,
 * which address it hid in the text, which instant it formatted.
 *
 * Phones: the forms DESIGN.md and issue 3 name (+7 / 8 / 7 / bare 10 digits, brackets, dashes, dots, extensions,
 * 810 and 00 prefixes, several numbers in one field, Ukrainian 0XX / 380 / 00380 forms) and what forms hold
 * besides (junk around the number, full-width digits, unicode spaces and dashes, JSON numbers, letters, too short,
 * too long). Read with the default countries RU then UA: a Belarusian number written without "+" is no number of
 * those countries (its "8 0XX" form is also the old Ukrainian long-distance form) and must be reported.
 */
import { prng } from '../helpers/prng';

export type Random = () => number;

export interface PhoneCase {
	family: string;
	form: string;
	/** What the phone field holds: text, a JSON number, null. */
	written: unknown;
	/** The E.164 numbers it holds, in order. */
	phones: string[];
	/** How many parts of it must be reported as not a phone number. */
	rejects: number;
}

export interface EmailCase {
	family: string;
	form: string;
	written: unknown;
	emails: string[];
	rejects: number;
}

export interface TimeCase {
	family: string;
	form: string;
	written: unknown;
	/** The zone naive times are read in. */
	zone: string;
	/** Epoch ms it means; null when it is not a time and must be reported. */
	ms: number | null;
	/** For a naive time, the offset (minutes) its ISO form must carry. */
	offset?: number;
}

export const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)];
const digits = (random: Random, n: number): string => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');

/** A phone number of a country, as the generator knows it. */
export interface PhoneNumber {
	/** Digits after the country code. */
	national: string;
	e164: string;
}

/** Number plans written out by hand: Russian mobiles, Moscow, 8-800, Kazakh mobiles (+7); Ukrainian and Belarusian operators. */
const RU_PREFIXES = ['9', '495', '499', '800'];
const KZ_OPERATORS = ['700', '701', '702', '705', '707', '708', '747', '771', '775', '776', '777', '778'];
const UA_OPERATORS = ['50', '63', '66', '67', '68', '73', '93', '95', '96', '97', '98', '99', '44'];
const BY_OPERATORS = ['25', '29', '33', '44'];

/** Numbers never drawn twice, so that two values of different people never meet by chance. */
export class PhoneBook {
	private readonly used = new Set<string>();

	constructor(private readonly random: Random) {}

	/** A +7 number: Russian mostly, Kazakh one time in five. */
	plus7(): PhoneNumber {
		return this.unique(() => {
			if (this.random() < 0.2) return pick(this.random, KZ_OPERATORS) + digits(this.random, 7);
			const prefix = pick(this.random, RU_PREFIXES);
			return prefix + digits(this.random, 10 - prefix.length);
		}, '7');
	}

	ukrainian(): PhoneNumber {
		return this.unique(() => pick(this.random, UA_OPERATORS) + digits(this.random, 7), '380');
	}

	belarusian(): PhoneNumber {
		return this.unique(() => pick(this.random, BY_OPERATORS) + digits(this.random, 7), '375');
	}

	private unique(national: () => string, code: string): PhoneNumber {
		for (;;) {
			const number = national();
			const e164 = `+${code}${number}`;
			if (!this.used.has(e164)) {
				this.used.add(e164);
				return { national: number, e164 };
			}
		}
	}
}

/** "9123456789" → ["912", "345", "67", "89"] (a 10-digit national number); a 9-digit one → ["91", "234", "56", "78"]. */
function groups(national: string): [string, string, string, string] {
	const head = national.length - 7;
	return [national.slice(0, head), national.slice(head, head + 3), national.slice(head + 3, head + 5), national.slice(head + 5)];
}

const EXTENSIONS = [' доб. 123', ' доб.45', 'доб123', ' ext. 12', ' ext 5', ' EXT 77', ' x12', ' #7', ' вн. 3', ' добавочный 12', ' доп. 12', ', доб. 123'];
const LEADING_JUNK = ['тел.: ', 'Телефон: ', 'моб. ', 'tel:', 'т.', '📞 ', 'Иван ', '  '];
const TRAILING_JUNK = [' (Иван)', ' (WhatsApp)', '.', ' !', ' ☎', ' — мобильный', '  ', ' звонить вечером'];
const UNICODE_SPACES = ['\u00a0', '\u2009', '\u202f', '\u3000', '\u2007', '\t', '\u200b', ' \u200b'];
const DASHES = ['\u2013', '\u2014', '\u2212', '\u2010'];
const FIELD_SEPARATORS = ['; ', ', ', ' / ', '\n', ' или ', ' и ', ',', ';'];
const WORDS = ['нет', 'не указан', 'call me', '-', '+', '???', 'anonymous', 'скрыт', 'n/a'];
const SHORT = ['12345', '112', '03', '1', '0'];
const LOOKALIKES = ['O', 'o', 'О', 'l', 'I'];

/** "8 (912) 345-67-89" with full-width or Arabic-Indic digits. */
function otherDigits(text: string, zero: number): string {
	return text.replace(/\d/g, (d) => String.fromCharCode(zero + Number(d)));
}

type PhoneForm = { family: string; form: string; make: (book: PhoneBook, random: Random) => Omit<PhoneCase, 'family' | 'form'> };

const accepted = (written: unknown, ...numbers: PhoneNumber[]) => ({ written, phones: numbers.map((n) => n.e164), rejects: 0 });
const rejected = (written: unknown, rejects = 1) => ({ written, phones: [], rejects });

/** +7 numbers (Russia, Kazakhstan) in each way they are written. */
const PLUS7_FORMS: Array<[string, (n: PhoneNumber, random: Random) => unknown]> = [
	['+7 (XXX) XXX-XX-XX', (n) => { const [a, b, c, d] = groups(n.national); return `+7 (${a}) ${b}-${c}-${d}`; }],
	['8 (XXX) XXX-XX-XX', (n) => { const [a, b, c, d] = groups(n.national); return `8 (${a}) ${b}-${c}-${d}`; }],
	['7XXXXXXXXXX', (n) => `7${n.national}`],
	['+7XXXXXXXXXX', (n) => `+7${n.national}`],
	['10-digit local', (n) => n.national],
	['8-XXX-XXX-XX-XX', (n) => `8-${groups(n.national).join('-')}`],
	['dots', (n, r) => `${pick(r, ['+7.', '8.', ''])}${groups(n.national).join('.')}`],
	['spaces', (n) => `+7 ${groups(n.national).join(' ')}`],
	['extension', (n, r) => { const [a, b, c, d] = groups(n.national); return `+7 (${a}) ${b}-${c}-${d}${pick(r, EXTENSIONS)}`; }],
	['leading junk', (n, r) => `${pick(r, LEADING_JUNK)}8 ${groups(n.national).join(' ')}`],
	['trailing junk', (n, r) => { const [a, b, c, d] = groups(n.national); return `+7 (${a}) ${b}-${c}-${d}${pick(r, TRAILING_JUNK)}`; }],
	['full-width digits', (n) => { const [a, b, c, d] = groups(n.national); return otherDigits(`8 (${a}) ${b}-${c}-${d}`, 0xff10); }],
	['Arabic-Indic digits', (n) => otherDigits(`+7${n.national}`, 0x0660)],
	['unicode spaces', (n, r) => { const space = pick(r, UNICODE_SPACES); return `+7${space}${groups(n.national).join(space)}`; }],
	['unicode dashes', (n, r) => { const dash = pick(r, DASHES); const [a, b, c, d] = groups(n.national); return `+7 ${a} ${b}${dash}${c}${dash}${d}`; }],
	['plus in the middle', (n, r) => { const [a, b, c, d] = groups(n.national); return pick(r, [`8 ${a} +${b} ${c} ${d}`, `7+${n.national}`, `+7 +${a} ${b}${c}${d}`]); }],
	['international prefix', (n, r) => { const [a, b, c, d] = groups(n.national); return pick(r, [`810 7 ${a} ${b} ${c} ${d}`, `00 7 ${a} ${b}${c}${d}`, `007${n.national}`, `+007 ${a} ${b} ${c} ${d}`]); }],
	['padded', (n) => `   8${n.national}\t `],
	['JSON number', (n, r) => Number(`${pick(r, ['7', '8'])}${n.national}`)],
];

const UA_FORMS: Array<[string, (n: PhoneNumber) => string]> = [
	['+380 XX XXX XX XX', (n) => `+380 ${groups(n.national).join(' ')}`],
	['0XX XXX XX XX', (n) => `0${groups(n.national).join(' ')}`],
	['380XXXXXXXXX', (n) => `380${n.national}`],
	['00380…', (n) => `00380${n.national}`],
	['810 380 …', (n) => `810 380 ${groups(n.national).join(' ')}`],
	['+38 (0XX) XXX-XX-XX', (n) => { const [a, b, c, d] = groups(n.national); return `+38 (0${a}) ${b}-${c}-${d}`; }],
	['(0XX) XXX-XX-XX', (n) => { const [a, b, c, d] = groups(n.national); return `(0${a}) ${b}-${c}-${d}`; }],
];

/** A number in one of the written forms of its country, drawn at random. */
export function writeNumber(n: PhoneNumber, random: Random): unknown {
	if (n.e164.startsWith('+380')) return pick(random, UA_FORMS)[1](n);
	return pick(random, PLUS7_FORMS)[1](n, random);
}

/** Something a phone field holds that is no phone (never empty). */
export function notAPhone(random: Random): string {
	return pick(random, [...WORDS, ...SHORT, '8 (912) 345-67-8O', '+7 (012) 345-67-89']);
}

/** Every kind of written phone, with its family (a row of the table) and how to make one. */
export const PHONE_FORMS: PhoneForm[] = [
	...PLUS7_FORMS.map(([form, write]): PhoneForm => ({ family: 'phones: +7 (RU, KZ) written forms', form, make: (book, r) => { const n = book.plus7(); return accepted(write(n, r), n); } })),
	...UA_FORMS.map(([form, write]): PhoneForm => ({ family: 'phones: Ukrainian and Belarusian', form, make: (book) => { const n = book.ukrainian(); return accepted(write(n), n); } })),
	{ family: 'phones: Ukrainian and Belarusian', form: '+375 XX XXX-XX-XX', make: (book) => { const n = book.belarusian(); const [a, b, c, d] = groups(n.national); return accepted(`+375 ${a} ${b}-${c}-${d}`, n); } },
	{ family: 'phones: Ukrainian and Belarusian', form: '375… without + (no RU/UA number)', make: (book) => rejected(`375${book.belarusian().national}`) },
	{ family: 'phones: Ukrainian and Belarusian', form: '8 0XX … (BY trunk or old UA: ambiguous)', make: (book, r) => { const n = r() < 0.5 ? book.belarusian() : book.ukrainian(); return rejected(`8 0${groups(n.national).join(' ')}`); } },
	...FIELD_SEPARATORS.map((separator): PhoneForm => ({
		family: 'phones: several in one field',
		form: `A${JSON.stringify(separator).slice(1, -1)}B`,
		make: (book, r) => {
			const [first, second] = [book.plus7(), r() < 0.3 ? book.ukrainian() : book.plus7()];
			const [a, b, c, d] = groups(first.national);
			const other = second.e164.startsWith('+380') ? `+380 ${groups(second.national).join(' ')}` : `8 ${groups(second.national).join(' ')}`;
			return accepted(`+7 (${a}) ${b}-${c}-${d}${separator}${other}`, first, second);
		},
	})),
	{ family: 'phones: several in one field', form: 'A; not a phone', make: (book, r) => { const n = book.plus7(); return { written: `8 ${groups(n.national).join(' ')}; ${pick(r, WORDS.filter((w) => !/^[-+]$/.test(w)))}`, phones: [n.e164], rejects: 1 }; } },
	{ family: 'phones: several in one field', form: 'A B (no separator)', make: (book) => rejected(`8 ${groups(book.plus7().national).join(' ')} 8 ${groups(book.plus7().national).join(' ')}`) },
	{ family: 'phones: not phones', form: '7-digit local', make: (book) => rejected(groups(book.plus7().national).slice(1).join('-')) },
	{ family: 'phones: not phones', form: 'too short', make: (_book, r) => rejected(pick(r, SHORT)) },
	{ family: 'phones: not phones', form: 'words', make: (_book, r) => rejected(pick(r, WORDS)) },
	{
		family: 'phones: not phones',
		form: 'a digit typed as a letter',
		make: (book, r) => {
			const [a, b, c, d] = groups(book.plus7().national);
			const text = `+7 (${a}) ${b}-${c}-${d}`;
			const digitsAt = [...text].map((ch, i) => (i > 3 && /\d/.test(ch) ? i : -1)).filter((i) => i >= 0);
			const at = pick(r, digitsAt);
			return rejected(text.slice(0, at) + pick(r, LOOKALIKES) + text.slice(at + 1));
		},
	},
	{ family: 'phones: not phones', form: 'too long', make: (book, r) => rejected(pick(r, [`8 ${groups(book.plus7().national).join(' ')}${digits(r, 1)}`, `+7 ${book.plus7().national}${digits(r, 2)}`, `+7 ${groups(book.plus7().national).join(' ')} ${digits(r, 2)}`])) },
	{ family: 'phones: not phones', form: 'no such code', make: (book, r) => { const [, b, c, d] = groups(book.plus7().national); return rejected(pick(r, [`+7 (0${digits(r, 2)}) ${b}-${c}-${d}`, `+89 ${digits(r, 2)} ${b} ${c} ${d}`, `+7 (1${digits(r, 2)}) ${b}-${c}-${d}`])); } },
	{ family: 'phones: not phones', form: 'zeros', make: (_book, r) => rejected(pick(r, ['00000000000', '+7 (000) 000-00-00', '8 000 000 00 00'])) },
	{ family: 'phones: not phones', form: 'JSON number, not a phone', make: (_book, r) => rejected(pick(r, [12345, 7.9123456789e21, 0, 3.14])) },
	{ family: 'phones: not phones', form: 'nothing (empty, blank, null, separators)', make: (_book, r) => rejected(pick(r, ['', '   ', null, ';;', ', ', '\n']), 0) },
];

/** `count` phone cases, every form in turn (so each appears), numbers and details drawn from `seed`. */
export function phoneCases(count: number, seed = 7001): PhoneCase[] {
	const random = prng(seed);
	const book = new PhoneBook(random);
	return Array.from({ length: count }, (_, i) => {
		const form = PHONE_FORMS[i % PHONE_FORMS.length];
		return { family: form.family, form: form.form, ...form.make(book, random) };
	});
}

/* ----------------------------------------------------------------------------------------------------------- e-mails */

const LOCALS = ['ivan.petrov', 'anna_k', 'sales', 'info+crm', 'o.smirnova', 'ivan-ivanov', 'иван', 'test.user', 'zakaz'];
const DOMAINS = ['mail.ru', 'yandex.ru', 'gmail.com', 'bk.ru', 'почта.рф', 'пример.рф', 'company.co.uk', 'shop.kz'];

/** An address the generator made: its canonical form (lower case, domain in Unicode) and its parts. */
export interface Address {
	local: string;
	domain: string;
	canonical: string;
}

export class AddressBook {
	private serial = 0;

	constructor(private readonly random: Random) {}

	next(idn = false): Address {
		const local = `${pick(this.random, LOCALS)}${++this.serial}`;
		const domain = idn ? pick(this.random, DOMAINS.filter((d) => d.endsWith('.рф'))) : pick(this.random, DOMAINS);
		return { local, domain, canonical: `${local}@${domain}` };
	}
}

/** Upper-cases about half the letters (Cyrillic too). */
function mixCase(text: string, random: Random): string {
	return [...text].map((ch) => (random() < 0.5 ? ch.toUpperCase() : ch)).join('');
}

/** The domain as DNS carries it ("почта.рф" → "xn--80a1acny.xn--p1ai"), by Node's own IDNA (WHATWG URL). */
function asciiDomain(domain: string): string {
	return new URL(`http://${domain}/`).hostname;
}

/** An address in one of the ways people write it, drawn at random. */
export function writeAddress(a: Address, random: Random): string {
	return pick(random, WRITTEN_EMAILS)[1](a, random);
}

/** Something an e-mail field holds that is no address. */
export function notAnAddress(random: Random): string {
	return pick(random, ['нет', '-', 'не указан', 'ivan@mail', 'ivan(at)mail.ru', 'ivan.@mail.ru']);
}

type EmailForm = { family: string; form: string; make: (book: AddressBook, random: Random) => Omit<EmailCase, 'family' | 'form'> };
const oneEmail = (written: unknown, ...addresses: Address[]) => ({ written, emails: addresses.map((a) => a.canonical), rejects: 0 });
const noEmail = (written: unknown, rejects = 1) => ({ written, emails: [], rejects });

const WRITTEN_EMAILS: Array<[string, (a: Address, random: Random) => string]> = [
	['as is', (a) => a.canonical],
	['mixed case', (a, r) => mixCase(a.canonical, r)],
	['spaces around', (a, r) => `${pick(r, ['  ', '\t', '\u00a0'])}${a.canonical}${pick(r, [' ', '  ', '\u00a0', '\n'])}`],
	['invisible characters', (a, r) => `${pick(r, ['\u200b', '\ufeff', ''])}${a.local}${pick(r, ['\u200b', '\u00ad', ''])}@${a.domain}\u200b`],
	['mailto:', (a, r) => pick(r, [`mailto:${a.canonical}`, `MAILTO:${mixCase(a.canonical, r)}?subject=Заказ`])],
	['Name <address>', (a, r) => pick(r, [`Иван Петров <${a.canonical}>`, `"Petrov, Ivan" <${mixCase(a.canonical, r)}>`, `<${a.canonical}>`])],
	['trailing punctuation', (a, r) => `${a.canonical}${pick(r, ['.', ',', ';', '!', ')'])}`],
	['in brackets or quotes', (a, r) => pick(r, [`(${a.canonical})`, `"${a.canonical}"`, `«${a.canonical}»`])],
	['spaces around @', (a, r) => `${a.local}${pick(r, [' @ ', ' @', '@ '])}${a.domain}`],
	['with a label', (a, r) => `${a.canonical} ${pick(r, ['(личная)', 'рабочая', '- основная'])}`],
];

export const EMAIL_FORMS: EmailForm[] = [
	...WRITTEN_EMAILS.map(([form, write]): EmailForm => ({ family: 'e-mails: case, spaces, mailto, names, punctuation', form, make: (book, r) => { const a = book.next(); return oneEmail(write(a, r), a); } })),
	{ family: 'e-mails: IDN / Cyrillic domains', form: 'Cyrillic domain', make: (book, r) => { const a = book.next(true); return oneEmail(mixCase(a.canonical, r), a); } },
	{ family: 'e-mails: IDN / Cyrillic domains', form: 'Punycode domain', make: (book, r) => { const a = book.next(true); return oneEmail(`${a.local}@${r() < 0.5 ? asciiDomain(a.domain) : asciiDomain(a.domain).toUpperCase()}`, a); } },
	...['; ', ', ', ' ', ' или ', '\n'].map((separator): EmailForm => ({
		family: 'e-mails: several in one field',
		form: `A${JSON.stringify(separator).slice(1, -1)}B`,
		make: (book, r) => { const [a, b] = [book.next(), book.next()]; return oneEmail(`${mixCase(a.canonical, r)}${separator}${b.canonical}`, a, b); },
	})),
	{ family: 'e-mails: several in one field', form: 'A; not an address', make: (book, r) => { const a = book.next(); return { written: `${a.canonical}; ${pick(r, ['нет', 'не указан', '-'])}`, emails: [a.canonical], rejects: 1 }; } },
	{
		family: 'e-mails: not addresses',
		form: 'broken address',
		make: (book, r) => {
			const { local, domain } = book.next();
			// the domain's first label alone is no domain ("company" of "company.co.uk")
			const [name, top] = [domain.split('.')[0], domain.slice(domain.lastIndexOf('.') + 1)];
			return noEmail(pick(r, [local, `${local}@${name}`, `${local}@@${domain}`, `${local}.@${domain}`, `.${local}@${domain}`, `${local.slice(0, 2)}..${local.slice(2)}@${domain}`, `${local}@${name}..${top}`, `${local}@-${domain}`, `${local}(at)${domain}`, `@${domain}`, `${local}@`, `${local}@${name}.${top[0]}`, `${local}@${name}.123`, `${local}@xn--.${top}`]));
		},
	},
	{ family: 'e-mails: not addresses', form: 'words', make: (_book, r) => noEmail(pick(r, ['нет', '-', 'не указан', 'n/a', '???'])) },
	{ family: 'e-mails: not addresses', form: 'nothing (empty, blank, null)', make: (_book, r) => noEmail(pick(r, ['', '   ', null, '; ']), 0) },
];

export function emailCases(count: number, seed = 7002): EmailCase[] {
	const random = prng(seed);
	const book = new AddressBook(random);
	return Array.from({ length: count }, (_, i) => {
		const form = EMAIL_FORMS[i % EMAIL_FORMS.length];
		return { family: form.family, form: form.form, ...form.make(book, random) };
	});
}

/* ------------------------------------------------------------------------------------------------------------- times */

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * Clock changes from the tz database, written out: the instant (UTC) and the offsets (minutes) before and after.
 * Berlin: last Sundays of March and October at 01:00 UTC; New York: second Sunday of March at 07:00 UTC, first of
 * November at 06:00 UTC; Moscow: summer time for good on 27 March 2011, back to +03:00 on 26 October 2014.
 */
export const CLOCK_CHANGES: Record<string, Array<{ at: string; before: number; after: number }>> = {
	'Europe/Berlin': [
		{ at: '2023-03-26T01:00:00Z', before: 60, after: 120 },
		{ at: '2023-10-29T01:00:00Z', before: 120, after: 60 },
		{ at: '2024-03-31T01:00:00Z', before: 60, after: 120 },
		{ at: '2024-10-27T01:00:00Z', before: 120, after: 60 },
		{ at: '2025-03-30T01:00:00Z', before: 60, after: 120 },
		{ at: '2025-10-26T01:00:00Z', before: 120, after: 60 },
	],
	'America/New_York': [
		{ at: '2023-03-12T07:00:00Z', before: -300, after: -240 },
		{ at: '2023-11-05T06:00:00Z', before: -240, after: -300 },
		{ at: '2024-03-10T07:00:00Z', before: -300, after: -240 },
		{ at: '2024-11-03T06:00:00Z', before: -240, after: -300 },
		{ at: '2025-03-09T07:00:00Z', before: -300, after: -240 },
		{ at: '2025-11-02T06:00:00Z', before: -240, after: -300 },
	],
	'Europe/Moscow': [
		{ at: '2011-03-26T23:00:00Z', before: 180, after: 240 },
		{ at: '2014-10-25T22:00:00Z', before: 240, after: 180 },
	],
};

/**
 * The instant a naive wall-clock time (its fields as UTC ms) means next to a clock change, by the rule DESIGN.md's
 * "times are instants" needs to be defined (see nodes/shared/time.ts): the later reading. A time that exists twice
 * (the clock went back) is the second one; a time the clock skipped is read with the offset before the change, so
 * it lands after it.
 */
function instantNear(wall: number, change: { at: string; before: number; after: number }): { ms: number; offset: number } {
	const at = Date.parse(change.at);
	const readings = [wall - change.before * MINUTE, wall - change.after * MINUTE].filter((ms, i) => (i === 0 ? ms < at : ms >= at));
	const ms = readings.length > 0 ? Math.max(...readings) : wall - change.before * MINUTE;
	return { ms, offset: ms < at ? change.before : change.after };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The fields of a wall-clock time given as UTC ms. */
function fields(wall: number) {
	const d = new Date(wall);
	return { y: d.getUTCFullYear(), mo: pad(d.getUTCMonth() + 1), d: pad(d.getUTCDate()), h: pad(d.getUTCHours()), mi: pad(d.getUTCMinutes()), s: pad(d.getUTCSeconds()), ms: pad(d.getUTCMilliseconds(), 3) };
}

/** Naive forms the code claims (ISO local, 1C / Bitrix dotted): the text and whether it keeps seconds and milliseconds. */
const NAIVE_FORMS: Array<[string, (w: ReturnType<typeof fields>) => string, 'ms' | 's' | 'min']> = [
	['YYYY-MM-DD HH:mm:ss', (w) => `${w.y}-${w.mo}-${w.d} ${w.h}:${w.mi}:${w.s}`, 's'],
	['YYYY-MM-DDTHH:mm:ss', (w) => `${w.y}-${w.mo}-${w.d}T${w.h}:${w.mi}:${w.s}`, 's'],
	['YYYY-MM-DDTHH:mm', (w) => `${w.y}-${w.mo}-${w.d}T${w.h}:${w.mi}`, 'min'],
	['DD.MM.YYYY HH:mm:ss', (w) => `${w.d}.${w.mo}.${w.y} ${w.h}:${w.mi}:${w.s}`, 's'],
	['DD.MM.YYYY HH:mm', (w) => `${w.d}.${w.mo}.${w.y} ${w.h}:${w.mi}`, 'min'],
	['YYYY-MM-DD HH:mm:ss.SSS', (w) => `${w.y}-${w.mo}-${w.d} ${w.h}:${w.mi}:${w.s}.${w.ms}`, 'ms'],
];

/** Cuts a wall time to what a form writes. */
function truncate(wall: number, keeps: 'ms' | 's' | 'min'): number {
	return keeps === 'ms' ? wall : wall - (wall % (keeps === 's' ? 1000 : MINUTE));
}

/** Naive times within three hours of each clock change of `zone`, in every naive form. */
function clockChangeCases(zone: string, family: string, count: number, random: Random): TimeCase[] {
	return Array.from({ length: count }, (_, i) => {
		const change = pick(random, CLOCK_CHANGES[zone]);
		const [form, write, keeps] = NAIVE_FORMS[i % NAIVE_FORMS.length];
		// the change's wall time (before it), then up to 3 h either side, most often inside the skipped or repeated hour
		const changeWall = Date.parse(change.at) + change.before * MINUTE;
		const spread = random() < 0.5 ? HOUR : 3 * HOUR;
		const wall = truncate(changeWall + Math.floor((random() * 2 - 1) * spread), keeps);
		const { ms, offset } = instantNear(wall, change);
		return { family, form, written: write(fields(wall)), zone, ms, offset };
	});
}

/** Naive times in Moscow (+03:00 since 26 October 2014): 2015–2026. */
function moscowCases(count: number, random: Random): TimeCase[] {
	return Array.from({ length: count }, (_, i) => {
		const [form, write, keeps] = NAIVE_FORMS[i % NAIVE_FORMS.length];
		const wall = truncate(Date.UTC(2015, 0, 1) + Math.floor(random() * 12 * 365 * DAY), keeps);
		return { family: 'times: naive, Europe/Moscow', form, written: write(fields(wall)), zone: 'Europe/Moscow', ms: wall - 180 * MINUTE, offset: 180 };
	});
}

/** Times that carry their offset: Z, ±HH:MM, ±HHMM, ±HH, milliseconds of 1 to 6 digits; the zone must not matter. */
function offsetCases(count: number, random: Random): TimeCase[] {
	const offsets = [0, 180, 120, 60, -300, -240, 330, 345, -210, 840];
	return Array.from({ length: count }, (_, i) => {
		const ms = Date.UTC(2016, 0, 1) + Math.floor(random() * 10 * 365 * DAY);
		const offset = pick(random, offsets);
		const w = fields(ms + offset * MINUTE);
		const sign = offset < 0 ? '-' : '+';
		const [hh, mm] = [pad(Math.floor(Math.abs(offset) / 60)), pad(Math.abs(offset) % 60)];
		const zone = pick(random, ['Europe/Moscow', 'Europe/Berlin', 'America/New_York']);
		const forms: Array<[string, string, number]> = [
			['ISO Z with ms', new Date(ms).toISOString(), ms],
			['ISO Z', `${new Date(ms).toISOString().slice(0, 19)}Z`, ms - (ms % 1000)],
			['ISO +HH:MM', `${w.y}-${w.mo}-${w.d}T${w.h}:${w.mi}:${w.s}${offset === 0 ? 'Z' : `${sign}${hh}:${mm}`}`, ms - (ms % 1000)],
			['ISO +HHMM', `${w.y}-${w.mo}-${w.d}T${w.h}:${w.mi}:${w.s}${sign}${hh}${mm}`, ms - (ms % 1000)],
			['ISO with ms and offset', `${w.y}-${w.mo}-${w.d}T${w.h}:${w.mi}:${w.s}.${w.ms}${sign}${hh}:${mm}`, ms],
			['ISO with microseconds', `${w.y}-${w.mo}-${w.d}T${w.h}:${w.mi}:${w.s}.${w.ms}417${sign}${hh}:${mm}`, ms],
			['space instead of T', `${w.y}-${w.mo}-${w.d} ${w.h}:${w.mi}:${w.s}${sign}${hh}:${mm}`, ms - (ms % 1000)],
		];
		const [form, written, expected] = forms[i % forms.length];
		return { family: 'times: with an offset (Z, ±hh:mm, ms)', form, written, zone, ms: expected };
	});
}

/** Unix seconds and milliseconds, as text and as JSON numbers. */
function unixCases(count: number, random: Random): TimeCase[] {
	return Array.from({ length: count }, (_, i) => {
		const seconds = 1_500_000_000 + Math.floor(random() * 300_000_000);
		const forms: Array<[string, unknown, number]> = [
			['seconds as text', String(seconds), seconds * 1000],
			['milliseconds as text', String(seconds * 1000 + 123), seconds * 1000 + 123],
			['seconds as a JSON number', seconds, seconds * 1000],
			['milliseconds as a JSON number', seconds * 1000 + 7, seconds * 1000 + 7],
		];
		const [form, written, ms] = forms[i % forms.length];
		return { family: 'times: unix seconds / milliseconds', form, written, zone: 'Europe/Moscow', ms };
	});
}

/** Text that is no time: impossible dates, impossible clock readings, words, forms the code does not claim. */
const NOT_TIMES = [
	'вчера', 'сегодня в 15:00', '2024-02-30 10:00:00', '2023-02-29T10:00:00Z', '31.02.2024', '31.04.2024 10:00', '2024-13-01', '2024-06-03 25:00:00', '2024-06-03T10:61:00+03:00',
	'25:00', '1717409700.5', '3.6.2024 10:15', 'null', 'undefined', 'NaN', '0', '12345', '2024-06-03T10:15:00+03:00x', 'Mon, 03 Jun 2024 10:15:00 GMT', '2024/06/03 10:15',
];

function garbageCases(count: number, random: Random): TimeCase[] {
	return Array.from({ length: count }, (_, i) => ({ family: 'times: not a time', form: 'garbage', written: i < NOT_TIMES.length ? NOT_TIMES[i] : pick(random, NOT_TIMES), zone: 'Europe/Moscow', ms: null }));
}

export function timeCases(perFamily: number, seed = 7003): TimeCase[] {
	const random = prng(seed);
	return [
		...offsetCases(perFamily, random),
		...moscowCases(perFamily, random),
		...clockChangeCases('Europe/Berlin', 'times: DST gap and fold, Europe/Berlin', perFamily, random),
		...clockChangeCases('America/New_York', 'times: DST gap and fold, America/New_York', perFamily, random),
		...clockChangeCases('Europe/Moscow', 'times: 2011 / 2014 clock changes, Europe/Moscow', perFamily, random),
		...unixCases(perFamily, random),
		...garbageCases(Math.max(perFamily / 5, NOT_TIMES.length), random),
	];
}
