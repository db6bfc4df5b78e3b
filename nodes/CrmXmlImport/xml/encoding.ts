import { InputDataError } from '../../shared/errors';

/**
 * Encoding of an XML file: the byte order mark wins, then the XML declaration, then UTF-8 (the XML default).
 * windows-1251 and UTF-8 with or without a BOM are what Russian and Ukrainian CRMs and 1C export.
 */
export interface DetectedEncoding {
	/** A TextDecoder label. */
	encoding: string;
	/** How the encoding was found. */
	source: 'bom' | 'declaration' | 'default' | 'setting';
}

const BOMS: Array<[number[], string]> = [
	[[0xef, 0xbb, 0xbf], 'utf-8'],
	[[0xff, 0xfe], 'utf-16le'],
	[[0xfe, 0xff], 'utf-16be'],
];

function knownEncoding(label: string): string | null {
	try {
		return new TextDecoder(label).encoding;
	} catch {
		return null;
	}
}

function canonical(label: string): string {
	const encoding = knownEncoding(label);
	if (encoding === null) {
		throw new InputDataError(
			`The encoding "${label}" is not supported`,
			'Use an encoding such as UTF-8, windows-1251 or KOI8-R, or set Encoding in the node to the real one.',
		);
	}
	return encoding;
}

function declaredEncoding(head: Uint8Array): string | undefined {
	const text = new TextDecoder('latin1').decode(head.subarray(0, 256)).replace(/^(\xef\xbb\xbf|\xff\xfe|\xfe\xff)/, '');
	const declaration = /^\s*<\?xml\s[^?]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(text);
	return declaration?.[1];
}

export function detectEncoding(head: Uint8Array, setting = 'auto'): DetectedEncoding {
	if (setting !== 'auto') return { encoding: canonical(setting), source: 'setting' };
	const declared = declaredEncoding(head);
	for (const [bom, encoding] of BOMS) {
		if (bom.every((byte, i) => head[i] === byte)) {
			if (declared && canonical(declared) !== encoding && !(encoding.startsWith('utf-16') && canonical(declared) === 'utf-16le')) {
				throw new InputDataError(
					`The file starts with a ${encoding.toUpperCase()} byte order mark but its XML declaration says encoding="${declared}"`,
					'The file was re-saved in another encoding without fixing its declaration. Fix the export, or set Encoding in the node to the real encoding.',
					1,
					1,
				);
			}
			return { encoding, source: 'bom' };
		}
	}
	// "<" as two bytes, one of them zero: UTF-16, which XML requires to start with a byte order mark.
	if ((head[0] === 0x3c && head[1] === 0x00) || (head[0] === 0x00 && head[1] === 0x3c)) {
		throw new InputDataError(
			`The file is UTF-16 (${head[0] === 0 ? 'big' : 'little'}-endian) without a byte order mark`,
			'XML in UTF-16 must start with a byte order mark. Export the file with one, or set Encoding in the node to UTF-16 (little-endian).',
			1,
			1,
		);
	}
	if (declared) {
		const encoding = canonical(declared);
		if (encoding === 'windows-1251' || encoding === 'koi8-r') rejectUtf8Disguise(head, declared);
		return { encoding, source: 'declaration' };
	}
	return { encoding: 'utf-8', source: 'default' };
}

/**
 * A file that declares a single-byte Cyrillic encoding but is really UTF-8 decodes into mojibake without any error
 * (every byte is a valid windows-1251 character). UTF-8 Cyrillic is pairs of 0xD0/0xD1 + 0x80..0xBF, which
 * Russian windows-1251 text almost never has; when nearly every high byte forms such pairs, the declaration lies.
 */
function rejectUtf8Disguise(head: Uint8Array, declared: string): void {
	let high = 0;
	let pairs = 0;
	for (let i = 0; i < head.length - 1; i++) {
		const b = head[i];
		if (b < 0x80) continue;
		high++;
		if ((b === 0xd0 || b === 0xd1) && head[i + 1] >= 0x80 && head[i + 1] <= 0xbf) {
			pairs++;
			high++;
			i++;
		}
	}
	if (pairs >= 16 && pairs * 2 >= high * 0.9) {
		throw new InputDataError(
			`The file declares encoding="${declared}" but its bytes are UTF-8`,
			'Reading it as declared would turn every Cyrillic letter into garbage. Fix the declaration in the export, or set Encoding in the node to UTF-8.',
			1,
			1,
		);
	}
}

/**
 * The byte offset of the first run of `letters` UTF-8 Cyrillic letters (0xD0 / 0xD1 + 0x80..0xBF) in a row, or -1.
 * In windows-1251 that would read as "РџСЂРё..." and in KOI8-R as runs of "п"/"я" and box-drawing characters, which
 * real text does not have: found in a file read as one of them, it is UTF-8 text inside.
 */
export function utf8CyrillicRun(bytes: Uint8Array, letters = 4): number {
	let run = 0;
	for (let i = 0; i < bytes.length - 1; i++) {
		const b = bytes[i];
		if ((b === 0xd0 || b === 0xd1) && bytes[i + 1] >= 0x80 && bytes[i + 1] <= 0xbf) {
			if (++run === letters) return i + 2 - letters * 2;
			i++;
		} else {
			run = 0;
		}
	}
	return -1;
}

/** The byte offset of the first invalid UTF-8 sequence in bytes, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
	let i = 0;
	while (i < bytes.length) {
		const b = bytes[i];
		const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
		if (need < 0) return i;
		if (i + need >= bytes.length) return -1; // an incomplete sequence at the end: the next chunk may finish it
		for (let k = 1; k <= need; k++) {
			if ((bytes[i + k] & 0xc0) !== 0x80) return i;
		}
		i += need + 1;
	}
	return -1;
}
