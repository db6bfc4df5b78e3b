/** Cents as decimal text with two places ("1234.50"): what CSV uploads and form fields carry. */
export function centsText(cents: number): string {
	const sign = cents < 0 ? '-' : '';
	const abs = Math.abs(cents);
	return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Cents as a JSON number with at most two decimals (GA's `value`, a webhook's amount). */
export function centsNumber(cents: number): number {
	return Number(centsText(cents));
}

/**
 * Whole currency units for services that store an integer (amoCRM's lead price): half up on the cents, so
 * 1234.50 -> 1235 and 1234.49 -> 1234; negative amounts round away from zero symmetrically.
 */
export function centsToWholeUnits(cents: number): number {
	const sign = cents < 0 ? -1 : 1;
	return sign * Math.floor((Math.abs(cents) + 50) / 100);
}
