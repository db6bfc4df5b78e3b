import type { ChannelPath } from './paths';

/** Exact Shapley enumerates 2^n coalitions: 20 players is a million values, the most worth doing in one call. */
export const MAX_EXACT_PLAYERS = 20;

/**
 * Exact Shapley values of a game over `players` players: phi_i = sum over coalitions S without i of
 * |S|! (n - |S| - 1)! / n! * (v(S + i) - v(S)). `value` gets a coalition as a bit mask (bit i = player i) and is
 * called once per coalition.
 */
export function shapleyValues(players: number, value: (coalition: number) => number): number[] {
	if (!Number.isInteger(players) || players < 1 || players > MAX_EXACT_PLAYERS) {
		throw new RangeError(`Exact Shapley values need 1 to ${MAX_EXACT_PLAYERS} players, got ${players}`);
	}
	const coalitions = 1 << players;
	const worth = new Float64Array(coalitions);
	const size = new Uint8Array(coalitions);
	for (let mask = 0; mask < coalitions; mask++) {
		worth[mask] = value(mask);
		size[mask] = size[mask >> 1] + (mask & 1);
	}
	// |S|! (n - |S| - 1)! / n! = 1 / (n * C(n - 1, |S|)); binomials stay exact in doubles, factorials past 18! do not.
	const weight = new Float64Array(players);
	let binomial = 1;
	for (let s = 0; s < players; s++) {
		weight[s] = 1 / (players * binomial);
		binomial = (binomial * (players - 1 - s)) / (s + 1);
	}
	const phi = new Array<number>(players).fill(0);
	for (let mask = 0; mask < coalitions; mask++) {
		const w = weight[size[mask]];
		for (let i = 0; i < players; i++) {
			const bit = 1 << i;
			if ((mask & bit) === 0) phi[i] += w * (worth[mask | bit] - worth[mask]);
		}
	}
	return phi;
}

export interface PathShapleyResult {
	/** Per channel: its Shapley value in conversions (they sum to all conversions). */
	values: Record<string, number>;
	/** Values scaled to sum to 1 (all 0 when nothing converts). */
	shares: Record<string, number>;
}

/**
 * Shapley values for path data in the simplified form of Zhao et al. (2018): v(S) = conversions of the paths whose
 * channel set lies within S. For that game phi_i = sum over channel sets T containing i of conversions(T) / |T|,
 * i.e. each converting path's conversions split evenly over its distinct channels: exact, linear in the data and
 * free of the 2^n limit. Order and repetition within a path do not matter; non-converting paths add nothing to v.
 */
export function pathShapley(paths: readonly Pick<ChannelPath, 'channels' | 'conversions'>[]): PathShapleyResult {
	const values = new Map<string, number>();
	let total = 0;
	for (const path of paths) {
		const distinct = new Set(path.channels);
		for (const channel of distinct) values.set(channel, (values.get(channel) ?? 0) + path.conversions / distinct.size);
		if (distinct.size > 0) total += path.conversions;
	}
	return {
		values: Object.fromEntries(values),
		shares: Object.fromEntries([...values].map(([channel, value]) => [channel, total > 0 ? value / total : 0])),
	};
}
