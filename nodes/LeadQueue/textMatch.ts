/**
 * Place names as people type them, matched against lists the client keeps (a Data Table, a Google Sheet): the same
 * city written "Санкт-Петербург", "санкт петербург", "г. САНКТ-ПЕТЕРБУРГ" must match one entry. No list is built in;
 * the only place names in code are the example data in presets.ts.
 */

/** Anything that is not a letter, a digit or a combining mark separates words: hyphens, dots, commas, slashes. Linear: runs of one class, global. */
const SEPARATORS = /[^\p{L}\p{N}\p{M}]+/gu;
/** Decomposed letters ("е" + U+0308) are composed first, so "ё" written either way becomes "е". Linear: one class. */
const COMBINING = /[\u0300-\u036f]/;
/** "г. Омск", "гор. Омск", "город Омск": the word for "city" before the name is not part of it. Linear: anchored, fixed words. */
const CITY_PREFIX = /^(?:г|гор|город) (?=\S)/;

/**
 * Lower case, "ё" -> "е", every run of separators one space, trimmed, a leading "г." dropped.
 * Transliteration ("Moscow" vs "Москва") and grammatical cases ("в Новосибирске") are not handled.
 */
export function normalisePlace(text: string): string {
	const composed = COMBINING.test(text) ? text.normalize('NFC') : text;
	return composed.toLowerCase().replace(/ё/g, 'е').replace(SEPARATORS, ' ').trim().replace(CITY_PREFIX, '');
}

export interface PlaceList {
	/** How rules refer to the list ("eastern", "blacklist"). */
	name: string;
	/** Normalised entry -> the entry as the client wrote it (for reasons). */
	entries: ReadonlyMap<string, string>;
	/** Words in the longest entry: how far a phrase in the text is looked up. */
	maxWords: number;
}

/**
 * A list from rows of client data. Entries that are not text or are empty after normalising are skipped; numbers
 * are read as text. Duplicates (in any spelling) keep the first.
 */
export function placeList(values: Iterable<unknown>, name = ''): PlaceList {
	const entries = new Map<string, string>();
	let maxWords = 0;
	for (const value of values) {
		if (typeof value !== 'string' && typeof value !== 'number') continue;
		const written = String(value).trim();
		const key = normalisePlace(written);
		if (key.length === 0 || entries.has(key)) continue;
		entries.set(key, written);
		maxWords = Math.max(maxWords, key.split(' ').length);
	}
	return { name, entries, maxWords };
}

/**
 * The entry (as written in the list) that an already normalised text equals or contains as whole words, or null.
 * Phrases of the text up to the longest entry's length are looked up in the map, so a long list costs no more than
 * a short one.
 */
export function findNormalisedPlace(normalised: string, list: PlaceList): string | null {
	if (normalised.length === 0 || list.entries.size === 0) return null;
	const exact = list.entries.get(normalised);
	if (exact !== undefined) return exact;
	if (normalised.indexOf(' ') === -1) return null;
	const words = normalised.split(' ');
	for (let start = 0; start < words.length; start++) {
		let phrase = words[start];
		for (let end = start; ; ) {
			const entry = list.entries.get(phrase);
			if (entry !== undefined) return entry;
			end++;
			if (end >= words.length || end - start >= list.maxWords) break;
			phrase += ' ' + words[end];
		}
	}
	return null;
}

/** The list entry that the text matches, as the client wrote it, or null. */
export function findPlace(text: string | null | undefined, list: PlaceList): string | null {
	if (!text) return null;
	return findNormalisedPlace(normalisePlace(text), list);
}

/**
 * true when the text, normalised, equals an entry or contains it as whole words:
 * "г. Новосибирск, Россия" matches "Новосибирск", "Алматы, Казахстан" matches the country entry "Казахстан",
 * "Омская область" does not match "Омск".
 */
export function placeMatches(text: string | null | undefined, list: PlaceList): boolean {
	return findPlace(text, list) !== null;
}
