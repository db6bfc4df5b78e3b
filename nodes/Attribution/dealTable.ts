import type { Deal } from '../shared/contracts';
import type { ChannelTable } from './channels';
import { toCents } from '../shared/money';

/**
 * One deal's touches as the models see them: positions start..end-1 of the flat per-touch arrays of a DealTable,
 * in time order.
 */
export interface TouchSpan {
	start: number;
	end: number;
	/** Channel number per touch (see ChannelTable). */
	channel: Int32Array;
	/** 1 where the touch is direct or internal. */
	direct: Uint8Array;
	/** Days from the touch to the order; 0 for a touch after the order. */
	ageDays: Float64Array;
}

/** Writes the weights (summing to 1) of one deal's touches into out[span.start..span.end-1]. */
export type DealWeigher = (span: TouchSpan, out: Float64Array) => void;

/** All deals of a run in flat typed arrays, so 100,000 deals cost no per-touch objects in the model loops. */
export interface DealTable extends Omit<TouchSpan, 'start' | 'end'> {
	/** Deal d's touches are positions start[d]..start[d + 1] - 1. */
	start: Int32Array;
	/** Revenue per deal in whole cents; 0 for a deal without a total. */
	cents: Float64Array;
	/** Touch id per touch: read once here rather than through deal -> touches -> touch for every model. */
	touchId: string[];
}

const DAY_MS = 86_400_000;

/** A deal's revenue in whole cents (totals with more decimals are rounded to cents); null without a usable total. */
export function revenueCents(total: number | null): number | null {
	return total !== null && Number.isFinite(total) ? toCents(total) : null;
}

/**
 * Flattens the deals; touches keep the order the deal gives them (the contract's time order). Ages, when asked
 * for (only time decay needs them, and reading 100,000s of dates is a good part of the run), are measured from
 * the order time, or from the deal's latest touch when the order has no time (only differences in age matter
 * then); a touch whose time cannot be read counts as made at the order time.
 */
export function buildDealTable(deals: readonly Deal[], channels: ChannelTable, withAges: boolean): DealTable {
	let touches = 0;
	for (const deal of deals) touches += deal.touches.length;
	const table: DealTable = {
		start: new Int32Array(deals.length + 1),
		channel: new Int32Array(touches),
		direct: new Uint8Array(touches),
		ageDays: new Float64Array(touches),
		cents: new Float64Array(deals.length),
		touchId: new Array<string>(touches),
	};
	let position = 0;
	for (let d = 0; d < deals.length; d++) {
		const deal = deals[d];
		table.start[d] = position;
		table.cents[d] = revenueCents(deal.total) ?? 0;
		for (const touch of deal.touches) {
			const channel = channels.indexOf(touch.channel);
			table.channel[position] = channel;
			table.touchId[position] = touch.touchId;
			table.direct[position++] = channels.direct[channel] ? 1 : 0;
		}
		if (withAges) measureAges(deal, table.start[d], table.ageDays);
	}
	table.start[deals.length] = position;
	return table;
}

function measureAges(deal: Deal, start: number, ageDays: Float64Array): void {
	const end = start + deal.touches.length;
	let latest = -Infinity;
	for (let i = start; i < end; i++) {
		ageDays[i] = Date.parse(deal.touches[i - start].at);
		if (ageDays[i] > latest) latest = ageDays[i];
	}
	const ordered = deal.createdAt === null ? NaN : Date.parse(deal.createdAt);
	const reference = Number.isNaN(ordered) ? latest : ordered;
	for (let i = start; i < end; i++) ageDays[i] = Number.isNaN(ageDays[i]) ? 0 : Math.max(0, (reference - ageDays[i]) / DAY_MS);
}
