import { normaliseCurrency, parseAmount } from '../../nodes/shared/money';
import { parsePhone, parsePhones, plainDigits } from '../../nodes/shared/phone';
import { prng } from '../helpers/prng';
import { backoffMs, isRetryableStatus } from '../../nodes/shared/retry';
import { parseDateTime } from '../../nodes/shared/time';
import { redactSecrets } from '../../nodes/shared/errors';
import { fingerprint } from '../../nodes/shared/hash';

describe('money', () => {
	it.each([
		['231.7400', 231.74],
		['14 380,58', 14380.58],
		['1\u00a0234.50 руб.', 1234.5],
		['1,234.5', 1234.5],
		['-5', -5],
		['abc', null],
		['', null],
	])('parses %j', (text, value) => expect(parseAmount(text)).toBe(value));

	it('maps currency names to ISO 4217', () => {
		expect(['руб', 'RUB', 'rur', '643', 'грн', 'usd', 'тенге'].map(normaliseCurrency)).toEqual(['RUB', 'RUB', 'RUB', 'RUB', 'UAH', 'USD', 'KZT']);
		expect(normaliseCurrency('тугрики')).toBeNull();
	});
});

describe('phones', () => {
	it.each([
		['8 (912) 345-67-89', ['+79123456789']],
		['+7 912 345 67 89 доб. 123', ['+79123456789']],
		['79123456789', ['+79123456789']],
		['9123456789', ['+79123456789']],
		['+7 (495) 123-45-67', ['+74951234567']],
		['8-800-555-35-35', ['+78005553535']],
		['044 123 4567', ['+380441234567']],
		['00380441234567', ['+380441234567']],
		['810 380 44 123 4567', ['+380441234567']],
		['8 912 345-67-89, +7 495 123 45 67', ['+79123456789', '+74951234567']],
	])('normalises %j', (written, phones) => expect(parsePhones(written).phones).toEqual(phones));

	it('reports what is not a phone', () => {
		expect(parsePhones('нет; 123')).toEqual({ phones: [], rejected: ['нет', '123'] });
	});
});

describe('time', () => {
	it('reads CRM dates in a zone, keeping given offsets', () => {
		expect(parseDateTime('11.02.2021 18:45:21', 'Europe/Moscow')).toBe('2021-02-11T18:45:21+03:00');
		expect(parseDateTime('2021-02-11', 'Europe/Moscow', '18:45:21')).toBe('2021-02-11T18:45:21+03:00');
		expect(parseDateTime('2021-07-01T10:00:00+05:00', 'Europe/Moscow')).toBe('2021-07-01T10:00:00+05:00');
		expect(parseDateTime('2021-07-01 10:00:00', 'Europe/Kyiv')).toBe('2021-07-01T10:00:00+03:00');
		expect(parseDateTime('2021-01-01 10:00:00', 'Europe/Kyiv')).toBe('2021-01-01T10:00:00+02:00');
		expect(parseDateTime('1700000000', 'UTC')).toBe('2023-11-14T22:13:20Z');
		expect(parseDateTime('вчера', 'UTC')).toBeNull();
	});
});

describe('retry policy', () => {
	it('retries 429, 408 and 5xx only', () => {
		expect([429, 408, 500, 503].every(isRetryableStatus)).toBe(true);
		expect([400, 401, 404, 422].some(isRetryableStatus)).toBe(false);
	});

	it('backs off exponentially with jitter, honouring Retry-After', () => {
		expect(backoffMs(0, null, 500, 30000, () => 0)).toBe(250);
		expect(backoffMs(3, null, 500, 30000, () => 1)).toBe(4000);
		expect(backoffMs(10, null, 500, 30000, () => 1)).toBe(30000);
		expect(backoffMs(0, '7', 500, 30000, () => 0)).toBe(7000);
	});
});

describe('errors and fingerprints', () => {
	it('redacts secrets and their URL-encoded form', () => {
		expect(redactSecrets('GET /x?token=a%2Fb%3F failed for a/b?', ['a/b?'])).toBe('GET /x?token=*** failed for ***');
	});

	it('fingerprints are stable and differ for different text', () => {
		expect(fingerprint('abc')).toBe(fingerprint('abc'));
		expect(fingerprint('abc')).not.toBe(fingerprint('abd'));
		expect(fingerprint('')).toHaveLength(11);
	});
});

describe('parsePhone: the quick path for common forms', () => {
	it('gives exactly what the full libphonenumber-js parse gives, over thousands of written forms', () => {
		const random = prng(11);
		const forms = [
			(d: string) => `+7${d}`,
			(d: string) => `8 (${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`,
			(d: string) => `7${d}`,
			(d: string) => d,
			(d: string) => `0${d.slice(1)}`,
			(d: string) => `380${d.slice(1)}`,
			(d: string) => `+380 ${d.slice(1)}`,
			(d: string) => `00380${d.slice(1)}`,
			(d: string) => `810 7 ${d}`,
			(d: string) => `8${d} доб. 77`,
			(d: string) => d.slice(2),
			(d: string) => `+1${d}`,
		];
		let checked = 0;
		for (let i = 0; i < 4000; i++) {
			const national = String(Math.floor(random() * 1e10)).padStart(10, '0');
			for (const form of forms) {
				const written = form(national);
				expect([written, parsePhone(written, ['RU', 'UA'])]).toEqual([written, parsePhone(written, ['RU', 'UA'], false)]);
				expect([written, parsePhone(written, ['UA', 'RU'])]).toEqual([written, parsePhone(written, ['UA', 'RU'], false)]);
				checked++;
			}
		}
		expect(checked).toBe(48000);
	});
});

describe('parseDateTime: the quick path for naive local times', () => {
	it("gives exactly luxon's answer across zones, daylight-saving days and both written shapes", () => {
		const random = prng(23);
		const zones = ['Europe/Moscow', 'Europe/Berlin', 'Europe/Kyiv', 'America/New_York', 'Asia/Kolkata', 'UTC', 'Europe/London', 'Australia/Lord_Howe'];
		const days = ['2024-03-31', '2024-10-27', '2024-03-10', '2024-11-03', '2021-02-11', '2024-02-29', '2023-02-29', '2024-12-31'];
		let checked = 0;
		for (const zone of zones) {
			for (const day of days) {
				for (let i = 0; i < 60; i++) {
					const hh = String(Math.floor(random() * 24)).padStart(2, '0');
					const mm = String(Math.floor(random() * 60)).padStart(2, '0');
					const ss = String(Math.floor(random() * 60)).padStart(2, '0');
					const [y, m, d] = day.split('-');
					for (const written of [`${day} ${hh}:${mm}:${ss}`, `${d}.${m}.${y} ${hh}:${mm}:${ss}`, `${day}T${hh}:${mm}`, `${d}.${m}.${y}`]) {
						expect([zone, written, parseDateTime(written, zone)]).toEqual([zone, written, parseDateTime(written, zone, null, false)]);
						checked++;
					}
				}
			}
		}
		expect(checked).toBe(8 * 8 * 60 * 4);
	});
});

describe('plainDigits: the one-pass read of a plain number', () => {
	it('accepts exactly the texts of digits, spaces of any kind but line breaks, brackets, "+", "." and "-", and gives their digits', () => {
		const random = prng(5);
		const pool = ['0', '5', '9', ' ', '\t', '\u00a0', '\u2007', '\u200a', '\u200b', '\u3000', '\ufeff', '(', ')', '+', '.', '-', '\n', '\r', ',', 'a', 'д', '\uff15', '/', '#'];
		const plain = /^[\d\t\v\f \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufeff()+.-]+$/;
		let accepted = 0;
		for (let i = 0; i < 20_000; i++) {
			let text = '';
			const length = Math.floor(random() * 14);
			for (let k = 0; k < length; k++) text += pool[Math.floor(random() * (random() < 0.7 ? 3 : pool.length))];
			const expected = plain.test(text) ? text.replace(/\D/g, '') : null;
			expect([text, plainDigits(text)]).toEqual([text, expected]);
			if (expected !== null) accepted++;
		}
		expect(accepted).toBeGreaterThan(2000);
		expect(plainDigits('+79123456789')).toBe('79123456789');
		expect(plainDigits('8 (912) 345-67-89')).toBe('89123456789');
		expect(plainDigits('8 912 345 67 89\n8 912 345 67 88')).toBeNull();
	});
});
