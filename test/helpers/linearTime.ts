/**
 * Time bounds for linear-time checks that hold on a shared machine. A parser of hostile text must answer a megabyte in
 * a few tens of milliseconds on a quiet machine; a backtracking one takes seconds to hours. When other work slows the
 * machine, a fixed bound fails linear code too, so the bound also scales with a plain pass over the same text (one
 * char-code read per character, the least any reader of all of it does), timed in the same moment.
 */

/** Milliseconds of the fastest of three plain passes over `text`. */
export function plainPassMs(text: string): number {
	let best = Infinity;
	let sum = 0;
	for (let run = 0; run < 3; run++) {
		const start = process.hrtime.bigint();
		for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i);
		best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
	}
	// The sum is used, so the loop is not optimised away.
	return sum < 0 ? NaN : best;
}

/**
 * The bound a call over `text` must stay under to pass as linear: `quietMs` (what the check allows on a quiet machine),
 * or `factor` plain passes over the text measured now, whichever is larger. Quadratic time on a megabyte is over a
 * million plain passes, so the scaled bound still catches it.
 */
export function linearBoundMs(text: string, quietMs: number, factor = 50): number {
	return Math.max(quietMs, factor * plainPassMs(text));
}
