/** Money as CRMs write it: "231.7400", "14 380,58", "1 234.5 руб." -> a number; currency names -> ISO 4217. */
export function parseAmount(value: string | null | undefined): number | null {
	if (value === null || value === undefined) return null;
	let text = value.replace(/[\s\u00a0\u202f']/g, '').replace(/(руб\.?|грн\.?|р\.|₽|₴|\$|€)$/i, '');
	if (text.length === 0) return null;
	const comma = text.lastIndexOf(',');
	const dot = text.lastIndexOf('.');
	if (comma > dot) text = text.replace(/\./g, '').replace(',', '.');
	else if (comma !== -1) text = text.replace(/,/g, '');
	if (!/^-?\d+(\.\d+)?$/.test(text)) return null;
	return Number(text);
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
