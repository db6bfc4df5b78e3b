import { keyText, ordersOf, touchesOf, type IdentityGraph } from './identityGraph';
import { IDENTITY_KINDS, type IdentityKind } from './identityKeys';

/**
 * Shared values found from the data itself: a phone, e-mail or client id that more people use than one (a reception
 * desk, a call centre's outbound line, a courier's phone, test@test.ru typed by managers, the GA client id of the
 * shop's office computer) shows it in its own records, whatever other values they carry:
 * - its orders carry SHARED_NAMES or more different customer names (compared as word sets: case, ё/е and word
 *   order do not matter, "Петров Иван Сергеевич" and "Иван Петров" are one name, "И. Петров" too);
 * - more than SHARED_ORDERS orders within RATE_DAYS, unless their names agree (a wholesale buyer);
 * - touches on more than SHARED_TOUCH_DAYS different days within RATE_DAYS, and more than TOUCH_DAYS_PER_ORDER of
 *   those days per order in the same stretch: a caller who orders every day is a buyer, an office line is not.
 * Such a value is not used to join people, and is reported with that evidence, so that the user can confirm it or
 * list it under Trusted Values.
 */
export const SHARED_NAMES = 3;
export const SHARED_ORDERS = 10;
export const SHARED_TOUCH_DAYS = 15;
export const TOUCH_DAYS_PER_ORDER = 3;
export const RATE_DAYS = 30;
/** Different names are counted up to this many (evidence beyond it adds nothing and costs comparisons). */
export const NAMES_COUNTED = 50;
/** A name is read up to this many characters and words: longer text is not a person's name anyway. */
const MAX_NAME_CHARS = 200;
const MAX_NAME_WORDS = 6;

const DAY = 86_400_000;
/** The fewest orders that can make a value shared by an order rule. */
const FEWEST_ORDERS = Math.min(SHARED_NAMES, SHARED_ORDERS + 1);

/** A value detected as shared, with the evidence. */
export interface SharedValue {
	/** "kind:value", as blocked values are named. */
	key: string;
	kind: IdentityKind;
	value: string;
	touches: number;
	orders: number;
	/** Different customer names on its orders (at most NAMES_COUNTED). */
	names: number;
	/** The most of its orders within RATE_DAYS. */
	busiestOrders: number;
	/** The most different days with its touches within RATE_DAYS. */
	busiestTouchDays: number;
	/** The dates (UTC) of its first and last record; null when none has a time. */
	firstDate: string | null;
	lastDate: string | null;
	/** All of the above in words: "214 touches, 20 orders with 17 different names, 2024-01-02 to 2024-06-29". */
	evidence: string;
}

/** What detection reads of the records beside the graph. */
export interface RecordFacts {
	/** Records below this are orders, the rest touches (the graph's record order). */
	orderCount: number;
	/** Per record: epoch ms, NaN when it has no time. */
	at: (record: number) => number;
	/** An order's customer name as given (any type: only text is read). */
	nameOf: (order: number) => unknown;
}

/**
 * Finds the shared values among the graph's usable ones (neither listed nor trusted) and blocks each with its
 * evidence. Cheap: one pass counts each value's orders and touches, and only values with enough of them to pass a
 * rule (a few in a thousand) are looked at record by record.
 */
export function detectSharedValues(graph: IdentityGraph, facts: RecordFacts): SharedValue[] {
	const counts = graph.countHolders(facts.orderCount);
	const candidate = (value: number) => ordersOf(counts[value]) >= FEWEST_ORDERS || touchesOf(counts[value]) > SHARED_TOUCH_DAYS ? graph.isOpen(value) : false;
	const { values, start, records } = graph.holdersOf(candidate, counts);
	const found: SharedValue[] = [];
	for (let k = 0; k < values.length; k++) {
		const value = values[k];
		const shared = judge(graph, value, records.subarray(start[k], start[k + 1]), facts);
		if (shared === null) continue;
		graph.blockShared(value, `shared: ${shared.evidence}`);
		found.push(shared);
	}
	return found;
}

/** The value's evidence when a rule finds it shared, else null. `holders`: its records, orders first. */
function judge(graph: IdentityGraph, value: number, holders: Int32Array, facts: RecordFacts): SharedValue | null {
	let orderCount = 0;
	while (orderCount < holders.length && holders[orderCount] < facts.orderCount) orderCount++;
	const orderAt = timesOf(holders.subarray(0, orderCount), facts);
	const touchDays = daysOf(timesOf(holders.subarray(orderCount), facts));
	const names = countNames(holders.subarray(0, orderCount), facts);
	const busiestOrders = mostWithin(orderAt, RATE_DAYS * DAY);
	const busy = busiestDays(touchDays, orderAt);
	const namesAgree = names.named >= 2 && names.count === 1;
	const byNames = names.count >= SHARED_NAMES;
	const byOrders = busiestOrders > SHARED_ORDERS && !namesAgree;
	const byTouches = busy.days > SHARED_TOUCH_DAYS && busy.days > TOUCH_DAYS_PER_ORDER * busy.orders;
	if (!byNames && !byOrders && !byTouches) return null;
	const kind = IDENTITY_KINDS[graph.kindOf(value)];
	const text = graph.textOf(value);
	const first = Math.min(orderAt.length > 0 ? orderAt[0] : Infinity, touchDays.length > 0 ? touchDays[0] * DAY : Infinity);
	const last = Math.max(orderAt.length > 0 ? orderAt[orderAt.length - 1] : -Infinity, touchDays.length > 0 ? touchDays[touchDays.length - 1] * DAY : -Infinity);
	const shared: SharedValue = {
		key: keyText({ kind, value: text }),
		kind,
		value: text,
		touches: holders.length - orderCount,
		orders: orderCount,
		names: names.count,
		busiestOrders,
		busiestTouchDays: busy.days,
		firstDate: Number.isFinite(first) ? dateOf(first) : null,
		lastDate: Number.isFinite(last) ? dateOf(last) : null,
		evidence: '',
	};
	shared.evidence = describeEvidence(shared, byOrders, byTouches);
	return shared;
}

/** "214 touches, 20 orders with 17 different names, 12 orders within 30 days, touches on 30 different days within 30 days, 2024-01-02 to 2024-06-29". */
function describeEvidence(shared: SharedValue, byOrders: boolean, byTouches: boolean): string {
	const parts = [plural(shared.touches, 'touch', 'touches')];
	const namesText = shared.names === 0 ? '' : shared.names === 1 ? ' with 1 name' : ` with ${shared.names >= NAMES_COUNTED ? `${NAMES_COUNTED} or more` : shared.names} different names`;
	parts.push(`${plural(shared.orders, 'order', 'orders')}${namesText}`);
	if (byOrders) parts.push(`${shared.busiestOrders} orders within ${RATE_DAYS} days`);
	if (byTouches) parts.push(`touches on ${shared.busiestTouchDays} different days within ${RATE_DAYS} days`);
	if (shared.firstDate !== null) parts.push(shared.firstDate === shared.lastDate ? `on ${shared.firstDate}` : `${shared.firstDate} to ${shared.lastDate}`);
	return parts.join(', ');
}

/** The hint names at most this many values; the others are counted. */
const HINT_VALUES = 5;

/** The summary n8n shows above the output: which values were not used to join people, and what to do if one is real. */
export function sharedValuesHint(shared: SharedValue[]): string {
	const listed = shared.slice(0, HINT_VALUES).map((value) => `${value.value} (${value.evidence})`);
	const more = shared.length > HINT_VALUES ? `; and ${shared.length - HINT_VALUES} more (see the reasons and the deals' match.sharedValues)` : '';
	return `Not joined through ${plural(shared.length, 'shared value', 'shared values')}: ${listed.join('; ')}${more}. If one is a real customer's, add it to Trusted Values; to stop looking, turn Detect Shared Values off.`;
}

function plural(count: number, one: string, many: string): string {
	return `${count} ${count === 1 ? one : many}`;
}

function dateOf(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

/** The records' times, without the NaN of records with no time, ascending. */
function timesOf(records: Int32Array, facts: RecordFacts): Float64Array {
	const times = new Float64Array(records.length);
	let count = 0;
	for (const record of records) {
		const at = facts.at(record);
		if (!Number.isNaN(at)) times[count++] = at;
	}
	return times.subarray(0, count).sort();
}

/** The different days (UTC day numbers) of ascending times, ascending. */
function daysOf(times: Float64Array): Float64Array {
	const days = new Float64Array(times.length);
	let count = 0;
	for (const at of times) {
		const day = Math.floor(at / DAY);
		if (count === 0 || days[count - 1] !== day) days[count++] = day;
	}
	return days.subarray(0, count);
}

/** The most ascending values within any stretch of `span` (from a value to less than span after it). */
function mostWithin(sorted: Float64Array, span: number): number {
	let most = 0;
	let from = 0;
	for (let to = 0; to < sorted.length; to++) {
		while (sorted[to] - sorted[from] >= span) from++;
		most = Math.max(most, to - from + 1);
	}
	return most;
}

/**
 * The stretch of RATE_DAYS with the most touch days, and the orders in it (the fewest, when stretches tie: the
 * benefit of the doubt goes to the value).
 */
function busiestDays(days: Float64Array, orderAt: Float64Array): { days: number; orders: number } {
	let best = { days: 0, orders: 0 };
	let from = 0;
	for (let to = 0; to < days.length; to++) {
		while (days[to] - days[from] >= RATE_DAYS) from++;
		const count = to - from + 1;
		if (count < best.days) continue;
		const orders = countBetween(orderAt, days[from] * DAY, (days[from] + RATE_DAYS) * DAY);
		if (count > best.days || orders < best.orders) best = { days: count, orders };
	}
	return best;
}

/** How many ascending times fall in [from, to). */
function countBetween(sorted: Float64Array, from: number, to: number): number {
	return lowerBound(sorted, to) - lowerBound(sorted, from);
}

function lowerBound(sorted: Float64Array, value: number): number {
	let low = 0;
	let high = sorted.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (sorted[middle] < value) low = middle + 1;
		else high = middle;
	}
	return low;
}

/** How many different names the orders carry (up to NAMES_COUNTED), and how many of them carry one. */
function countNames(orders: Int32Array, facts: RecordFacts): { count: number; named: number } {
	const kept: string[][] = [];
	let named = 0;
	for (const order of orders) {
		const words = nameWords(facts.nameOf(order));
		if (words === null) continue;
		named++;
		if (kept.length < NAMES_COUNTED && !kept.some((other) => sameName(words, other))) kept.push(words);
	}
	return { count: kept.length, named };
}

/**
 * A name as its words: lower case, ё as е, letters only (spaces, dots, hyphens and digits separate words), sorted;
 * null when it holds none. Read in one pass over at most MAX_NAME_CHARS characters.
 */
export function nameWords(name: unknown): string[] | null {
	if (typeof name !== 'string') return null;
	const words: string[] = [];
	let word = '';
	const end = Math.min(name.length, MAX_NAME_CHARS);
	for (let i = 0; i <= end && words.length < MAX_NAME_WORDS; i++) {
		const char = i < end ? name[i] : ' ';
		if (isLetter(char)) word += char;
		else if (word !== '') {
			words.push(word.toLowerCase().replace(/ё/g, 'е'));
			word = '';
		}
	}
	return words.length === 0 ? null : words.sort();
}

/** A letter of any cased script (Cyrillic, Latin, Greek...): it has an upper and a lower case form. */
function isLetter(char: string): boolean {
	return char.toLowerCase() !== char.toUpperCase();
}

/**
 * Two names of one person: every word of the shorter one is a word of the other, an initial standing for any word
 * it begins ("Иван Петров" and "Петров Иван Сергеевич"; "И. Петров" and "Петров Иван").
 */
export function sameName(a: string[], b: string[]): boolean {
	const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
	return shorter.every((word) => longer.some((other) => sameWord(word, other)));
}

function sameWord(a: string, b: string): boolean {
	if (a === b) return true;
	if (a.length === 1) return b.startsWith(a);
	return b.length === 1 && a.startsWith(b);
}
