import { createHash } from 'crypto';

/** A 53-bit FNV-1a-style hash of a string, as 11 base-36 characters: small fingerprints for change detection. */
export function fingerprint(text: string): string {
	let h1 = 0x811c9dc5;
	let h2 = 0x01000193;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		h1 = Math.imul(h1 ^ c, 0x01000193);
		h2 = Math.imul(h2 ^ c, 0x5bd1e995);
	}
	const value = (h2 >>> 0) * 0x200000 + ((h1 >>> 0) & 0x1fffff);
	return value.toString(36).padStart(11, '0');
}

/**
 * A 32-bit FNV-1a hash of a string, seeded, with a final mix: FNV's low bits alone are weak (a character repeated
 * cancels out of the lowest one), and callers take remainders and bit masks of it.
 */
export function hash32(text: string, seed = 0): number {
	let h = 0x811c9dc5 ^ seed;
	for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
	h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
	return (h ^ (h >>> 12)) >>> 0;
}

/**
 * A value as JSON with the keys of every object sorted, so that two objects with the same content give the same
 * text whatever order their keys were written in; undefined is written as null.
 */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (typeof value === 'object' && value !== null) {
		const record = value as Record<string, unknown>;
		return `{${Object.keys(record)
			.sort()
			.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value ?? null);
}

/** SHA-256 of a string's UTF-8 bytes, as 64 lower-case hex characters: for ids that must not collide. */
export function sha256Hex(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}
