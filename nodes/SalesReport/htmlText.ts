/**
 * Text and numbers for the dashboard page. Every value from the data reaches the page through `htmlText` (cut, then
 * escaped); numbers are written by a fixed formatter of their own, not `toLocaleString`, whose output depends on the
 * ICU data of the Node build: thousands are grouped by a narrow no-break space (U+202F), the decimal mark is ".".
 */

export { cutText, escapeHtml, htmlText } from '../shared/html';

/** What the page shows for a figure that has no value (null, or not a finite number). */
export const NO_VALUE = '—';

const THOUSANDS = '\u202f';

/**
 * |value| in units of 10^-decimals, rounded half up on its shortest decimal text (1.005 to 2 decimals is 101, which
 * `Math.round(1.005 * 100)` gets wrong: binary 1.005 is 1.00499…). BigInt keeps every digit of large values.
 */
function roundedUnits(magnitude: number, decimals: number): bigint {
	const scale = 10n ** BigInt(decimals);
	// From 1e21 on toFixed writes an exponent; doubles that large are whole numbers.
	if (magnitude >= 1e21) return BigInt(magnitude) * scale;
	const [whole, fraction] = magnitude.toFixed(decimals + 8).split('.');
	const units = BigInt(whole) * scale + (decimals > 0 ? BigInt(fraction.slice(0, decimals)) : 0n);
	return fraction.charCodeAt(decimals) >= 0x35 ? units + 1n : units;
}

/** "1234567" -> "1 234 567" (U+202F between the groups). */
function groupThousands(digits: string): string {
	let grouped = '';
	for (let end = digits.length; end > 0; end -= 3) {
		const start = Math.max(0, end - 3);
		grouped = grouped === '' ? digits.slice(start, end) : `${digits.slice(start, end)}${THOUSANDS}${grouped}`;
	}
	return grouped;
}

/**
 * A number with `decimals` decimals (minimum `minDecimals` when the dropped ones are zeros), its thousands grouped;
 * "-" before a negative value that does not round to 0. null and non-finite values are NO_VALUE.
 */
function formatNumber(value: number | null | undefined, decimals: number, minDecimals = decimals): string {
	if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
	let units = roundedUnits(Math.abs(value), decimals);
	let shown = decimals;
	while (shown > minDecimals && units % 10n === 0n) {
		units /= 10n;
		shown--;
	}
	const digits = units.toString().padStart(shown + 1, '0');
	const whole = groupThousands(digits.slice(0, digits.length - shown));
	const sign = value < 0 && units !== 0n ? '-' : '';
	return shown === 0 ? `${sign}${whole}` : `${sign}${whole}.${digits.slice(digits.length - shown)}`;
}

/** Money: 2 decimals. 1234567.5 -> "1 234 567.50". */
export function formatMoney(value: number | null | undefined): string {
	return formatNumber(value, 2);
}

/** Orders, fractional where attribution split them: 1 decimal, none when it is 0 (12, 2.5, 0.3). */
export function formatOrders(value: number | null | undefined): string {
	return formatNumber(value, 1, 0);
}

/** A ratio such as orders per customer: 2 decimals (21 / 20 -> "1.05"). */
export function formatRatio(value: number | null | undefined): string {
	return formatNumber(value, 2);
}

/** A whole count (customers): no decimals. */
export function formatCount(value: number | null | undefined): string {
	return formatNumber(value, 0);
}

/** A share or a ratio as a percentage with 1 decimal: 0.4962 -> "49.6%", 20.42 -> "2 042.0%". */
export function formatPercent(share: number | null | undefined): string {
	const number = formatNumber(share === null || share === undefined ? share : share * 100, 1);
	return number === NO_VALUE ? number : `${number}%`;
}

/** A change as a signed percentage: 0.2083 -> "+20.8%", -0.1667 -> "-16.7%", 0 -> "0.0%". */
export function formatChange(change: number | null | undefined): string {
	const percent = formatPercent(change);
	return percent === NO_VALUE || percent.startsWith('-') || percent === '0.0%' ? percent : `+${percent}`;
}
