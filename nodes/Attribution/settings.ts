import { InputDataError } from '../shared/errors';
import { jsonArrayParameter } from '../shared/jsonArray';
import type { NumberRule } from '../shared/validation';
import type { AdSpendRow } from './adSpend';
import { DEFAULT_HEURISTIC_SETTINGS, type PositionWeights } from './heuristicModels';

const { first, middle, last } = DEFAULT_HEURISTIC_SETTINGS.positionWeights;
/** The Position-Based Weights parameter's default: the model's default weights in percent, "40/20/40". */
export const DEFAULT_POSITION_WEIGHTS = [first, middle, last].map((part) => Math.round(part * 100)).join('/');

/** The Time Decay Half-Life (Days) parameter: over ten years no touch would lose weight worth speaking of. */
export const HALF_LIFE_DAYS: NumberRule = { name: 'Time Decay Half-Life (Days)', min: 0.01, max: 3650 };

/** "40/20/40" (or "0.4, 0.2, 0.4") → first, middle, last. */
export function parsePositionWeights(value: unknown): PositionWeights {
	const parts = String(value)
		.split(/[/,;\s]+/)
		.filter((part) => part !== '')
		.map(Number);
	if (parts.length !== 3 || parts.some((part) => !Number.isFinite(part))) {
		throw new InputDataError(`Position-based weights "${String(value)}" are not three numbers`, 'Write them as first/middle/last, e.g. 40/20/40.');
	}
	return { first: parts[0], middle: parts[1], last: parts[2] };
}

/** The ad-spend table from JSON text or an array given by an expression. */
export function parseSpendTable(value: unknown): AdSpendRow[] {
	const rows = jsonArrayParameter<AdSpendRow>(value, 'Ad Spend (JSON)', 'Give an array of {source, medium, periodStart, periodEnd, spend, currency}.');
	return rows.map((row) => ({ ...row, currency: row.currency ?? null, spend: Number(row.spend) }));
}
