import { readFileSync } from 'fs';
import { join } from 'path';

export const SAMPLES = join(__dirname, '..', '..', '..', 'shared', 'samples');

/** The shared real exports, byte for byte. Falls back to the copies in test/fixtures on a clone without shared/. */
export function sample(name: string): Buffer {
	for (const dir of [SAMPLES, join(__dirname, '..', 'fixtures')]) {
		try {
			return readFileSync(join(dir, name));
		} catch {
			continue;
		}
	}
	throw new Error(`sample ${name} not found in ${SAMPLES} or test/fixtures`);
}

/** Splits bytes into chunks of `size` (to exercise every chunk boundary). */
export async function* chunks(bytes: Uint8Array, size = 65536): AsyncIterable<Uint8Array> {
	for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, Math.min(bytes.length, i + size));
}
