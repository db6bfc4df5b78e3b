import type { Credit } from '../shared/contracts';
import { InputDataError } from '../shared/errors';
import { roundMoney } from '../shared/money';
import { spendByChannel, type AdSpendRow } from './adSpend';
import type { Period } from './attribute';

export interface ChannelReportRow {
	model: string;
	channel: string;
	currency: string | null;
	/** Fractional orders: the sum of the channel's credit shares. */
	orders: number;
	revenue: number;
	/** The channel's part of the model's revenue in this currency; null when that revenue is 0. */
	revenueShare: number | null;
	/** revenue / orders. */
	averageOrder: number | null;
	/** Touches of the channel, converting or not (see countTouchesByChannel). */
	touches: number;
	/** orders / touches. */
	conversion: number | null;
	/** The next three only when an ad-spend table is given. */
	spend?: number;
	/** Cost per order: spend / orders. */
	cpo?: number | null;
	/** Return on marketing investment on revenue, as a fraction: (revenue - spend) / spend; 0.5 is +50 %. */
	romi?: number | null;
}

export interface ChannelReportOptions {
	/** Touches per channel, from countTouchesByChannel. */
	touchesByChannel?: Record<string, number>;
	spend?: AdSpendRow[];
	/** Spend rows count by their overlap with this period (see spendByChannel); usually the attribution's period. */
	period?: Period | null;
}

interface Tally {
	orders: number;
	cents: number;
}

/** Credits of one model in one currency, per channel. */
interface Group {
	model: string;
	currency: string | null;
	channels: Map<string, Tally>;
}

/**
 * The channel report: per model, currency and channel, orders, revenue, share, average order, touches and
 * conversion, and with an ad-spend table spend, cost per order and ROMI. Revenue adds up in whole cents (so
 * channel revenues sum to the credited revenue exactly); money is rounded to cents, ratios are not rounded.
 * Rows go by model as the credits do, then currency, then revenue, largest first.
 */
export function channelReport(credits: readonly Credit[], options: ChannelReportOptions = {}): ChannelReportRow[] {
	const groups = groupCredits(credits);
	if (groups.length === 0) return [];
	const currencies = new Set(groups.map((group) => group.currency));
	const spend = options.spend ? spendByChannel(options.spend, options.period ?? null, (currency, row) => orderCurrency(currencies, currency, row)) : null;
	const rows: ChannelReportRow[] = [];
	for (const group of groups) {
		const groupSpend = spend?.get(group.currency) ?? new Map<string, number>();
		// A channel with spend or touches and no orders is a row too: effort that brought nothing is what the report is for.
		for (const channel of [...groupSpend.keys(), ...Object.keys(options.touchesByChannel ?? {})]) {
			if (!group.channels.has(channel)) group.channels.set(channel, { orders: 0, cents: 0 });
		}
		let totalCents = 0;
		for (const tally of group.channels.values()) totalCents += tally.cents;
		const groupRows = [...group.channels].map(([channel, tally]): ChannelReportRow => {
			const revenue = tally.cents / 100;
			const touches = options.touchesByChannel?.[channel] ?? 0;
			const row: ChannelReportRow = {
				model: group.model,
				channel,
				currency: group.currency,
				orders: tally.orders,
				revenue,
				revenueShare: totalCents === 0 ? null : tally.cents / totalCents,
				averageOrder: tally.orders > 0 ? roundMoney(revenue / tally.orders) : null,
				touches,
				conversion: touches > 0 ? tally.orders / touches : null,
			};
			if (spend) {
				const spent = roundMoney(groupSpend.get(channel) ?? 0);
				row.spend = spent;
				row.cpo = tally.orders > 0 ? roundMoney(spent / tally.orders) : null;
				row.romi = spent > 0 ? (revenue - spent) / spent : null;
			}
			return row;
		});
		rows.push(...groupRows.sort((a, b) => b.revenue - a.revenue || a.channel.localeCompare(b.channel)));
	}
	return rows;
}

/** Groups credits by model and currency; credits come in long runs of one model, so the group look-up is rare. */
function groupCredits(credits: readonly Credit[]): Group[] {
	const groups: Group[] = [];
	let group: Group | undefined;
	for (const credit of credits) {
		if (group?.model !== credit.model || group.currency !== credit.currency) {
			group = groups.find((g) => g.model === credit.model && g.currency === credit.currency);
			if (group === undefined) {
				group = { model: credit.model, currency: credit.currency, channels: new Map() };
				groups.push(group);
			}
		}
		let tally = group.channels.get(credit.channel);
		if (tally === undefined) {
			tally = { orders: 0, cents: 0 };
			group.channels.set(credit.channel, tally);
		}
		tally.orders += credit.share;
		tally.cents += Math.round(credit.revenue * 100);
	}
	const models = [...new Set(groups.map((g) => g.model))];
	return groups.sort((a, b) => models.indexOf(a.model) - models.indexOf(b.model) || (a.currency ?? '').localeCompare(b.currency ?? ''));
}

/**
 * The orders' currency that a spend row is in. A currency missing on either side is taken as the other one when
 * the orders are all in one currency; with several, every spend row must name one of them.
 */
export function orderCurrency(orderCurrencies: ReadonlySet<string | null>, currency: string | null, row: number): string | null {
	const only = orderCurrencies.size === 1 ? (orderCurrencies.values().next().value as string | null) : undefined;
	if (only !== undefined && (currency === null || only === null || currency === only)) return only;
	if (only === undefined && currency !== null && orderCurrencies.has(currency)) return currency;
	if (currency === null) {
		throw new InputDataError(`Ad spend row ${row} has no currency and the orders are in several`, 'Fill in the currency of every ad spend row.');
	}
	const named = [...orderCurrencies].filter((name) => name !== null).join(', ');
	const unnamed = orderCurrencies.has(null) ? ' (and there are orders without a currency)' : '';
	throw new InputDataError(`Ad spend row ${row} is in ${currency}, the orders are in ${named}${unnamed}`, "Convert the spend to the orders' currency.");
}
