import { LOGISTICS_QUALIFY_RULES } from '../../nodes/LeadQueue/presets';
import { qualifyLead } from '../../nodes/LeadQueue/qualify';
import { parseVolumeM3, parseWeightKg } from '../../nodes/LeadQueue/quantity';
import { parseCsv } from '../../nodes/Touchpoint/csv';
import { urlQuery, utmFromUrl } from '../../nodes/Touchpoint/utm';
import { gaClientIdFromCookie, gaSessionIdFromCookie, parseCookieHeader, ymClientIdFromCookie } from '../../nodes/shared/cookies';
import { emailParts, normaliseEmail, parseEmails, readEmails, withoutSpacesAroundAt, withoutTrailingPunctuation } from '../../nodes/shared/email';
import { InputDataError } from '../../nodes/shared/errors';
import { extensionStart, letterAmongDigits, parsePhone, parsePhones } from '../../nodes/shared/phone';
import { parseDateTime, toEpochMs } from '../../nodes/shared/time';
import { linearBoundMs } from '../helpers/linearTime';
import { prng } from '../helpers/prng';

/**
 * Issue 15, hostile text: every parser of user text answers a 1 MB value in under 50 ms (or, on a machine other work
 * slows, 50 plain passes over the value timed in the same moment: test/helpers/linearTime.ts), with a refusal that gives
 * the value's length and the cap (or the value's right reading), and the hand-written scanners that replaced
 * backtracking regular expressions read normal text exactly as those expressions did.
 */

const MB = 1 << 20;
const BOUND_MS = 50;

/** `pattern` repeated to exactly `length` characters. */
function fill(pattern: string, length = MB): string {
	return pattern.repeat(Math.ceil(length / pattern.length)).slice(0, length);
}

/** The tester's values and 1 MB runs of what the parsers split, skip or backtrack over. */
const HOSTILE: Array<[string, string]> = [
	['"1" + 1 MB of spaces + "z"', `1${' '.repeat(MB)}z`],
	['spaces', fill(' ')],
	['no-break and thin spaces', fill('\u00a0\u2009')],
	['line breaks', fill('\n')],
	['dots', fill('.')],
	['dots + "a"', `${fill('.')}a`],
	['"a@" + dots', `a@${fill('.')}`],
	['"a@" + dots + "a"', `a@${fill('.')}a`],
	['commas', fill(',')],
	['semicolons', fill(';')],
	['digits', fill('9')],
	['"(((("', fill('(')],
	['"+"', fill('+')],
	['"-"', fill('-')],
	['"@"', fill('@')],
	['letters among digits', fill('1a')],
	['"8 (9" repeated', fill('8 (9')],
	['numbers with extensions', fill('8 (912) 345-67-89 доб. 12, ')],
	['" x1" repeated', fill(' x1')],
	['quotes and commas', fill('"a",')],
	['" или " repeated', fill(' или ')],
	['"a." + "1"', `${fill('a.')}1`],
	['"$" after a GS2 head', `GS2.1.${fill('$')}`],
	['digit groups of a _ga', `GA1.1.${fill('1.')}`],
	['cookie pairs', fill('_ga=1; ')],
	['query separators', `?${fill('&utm_source=')}`],
];

/** What a parser must answer for a 1 MB value: a refusal that names the length and the cap, or a right reading. */
interface Parser {
	name: string;
	run: (value: string) => unknown;
	check: (value: string, outcome: unknown) => boolean;
}

const capNote = (value: string, cap: number, what: string) => `(${value.length} characters, over the ${cap}-character cap of ${what})`;
const endsWithCap = (text: unknown, value: string, cap: number, what: string) => typeof text === 'string' && text.endsWith(capNote(value, cap, what));
/** A thrown InputDataError whose message gives the length and the cap. */
const refusedWith = (cap: number, what: string) => (value: string, outcome: unknown) =>
	outcome instanceof InputDataError && outcome.message.includes(`: ${value.length} characters, over the ${cap}-character cap of ${what}`);
/** The call's value, or what it threw. */
const attempt = (call: () => unknown): unknown => {
	try {
		return call();
	} catch (error) {
		return error;
	}
};

const PARSERS: Parser[] = [
	{
		name: 'parsePhones',
		run: (value) => parsePhones(value),
		check: (value, outcome) => {
			const { phones, rejected } = outcome as ReturnType<typeof parsePhones>;
			return phones.length === 0 && rejected.length === 1 && endsWithCap(rejected[0], value, 200, 'a phone field');
		},
	},
	{ name: 'parsePhone (a tracking number)', run: (value) => parsePhone(value, ['RU', 'UA']), check: (_value, outcome) => outcome === null },
	{
		name: 'parseEmails',
		run: (value) => parseEmails([value]),
		check: (value, outcome) => {
			const { emails, rejected } = outcome as ReturnType<typeof parseEmails>;
			return emails.length === 0 && rejected.length === 1 && endsWithCap(rejected[0], value, 1000, 'an e-mail field');
		},
	},
	{ name: 'normaliseEmail', run: (value) => normaliseEmail(value), check: (_value, outcome) => outcome === null },
	{ name: 'parseWeightKg', run: (value) => parseWeightKg(value), check: (value, outcome) => endsWithCap((outcome as { invalid?: string }).invalid, value, 64, 'a weight or volume') },
	{ name: 'parseVolumeM3', run: (value) => parseVolumeM3(value), check: (value, outcome) => endsWithCap((outcome as { invalid?: string }).invalid, value, 64, 'a weight or volume') },
	{ name: 'parseDateTime', run: (value) => parseDateTime(value, 'Europe/Moscow'), check: (_value, outcome) => outcome === null },
	{ name: 'parseDateTime (separate time)', run: (value) => parseDateTime('2024-03-05', 'Europe/Moscow', value), check: (_value, outcome) => outcome === null },
	{ name: 'toEpochMs', run: (value) => toEpochMs(value, 'Europe/Moscow'), check: (_value, outcome) => Number.isNaN(outcome) },
	{ name: 'utmFromUrl', run: (value) => attempt(() => utmFromUrl(value)), check: refusedWith(8192, 'a page address') },
	{ name: 'urlQuery', run: (value) => attempt(() => urlQuery(value)), check: refusedWith(8192, 'a page address') },
	{ name: 'gaClientIdFromCookie (_ga)', run: (value) => gaClientIdFromCookie(value), check: (_value, outcome) => outcome === null },
	{ name: 'gaSessionIdFromCookie (_ga_<stream>)', run: (value) => gaSessionIdFromCookie(value), check: (_value, outcome) => outcome === null },
	{ name: 'ymClientIdFromCookie (_ym_uid)', run: (value) => ymClientIdFromCookie(value), check: (_value, outcome) => outcome === null },
	{ name: 'parseCookieHeader', run: (value) => attempt(() => parseCookieHeader(value)), check: refusedWith(8192, 'a cookie header') },
	{
		name: 'parseCsv (a CSV row)',
		run: (value) => attempt(() => parseCsv(value)),
		// Only line breaks: empty lines, no rows. Anything else: its first row is over the cap, refused with its line.
		check: (value, outcome) =>
			/^\n+$/.test(value)
				? Array.isArray(outcome) && outcome.length === 0
				: outcome instanceof InputDataError && /^a row of \d+ characters, over the 4096-character cap of a CSV row: ".*" \(line \d+, column 1\)$/s.test(outcome.message),
	},
];

/**
 * Milliseconds a call takes and what it answered: after a call to warm it up, the fastest of three (the machine is
 * shared: a pause for another process is not the parser's time).
 */
function timed(call: () => unknown): { ms: number; outcome: unknown } {
	call();
	let ms = Infinity;
	let outcome: unknown;
	for (let run = 0; run < 3; run++) {
		const start = process.hrtime.bigint();
		outcome = call();
		ms = Math.min(ms, Number(process.hrtime.bigint() - start) / 1e6);
	}
	return { ms, outcome };
}

describe('every parser of user text answers a 1 MB hostile value in under 50 ms, with a refusal or a right reading', () => {
	it.each(PARSERS.map((parser) => [parser.name, parser] as const))('%s', (_name, parser) => {
		const wrong: string[] = [];
		for (const [kind, value] of HOSTILE) {
			const { ms, outcome } = timed(() => parser.run(value));
			if (ms >= linearBoundMs(value, BOUND_MS)) wrong.push(`${kind}: ${ms.toFixed(1)} ms`);
			if (!parser.check(value, outcome)) wrong.push(`${kind}: answered ${String(JSON.stringify(outcome) ?? outcome).slice(0, 200)}`);
		}
		expect(wrong).toEqual([]);
	});
});

describe("the tester's cases", () => {
	const phone = `1${' '.repeat(80_000)}z`;

	it('a phone of "1" + 80,000 spaces + "z" (19 s before) is refused at once, with its length and the cap', () => {
		const { ms, outcome } = timed(() => parsePhones(phone));
		expect(ms).toBeLessThan(linearBoundMs(phone, BOUND_MS));
		expect(outcome).toEqual({ phones: [], rejected: [`1${' '.repeat(23)}… (80002 characters, over the 200-character cap of a phone field)`] });
	});

	it('the same phone in a lead (51 s in Lead Queue qualify before) rejects the lead with that reason', () => {
		const { ms, outcome } = timed(() => qualifyLead({ leadId: 'L1', createdAt: '2024-06-03T10:15:00+03:00', from: 'Москва', to: 'Омск', weight: '1,5 т', phone }, LOGISTICS_QUALIFY_RULES));
		expect(ms).toBeLessThan(linearBoundMs(phone, BOUND_MS));
		expect((outcome as { reasons: string[] }).reasons).toEqual([`phone «1${' '.repeat(23)}… (80002 characters, over the 200-character cap of a phone field)» is not a phone number`]);
	});

	it('an e-mail of 80,000 dots (11 s before) and one of 200,000 characters (47 s in the Order Matcher before) are refused at once', () => {
		const dots = timed(() => parseEmails(['.'.repeat(80_000)]));
		expect(dots.ms).toBeLessThan(linearBoundMs('.'.repeat(80_000), BOUND_MS));
		expect(dots.outcome).toEqual({ emails: [], rejected: [`${'.'.repeat(24)}… (80000 characters, over the 1000-character cap of an e-mail field)`] });
		const rejected: string[] = [];
		const address = `a@${'.'.repeat(199_997)}a`;
		const long = timed(() => readEmails(address, () => rejected.push('read as an address'), (part) => rejected.push(part)));
		expect(long.ms).toBeLessThan(linearBoundMs(address, BOUND_MS));
		expect(rejected.slice(-1)).toEqual([`a@${'.'.repeat(22)}… (200000 characters, over the 1000-character cap of an e-mail field)`]);
	});
});

describe('the scanners are linear on their own, below any cap', () => {
	it.each([
		['extensionStart', () => extensionStart(`1${' '.repeat(MB)}z`), -1],
		['extensionStart (a run of digits)', () => extensionStart(`доб. ${fill('1')}`), -1],
		['letterAmongDigits', () => letterAmongDigits(`1${' '.repeat(MB)}z${' '.repeat(MB)}`), false],
		['letterAmongDigits (letters after digits)', () => letterAmongDigits(fill('1z ')), true],
		// A quarter of a MB: the answer itself holds a string per comma.
		['emailParts (commas)', () => emailParts(fill(',', MB / 4)).length, MB / 4 + 1],
		// A comma splits when an even number of quotes follows it: every second one.
		['emailParts (quotes)', () => emailParts(fill('",', MB / 4)).length, MB / 16 + 1],
		['withoutTrailingPunctuation', () => withoutTrailingPunctuation(`a${fill('.')}`), 'a'],
		['withoutTrailingPunctuation (no run at the end)', () => withoutTrailingPunctuation(`${fill('.')}a`).length, MB + 1],
		['withoutSpacesAroundAt', () => withoutSpacesAroundAt(`a${' '.repeat(MB)}b`).length, MB + 2],
	] as Array<[string, () => unknown, unknown]>)('%s', (_name, call, expected) => {
		const { ms, outcome } = timed(call);
		// Each value here is at most two megabytes: the bound scales with a plain pass over that much.
		expect(ms).toBeLessThan(linearBoundMs(' '.repeat(2 * MB), BOUND_MS));
		expect(outcome).toEqual(expected);
	});
});

describe('at the cap a value is read, one character more and it is refused with its length and the cap', () => {
	it('a phone field of 200 characters holds eleven numbers', () => {
		const numbers = Array.from({ length: 11 }, (_, k) => `+7 912 345 67 ${String(k).padStart(2, '0')}`);
		const field = `${numbers.join(', ')}    `;
		expect(field).toHaveLength(200);
		expect(parsePhones(field)).toEqual({ phones: numbers.map((n) => n.replace(/ /g, '')), rejected: [] });
		expect(parsePhones(`${field} `)).toEqual({ phones: [], rejected: ['+7 912 345 67 00, +7 912… (201 characters, over the 200-character cap of a phone field)'] });
	});

	it('an e-mail field of 1,000 characters holds fifty addresses', () => {
		const addresses = Array.from({ length: 50 }, (_, k) => `user${String(k).padStart(3, '0')}@example.ru`);
		const field = `${addresses.join(', ')}  `;
		expect(field).toHaveLength(1000);
		expect(parseEmails([field])).toEqual({ emails: addresses, rejected: [] });
		expect(parseEmails([`${field} `])).toEqual({ emails: [], rejected: ['user000@example.ru, user… (1001 characters, over the 1000-character cap of an e-mail field)'] });
	});

	it('a weight of 64 characters is read', () => {
		expect(parseWeightKg(`1 500 кг${' '.repeat(56)}`)).toEqual({ value: 1500 });
		expect(parseWeightKg(`1 500 кг${' '.repeat(57)}`)).toEqual({ invalid: `1 500 кг${' '.repeat(16)}… (65 characters, over the 64-character cap of a weight or volume)` });
	});

	it('a time of 64 characters is read', () => {
		expect(parseDateTime(`2024-03-05T14:02:11+03:00${' '.repeat(39)}`, 'UTC')).toBe('2024-03-05T14:02:11+03:00');
		expect(parseDateTime(`2024-03-05T14:02:11+03:00${' '.repeat(40)}`, 'UTC')).toBeNull();
		expect(toEpochMs(`2024-03-05T14:02:11+03:00${' '.repeat(40)}`, 'UTC')).toBeNaN();
	});

	it('a cookie header of 8,192 characters is read', () => {
		const header = (length: number) => `_ga=GA1.1.123.456; x=${'y'.repeat(length - 21)}`;
		expect(header(8192)).toHaveLength(8192);
		expect(parseCookieHeader(header(8192))._ga).toBe('GA1.1.123.456');
		expect(() => parseCookieHeader(header(8193))).toThrow(new InputDataError('"_ga=GA1.1.123.456; x=yyy…" is not read: 8193 characters, over the 8192-character cap of a cookie header'));
	});

	it('a page address of 8,192 characters is read', () => {
		const url = (length: number) => `https://site.ru/?utm_source=ya&q=${'a'.repeat(length - 33)}`;
		expect(url(8192)).toHaveLength(8192);
		expect(utmFromUrl(url(8192)).source).toBe('ya');
		expect(() => utmFromUrl(url(8193))).toThrow(new InputDataError('"https://site.ru/?utm_sou…" is not read: 8193 characters, over the 8192-character cap of a page address'));
	});

	it('a cookie value of 4,096 characters is read', () => {
		expect(ymClientIdFromCookie('1'.repeat(4096))).toBe('1'.repeat(4096));
		expect(ymClientIdFromCookie('1'.repeat(4097))).toBeNull();
	});

	it('a CSV row of 4,096 characters is read; a longer one is refused with its line', () => {
		const row = `"a",${'b'.repeat(4092)}`;
		expect(row).toHaveLength(4096);
		expect(parseCsv(`x,y\r\n${row}\r\nz`).map((r) => [r.line, r.fields.length])).toEqual([
			[1, 2],
			[2, 2],
			[3, 1],
		]);
		expect(() => parseCsv(`x,y\n"a\nb",${'b'.repeat(4093)}\nz`)).toThrow(new InputDataError(`a row of 4099 characters, over the 4096-character cap of a CSV row: ""a\nb",${'b'.repeat(18)}…"`, '', 2, 1));
	});
});

/**
 * The scanners against the regular expressions they replaced (kept here as the definition of the behaviour), on
 * random short texts of the characters each one looks at: the same answer on every text.
 */
describe('the scanners read normal text as the regular expressions they replaced', () => {
	const EXTENSION_WORD = '(?:доб\\.?|добавочный|доп\\.?|вн\\.?|ext\\.?|extension|x|#)\\s*\\d{1,6}';
	const EXTENSION = new RegExp(`\\s*${EXTENSION_WORD}\\s*$`, 'i');
	const EXTENSION_ONLY = new RegExp(`^${EXTENSION_WORD}$`, 'i');
	const LETTER_AMONG_DIGITS = /\d[^\p{L}\d]*\p{L}[^\d]*\d|\d[OoОоlI](?!\p{L})/u;
	const SEPARATOR = /[,;\n](?=(?:[^"]*"[^"]*")*[^"]*$)|\s(?:или|or|и|and)\s/i;
	const TRAILING_PUNCTUATION = /[\s>)\]}"'»“”.,;:!?]+$/;
	const SPACES_AROUND_AT = /\s*@\s*/;
	const GS2_PART = /^s\d+$/;

	/** `count` texts of 0 to 11 tokens drawn from `pool`. */
	function texts(pool: string[], seed: number, count = 20_000): string[] {
		const random = prng(seed);
		return Array.from({ length: count }, () => {
			let text = '';
			const length = Math.floor(random() * 12);
			for (let k = 0; k < length; k++) text += pool[Math.floor(random() * pool.length)];
			return text;
		});
	}

	it('extensions: where the extension starts, and a part that is only one', () => {
		const pool = ['1', '23', '4567890', ' ', '\t', '\u00a0', '\u2028', '\n', '.', '#', 'x', 'X', 'доб', 'ДОБ', 'Доб.', 'добавочный', 'доп', 'вн', 'ВН.', 'ext', 'EXT.', 'extension', 'ᲀн', 'ſ', 'İ', 'z', '-', '('];
		let found = 0;
		for (const text of texts(pool, 1)) {
			expect([text, extensionStart(text)]).toEqual([text, text.search(EXTENSION)]);
			const trimmed = text.trim();
			if (trimmed.length > 0) expect([trimmed, extensionStart(trimmed) === 0]).toEqual([trimmed, EXTENSION_ONLY.test(trimmed)]);
			if (extensionStart(text) !== -1) found++;
		}
		expect(found).toBeGreaterThan(500);
	});

	it('a letter among digits', () => {
		const pool = ['1', '9', ' ', '-', '(', 'O', 'o', 'О', 'о', 'l', 'I', 'z', 'д', '𝐀', '\ud800', '\udc00', '٣', 'ǅ', '\u0301', '_'];
		let found = 0;
		for (const text of texts(pool, 2)) {
			expect([text, letterAmongDigits(text)]).toEqual([text, LETTER_AMONG_DIGITS.test(text)]);
			if (letterAmongDigits(text)) found++;
		}
		expect(found).toBeGreaterThan(2000);
	});

	it('the parts of an e-mail field', () => {
		const pool = [',', ';', '\n', '"', ' ', '\t', '\u00a0', 'или', 'ИЛИ', 'or', 'OR', 'и', 'and', 'a', '@', 'b.ru', '.'];
		for (const text of texts(pool, 3)) expect([text, emailParts(text)]).toEqual([text, text.split(SEPARATOR)]);
	});

	it('punctuation after an address, spaces around its "@"', () => {
		const pool = ['a', '@', '.', ',', ' ', '»', '”', '"', ')', ']', '}', '>', '!', '?', ':', ';', '\u3000', '\n', 'b'];
		for (const text of texts(pool, 4)) {
			expect([text, withoutTrailingPunctuation(text)]).toEqual([text, text.replace(TRAILING_PUNCTUATION, '')]);
			expect([text, withoutSpacesAroundAt(text)]).toEqual([text, text.replace(SPACES_AROUND_AT, '@')]);
		}
	});

	it('the session of a GS2 cookie', () => {
		const pool = ['s', '1', '17', '$', 'o5', 'g', 'x'];
		for (const text of texts(pool, 5)) {
			const expected = text.split('$').find((part) => GS2_PART.test(part))?.slice(1) ?? null;
			expect([text, gaSessionIdFromCookie(`GS2.1.${text}`)]).toEqual([text, /^\d+$/.test(text) ? text : expected]);
		}
	});
});

describe('trailing slashes cost linear time (issue 17: /\\/+$/ took ~9 s on 100,000 slashes then "x")', () => {
	// Required here, not imported at the top: this block is appended to the file by its own change.
	const { default: axios } = require('axios') as typeof import('axios');
	const { Workflow } = require('n8n-workflow') as typeof import('n8n-workflow');
	const { Bitrix24WebhookApi } = require('../../credentials/Bitrix24WebhookApi.credentials') as typeof import('../../credentials/Bitrix24WebhookApi.credentials');
	const { ga4Url } = require('../../nodes/RevenuePush/destinations/ga4') as typeof import('../../nodes/RevenuePush/destinations/ga4');
	const { parseBitrixWebhook } = require('../../nodes/RevenuePush/destinations/bitrix24') as typeof import('../../nodes/RevenuePush/destinations/bitrix24');
	const { trimTrailing } = require('../../nodes/shared/textScan') as typeof import('../../nodes/shared/textScan');

	/**
	 * How much longer one call takes on a value built with 100,000 than with 1,000 (each the fastest of three timings of
	 * a loop over the same value): about 100 for linear time, about 10,000 for quadratic.
	 */
	function growth(run: (value: string) => unknown, make: (count: number) => string): number {
		const perCall = (count: number, times: number) => {
			const value = make(count);
			return timed(() => {
				for (let k = 0; k < times; k++) run(value);
			}).ms / times;
		};
		return perCall(100_000, 1) / perCall(1_000, 100);
	}

	/** A credential's expression as n8n resolves it (credentials-helper's resolveValue: the workflow's expression engine, with $credentials). */
	function credentialExpression(expression: string, credentials: Record<string, string>): unknown {
		const node = { id: 'n', name: 'N', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
		const nodeType = { description: { properties: [] } };
		const nodeTypes = { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) } as unknown as import('n8n-workflow').INodeTypes;
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
		return workflow.expression.getSimpleParameterValue(node, expression, 'internal', { $credentials: credentials }, undefined, '');
	}

	const slashesThenX = (count: number) => `${'/'.repeat(count)}x`;

	it.each([
		['trimTrailing, slashes not at the end', (value: string) => trimTrailing(value, '/'), slashesThenX, (value: string) => value],
		['trimTrailing, slashes at the end', (value: string) => trimTrailing(value, '/'), (count: number) => `x${'/'.repeat(count)}`, () => 'x'],
		['the GA4 collection URL of a credential endpoint', (value: string) => ga4Url({ measurementId: 'G-X', region: 'global', debug: false, endpoint: value }), slashesThenX, (value: string) => `${value}/mp/collect?measurement_id=G-X`],
	] as Array<[string, (value: string) => string, (count: number) => string, (value: string) => string]>)('%s', (_name, run, make, expected) => {
		expect(growth(run, make)).toBeLessThan(1_000);
		const value = make(100_000);
		expect(run(value)).toBe(expected(value));
	});

	it('a Bitrix24 webhook URL of many "?" or "/rest/" before a line break is refused in linear time, its path masked', () => {
		const questions = (count: number) => `https://p.bitrix24.ru/rest/1/${'?'.repeat(count)}\nx`;
		const rests = (count: number) => `https://p.bitrix24.ru${'/rest/'.repeat(count / 5)}\nx`;
		const refusal = (value: string) => {
			try {
				parseBitrixWebhook(value);
				return 'read';
			} catch (error) {
				return (error as Error).message;
			}
		};
		expect(growth(refusal, questions)).toBeLessThan(1_000);
		expect(growth(refusal, rests)).toBeLessThan(1_000);
		// "???" is taken for the token and masked; so is the line break after it.
		expect(refusal(questions(3))).toBe('"https://p.bitrix24.ru/rest/1/***" is not a Bitrix24 incoming webhook URL');
		// A token with a "-" is no webhook's: masked in the path, and the query dropped.
		expect(refusal('https://p.bitrix24.ru/rest/1/k3y-9x2w8v7/crm.deal.get.json?auth=k3y-9x2w8v7')).toBe('"https://p.bitrix24.ru/rest/1/***/crm.deal.get.json" is not a Bitrix24 incoming webhook URL');
	});

	it("the Bitrix24 credential's test request: evaluated by n8n's expression engine and joined by n8n's HTTP client, with or without a final slash, in linear time", () => {
		const request = new Bitrix24WebhookApi().test.request;
		const url = (webhookUrl: string) => axios.getUri({ baseURL: String(credentialExpression(String(request.baseURL), { webhookUrl })), url: request.url });
		expect(url('https://p.bitrix24.ru/rest/1/abc123/')).toBe('https://p.bitrix24.ru/rest/1/abc123/profile.json');
		expect(url('https://p.bitrix24.ru/rest/1/abc123')).toBe('https://p.bitrix24.ru/rest/1/abc123/profile.json');
		expect(growth((value) => url(`https://p.bitrix24.ru/rest/1/abc123${value}`), slashesThenX)).toBeLessThan(1_000);
	});
});
