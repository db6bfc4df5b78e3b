import { spendByGroup, spendSourceMedium, type AdSpendRow } from '../Attribution/adSpend';
import type { Period } from '../Attribution/attribute';
import { orderCurrency } from '../Attribution/report';
import type { Credit, Deal, Touch } from '../shared/contracts';
import { InputDataError } from '../shared/errors';
import { roundMoney } from '../shared/money';
import { toEpochMs } from '../shared/time';
import { quote } from '../shared/validation';
import { TOUCH_KINDS, UTM_LEVELS, type BreakdownRow, type OrdersAndRevenue, type UtmLevel } from './reportModel';

export interface BreakdownOptions {
	/** The levels to group by, 1 to 5 distinct ones of UTM_LEVELS, in the order the rows name them. */
	levels: readonly UtmLevel[];
	/** Ad spend: with at least one row, every row gets spend, cpo and romi (see breakdown). An empty table is none. */
	spend?: readonly AdSpendRow[];
	/** Spend rows count by their overlap with this period (see spendByGroup); usually the report's period. */
	period?: Period | null;
}

/** A level's value when the touch has none; the medium and every finer level of a direct touch. */
export const NONE_VALUE = '(none)';
/** The source of a touch without one, as GA names it. */
export const DIRECT_SOURCE = '(direct)';
/** Every level of a touch without a channel object: its source is unknown, which is not direct (see NOT_SET_CHANNEL). */
export const NOT_SET_VALUE = '(not set)';

/**
 * A level a spend row does not name although the report groups by it: the spend cannot be split over that level's
 * values (over the campaigns of google / cpc) without a guess, so it gets a row of its own, named so.
 */
export const UNSPLIT_VALUES: Readonly<Record<'campaign' | 'content' | 'term', string>> = {
	campaign: '(all campaigns)',
	content: '(all contents)',
	term: '(all terms)',
};

/** Longer utm values are cut to this many characters: no campaign is named that long, and a key stays small. */
export const MAX_UTM_VALUE = 200;

/**
 * How much of a utm value is read, in characters: 200 characters of any real value fit many times over (escaped,
 * one takes at most 9, or 12 for two code units), so only a broken or hostile value is cut here, and it is named by
 * what its first characters give (quotes closed past the cut are not seen). The cap bounds the work on a megabyte
 * of text to that of 4 KB.
 */
export const MAX_UTM_TEXT = 4096;

/** Joins a group's values into a map key: normalised values hold no control characters (collapseSpaces takes them for spaces). */
const KEY_SEPARATOR = '\u0000';

const CALL = TOUCH_KINDS.indexOf('call');
const KIND_INDEX = new Map<unknown, number>(TOUCH_KINDS.map((kind, i) => [kind, i]));

/** Opening quote -> its closing one, as character codes: straight " and ', Russian «», English “”, German „“, single ‘’. */
const QUOTE_PAIRS = new Map<number, number>([
	[0x22, 0x22],
	[0x27, 0x27],
	[0xab, 0xbb],
	[0x201c, 0x201d],
	[0x201e, 0x201c],
	[0x2018, 0x2019],
]);

/**
 * A utm value (source, medium, campaign, content, term) in the one form the report groups by, or null when nothing
 * is left. The same campaign reaches the report written many ways: "Brand" from one ad platform, "brand" from a
 * hand-typed link, " brand " from a CRM field, "brand%20spring" from a landing address that was never decoded and
 * "brand spring" from one that was. GA4 keeps the case as written and would show them apart; ad platforms differ
 * in case (campaign names are typed by people, templates fill them as given) and nobody means "Brand" and "brand"
 * as two campaigns, so the report lower-cases, as channelKey does for "source / medium": a split campaign would
 * halve its figures. Each step one pass over the text, no regular expression:
 * - percent escapes are decoded (%20, %D0%BA…: UTF-8); escapes that are not well-formed UTF-8 stay as written;
 * - "+" is a space when the value has no whitespace inside (it is still URL-encoded: "Summer+Sale"); with a space
 *   inside it was decoded already and a "+" is a plus ("c++ course");
 * - runs of whitespace (tabs, line breaks, no-break spaces, control characters) become one space, and the ends
 *   are trimmed;
 * - quotes around the value are taken off, nested ones too: «Brand», "Brand", 'Brand', “Brand”;
 * - lower-cased, and cut to MAX_UTM_VALUE characters (UTF-16 code units, never inside a surrogate pair); of a
 *   value longer than MAX_UTM_TEXT, only that many characters are read.
 */
export function campaignName(value: string | null | undefined): string | null {
	if (typeof value !== 'string') return null;
	const read = value.length > MAX_UTM_TEXT ? value.slice(0, MAX_UTM_TEXT) : value;
	// The steps work on UTF-16 code units in one buffer (decoding only shortens the text), with no string built
	// piece by piece.
	const units = new Uint16Array(read.length);
	const [start, end] = unquote(units, collapseSpaces(units, decodeEscapes(read, !hasInnerSpace(read), units)));
	if (start === end) return null;
	// One unit past the cap, so that lower-casing sees the letter after the last one kept (Greek final sigma).
	const text = String.fromCharCode(...units.subarray(start, Math.min(end, start + MAX_UTM_VALUE + 1))).toLowerCase();
	if (text.length <= MAX_UTM_VALUE) return text;
	return text.slice(0, isHighSurrogate(text.charCodeAt(MAX_UTM_VALUE - 1)) ? MAX_UTM_VALUE - 1 : MAX_UTM_VALUE).trimEnd();
}

function isSpace(code: number): boolean {
	return (
		code <= 0x20 ||
		code === 0x7f ||
		code === 0x85 ||
		code === 0xa0 ||
		code === 0x1680 ||
		(code >= 0x2000 && code <= 0x200a) ||
		code === 0x2028 ||
		code === 0x2029 ||
		code === 0x202f ||
		code === 0x205f ||
		code === 0x3000 ||
		code === 0xfeff
	);
}

function isHighSurrogate(code: number): boolean {
	return code >= 0xd800 && code <= 0xdbff;
}

/** The value of a hex digit's character code, or -1 (NaN past the end of the text is -1 too). */
function hexValue(code: number): number {
	if (code >= 48 && code <= 57) return code - 48;
	if (code >= 65 && code <= 70) return code - 55;
	if (code >= 97 && code <= 102) return code - 87;
	return -1;
}

/** A "%" and two hex digits at i. */
function isEscape(text: string, i: number): boolean {
	return text.charCodeAt(i) === 37 && hexValue(text.charCodeAt(i + 1)) >= 0 && hexValue(text.charCodeAt(i + 2)) >= 0;
}

/** The byte of the escape at i ("%D0" -> 0xd0). */
function byteAt(text: string, i: number): number {
	return hexValue(text.charCodeAt(i + 1)) * 16 + hexValue(text.charCodeAt(i + 2));
}

function hasInnerSpace(text: string): boolean {
	let start = 0;
	let end = text.length;
	while (start < end && isSpace(text.charCodeAt(start))) start++;
	while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
	for (let i = start; i < end; i++) if (isSpace(text.charCodeAt(i))) return true;
	return false;
}

/** Writes the text into `out` with percent escapes decoded, and "+" as a space when asked; returns the length. */
function decodeEscapes(text: string, plusIsSpace: boolean, out: Uint16Array): number {
	let length = 0;
	let i = 0;
	while (i < text.length) {
		const code = text.charCodeAt(i);
		const bytes = code === 37 ? utf8Length(text, i) : 0;
		if (bytes === 0) {
			// Escapes that are not a whole UTF-8 character keep their "%" as written; the next ones are read anew.
			out[length++] = code === 43 && plusIsSpace ? 32 : code;
			i++;
			continue;
		}
		let point = byteAt(text, i) & (bytes === 1 ? 0x7f : 0xff >> (bytes + 1));
		for (let b = 1; b < bytes; b++) point = (point << 6) | (byteAt(text, i + 3 * b) & 0x3f);
		if (point > 0xffff) {
			out[length++] = 0xd800 + ((point - 0x10000) >> 10);
			out[length++] = 0xdc00 + ((point - 0x10000) & 0x3ff);
		} else {
			out[length++] = point;
		}
		i += 3 * bytes;
	}
	return length;
}

/**
 * How many escapes from i make one well-formed UTF-8 character (RFC 3629, section 4: no overlong forms, no
 * surrogates, nothing past U+10FFFF), or 0. Checked by hand: decodeURIComponent throws on bad input, and a
 * million thrown errors take seconds.
 */
function utf8Length(text: string, i: number): number {
	if (!isEscape(text, i)) return 0;
	const lead = byteAt(text, i);
	if (lead < 0x80) return 1;
	let bytes = 0;
	let low = 0x80;
	let high = 0xbf;
	if (lead >= 0xc2 && lead <= 0xdf) bytes = 2;
	else if (lead >= 0xe0 && lead <= 0xef) bytes = 3;
	else if (lead >= 0xf0 && lead <= 0xf4) bytes = 4;
	else return 0;
	if (lead === 0xe0) low = 0xa0;
	else if (lead === 0xed) high = 0x9f;
	else if (lead === 0xf0) low = 0x90;
	else if (lead === 0xf4) high = 0x8f;
	for (let b = 1; b < bytes; b++) {
		const at = i + 3 * b;
		if (!isEscape(text, at)) return 0;
		const next = byteAt(text, at);
		if (next < (b === 1 ? low : 0x80) || next > (b === 1 ? high : 0xbf)) return 0;
	}
	return bytes;
}

/** Runs of whitespace in the first `length` units as one space, none at the ends, in place; returns the new length. */
function collapseSpaces(units: Uint16Array, length: number): number {
	let kept = 0;
	let space = false;
	for (let i = 0; i < length; i++) {
		if (isSpace(units[i])) {
			space = kept > 0;
		} else {
			if (space) units[kept++] = 32;
			units[kept++] = units[i];
			space = false;
		}
	}
	return kept;
}

/** Where the text inside the pairs of quotes around it starts and ends (past the single spaces just inside them). */
function unquote(units: Uint16Array, length: number): [number, number] {
	let start = 0;
	let end = length;
	while (end - start >= 2 && QUOTE_PAIRS.get(units[start]) === units[end - 1]) {
		start++;
		end--;
		if (start < end && units[start] === 32) start++;
		if (start < end && units[end - 1] === 32) end--;
	}
	return [start, end];
}

/** Orders (the sum of credit shares) and revenue in whole cents. */
interface Sum {
	orders: number;
	cents: number;
}

interface Tally {
	values: string[];
	/** A spend-only group that names a level the spend rows could not name (see UNSPLIT_VALUES). */
	unsplit: boolean;
	total: Sum;
	/** Per TOUCH_KINDS index. */
	converting: Sum[];
	touched: Sum[];
	spend: number;
}

/** A deal as the credits need it: its touches by id, the kind of its converting touch, the kinds it had. */
interface DealEntry {
	touches: Map<unknown, Touch>;
	/** TOUCH_KINDS index; -1 for a kind outside them. */
	converting: number;
	/** Bit i set: the deal had a touch of TOUCH_KINDS[i]. */
	touched: number;
}

/**
 * The drill-down by utm levels: per group of the levels asked and currency, the orders and revenue credited to
 * it, its part of the currency's revenue, how the orders came in (the kind of each deal's converting touch: by
 * phone or online) and the kinds of touch the deals had on the way, and with an ad-spend table spend, cost per
 * order and ROMI.
 *
 * `credits` are those of one model for (some of) `deals`; each is found by its order and touch id (a credit whose
 * touch is not there throws: the deals and credits do not belong together). A credit counts for the group of its
 * touch: the touch's normalised value at each level (see campaignName); "(none)" where it has none; a touch without
 * a source is direct, "(direct)" then "(none)" at every other level; a touch without a channel object is
 * "(not set)" at every level. A utm value that reads "(none)" or "(all campaigns)" joins those rows.
 *
 * A deal's converting touch is its last by time (ties: the later in the array; a time without an offset is read in
 * UTC; one that cannot be read does not compete, and when no time can be read the last in the array converts). A kind
 * outside TOUCH_KINDS counts under none, so phone + online then fall short of the row's orders rather than guess.
 *
 * Spend rows (see spendByGroup, `period` prorates them) join the group of their normalised values at the levels
 * asked, as a touch would; levels the report does not ask are added up (campaign rows make a source / medium row).
 * A spend row names source and medium always (see spendSourceMedium; as for a touch, no medium is "(none)" and no
 * source is direct); one that leaves out a finer level asked goes to a row of its own with UNSPLIT_VALUES there
 * ("google / cpc / (all campaigns)"), whose ROMI is null: its return is in the rows beside it. A group with spend and
 * no orders is a row with 0 orders (effort that brought nothing; ROMI -1). Currencies match as in channelReport.
 *
 * Revenue adds up in whole cents (rows sum to the credited revenue exactly); money is rounded to cents, shares and
 * ratios are not. Rows go by currency (none first), then revenue, largest first, then name.
 */
export function breakdown(deals: readonly Deal[], credits: readonly Credit[], options: BreakdownOptions): BreakdownRow[] {
	const levels = checkLevels(options.levels);
	const index = indexDeals(deals);
	const name = utmNames();
	const tallies = new Map<string | null, Map<string, Tally>>();
	const tallyOf = (currency: string | null, values: string[]): Tally => {
		let byGroup = tallies.get(currency);
		if (byGroup === undefined) {
			byGroup = new Map();
			tallies.set(currency, byGroup);
		}
		const key = values.join(KEY_SEPARATOR);
		let tally = byGroup.get(key);
		if (tally === undefined) {
			tally = { values, unsplit: false, total: sum(), converting: TOUCH_KINDS.map(sum), touched: TOUCH_KINDS.map(sum), spend: 0 };
			byGroup.set(key, tally);
		}
		return tally;
	};
	for (const credit of credits) {
		const deal = index.get(credit.orderId);
		const touch = deal?.touches.get(credit.touchId);
		if (deal === undefined || touch === undefined) {
			const message = deal
				? `A credit of order ${quote(credit.orderId)} names touch ${quote(credit.touchId)}, which that deal does not have`
				: `A credit names order ${quote(credit.orderId)}, which is not among the deals`;
			throw new InputDataError(message, 'Give the deals and the credits of one Attribution run.');
		}
		const tally = tallyOf(credit.currency ?? null, groupValues(touch.channel, levels, name, () => NONE_VALUE));
		const cents = Math.round(credit.revenue * 100);
		add(tally.total, credit.share, cents);
		if (deal.converting >= 0) add(tally.converting[deal.converting], credit.share, cents);
		for (let k = 0; k < TOUCH_KINDS.length; k++) if (deal.touched & (1 << k)) add(tally.touched[k], credit.share, cents);
	}
	const withSpend = options.spend !== undefined && options.spend.length > 0;
	if (withSpend) addSpend(options.spend ?? [], options.period ?? null, levels, name, credits, tallyOf);
	const rows: BreakdownRow[] = [];
	for (const [currency, byGroup] of tallies) {
		let totalCents = 0;
		for (const tally of byGroup.values()) totalCents += tally.total.cents;
		for (const tally of byGroup.values()) rows.push(breakdownRow(tally, levels, currency, totalCents, withSpend));
	}
	return rows.sort(
		(a, b) => compareCurrencies(a.currency, b.currency) || b.revenue - a.revenue || a.name.localeCompare(b.name),
	);
}

function checkLevels(levels: readonly UtmLevel[]): readonly UtmLevel[] {
	const hint = `Choose 1 to ${UTM_LEVELS.length} different levels of ${UTM_LEVELS.join(', ')}.`;
	if (!Array.isArray(levels) || levels.length === 0) throw new InputDataError('No utm level to group by', hint);
	levels.forEach((level, i) => {
		if (!UTM_LEVELS.includes(level)) throw new InputDataError(`${quote(level)} is not a utm level`, hint);
		if (levels.indexOf(level) !== i) throw new InputDataError(`The utm level "${level}" is asked twice`, hint);
	});
	return levels;
}

function indexDeals(deals: readonly Deal[]): Map<unknown, DealEntry> {
	const index = new Map<unknown, DealEntry>();
	for (const deal of deals) {
		if (index.has(deal.orderId)) {
			throw new InputDataError(`Order ${quote(deal.orderId)} is among the deals twice`, 'Give each order once, as the Attribution node reads them.');
		}
		const touches = new Map<unknown, Touch>();
		let touched = 0;
		for (const touch of deal.touches) {
			// A touch id repeated within a deal: the first touch answers for it.
			if (!touches.has(touch.touchId)) touches.set(touch.touchId, touch);
			const kind = KIND_INDEX.get(touch.kind);
			if (kind !== undefined) touched |= 1 << kind;
		}
		const converting = convertingTouch(deal.touches);
		index.set(deal.orderId, { touches, converting: KIND_INDEX.get(converting?.kind) ?? -1, touched });
	}
	return index;
}

/** The deal's last touch by time (see breakdown). */
function convertingTouch(touches: readonly Touch[]): Touch | undefined {
	let last: Touch | undefined;
	let lastTime = -Infinity;
	for (const touch of touches) {
		const time = toEpochMs(touch.at, 'UTC');
		if (time >= lastTime) {
			last = touch;
			lastTime = time;
		}
	}
	return last ?? touches[touches.length - 1];
}

/** campaignName remembered per value: a report has few distinct campaigns and many credits. */
function utmNames(): (value: unknown) => string | null {
	const known = new Map<string, string | null>();
	return (value) => {
		// A campaign id given as a number is its digits; anything else that is not text names nothing.
		const text = typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : null;
		if (text === null) return null;
		let result = known.get(text);
		if (result === undefined) {
			result = campaignName(text);
			known.set(text, result);
		}
		return result;
	};
}

/**
 * The group's values at the levels asked, of a touch's channel or a spend row's utm: not set without a channel,
 * direct without a source, otherwise each level's normalised value or, where it has none, `missing` of the level.
 */
function groupValues(
	utm: Partial<Record<UtmLevel, unknown>> | null | undefined,
	levels: readonly UtmLevel[],
	name: (value: unknown) => string | null,
	missing: (level: UtmLevel) => string,
): string[] {
	if (utm === null || utm === undefined) return levels.map(() => NOT_SET_VALUE);
	const source = name(utm.source);
	if (source === null) return levels.map((level) => (level === 'source' ? DIRECT_SOURCE : NONE_VALUE));
	return levels.map((level) => (level === 'source' ? source : (name(utm[level]) ?? missing(level))));
}

function addSpend(
	rows: readonly AdSpendRow[],
	period: Period | null,
	levels: readonly UtmLevel[],
	name: (value: unknown) => string | null,
	credits: readonly Credit[],
	tallyOf: (currency: string | null, values: string[]) => Tally,
): void {
	const currencies = new Set(credits.map((credit) => credit.currency ?? null));
	// Without any credit there are no orders' currencies to match: each row stays in its own.
	const currencyOf = currencies.size === 0 ? (currency: string | null) => currency : (currency: string | null, row: number) => orderCurrency(currencies, currency, row);
	const unsplitKeys = new Set<string>();
	const spend = spendByGroup(rows, period, currencyOf, (row) => {
		let unsplit = false;
		const unnamed = (level: UtmLevel): string => {
			// A row always names a medium (none is "(none)", as for a touch); the source never comes here (see groupValues).
			if (level === 'source' || level === 'medium') return NONE_VALUE;
			unsplit = true;
			return UNSPLIT_VALUES[level];
		};
		const key = groupValues({ ...spendSourceMedium(row), campaign: row.campaign, content: row.content, term: row.term }, levels, name, unnamed).join(KEY_SEPARATOR);
		if (unsplit) unsplitKeys.add(key);
		return key;
	});
	for (const [currency, byGroup] of spend) {
		for (const [key, amount] of byGroup) {
			const tally = tallyOf(currency, key.split(KEY_SEPARATOR));
			tally.spend += amount;
			if (unsplitKeys.has(key)) tally.unsplit = true;
		}
	}
}

function sum(): Sum {
	return { orders: 0, cents: 0 };
}

function add(to: Sum, orders: number, cents: number): void {
	to.orders += orders;
	to.cents += cents;
}

function figures(of: Sum): OrdersAndRevenue {
	return { orders: of.orders, revenue: of.cents / 100 };
}

function byKind(sums: readonly Sum[]): BreakdownRow['byKindTouched'] {
	return Object.fromEntries(TOUCH_KINDS.map((kind, k) => [kind, figures(sums[k])])) as BreakdownRow['byKindTouched'];
}

function breakdownRow(tally: Tally, levels: readonly UtmLevel[], currency: string | null, totalCents: number, withSpend: boolean): BreakdownRow {
	const online = sum();
	tally.converting.forEach((kind, k) => {
		if (k !== CALL) add(online, kind.orders, kind.cents);
	});
	const revenue = tally.total.cents / 100;
	const row: BreakdownRow = {
		group: Object.fromEntries(levels.map((level, i) => [level, tally.values[i]])),
		name: tally.values.join(' / '),
		currency,
		orders: tally.total.orders,
		revenue,
		revenueShare: totalCents === 0 ? null : tally.total.cents / totalCents,
		byConvertingKind: byKind(tally.converting),
		byKindTouched: byKind(tally.touched),
		phone: figures(tally.converting[CALL]),
		online: figures(online),
	};
	if (withSpend) {
		const spent = roundMoney(tally.spend);
		row.spend = spent;
		row.cpo = tally.total.orders > 0 ? roundMoney(spent / tally.total.orders) : null;
		row.romi = spent > 0 && !tally.unsplit ? (revenue - spent) / spent : null;
	}
	return row;
}

/** No currency first, then by code. */
function compareCurrencies(a: string | null, b: string | null): number {
	if (a === b) return 0;
	if (a === null) return -1;
	if (b === null) return 1;
	return a < b ? -1 : 1;
}
