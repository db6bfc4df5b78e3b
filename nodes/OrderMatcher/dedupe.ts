import { hash32 } from '../shared/hash';
import { StringIndex } from '../shared/stringIndex';

/** The StringIndex tag of the key a record without an id gets: its input position, which no other record has. */
const WITHOUT_ID = 1;

/**
 * Keeps the last copy of each id, in the order of first appearance; records without an id are all kept.
 * `from` gives each kept record's input position. Without repeated ids (the usual case) `kept` is `items` itself.
 */
export function lastById<T>(items: T[], idOf: (item: T) => unknown): { kept: T[]; from: number[] } {
	if (!hasRepeatedId(items, idOf)) return { kept: items, from: items.map((_, input) => input) };
	/** Every record gets a key (its id, else its position), so a key's index id is its record's place in `kept`. */
	const keys = new StringIndex(items.length);
	/** Built from the first repeated id on; until then the kept records are items[0, keys.size). */
	let kept: T[] | null = null;
	const from: number[] = [];
	for (let input = 0; input < items.length; input++) {
		const item = items[input];
		const id = idOf(item);
		const seen = keys.size;
		const at = hasId(id) ? keys.add(String(id)) : keys.add(String(input), WITHOUT_ID);
		if (at < seen) {
			kept ??= items.slice(0, seen);
			kept[at] = item;
		} else if (kept !== null) kept.push(item);
		from[at] = input;
	}
	return { kept: kept ?? items, from };
}

/**
 * true when two records share an id. Sorts a 32-bit hash of each id (a typed-array sort: several times cheaper than
 * a table of a million ids); only the records whose hashes collide are then read again and their ids compared.
 */
function hasRepeatedId<T>(items: T[], idOf: (item: T) => unknown): boolean {
	/** Per record: the hash of its id (0 without one). */
	const hashes = new Uint32Array(items.length);
	for (let i = 0; i < items.length; i++) {
		const id = idOf(items[i]);
		if (hasId(id)) hashes[i] = hash32(String(id));
	}
	const sorted = hashes.slice().sort();
	const colliding = new Set<number>();
	for (let i = 1; i < sorted.length; i++) {
		if (sorted[i] === sorted[i - 1]) colliding.add(sorted[i]);
	}
	if (colliding.size === 0) return false;
	const suspects = new Set<string>();
	for (let i = 0; i < items.length; i++) {
		if (!colliding.has(hashes[i])) continue;
		const id = idOf(items[i]);
		if (!hasId(id)) continue;
		if (suspects.has(String(id))) return true;
		suspects.add(String(id));
	}
	return false;
}

function hasId(id: unknown): boolean {
	return id !== null && id !== undefined && id !== '';
}
