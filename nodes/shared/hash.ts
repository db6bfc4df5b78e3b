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
