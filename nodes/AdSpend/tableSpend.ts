import { normaliseCurrency } from '../shared/money';
import { quote } from '../shared/validation';
import { campaignNameProblem, isoDate, readCost, readCount, VAT_VALUES, type SpendRow, type Vat, spendRow } from './spendRows';

/** Which column of a table row holds what (the names as the sheet or CSV has them). */
export interface TableColumns {
	date: string;
	source: string;
	medium: string;
	campaign: string;
	campaignId: string;
	cost: string;
	currency: string;
	clicks: string;
	impressions: string;
	vat: string;
}

export const DEFAULT_COLUMNS: TableColumns = {
	date: 'date',
	source: 'source',
	medium: 'medium',
	campaign: 'campaign',
	campaignId: 'campaignId',
	cost: 'cost',
	currency: 'currency',
	clicks: 'clicks',
	impressions: 'impressions',
	vat: 'vat',
};

export interface TableDefaults {
	/** For rows without one; '' : the row must say. */
	source: string;
	medium: string;
	currency: string;
	vat: Vat;
}

/** Longer text in a cell is no date, source or currency: refused before any reading. */
const MAX_CELL = 200;

/**
 * A date as sheets and CSV exports write it: YYYY-MM-DD (a date-time counts by the date written, its offset unread:
 * the day as the sheet means it), or DD.MM.YYYY as Russian and Ukrainian sheets do. Anything else is refused: 03/04/2026
 * could be either month.
 */
export function tableDate(value: unknown): string | null {
	if (typeof value !== 'string' || value.length > MAX_CELL) return null;
	const text = value.trim();
	if (text.length === 10 && text[2] === '.' && text[5] === '.') return isoDate(`${text.slice(6)}-${text.slice(3, 5)}-${text.slice(0, 2)}`);
	return isoDate(text.slice(0, 10)) !== null && (text.length === 10 || text[10] === 'T' || text[10] === ' ') ? text.slice(0, 10) : null;
}

function cell(row: Record<string, unknown>, column: string): unknown {
	const value = row[column];
	return typeof value === 'string' && value.trim() === '' ? undefined : value;
}

function text(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return typeof value === 'string' ? value.trim() : null;
}

/**
 * One table row (an input item's JSON) as a spend row, or what is wrong with it, all of it at once. Checked as the
 * platforms' rows are: a date, a non-negative cost to the cent (toCents: "1 234,56" and 1234.56 both 123456), a known
 * currency, counts as whole numbers; source and medium from the row or the defaults; the campaign may be left out
 * (spend of a whole channel).
 */
export function tableSpendRow(row: Record<string, unknown>, columns: TableColumns, defaults: TableDefaults): { row: SpendRow } | { problems: string[] } {
	const problems: string[] = [];
	const date = tableDate(cell(row, columns.date));
	if (date === null) problems.push(`${columns.date} ${quote(row[columns.date] ?? null)} is not a date (YYYY-MM-DD or DD.MM.YYYY)`);
	const cost = readCost(cell(row, columns.cost));
	const cents = 'value' in cost ? cost.value : null;
	if ('reason' in cost) problems.push(`${columns.cost} ${cost.reason}`);
	const named = (column: string, fallback: string, what: string) => {
		const value = text(cell(row, column)) ?? fallback;
		if (value === '' || value.length > MAX_CELL) problems.push(value === '' ? `${column} is missing and ${what} is not set` : `${column} is over ${MAX_CELL} characters`);
		return value;
	};
	const source = named(columns.source, defaults.source, 'Source');
	const medium = named(columns.medium, defaults.medium, 'Medium');
	const currencyText = named(columns.currency, defaults.currency, 'Default Currency');
	const currency = currencyText === '' ? null : normaliseCurrency(currencyText.slice(0, MAX_CELL));
	if (currencyText !== '' && currency === null) problems.push(`${columns.currency} ${quote(currencyText)} is not a currency (use an ISO 4217 code such as RUB)`);
	const count = (column: string) => {
		const value = cell(row, column);
		if (value === undefined || value === null) return null;
		const number = readCount(typeof value === 'string' ? value.trim() : value);
		if (number === null) problems.push(`${column} ${quote(value)} is not a whole number`);
		return number;
	};
	const clicks = count(columns.clicks);
	const impressions = count(columns.impressions);
	const campaignValue = cell(row, columns.campaign);
	const campaign = campaignValue === undefined || campaignValue === null ? null : text(campaignValue);
	if (campaignValue !== undefined && campaignValue !== null && campaign === null) problems.push(`${columns.campaign} ${quote(campaignValue)} is not text`);
	const nameProblem = campaign === null ? null : campaignNameProblem(campaign);
	if (nameProblem) problems.push(nameProblem);
	const campaignId = text(cell(row, columns.campaignId) ?? null);
	if (campaignId !== null && campaignId.length > MAX_CELL) problems.push(`${columns.campaignId} is over ${MAX_CELL} characters`);
	const vatValue = text(cell(row, columns.vat) ?? null)?.toLowerCase() ?? defaults.vat;
	if (!VAT_VALUES.includes(vatValue as Vat)) problems.push(`${columns.vat} ${quote(vatValue)} is not one of ${VAT_VALUES.join(', ')}`);
	if (problems.length > 0) return { problems };
	return {
		row: spendRow(
			{ date: date as string, campaign: campaign || null, campaignId, cents: cents as number, clicks, impressions },
			{ platform: 'table', source, medium, currency: currency as string, vat: vatValue as Vat },
		),
	};
}
