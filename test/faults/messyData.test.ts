import { Settings } from 'luxon';
import { normaliseEmail, parseEmails } from '../../nodes/shared/email';
import { parsePhones } from '../../nodes/shared/phone';
import { parseDateTime, toEpochMs } from '../../nodes/shared/time';
import { messyDataResults, PHONE_COUNT } from './messyData';
import { EMAIL_FORMS, PHONE_FORMS, phoneCases } from './messyValues';
import { faultTable, type FaultResult } from './runFaults';

/**
 * Issue 7, messy data: generated phones, e-mails and times through the real Touchpoint and Order Matcher nodes
 * (messyData.ts). Every value must come out as its generator says (read, or refused and reported), no node may
 * crash, nothing may be lost or duplicated. The table of `npx ts-node --transpile-only test/faults/run.ts --messy` is
 * printed too. Below it, one example of each fault the suite found, as plain assertions.
 */
let results: FaultResult[] = [];

beforeAll(async () => {
	results = await messyDataResults();
	process.stdout.write(`\n${faultTable(results)}\n`);
}, 300000);

describe('messy data through the Touchpoint and the Order Matcher', () => {
	it('tries 10,000 phones in every form, and every e-mail form', () => {
		const phones = results.filter((r) => r.fault.startsWith('phones:'));
		expect(phones.reduce((sum, r) => sum + r.tries, 0)).toBe(PHONE_COUNT);
		expect(new Set(phoneCases(PHONE_COUNT).map((c) => c.form)).size).toBe(PHONE_FORMS.length);
		expect(results.filter((r) => r.fault.startsWith('e-mails:')).reduce((sum, r) => sum + r.tries, 0)).toBeGreaterThanOrEqual(EMAIL_FORMS.length * 50);
	});

	it.each(['phones:', 'e-mails:', 'times:', 'matching:'])('has rows for %s', (prefix) => {
		expect(results.some((r) => r.fault.startsWith(prefix))).toBe(true);
	});

	it('every kind: no crash, nothing lost or duplicated, every value as expected', () => {
		const rows = results.map((r) => ({ fault: r.fault, survived: r.survived === r.tries, lost: r.lost, duplicated: r.duplicated, problems: r.problems.slice(0, 5) }));
		expect(rows).toEqual(results.map((r) => ({ fault: r.fault, survived: true, lost: 0, duplicated: 0, problems: [] })));
	});
});

describe('what the suite found, one example each', () => {
	it('reads two numbers on two lines, and a slash only between numbers', () => {
		expect(parsePhones('+7 (912) 345-67-89\n8 495 123 45 67').phones).toEqual(['+79123456789', '+74951234567']);
		expect(parsePhones('8 912 345 67 89 и 8 495 123 45 67').phones).toEqual(['+79123456789', '+74951234567']);
		expect(parsePhones('n/a')).toEqual({ phones: [], rejected: ['n/a'] });
	});

	it('reads full-width and Arabic-Indic digits; an extension after a comma is no rejection', () => {
		expect(parsePhones('８ (９１２) ３４５-６７-８９').phones).toEqual(['+79123456789']);
		expect(parsePhones('+٧٩١٢٣٤٥٦٧٨٩').phones).toEqual(['+79123456789']);
		expect(parsePhones('+7 495 123-45-67, доб. 123')).toEqual({ phones: ['+74951234567'], rejected: [] });
	});

	it('refuses a number with a letter among its digits instead of making another number of it', () => {
		expect(parsePhones('8 (912) 345-67-8O')).toEqual({ phones: [], rejected: ['8 (912) 345-67-8O'] });
		expect(parsePhones('8 (9l2) 345-67-89').phones).toEqual([]);
	});

	it('reads e-mails as people write them, and refuses broken ones', () => {
		expect(['mailto:Ivan@Mail.RU', 'Иван <ivan@mail.ru>', 'ivan@mail.ru.', '\u200bivan@mail.ru', 'ivan @ mail.ru'].map(normaliseEmail)).toEqual(Array(5).fill('ivan@mail.ru'));
		expect(normaliseEmail('Ivan@XN--80A1ACNY.XN--P1AI')).toBe('ivan@почта.рф');
		expect(normaliseEmail('ivan@xn--80a1acny.com')).toBe('ivan@почта.com');
		expect(parseEmails(['"Petrov, Ivan" <ivan@mail.ru>, anna@bk.ru'])).toEqual({ emails: ['ivan@mail.ru', 'anna@bk.ru'], rejected: [] });
		expect(['ivan.@mail.ru', 'iv..an@mail.ru', 'ivan@mail..ru', 'ivan@-mail.ru', 'ivan@mail.r'].map(normaliseEmail)).toEqual(Array(5).fill(null));
	});

	it('reads a naive time the clock repeats or skips the same way in any season: the later reading', () => {
		const now = Settings.now;
		try {
			for (const season of [Date.UTC(2026, 0, 15), Date.UTC(2026, 6, 15)]) {
				Settings.now = () => season;
				expect(parseDateTime('2024-10-27 02:30:00.5', 'Europe/Berlin')).toBe('2024-10-27T02:30:00.500+01:00');
				expect(parseDateTime('2024-11-03 01:30:00.5', 'America/New_York')).toBe('2024-11-03T01:30:00.500-05:00');
				expect(parseDateTime('2024-03-31 02:30:00.5', 'Europe/Berlin')).toBe('2024-03-31T03:30:00.500+02:00');
				expect(toEpochMs('2024-10-27 02:30:00', 'Europe/Berlin')).toBe(Date.parse('2024-10-27T02:30:00+01:00'));
			}
		} finally {
			Settings.now = now;
		}
	});
});
