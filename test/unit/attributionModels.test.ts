import { markovAttribution } from '../../nodes/Attribution/markov';
import type { ChannelPath } from '../../nodes/Attribution/paths';
import { MAX_EXACT_PLAYERS, pathShapley, shapleyValues } from '../../nodes/Attribution/shapley';
import { prng as mulberry32 } from '../helpers/prng';

function randomPaths(seed: number, channels: number, count: number): ChannelPath[] {
	const random = mulberry32(seed);
	const names = Array.from({ length: channels }, (_, i) => `c${i}`);
	return Array.from({ length: count }, () => ({
		channels: Array.from({ length: 1 + Math.floor(random() * 5) }, () => names[Math.floor(random() * channels)]),
		conversions: Math.floor(random() * 4),
		nonConversions: Math.floor(random() * 6),
	}));
}

/**
 * An independent reference: P(conversion) by value iteration on the chain with self-loops kept (no collapsing) and
 * `removed` sent to null, as the removal effect defines it.
 */
function conversionByIteration(paths: readonly ChannelPath[], removed: string | null): number {
	const counts = new Map<string, Map<string, number>>();
	const add = (from: string, to: string, n: number): void => {
		const row = counts.get(from) ?? new Map<string, number>();
		row.set(to, (row.get(to) ?? 0) + n);
		counts.set(from, row);
	};
	for (const path of paths) {
		const states = ['(start)', ...path.channels];
		for (let i = 0; i + 1 < states.length; i++) add(states[i], states[i + 1], path.conversions + path.nonConversions);
		add(states[states.length - 1], '(conversion)', path.conversions);
		add(states[states.length - 1], '(null)', path.nonConversions);
	}
	let value = new Map<string, number>([['(conversion)', 1]]);
	for (let round = 0; round < 5000; round++) {
		const next = new Map<string, number>([['(conversion)', 1]]);
		for (const [from, row] of counts) {
			if (from === removed) continue;
			const total = [...row.values()].reduce((a, b) => a + b, 0);
			let sum = 0;
			for (const [to, n] of row) sum += total > 0 ? (n / total) * (value.get(to) ?? 0) : 0;
			next.set(from, sum);
		}
		value = next;
	}
	return value.get('(start)') ?? 0;
}

describe('Markov removal effect', () => {
	it('matches the textbook example: C1 > C2 > C3 converts, C1 and C2 > C3 do not', () => {
		const result = markovAttribution([
			{ channels: ['C1', 'C2', 'C3'], conversions: 1, nonConversions: 0 },
			{ channels: ['C1'], conversions: 0, nonConversions: 1 },
			{ channels: ['C2', 'C3'], conversions: 0, nonConversions: 1 },
		]);
		expect(result.conversionProbability).toBeCloseTo(1 / 3, 12);
		expect(result.removalEffects.C1).toBeCloseTo(0.5, 12);
		expect(result.removalEffects.C2).toBeCloseTo(1, 12);
		expect(result.removalEffects.C3).toBeCloseTo(1, 12);
		expect(Math.abs(result.shares.C1 - 0.2)).toBeLessThan(1e-9);
		expect(Math.abs(result.shares.C2 - 0.4)).toBeLessThan(1e-9);
		expect(Math.abs(result.shares.C3 - 0.4)).toBeLessThan(1e-9);
	});

	it('gives the same result with a repeated channel collapsed or kept as a self-loop', () => {
		const collapsedOnly = markovAttribution([
			{ channels: ['A', 'B'], conversions: 2, nonConversions: 1 },
			{ channels: ['B'], conversions: 0, nonConversions: 3 },
		]);
		const repeated = markovAttribution([
			{ channels: ['A', 'A', 'A', 'B'], conversions: 2, nonConversions: 1 },
			{ channels: ['B', 'B'], conversions: 0, nonConversions: 3 },
		]);
		expect(repeated).toEqual(collapsedOnly);
		// And the reference, which keeps the self-loops, agrees.
		const paths = [
			{ channels: ['A', 'A', 'A', 'B'], conversions: 2, nonConversions: 1 },
			{ channels: ['B', 'B'], conversions: 0, nonConversions: 3 },
		];
		expect(repeated.conversionProbability).toBeCloseTo(conversionByIteration(paths, null), 12);
	});

	it('agrees with removal by value iteration on random data with loops and repeats', () => {
		for (const seed of [1, 2, 3]) {
			const paths = randomPaths(seed, 6, 40);
			const result = markovAttribution(paths);
			const base = conversionByIteration(paths, null);
			expect(result.conversionProbability).toBeCloseTo(base, 10);
			for (const channel of Object.keys(result.removalEffects)) {
				expect(result.removalEffects[channel]).toBeCloseTo(1 - conversionByIteration(paths, channel) / base, 10);
			}
			expect(Object.values(result.shares).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
		}
	});

	it('scores nothing when nothing converts', () => {
		const result = markovAttribution([{ channels: ['A', 'B'], conversions: 0, nonConversions: 5 }]);
		expect(result).toEqual({ conversionProbability: 0, removalEffects: { A: 0, B: 0 }, shares: { A: 0, B: 0 } });
	});

	it('solves 300 channels exactly within a second', () => {
		const paths = randomPaths(9, 300, 20000);
		const started = Date.now();
		const result = markovAttribution(paths);
		expect(Date.now() - started).toBeLessThan(1000);
		expect(Object.keys(result.shares)).toHaveLength(300);
		expect(Object.values(result.shares).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
	});
});

describe('exact Shapley values', () => {
	it('solves the three-player example: [2, 5, 35]', () => {
		const v: Record<number, number> = { 0: 0, 0b001: 6, 0b010: 12, 0b100: 42, 0b011: 12, 0b101: 42, 0b110: 42, 0b111: 42 };
		const phi = shapleyValues(3, (coalition) => v[coalition]);
		[2, 5, 35].forEach((expected, i) => expect(phi[i]).toBeCloseTo(expected, 12));
	});

	it('solves the four-player airport game to [80.83, 20.83, 10.83, 7.50]', () => {
		// Runway costs 120, 60, 40, 30: a coalition pays for the longest runway its planes need, v(S) = max cost.
		// Littlechild-Owen: phi_i = sum over the cost steps up to i's of the step / planes needing it:
		// 30/4 = 7.5; 7.5 + 10/3 = 10.83; 10.83 + 20/2 = 20.83; 20.83 + 60 = 80.83.
		const costs = [120, 60, 40, 30];
		const phi = shapleyValues(4, (coalition) => Math.max(0, ...costs.filter((_, i) => coalition & (1 << i))));
		expect(phi.map((value) => Math.round(value * 100) / 100)).toEqual([80.83, 20.83, 10.83, 7.5]);
		[80 + 5 / 6, 20 + 5 / 6, 10 + 5 / 6, 7.5].forEach((expected, i) => expect(phi[i]).toBeCloseTo(expected, 12));
		expect(phi.reduce((a, b) => a + b, 0)).toBeCloseTo(120, 12);
	});

	it('is efficient and symmetric on a random game, and refuses too many players', () => {
		const random = mulberry32(5);
		const worth = Array.from({ length: 1 << 10 }, (_, mask) => (mask === 0 ? 0 : random() * 100));
		// Players 0 and 1 interchangeable: every coalition with exactly one of them is worth the same either way.
		const symmetric = (mask: number): number => worth[mask & 0b01 && !(mask & 0b10) ? (mask ^ 0b11) : mask];
		const phi = shapleyValues(10, symmetric);
		expect(phi.reduce((a, b) => a + b, 0)).toBeCloseTo(symmetric((1 << 10) - 1), 9);
		expect(phi[0]).toBeCloseTo(phi[1], 12);
		expect(() => shapleyValues(MAX_EXACT_PLAYERS + 1, () => 0)).toThrow(RangeError);
	});
});

describe('path Shapley (Zhao et al. 2018)', () => {
	it('splits each converting path evenly over its distinct channels', () => {
		const result = pathShapley([
			{ channels: ['A', 'B', 'A'], conversions: 4 },
			{ channels: ['B'], conversions: 2 },
			{ channels: ['C', 'B'], conversions: 0 },
		]);
		expect(result.values).toEqual({ A: 2, B: 4, C: 0 });
		expect(result.shares).toEqual({ A: 2 / 6, B: 4 / 6, C: 0 });
	});

	it('equals exact Shapley of v(S) = conversions of paths within S on random data', () => {
		for (const [seed, players] of [[11, 3], [12, 5], [13, 8], [14, 8]]) {
			const paths = randomPaths(seed, players, 60);
			const names = Array.from({ length: players }, (_, i) => `c${i}`);
			const masks = paths.map((path) => path.channels.reduce((mask, name) => mask | (1 << names.indexOf(name)), 0));
			const exact = shapleyValues(players, (coalition) => paths.reduce((sum, path, i) => sum + ((masks[i] & ~coalition) === 0 ? path.conversions : 0), 0));
			const fast = pathShapley(paths).values;
			names.forEach((name, i) => expect(fast[name] ?? 0).toBeCloseTo(exact[i], 9));
		}
	});
});
