import type { Credit, Deal } from '../shared/contracts';
import type { DealTable, DealWeigher, TouchSpan } from './dealTable';

/**
 * Remainders closer than this (in cents) are a tie. Shares such as 8/15 and 2/15 of 100.00 leave remainders that are
 * equal in exact arithmetic but differ by 1e-12 in doubles; without a margin that noise, not the touch order, would
 * pick who gets the cent. Far above the noise (amount x 1e-16) and far below any real difference in a split.
 */
const TIE = 1e-6;

/**
 * Splits `cents` (an integer; negative for a refund) over out[start..end-1] by the weights there, exactly: each
 * touch gets the floor of its exact share, the cents left over go one each to the largest remainders, ties to the
 * earlier touch. The parts add up to `cents`.
 */
export function splitCents(cents: number, weights: Float64Array, start: number, end: number, out: Float64Array): void {
	const amount = Math.abs(cents);
	let left = amount;
	for (let i = start; i < end; i++) {
		out[i] = Math.floor(weights[i] * amount);
		left -= out[i];
	}
	// Weights sum to 1 within rounding, so 0 <= left <= number of touches: a touch gets at most one extra cent. A
	// touch that got one has a negative remainder and loses to every other. A scan per cent beats sorting for the
	// handful of touches a deal has.
	for (; left > 0; left--) {
		let best = start;
		let bestRemainder = -Infinity;
		for (let i = start; i < end; i++) {
			const remainder = weights[i] * amount - out[i];
			if (remainder > bestRemainder + TIE) {
				best = i;
				bestRemainder = remainder;
			}
		}
		out[best]++;
	}
	// 0 - x rather than -x: a refund's zero parts stay 0, not -0.
	if (cents < 0) for (let i = start; i < end; i++) out[i] = 0 - out[i];
}

/**
 * Deal-level weights for the models that score channels over all paths (Markov, Shapley): the deal is split over
 * the channels on its path in proportion to their global shares, and a channel's part evenly over its touches in
 * the deal. When every channel on the path scores 0 the deal falls back to linear (equal per touch), so a deal is
 * never left without credit.
 */
export function globalShareWeigher(channelShares: Float64Array): DealWeigher {
	const touchesInDeal = new Int32Array(channelShares.length);
	return (span, out) => {
		let sharesOnPath = 0;
		for (let i = span.start; i < span.end; i++) {
			if (touchesInDeal[span.channel[i]]++ === 0) sharesOnPath += channelShares[span.channel[i]];
		}
		const count = span.end - span.start;
		for (let i = span.start; i < span.end; i++) {
			const channel = span.channel[i];
			out[i] = sharesOnPath > 0 ? channelShares[channel] / sharesOnPath / touchesInDeal[channel] : 1 / count;
		}
		for (let i = span.start; i < span.end; i++) touchesInDeal[span.channel[i]] = 0;
	};
}

/**
 * Appends one Credit per touch of every deal that has touches, weighted by `weigher`, with the revenue split to
 * the cent. Returns the orders each channel got (the sum of its touches' weights), by channel number.
 */
export function creditDeals(
	deals: readonly Deal[],
	table: DealTable,
	channelNames: readonly string[],
	model: string,
	weigher: DealWeigher,
	credits: Credit[],
): Float64Array {
	const touches = table.channel.length;
	const weights = new Float64Array(touches);
	const cents = new Float64Array(touches);
	const orders = new Float64Array(channelNames.length);
	const span: TouchSpan = { start: 0, end: 0, channel: table.channel, direct: table.direct, ageDays: table.ageDays };
	for (let d = 0; d < deals.length; d++) {
		span.start = table.start[d];
		span.end = table.start[d + 1];
		if (span.start === span.end) continue;
		weigher(span, weights);
		splitCents(table.cents[d], weights, span.start, span.end, cents);
		const { orderId, currency } = deals[d];
		for (let i = span.start; i < span.end; i++) {
			const channel = table.channel[i];
			orders[channel] += weights[i];
			credits.push({ orderId, touchId: table.touchId[i], model, channel: channelNames[channel], share: weights[i], revenue: cents[i] / 100, currency });
		}
	}
	return orders;
}
