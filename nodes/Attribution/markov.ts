import { invertMatrix } from './linearAlgebra';
import type { ChannelPath } from './paths';

export interface MarkovResult {
	/** Probability that a path from the start converts. */
	conversionProbability: number;
	/** Per channel: 1 - P(conversion without the channel) / P(conversion). */
	removalEffects: Record<string, number>;
	/** Removal effects scaled to sum to 1 (all 0 when nothing converts). */
	shares: Record<string, number>;
}

/**
 * First-order Markov attribution by removal effect, solved exactly as an absorbing chain (states: start, one per
 * channel, conversion, null; transition probabilities from the path counts).
 *
 * With N = (I - Q)^-1 the fundamental matrix over start and channels and x = N r the conversion probability from
 * each state, removing channel c (sending its transitions to null) leaves P(conversion) - h(c) x(c), where
 * h(c) = N[start][c] / N[c][c] is the chance of ever reaching c: by the Markov property a walk that reaches c
 * converts with x(c) whatever came before. One inversion therefore gives every removal effect, instead of one
 * linear solve per channel.
 *
 * A channel repeated back to back (A > A > B) is collapsed to one visit: a self-loop does not change where a walk
 * leaves a state for, so first-order absorption probabilities and removal effects are the same either way.
 */
export function markovAttribution(paths: readonly ChannelPath[]): MarkovResult {
	const index = new Map<string, number>();
	for (const path of paths) {
		for (const channel of path.channels) if (!index.has(channel)) index.set(channel, index.size + 1);
	}
	// Transient states: 0 = start, 1..k = channels. Absorbing: conversion (column n), null (column n + 1).
	const n = index.size + 1;
	const width = n + 2;
	const counts = new Float64Array(n * width);
	for (const path of paths) {
		const people = path.conversions + path.nonConversions;
		if (people === 0) continue;
		let from = 0;
		for (const channel of path.channels) {
			const to = index.get(channel) as number;
			if (to === from) continue;
			counts[from * width + to] += people;
			from = to;
		}
		counts[from * width + n] += path.conversions;
		counts[from * width + n + 1] += path.nonConversions;
	}
	const identityMinusQ = new Float64Array(n * n);
	const toConversion = new Float64Array(n);
	for (let from = 0; from < n; from++) {
		let total = 0;
		for (let to = 0; to < width; to++) total += counts[from * width + to];
		identityMinusQ[from * n + from] = 1;
		if (total === 0) continue;
		for (let to = 0; to < n; to++) identityMinusQ[from * n + to] -= counts[from * width + to] / total;
		toConversion[from] = counts[from * width + n] / total;
	}
	const fundamental = invertMatrix(identityMinusQ, n);
	const conversion = new Float64Array(n);
	for (let from = 0; from < n; from++) {
		let sum = 0;
		for (let to = 0; to < n; to++) sum += fundamental[from * n + to] * toConversion[to];
		conversion[from] = sum;
	}
	const probability = conversion[0];
	const effects = [...index].map(([channel, c]): [string, number] => {
		const reach = fundamental[c] / fundamental[c * n + c];
		// max(0, ...): the exact value is never negative, rounding in the inversion can make it -1e-17.
		return [channel, probability > 0 ? Math.max(0, (reach * conversion[c]) / probability) : 0];
	});
	const totalEffect = effects.reduce((sum, [, effect]) => sum + effect, 0);
	const removalEffects = Object.fromEntries(effects);
	const shares = Object.fromEntries(effects.map(([channel, effect]) => [channel, totalEffect > 0 ? effect / totalEffect : 0]));
	return { conversionProbability: probability, removalEffects, shares };
}
