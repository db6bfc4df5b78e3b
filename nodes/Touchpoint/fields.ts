import { excerpt } from '../shared/textLimits';

/** Reading loosely typed payload fields: names match ignoring case, "_" and "-" (utm_source = utmSource = UTM-Source). */
export type Fields = Record<string, unknown>;

// Linear: one class, global.
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]/gu;
// Linear: anchored; digits and the dot are disjoint.
const SECONDS = /^\d+(?:\.\d+)?$/;

export function isRecord(value: unknown): value is Fields {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "utm_source", "utmSource", "UTM-Source" -> "utmsource"; letters of any script and digits are kept. */
export function normaliseKey(key: string): string {
	return key.toLowerCase().replace(NOT_LETTER_OR_DIGIT, '');
}

/** The value of the first of `names` the record has (not empty), or undefined. */
export function field(record: Fields | null, ...names: string[]): unknown {
	if (!record) return undefined;
	for (const name of names) {
		const wanted = normaliseKey(name);
		for (const [key, value] of Object.entries(record)) {
			if (normaliseKey(key) === wanted && value !== null && value !== undefined && value !== '') return value;
		}
	}
	return undefined;
}

/** A string or a number as trimmed text; anything else (objects, empty text) is null. */
export function text(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') return null;
	const trimmed = value.trim();
	return trimmed.length > 0 ? trimmed : null;
}

export function fieldText(record: Fields | null, ...names: string[]): string | null {
	return text(field(record, ...names));
}

export function fieldRecord(record: Fields | null, ...names: string[]): Fields | null {
	const value = field(record, ...names);
	return isRecord(value) ? value : null;
}

/** A whole number of seconds from a number or numeric text; text that is not one adds a warning. */
export function seconds(value: unknown, label: string, warnings: string[]): number | null {
	const written = text(value);
	if (written === null) return null;
	if (SECONDS.test(written)) return Math.round(Number(written));
	warnings.push(`${label} "${excerpt(written)}" is not a number of seconds`);
	return null;
}

/** true / false from booleans, 1 / 0, "true" / "false", "yes" / "no"; null when it is neither. */
export function flag(value: unknown): boolean | null {
	if (typeof value === 'boolean') return value;
	const written = text(value)?.toLowerCase();
	if (!written) return null;
	if (['1', 'true', 'yes'].includes(written)) return true;
	if (['0', 'false', 'no'].includes(written)) return false;
	return null;
}

/** Whether a call's status text is one of the `answered` ones (compared upper-case); null when there is no status. */
export function answeredBy(value: unknown, answered: string[]): boolean | null {
	const status = text(value);
	return status === null ? null : answered.includes(status.toUpperCase());
}
