/**
 * Weights and volumes as forms and CRMs send them: a number, "1500", "1500 кг", "1,5 т", "1.5t", "1 500 kg".
 * A comma is a decimal separator (the Russian convention: "1,5 т" is 1.5 t, so "1,500 кг" is 1.5 kg, not 1500);
 * spaces between digits group thousands.
 */

import { MAX_QUANTITY_TEXT, overCap } from '../shared/textLimits';

/**
 * A number and a unit. Linear: anchored; the parts are disjoint (digits, one separator, spaces, then a unit that
 * starts with none of these), so a failed try gives each character back once; the lazy unit grows one character
 * at a time with a constant test after it.
 */
const NUMBER_AND_UNIT = /^(\d+(?:[.,]\d+)?)\s*([^\d\s.,].*?)?\.?$/;
/** Spaces between digit groups. Linear: a try starts at a digit and reads only the run of spaces after it, which no other try reads. */
const DIGIT_GROUPS = /(\d)[\s\u00a0\u202f]+(?=\d{3}(?!\d))/g;
// Linear: runs of one class, global.
const SPACES = /\s+/g;

/** Unit words (lower case, without a trailing dot) -> kilograms per unit; no unit means kilograms. */
const WEIGHT_UNITS = new Map<string, number>([
	['кг', 1],
	['килограмм', 1],
	['килограмма', 1],
	['килограммов', 1],
	['kg', 1],
	['kgs', 1],
	['kilo', 1],
	['kilos', 1],
	['kilogram', 1],
	['kilograms', 1],
	['т', 1000],
	['тн', 1000],
	['тонна', 1000],
	['тонны', 1000],
	['тонн', 1000],
	['t', 1000],
	['tn', 1000],
	['ton', 1000],
	['tons', 1000],
	['tonne', 1000],
	['tonnes', 1000],
]);

/** Unit words -> cubic metres per unit; no unit means cubic metres. */
const VOLUME_UNITS = new Map<string, number>([
	['м3', 1],
	['м³', 1],
	['m3', 1],
	['m³', 1],
	['куб', 1],
	['кубов', 1],
	['куба', 1],
	['куб м', 1],
	['cbm', 1],
	['л', 0.001],
	['l', 0.001],
]);

/** What a quantity field held: a number, nothing (null), or text that is not a quantity (invalid). */
export type Quantity = { value: number | null } | { invalid: string };

function parseQuantity(raw: unknown, units: ReadonlyMap<string, number>): Quantity {
	if (raw === null || raw === undefined) return { value: null };
	if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 ? { value: raw } : { invalid: String(raw) };
	if (typeof raw !== 'string') return { invalid: JSON.stringify(raw) ?? String(raw) };
	const tooLong = overCap(raw, MAX_QUANTITY_TEXT, 'a weight or volume');
	if (tooLong !== null) return { invalid: tooLong };
	const written = raw.trim();
	if (written.length === 0) return { value: null };
	const match = NUMBER_AND_UNIT.exec(written.replace(DIGIT_GROUPS, '$1').toLowerCase());
	if (!match) return { invalid: written };
	const unit = (match[2] ?? '').trim().replace(SPACES, ' ');
	const factor = unit.length === 0 ? 1 : units.get(unit);
	if (factor === undefined) return { invalid: written };
	// Rounded to grams / millilitres so that "1,5 т" is exactly 1500, not 1500.0000000000002.
	return { value: Math.round(Number(match[1].replace(',', '.')) * factor * 1000) / 1000 };
}

/** Kilograms: "1,5 т" -> 1500, "1500 кг" -> 1500, "1.5t" -> 1500, 300 -> 300, "" -> null, "много" -> invalid. */
export function parseWeightKg(raw: unknown): Quantity {
	return parseQuantity(raw, WEIGHT_UNITS);
}

/** Cubic metres: "2,5 м3" -> 2.5, "12 m³" -> 12. */
export function parseVolumeM3(raw: unknown): Quantity {
	return parseQuantity(raw, VOLUME_UNITS);
}
