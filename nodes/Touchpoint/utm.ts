import { emptyUtm, type Utm } from '../shared/contracts';
import { fieldText, type Fields } from './fields';

const UTM_KEYS: Array<keyof Utm> = ['source', 'medium', 'campaign', 'content', 'term'];

export function hasUtm(utm: Utm): boolean {
	return UTM_KEYS.some((key) => utm[key] !== null);
}

/** utm_source ... utm_term (or utmSource ...) fields of a record. */
export function utmFromFields(record: Fields | null): Utm {
	const utm = emptyUtm();
	for (const key of UTM_KEYS) utm[key] = fieldText(record, `utm_${key}`);
	return utm;
}

/** An object that holds the values under their own names ({ source, medium, ... }), as Jivo's utm_json does. */
export function utmFromObject(record: Fields | null): Utm {
	const utm = emptyUtm();
	for (const key of UTM_KEYS) utm[key] = fieldText(record, key, `utm_${key}`);
	return utm;
}

/** The utm_ parameters in a page address's query string; the address may lack a scheme or a host. */
export function utmFromUrl(url: string | null): Utm {
	const query = url ? /\?([^#]*)/.exec(url)?.[1] : undefined;
	if (!query) return emptyUtm();
	return utmFromFields(Object.fromEntries(new URLSearchParams(query)));
}

/** The first candidate that has any utm value, taken whole (values from different candidates are never mixed). */
export function firstUtm(...candidates: Utm[]): Utm {
	return candidates.find(hasUtm) ?? emptyUtm();
}
