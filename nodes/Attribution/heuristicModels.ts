import type { DealWeigher, TouchSpan } from './dealTable';

export const HEURISTIC_MODELS = ['first', 'last', 'lastNonDirect', 'linear', 'timeDecay', 'positionBased'] as const;

export type HeuristicModel = (typeof HEURISTIC_MODELS)[number];

/** Parts of the first, the middle and the last touches in the position-based model; any non-negative scale. */
export interface PositionWeights {
	first: number;
	middle: number;
	last: number;
}

export interface HeuristicSettings {
	halfLifeDays: number;
	positionWeights: PositionWeights;
}

/** The Time Decay Half-Life (Days) parameter's default. */
export const DEFAULT_HALF_LIFE_DAYS = 7;

export const DEFAULT_HEURISTIC_SETTINGS: HeuristicSettings = {
	halfLifeDays: DEFAULT_HALF_LIFE_DAYS,
	positionWeights: { first: 0.4, middle: 0.2, last: 0.4 },
};

function single(out: Float64Array, span: TouchSpan, index: number): void {
	out.fill(0, span.start, span.end);
	out[index] = 1;
}

const first: DealWeigher = (span, out) => single(out, span, span.start);

const last: DealWeigher = (span, out) => single(out, span, span.end - 1);

/** The last touch that is not direct or internal; a deal with direct touches only credits its last one. */
const lastNonDirect: DealWeigher = (span, out) => {
	let index = span.end - 1;
	while (index > span.start && span.direct[index] === 1) index--;
	single(out, span, span.direct[index] === 1 ? span.end - 1 : index);
};

const linear: DealWeigher = (span, out) => out.fill(1 / (span.end - span.start), span.start, span.end);

/**
 * Weight 2^(-age / half-life), normalised. Ages are taken relative to the youngest touch before exponentiation:
 * the ratio between weights is the same, and touches years old do not all underflow to 0 (which would leave 0/0).
 */
function timeDecay(halfLifeDays: number): DealWeigher {
	return (span, out) => {
		let youngest = Infinity;
		for (let i = span.start; i < span.end; i++) youngest = Math.min(youngest, span.ageDays[i]);
		let sum = 0;
		for (let i = span.start; i < span.end; i++) {
			out[i] = Math.pow(2, -(span.ageDays[i] - youngest) / halfLifeDays);
			sum += out[i];
		}
		for (let i = span.start; i < span.end; i++) out[i] /= sum;
	};
}

/**
 * First gets F, last gets L, the touches between share M equally (F + M + L scaled to 1). With one touch it gets
 * everything; with two there is no middle, so first and last split in proportion F : L (50/50 for 40/20/40), and
 * evenly if both F and L are 0.
 */
function positionBased({ first: f, middle: m, last: l }: PositionWeights): DealWeigher {
	const total = f + m + l;
	return (span, out) => {
		const count = span.end - span.start;
		if (count === 1) {
			out[span.start] = 1;
			return;
		}
		if (count === 2) {
			const ends = f + l;
			out[span.start] = ends > 0 ? f / ends : 0.5;
			out[span.start + 1] = ends > 0 ? l / ends : 0.5;
			return;
		}
		out.fill(m / total / (count - 2), span.start + 1, span.end - 1);
		out[span.start] = f / total;
		out[span.end - 1] = l / total;
	};
}

/** The weigher of one rule-based model; settings are checked by the caller (see attributeDeals). */
export function heuristicWeigher(model: HeuristicModel, settings: HeuristicSettings): DealWeigher {
	switch (model) {
		case 'first':
			return first;
		case 'last':
			return last;
		case 'lastNonDirect':
			return lastNonDirect;
		case 'linear':
			return linear;
		case 'timeDecay':
			return timeDecay(settings.halfLifeDays);
		case 'positionBased':
			return positionBased(settings.positionWeights);
	}
}
