import type { Reading } from './validation';

/** Longer text is no amount of money a CRM writes; refused before any scanning. */
const MAX_AMOUNT_TEXT = 64;

const CURRENCY_SUFFIX = /(руб\.?|грн\.?|р\.|₽|₴|\$|€)$/i;

/** Spaces (plain, no-break, thin, narrow no-break) and the apostrophe group thousands; they never mark decimals. */
function isGroupMark(code: number): boolean {
	return code === 0x20 || code === 0xa0 || code === 0x2009 || code === 0x202f || code === 0x27;
}

/**
 * Money as CRMs write it, or why it is not: "231.7400", "14 380,58", "1 234.5 руб.", "1,234.56", "-10". One pass,
 * no backtracking. Spaces and the apostrophe group thousands; with both "." and "," the last one is the decimal
 * separator and the other groups thousands; a single "." or "," is the decimal separator ("1234,5"). Refused: a
 * separator written several times with no other ("1.234.567": no decimal separator can be told), groups that are
 * not of three digits ("12 34"), anything but digits, separators and a leading minus ("12abc").
 */
export function readAmount(value: string): Reading<number> {
	if (value.length > MAX_AMOUNT_TEXT) return { reason: `is ${value.length} characters long, not an amount` };
	const text = value.trim().replace(CURRENCY_SUFFIX, '').trimEnd();
	if (text === '') return { reason: 'is empty' };
	const negative = text[0] === '-';
	let dots = 0;
	let commas = 0;
	let lastSeparator = '';
	let digits = 0;
	for (let i = negative ? 1 : 0; i < text.length; i++) {
		const c = text[i];
		const code = text.charCodeAt(i);
		if (c === '.') dots++;
		else if (c === ',') commas++;
		else if (code >= 48 && code <= 57) digits++;
		else if (!isGroupMark(code)) return { reason: 'is not a number' };
		if (c === '.' || c === ',') lastSeparator = c;
	}
	if (digits === 0) return { reason: 'is not a number' };
	if (dots > 1 && commas === 0) return { reason: 'has several "." and no decimal separator: write it without them, e.g. 1234567' };
	if (commas > 1 && dots === 0) return { reason: 'has several "," and no decimal separator: write it without them, e.g. 1234567' };
	if (dots > 0 && commas > 0 && (lastSeparator === '.' ? dots : commas) > 1) return { reason: 'has its decimal separator more than once' };
	const decimal = dots + commas === 0 ? '' : lastSeparator;
	const point = decimal === '' ? -1 : text.lastIndexOf(decimal);
	const whole = groupedDigits(text.slice(negative ? 1 : 0, point === -1 ? text.length : point));
	const fraction = point === -1 ? '0' : text.slice(point + 1);
	if (whole === null) return { reason: 'does not group its thousands by three digits' };
	if (!/^\d+$/.test(fraction)) return { reason: 'has no digits after its decimal separator' };
	return { value: Number(`${negative ? '-' : ''}${whole}.${fraction}`) };
}

/** "1 234", "1.234", "1234" -> "1234": the first group 1 to 3 digits (any length when alone), the others 3. */
function groupedDigits(part: string): string | null {
	let digits = '';
	let group = 0;
	let groups = 0;
	for (let i = 0; i < part.length; i++) {
		const code = part.charCodeAt(i);
		if (code >= 48 && code <= 57) {
			digits += part[i];
			group++;
			continue;
		}
		// A group mark (or the thousands separator) ends a group: the first of 1-3 digits, every later one of 3.
		if (group === 0 || (groups === 0 ? group > 3 : group !== 3)) return null;
		groups++;
		group = 0;
	}
	if (digits === '' || (groups > 0 && group !== 3)) return null;
	return digits;
}

/** Money as CRMs write it (see readAmount) as a number; null for nothing or for what is not an amount. */
export function parseAmount(value: string | null | undefined): number | null {
	if (value === null || value === undefined) return null;
	const reading = readAmount(value);
	return 'value' in reading ? reading.value : null;
}

/** Rounds to cents, the unit every later step (attribution, pushes) works in. */
export function roundMoney(amount: number): number {
	return Math.round(amount * 100) / 100;
}

const CURRENCY_ALIASES: Record<string, string> = {
	руб: 'RUB',
	'руб.': 'RUB',
	рубль: 'RUB',
	рублей: 'RUB',
	'р.': 'RUB',
	р: 'RUB',
	'₽': 'RUB',
	rur: 'RUB',
	'643': 'RUB',
	грн: 'UAH',
	'грн.': 'UAH',
	гривна: 'UAH',
	'₴': 'UAH',
	'980': 'UAH',
	тенге: 'KZT',
	'₸': 'KZT',
	'398': 'KZT',
	'бел. руб': 'BYN',
	'бел.руб': 'BYN',
	byr: 'BYN',
	'933': 'BYN',
	$: 'USD',
	'840': 'USD',
	'€': 'EUR',
	'978': 'EUR',
};

/** "руб" -> "RUB"; an ISO code passes upper-cased; anything else is null (the caller warns). */
export function normaliseCurrency(value: string | null | undefined): string | null {
	if (!value) return null;
	const text = value.trim().toLowerCase();
	const alias = CURRENCY_ALIASES[text];
	if (alias) return alias;
	if (/^[a-z]{3}$/.test(text)) return text.toUpperCase();
	return null;
}

/**
 * Whole cents from an amount, half up on the decimal text: 1.005 -> 101, which `Math.round(1.005 * 100)` gets
 * wrong (binary 1.005 is 1.00499…). Revenue splits and every pushed amount start
 * from these cents, so a total that prints the same always gives the same cents.
 */
export function toCents(amount: number): number {
	if (!Number.isFinite(amount)) return NaN;
	const sign = amount < 0 ? -1 : 1;
	const [whole, fraction = ''] = Math.abs(amount).toFixed(10).split('.');
	const digits = (fraction + '000').slice(0, 3);
	const cents = Number(whole) * 100 + Number(digits.slice(0, 2)) + (Number(digits[2]) >= 5 ? 1 : 0);
	return sign * cents;
}
