import { MAX_DOMAIN_LABEL } from './textLimits';

/** Punycode (RFC 3492) parameters, as IDNA uses them. */
const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 128;
const ACE_PREFIX = 'xn--';

/**
 * A domain label as people read it: "xn--80a1acny" → "почта"; any other label as it is. null when the label starts
 * with "xn--" and is not valid Punycode, or is longer than a DNS label (each decoded character is inserted into
 * those before it, so the cap also bounds that quadratic step). Decoding only (RFC 3492, section 6.2): an address
 * is compared in its Unicode form, which is also how a CRM shows it.
 */
export function labelToUnicode(label: string): string | null {
	if (!label.startsWith(ACE_PREFIX)) return label;
	if (label.length > MAX_DOMAIN_LABEL) return null;
	const encoded = label.slice(ACE_PREFIX.length);
	const basicEnd = encoded.lastIndexOf('-');
	const output: number[] = [];
	for (let i = 0; i < Math.max(basicEnd, 0); i++) {
		const code = encoded.charCodeAt(i);
		if (code >= 0x80) return null;
		output.push(code);
	}
	let n = INITIAL_N;
	let bias = INITIAL_BIAS;
	let i = 0;
	for (let at = basicEnd > 0 ? basicEnd + 1 : 0; at < encoded.length; ) {
		const oldI = i;
		for (let w = 1, k = BASE; ; k += BASE) {
			if (at >= encoded.length) return null;
			const digit = digitOf(encoded.charCodeAt(at++));
			if (digit < 0) return null;
			i += digit * w;
			const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
			if (digit < t) break;
			w *= BASE - t;
			if (!Number.isSafeInteger(i) || !Number.isSafeInteger(w)) return null;
		}
		bias = adapt(i - oldI, output.length + 1, oldI === 0);
		n += Math.floor(i / (output.length + 1));
		i %= output.length + 1;
		if (n > 0x10ffff) return null;
		output.splice(i++, 0, n);
	}
	return output.length === 0 ? null : String.fromCodePoint(...output);
}

function digitOf(code: number): number {
	if (code >= 48 && code <= 57) return code - 22; // 0-9 are 26-35
	if (code >= 97 && code <= 122) return code - 97; // a-z are 0-25
	if (code >= 65 && code <= 90) return code - 65;
	return -1;
}

function adapt(delta: number, points: number, first: boolean): number {
	let d = first ? Math.floor(delta / DAMP) : delta >> 1;
	d += Math.floor(d / points);
	let k = 0;
	while (d > ((BASE - T_MIN) * T_MAX) >> 1) {
		d = Math.floor(d / (BASE - T_MIN));
		k += BASE;
	}
	return k + Math.floor(((BASE - T_MIN + 1) * d) / (d + SKEW));
}
