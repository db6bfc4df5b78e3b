import type { Utm } from '../shared/contracts';
import { InputDataError } from '../shared/errors';
import { normaliseCurrency } from '../shared/money';
import type { Period } from './attribute';
import { channelKey } from './channels';

/** What was spent on a channel over a period, from an ad cabinet or a spreadsheet. */
export interface AdSpendRow {
	/** "source / medium"; or leave it out and give source and medium. */
	channel?: string | null;
	source?: string | null;
	medium?: string | null;
	/** The finer utm levels the spend is for, when the ad cabinet gives them (the Sales Report's campaign breakdown). */
	campaign?: string | null;
	content?: string | null;
	term?: string | null;
	/** YYYY-MM-DD (a date-time counts by its date); both ends included. */
	periodStart: string;
	periodEnd: string;
	spend: number;
	/** Null: the currency of the orders, when they are all in one. */
	currency: string | null;
}

const DAY_MS = 86_400_000;

function dayNumber(text: string, what: string): number {
	const date = text.trim().slice(0, 10);
	const day = Date.parse(`${date}T00:00:00Z`) / DAY_MS;
	// The round trip refuses dates that do not exist (2024-02-30) instead of rolling them over.
	if (!Number.isInteger(day) || new Date(day * DAY_MS).toISOString().slice(0, 10) !== date) throw new InputDataError(`${what} "${text}" is not a date`, 'Write dates as YYYY-MM-DD.');
	return day;
}

/** The source and medium a spend row names, as written: from "Google / CPC" in `channel`, or from its source and medium. */
export function spendSourceMedium(row: AdSpendRow): Pick<Utm, 'source' | 'medium'> {
	if (!row.channel) return { source: row.source ?? null, medium: row.medium ?? null };
	const slash = row.channel.indexOf('/');
	return slash < 0 ? { source: row.channel, medium: null } : { source: row.channel.slice(0, slash), medium: row.channel.slice(slash + 1) };
}

/**
 * Spend per currency and channel ("Google / CPC", "google/cpc" and source "google" + medium "cpc" are all
 * "google / cpc"): spendByGroup with the channel as the group.
 */
export function spendByChannel(
	rows: readonly AdSpendRow[],
	period: Period | null,
	currencyOf: (currency: string | null, row: number) => string | null,
): Map<string | null, Map<string, number>> {
	return spendByGroup(rows, period, currencyOf, (row) => channelKey(spendSourceMedium(row)));
}

/**
 * Spend per currency and group, the group of a row being what `groupOf` names it (a channel, a campaign). Within
 * `period` a row counts by the share of its days that fall in the period (a monthly row and a report on its first
 * ten days: 10/31 of it), so the spend matches the orders it is set against; without a period every row counts
 * whole. `currencyOf` matches a row's currency (ISO 4217 or null) to the orders' one, or throws.
 */
export function spendByGroup(
	rows: readonly AdSpendRow[],
	period: Period | null,
	currencyOf: (currency: string | null, row: number) => string | null,
	groupOf: (row: AdSpendRow) => string,
): Map<string | null, Map<string, number>> {
	const first = period ? dayNumber(period.start, 'The report period start') : -Infinity;
	const last = period ? dayNumber(period.end, 'The report period end') : Infinity;
	const spend = new Map<string | null, Map<string, number>>();
	rows.forEach((row, i) => {
		const number = i + 1;
		if (!(row.spend >= 0 && Number.isFinite(row.spend))) throw new InputDataError(`Ad spend row ${number}: spend ${row.spend} is not a non-negative number`);
		const code = row.currency ? normaliseCurrency(row.currency) : null;
		if (row.currency && code === null) throw new InputDataError(`Ad spend row ${number}: unknown currency "${row.currency}"`, 'Use an ISO 4217 code such as RUB or USD.');
		const currency = currencyOf(code, number);
		const start = dayNumber(row.periodStart, `Ad spend row ${number}: period start`);
		const end = dayNumber(row.periodEnd, `Ad spend row ${number}: period end`);
		if (end < start) throw new InputDataError(`Ad spend row ${number}: the period ends before it starts`);
		const overlap = Math.min(end, last) - Math.max(start, first) + 1;
		if (overlap <= 0) return;
		const byGroup = spend.get(currency) ?? new Map<string, number>();
		const group = groupOf(row);
		byGroup.set(group, (byGroup.get(group) ?? 0) + (row.spend * overlap) / (end - start + 1));
		spend.set(currency, byGroup);
	});
	return spend;
}
