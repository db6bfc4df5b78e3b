import { revenueCents } from '../Attribution/dealTable';
import type { Order } from '../shared/contracts';
import type { UnattributedReason, UnattributedRow } from './reportModel';

/** An order the Order Matcher found no touch for, as its "Orders Without Touch" output gives it. */
export type UnmatchedOrder = Order & { unmatchedReason?: unknown };

/**
 * The Order Matcher's reasons (see unmatchedOrderReason there), by how they begin; the reason of a touch-less order
 * that did not come from the matcher, or a text written by a later version, is "other", not a guess.
 */
const REASON_STARTS: ReadonlyArray<[string, UnattributedReason]> = [
	['the order has no phone, e-mail or client id', 'no contact data'],
	['its only identity values are blocked as shared', 'shared value blocked'],
	['its createdAt', 'no date'],
	['no touch of this customer within', 'no touch in the window'],
];

export function unattributedReason(reason: unknown): UnattributedReason {
	if (typeof reason !== 'string') return 'other';
	const text = reason.trimStart();
	return REASON_STARTS.find(([start]) => text.startsWith(start))?.[1] ?? 'other';
}

/** Whole orders and cents per currency. */
export type Totals = Map<string | null, { orders: number; cents: number }>;

export function addTo(totals: Totals, currency: string | null, cents: number): void {
	const total = totals.get(currency) ?? { orders: 0, cents: 0 };
	total.orders++;
	total.cents += cents;
	totals.set(currency, total);
}

/** An order's total in cents, as Attribution reads it (decimal half up); an order without a total counts as 0. */
export function centsOf(total: number | null): number {
	return revenueCents(total) ?? 0;
}

/**
 * Orders without a source per reason and currency, with their part of all the period's orders (`attributed` holds
 * the attributed ones per currency). An order without a total counts as an order with revenue 0.
 */
export function unattributedOrders(orders: readonly UnmatchedOrder[], attributed: Totals): UnattributedRow[] {
	const byReason = new Map<string, { reason: UnattributedReason; currency: string | null; totals: { orders: number; cents: number } }>();
	const all: Totals = new Map([...attributed].map(([currency, total]) => [currency, { ...total }]));
	for (const order of orders) {
		const reason = unattributedReason(order.unmatchedReason);
		const currency = order.currency ?? null;
		const key = `${reason}\u0000${currency ?? ''}`;
		const row = byReason.get(key) ?? { reason, currency, totals: { orders: 0, cents: 0 } };
		row.totals.orders++;
		row.totals.cents += centsOf(order.total);
		byReason.set(key, row);
		addTo(all, currency, centsOf(order.total));
	}
	return [...byReason.values()]
		.map(({ reason, currency, totals }): UnattributedRow => {
			const total = all.get(currency) ?? { orders: 0, cents: 0 };
			return {
				reason,
				currency,
				orders: totals.orders,
				revenue: totals.cents / 100,
				orderShare: total.orders === 0 ? null : totals.orders / total.orders,
				revenueShare: total.cents === 0 ? null : totals.cents / total.cents,
			};
		})
		.sort((a, b) => (a.currency ?? '').localeCompare(b.currency ?? '') || b.revenue - a.revenue || a.reason.localeCompare(b.reason));
}
