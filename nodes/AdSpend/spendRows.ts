import { campaignName } from '../SalesReport/breakdown';
import { toCents } from '../shared/money';
import { quote, readMoney, type ItemProblem, type Reading } from '../shared/validation';

/** Whether a cost includes VAT: Direct says so per report (IncludeVAT), Google Ads reports costs without taxes, a table may not say. */
export type Vat = 'included' | 'excluded' | 'unknown';

export const VAT_VALUES: readonly Vat[] = ['included', 'excluded', 'unknown'];

/**
 * What one campaign cost on one day, as the Ad Spend node outputs it. periodStart = periodEnd = date and spend = cost,
 * so the rows can be given as they are as the Ad Spend table of Attribution and the Sales Report (AdSpendRow).
 */
export interface SpendRow {
	date: string;
	platform: string;
	source: string;
	medium: string;
	/** The campaign's name as the platform gives it; null for spend of a whole channel (a table row without a campaign). */
	campaign: string | null;
	/** The name as the Sales Report groups campaigns (campaignName): what the campaign's utm_campaign normalises to when they match. */
	utmCampaign: string | null;
	campaignId: string | null;
	cost: number;
	currency: string;
	vat: Vat;
	clicks: number | null;
	impressions: number | null;
	periodStart: string;
	periodEnd: string;
	spend: number;
}

/** One row as a platform's report gives it, money already in whole cents. */
export interface RawSpend {
	date: string;
	campaign: string | null;
	campaignId: string | null;
	cents: number;
	clicks: number | null;
	impressions: number | null;
}

/** What a whole report says about its rows. */
export interface SpendChannel {
	platform: string;
	source: string;
	medium: string;
	currency: string;
	vat: Vat;
}

/** Longer campaign names are refused (Direct and Google Ads allow 255 characters): only a broken or hostile value is this long. */
export const MAX_CAMPAIGN_NAME = 1000;

/**
 * Micros (an amount times 1,000,000, as integer text: Google's cost_micros, Direct's Cost without
 * returnMoneyInMicros: false) as whole cents, half up, with integer math only: "1234560000" -> 123456. null for
 * what is not a non-negative integer of at most 18 digits.
 */
export function microsToCents(micros: string): number | null {
	if (micros.length === 0 || micros.length > 18) return null;
	for (let i = 0; i < micros.length; i++) {
		const code = micros.charCodeAt(i);
		if (code < 48 || code > 57) return null;
	}
	const value = BigInt(micros);
	return Number((value + 5000n) / 10000n);
}

/** A day's cost of one campaign above this is no cost but a mistake (a row's total, a date read as a number). */
export const MAX_COST = 1e12;

/**
 * A cost written as a decimal (a table's cell as CRMs write it, "1 234,56"; VK Ads' Decimal text, "123.456") as whole
 * cents, half up on the decimal digits (the pack's money reader, then toCents: "123.456" -> 12346, "1.005" -> 101),
 * so no float sum or product touches it; or why it is not a cost: not an amount, negative, over MAX_COST.
 */
export function readCost(value: unknown): Reading<number> {
	const money = readMoney(value);
	if ('reason' in money) return money;
	return money.value >= 0 && money.value <= MAX_COST ? { value: toCents(money.value) } : { reason: `${quote(value)} is negative or over ${MAX_COST}` };
}

/** Whole cents as the amount the rows carry: 123456 -> 1234.56 (the double nearest the decimal, no drift from sums). */
export function centsToAmount(cents: number): number {
	return cents / 100;
}

/** The output row of a report row. */
export function spendRow(raw: RawSpend, channel: SpendChannel): SpendRow {
	const cost = centsToAmount(raw.cents);
	return {
		date: raw.date,
		platform: channel.platform,
		source: channel.source,
		medium: channel.medium,
		campaign: raw.campaign,
		utmCampaign: campaignName(raw.campaign),
		campaignId: raw.campaignId,
		cost,
		currency: channel.currency,
		vat: channel.vat,
		clicks: raw.clicks,
		impressions: raw.impressions,
		periodStart: raw.date,
		periodEnd: raw.date,
		spend: cost,
	};
}

/** A date as YYYY-MM-DD that exists (2026-02-30 does not), or null. */
export function isoDate(text: string): string | null {
	if (text.length !== 10 || text[4] !== '-' || text[7] !== '-') return null;
	const time = Date.parse(`${text}T00:00:00Z`);
	return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === text ? text : null;
}

/** A count (clicks, impressions) as a non-negative whole number, or null. */
export function readCount(value: unknown): number | null {
	const number = typeof value === 'number' ? value : typeof value === 'string' && value.length > 0 && value.length <= 16 && /^\d+$/.test(value) ? Number(value) : NaN;
	return Number.isSafeInteger(number) && number >= 0 ? number : null;
}

/** Why a campaign name cannot be taken, or null. */
export function campaignNameProblem(name: string): string | null {
	return name.length > MAX_CAMPAIGN_NAME ? `the campaign name is ${name.length} characters long, over the ${MAX_CAMPAIGN_NAME}-character cap` : null;
}

/**
 * The rows of a report, each (date, platform, campaign) once: a later row for the same day and campaign is a problem
 * (reported with where it came from, never added in twice nor dropped unseen). `where(i)` names row i in messages and
 * gives its input item (the name in lower case: "item 3", "row 7").
 */
export function uniqueRows<T extends { row: SpendRow }>(rows: readonly T[], where: (index: number) => { itemIndex: number; name: string }): { rows: T[]; problems: ItemProblem[] } {
	const seen = new Map<string, number>();
	const kept: T[] = [];
	const problems: ItemProblem[] = [];
	rows.forEach((entry, index) => {
		const { row } = entry;
		const key = [row.date, row.platform, row.source, row.medium, row.campaignId ?? '', row.campaign ?? ''].join('\u0000');
		const first = seen.get(key);
		if (first === undefined) {
			seen.set(key, index);
			kept.push(entry);
			return;
		}
		const at = where(index);
		problems.push({
			itemIndex: at.itemIndex,
			message: `${at.name[0].toUpperCase()}${at.name.slice(1)}: ${row.date} ${row.campaign ?? '(no campaign)'} is given again (first at ${where(first).name}); it is left out, not added twice`,
			description: 'Give each day and campaign once: remove the repeated row, or add the two up in one row if both are real spend.',
		});
	});
	return { rows: kept, problems };
}
