import type { TouchKind } from '../shared/contracts';

/**
 * The figures of the Sales Report node, one interface per table. Orders are fractional where they come from
 * attribution credits (the sum of the credit shares); money is in the currency's units, added up in whole cents.
 */

/** The utm levels a report can group by, from the coarsest. */
export type UtmLevel = 'source' | 'medium' | 'campaign' | 'content' | 'term';

export const UTM_LEVELS: readonly UtmLevel[] = ['source', 'medium', 'campaign', 'content', 'term'];

export const TOUCH_KINDS: readonly TouchKind[] = ['call', 'chat', 'form', 'cart', 'email', 'visit'];

export interface OrdersAndRevenue {
	orders: number;
	revenue: number;
}

/** One group of the drill-down (e.g. google / cpc / brand) in one currency. */
export interface BreakdownRow extends OrdersAndRevenue {
	/** The group's value at each level asked, in the order asked; "(none)" where the touch had none. */
	group: Partial<Record<UtmLevel, string>>;
	/** The values joined with " / ": the row's name. */
	name: string;
	currency: string | null;
	/** The group's part of the revenue in its currency; null when that revenue is 0. */
	revenueShare: number | null;
	/** Orders and revenue by the kind of the deal's converting touch (its last one): how the order came in. */
	byConvertingKind: Record<TouchKind, OrdersAndRevenue>;
	/** Orders and revenue of the deals that had at least one touch of each kind (a deal counts under every kind it had). */
	byKindTouched: Record<TouchKind, OrdersAndRevenue>;
	/** byConvertingKind.call: the order came by phone. */
	phone: OrdersAndRevenue;
	/** Every other converting kind: the order came online. */
	online: OrdersAndRevenue;
	/** Only with an ad-spend table: what the group cost, cost per order, and (revenue - spend) / spend. */
	spend?: number;
	cpo?: number | null;
	romi?: number | null;
}

/**
 * A customer (one person across phones, e-mails and client ids) by their won orders:
 * - new: their first order ever is in the period;
 * - returning: they ordered in the period and their previous order was at most N days before;
 * - reactivated: they ordered in the period and their previous order was more than N days before;
 * - lapsed: they ordered before the period, not in it, and their last order is more than N days before the period's end.
 */
export type CustomerSegment = 'new' | 'returning' | 'reactivated' | 'lapsed';

/** Customers and their orders per segment and channel. */
export interface CustomerSegmentRow extends OrdersAndRevenue {
	segment: CustomerSegment;
	/** "source / medium" the orders are credited to; "(all)" for the segment's total row. */
	channel: string;
	currency: string | null;
	/** People with an order credited (in any part) to the channel; on "(all)" rows, the people of the segment. */
	customers: number;
	/** orders / customers and revenue / customers; null when customers is 0. Lapsed rows count their orders before the period. */
	ordersPerCustomer: number | null;
	revenuePerCustomer: number | null;
}

/**
 * Per channel: how much of its revenue is repeat sales (orders other than the customer's first ever), over the
 * period's orders of identified customers (an order without a phone, e-mail or client id cannot be told repeat).
 */
export interface RepeatSalesRow {
	channel: string;
	currency: string | null;
	orders: number;
	revenue: number;
	repeatOrders: number;
	repeatRevenue: number;
	/** repeatRevenue / revenue; null when revenue is 0. */
	repeatRevenueShare: number | null;
}

/**
 * The channel of a customer's first order ever (its credit with the largest share) beside the channels of their
 * repeat orders in the period.
 */
export interface FirstVersusRepeatRow extends OrdersAndRevenue {
	firstChannel: string;
	repeatChannel: string;
	currency: string | null;
}

export type UnattributedReason = 'no contact data' | 'no touch in the window' | 'shared value blocked' | 'no date' | 'other';

export interface UnattributedRow extends OrdersAndRevenue {
	reason: UnattributedReason;
	currency: string | null;
	/** Part of all orders of the period (attributed or not) in this currency. */
	orderShare: number | null;
	revenueShare: number | null;
}

/** A figure this period beside the previous one. */
export interface Change {
	current: number;
	previous: number;
	/** (current - previous) / previous; null when previous is 0. */
	change: number | null;
}

export interface PeriodComparisonRow {
	name: string;
	currency: string | null;
	orders: Change;
	revenue: Change;
}

/** Everything the dashboard page shows. */
export interface Dashboard {
	title: string;
	/** YYYY-MM-DD, both ends included. */
	period: { start: string; end: string };
	previousPeriod: { start: string; end: string } | null;
	/** The attribution model the figures are credited by, as the user reads it (e.g. "Last Non-Direct"). */
	model: string;
	/** The levels of the drill-down, e.g. ["source", "medium", "campaign"]. */
	levels: UtmLevel[];
	/** The breakdown by the first two levels (channels) and by all levels asked (campaigns). */
	channels: BreakdownRow[];
	campaigns: BreakdownRow[];
	customers: CustomerSegmentRow[];
	repeatSales: RepeatSalesRow[];
	unattributed: UnattributedRow[];
	comparison: PeriodComparisonRow[];
	/** When the page was made, ISO 8601. */
	generatedAt: string;
}
