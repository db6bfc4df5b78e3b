import { emptyUtm, type Utm } from '../shared/contracts';
import { checkCap, MAX_URL } from '../shared/textLimits';
import { fieldText, type Fields } from './fields';

const UTM_KEYS: Array<keyof Utm> = ['source', 'medium', 'campaign', 'content', 'term'];
/** What follows the first "?" up to a "#". Linear: tries fail at once until the first "?", and the run after it always matches. */
const QUERY = /\?([^#]*)/;

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

/**
 * The query string of a page address that may lack a scheme or a host; null when it has none. Throws an
 * InputDataError for an address longer than MAX_URL.
 */
export function urlQuery(url: string | null): URLSearchParams | null {
	if (url) checkCap(url, MAX_URL, 'a page address', 'Web servers refuse addresses this long by default; check what the form sends as its page address.');
	const query = url ? QUERY.exec(url)?.[1] : undefined;
	return query ? new URLSearchParams(query) : null;
}

/** The utm_ parameters in a page address's query string. */
export function utmFromUrl(url: string | null): Utm {
	const query = urlQuery(url);
	return query ? utmFromFields(Object.fromEntries(query)) : emptyUtm();
}

/** The first candidate that has any utm value, taken whole (values from different candidates are never mixed). */
export function firstUtm(...candidates: Utm[]): Utm {
	return candidates.find(hasUtm) ?? emptyUtm();
}
