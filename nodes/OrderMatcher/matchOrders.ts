import type { CountryCode } from 'libphonenumber-js/min';
import type { Deal, DealMatch, MatchKey, Order, Touch, TouchLink } from '../shared/contracts';
import { DEFAULT_PHONE_COUNTRIES } from '../shared/phone';
import type { ItemProblem } from '../shared/validation';
import { readInputs } from './matchInput';
import { keyText, type BlockedValue, type IdentityGraph } from './identityGraph';
import { PersonRules } from './personRules';
import { IDENTITY_KINDS, KEY_STRENGTH, KeyReader } from './identityKeys';
import { detectSharedValues, type RecordFacts, type SharedValue } from './sharedValues';
import { assignTouchesToOrders, groupBy, membersOf, sortByTime } from './timeline';

export interface MatchOptions {
	/** A touch counts for an order at most this long before it. */
	lookbackDays: number;
	/** ... and at most this long after it (the confirming call after a cart order). */
	graceHours: number;
	/** Time zone for times written without an offset. */
	timeZone: string;
	/** Phone parsing: the default country, then the fallbacks. */
	countries: CountryCode[];
	/** A value seen with more than this many different values of another kind is not used to join people. */
	maxValuesPerKind: number;
	/** Placeholder values never used to match, e.g. "no@email.ru", "+70000000000". */
	blockedValues: string[];
	/** Find values that many people share from the records themselves (see sharedValues.ts) and do not join through them. */
	detectSharedValues: boolean;
	/** Values never treated as shared, neither by that detection nor by maxValuesPerKind (a listed blocked value stays blocked). */
	trustedValues: string[];
}

/** The defaults of the node's parameters of the same names. */
export const DEFAULT_LOOKBACK_DAYS = 30;
export const DEFAULT_GRACE_HOURS = 2;
export const DEFAULT_MAX_VALUES_PER_KIND = 5;

export const DEFAULT_MATCH_OPTIONS: MatchOptions = {
	lookbackDays: DEFAULT_LOOKBACK_DAYS,
	graceHours: DEFAULT_GRACE_HOURS,
	timeZone: 'UTC',
	countries: [...DEFAULT_PHONE_COUNTRIES],
	maxValuesPerKind: DEFAULT_MAX_VALUES_PER_KIND,
	blockedValues: [],
	// Off as in the node's version 1 (and the templates made with it); the node turns it on from version 1.1.
	detectSharedValues: false,
	trustedValues: [],
};

/** Orders and touches that found no partner, each beside the reason (parallel arrays: no copy per record). */
export interface Unmatched<T> {
	records: T[];
	reasons: string[];
	/** Each record's position in the input, for n8n's pairedItem. */
	inputs: number[];
}

export interface MatchResult {
	deals: Deal[];
	/** Per deal, the input positions of its order and of its touches. */
	dealInputs: Array<{ order: number; touches: number[] }>;
	unmatchedOrders: Unmatched<Order>;
	unmatchedTouches: Unmatched<Touch>;
	blockedValues: BlockedValue[];
	/** The values found shared (also among blockedValues), with the evidence; empty when detection is off. */
	sharedValues: SharedValue[];
	/** Orders and touches that break their contract or repeat an id with other values: one error each, by input position. */
	orderProblems: ItemProblem[];
	touchProblems: ItemProblem[];
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** linkValue of a touch linked because it names its order. */
const NAMED_ORDER = -1;

/** The matcher's working state: records, their times, and per touch the order it credits and why. */
interface Matching {
	options: MatchOptions;
	graph: IdentityGraph;
	orders: Order[];
	touches: Touch[];
	/** Input position of each kept record. */
	orderFrom: number[];
	touchFrom: number[];
	/** Per record: why each of its phone and e-mail values that is not one is not (see KeyReader.read). */
	orderRejected: string[][];
	touchRejected: string[][];
	/** Epoch ms; NaN when not a time. */
	orderAt: number[];
	touchAt: number[];
	/** Per touch: the order it credits, or -1. */
	touchOrder: number[];
	/** Per linked touch: the identity value that explains the link (NAMED_ORDER: the touch names its order) ... */
	linkValue: number[];
	/** ... and whether the order holds that value too (else the two were joined through other records). */
	linkShared: Uint8Array;
	/** Per touch that credits no order: why. */
	missReason: string[];
	rules: PersonRules;
	/** The values found shared, by value id. */
	shared: Map<number, SharedValue>;
}

/**
 * Links each order to the touches that produced it. Orders and touches that break their contract, and later copies
 * of an id with other values, are left out as problems; a later copy that repeats a record is left out with a
 * warning on the first (see readInputs). Keys, strongest first: an order id or number the touch names,
 * then the person (GA / Metrica client id, phone, e-mail, stitched across records, never through a value many people
 * share: listed, found from the records when detectSharedValues is on, or over maxValuesPerKind). A person's touch counts for
 * that person's next order if it falls inside [order − lookback, order + grace]; each touch credits one order.
 * Works on indexes, not an object per link: a million touches match in seconds. The per-record columns are plain
 * number arrays and only the hash table and the graph typed arrays: once new ArrayBuffers pass V8's external-memory
 * allowance (64 MB), it marks the whole heap, input included, which costs a second or more at that size.
 */
export function matchOrders(orderInput: Order[], touchInput: Touch[], partial: Partial<MatchOptions> = {}): MatchResult {
	const options = { ...DEFAULT_MATCH_OPTIONS, ...partial };
	const { graph, orders: orderReading, touches: touchReading } = readInputs(orderInput, touchInput, options.countries, options.timeZone);
	const { kept: orders, from: orderFrom } = orderReading;
	const { kept: touches, from: touchFrom } = touchReading;
	graph.settle(valueKeys(options.blockedValues, options.countries), valueKeys(options.trustedValues, options.countries));
	const shared = options.detectSharedValues ? detectSharedValues(graph, recordFacts(orders, orderReading.at, touchReading.at)) : [];
	graph.join(options.maxValuesPerKind);
	const matching: Matching = {
		options,
		graph,
		orders,
		touches,
		orderFrom,
		touchFrom,
		orderRejected: orderReading.rejected,
		touchRejected: touchReading.rejected,
		orderAt: orderReading.at,
		touchAt: touchReading.at,
		touchOrder: new Array<number>(touches.length).fill(-1),
		linkValue: new Array<number>(touches.length).fill(NAMED_ORDER),
		linkShared: new Uint8Array(touches.length),
		missReason: new Array<string>(touches.length).fill(''),
		rules: new PersonRules(),
		shared: new Map(shared.map((value) => [graph.idOf(value.key), value])),
	};
	const touchPerson = linkNamedOrders(matching);
	linkByPerson(matching, touchPerson);
	return { ...resultOf(matching), sharedValues: shared, orderProblems: orderReading.problems, touchProblems: touchReading.problems };
}

/** What shared-value detection reads of the records: the graph holds orders first, then touches. */
function recordFacts(orders: Order[], orderAt: number[], touchAt: number[]): RecordFacts {
	return {
		orderCount: orders.length,
		at: (record: number) => (record < orders.length ? orderAt[record] : touchAt[record - orders.length]),
		nameOf: (order: number) => orders[order].customer?.name,
	};
}

/** Links the touches that name an order (id or number); returns every other touch's person (-1: none, with why). */
function linkNamedOrders(m: Matching): number[] {
	const byRef = orderRefIndex(m.orders);
	const touchPerson = new Array<number>(m.touches.length).fill(-1);
	for (let t = 0; t < m.touches.length; t++) {
		const ref = m.touches[t].orderRef;
		const named = ref ? byRef.get(String(ref).trim()) : undefined;
		if (Number.isNaN(m.touchAt[t])) m.missReason[t] = `its time "${String(m.touches[t].at ?? '')}" is not a date and time`;
		else if (named !== undefined) m.touchOrder[t] = named;
		else {
			touchPerson[t] = m.graph.personOf(m.orders.length + t);
			if (touchPerson[t] === -1) m.missReason[t] = m.graph.hasValues(m.orders.length + t) ? 'its only identity values are blocked as shared' : 'it has no phone, e-mail or client id';
		}
	}
	return touchPerson;
}

/** Within each person, credits each touch to the person's next order inside the window (see assignTouchesToOrders). */
function linkByPerson(m: Matching, touchPerson: number[]): void {
	const { graph, orders } = m;
	const orderPerson = orders.map((_, o) => (Number.isNaN(m.orderAt[o]) ? -1 : graph.personOf(o)));
	const window = { lookbackMs: m.options.lookbackDays * DAY, graceMs: m.options.graceHours * HOUR };
	const ordersBy = groupBy(orderPerson, graph.valueCount);
	const touchesBy = groupBy(touchPerson, graph.valueCount);
	const link = (t: number, o: number) => {
		const shared = graph.sharedValue(orders.length + t, o);
		m.touchOrder[t] = o;
		m.linkShared[t] = shared === -1 ? 0 : 1;
		m.linkValue[t] = shared === -1 ? graph.strongestValue(orders.length + t) : shared;
	};
	const miss = (t: number, why: string) => (m.missReason[t] = why);
	for (const person of touchesBy.keys) assignTouchesToOrders(membersOf(ordersBy, person), membersOf(touchesBy, person), m.orderAt, m.touchAt, window, link, miss);
}

type MatchOutputs = Omit<MatchResult, 'sharedValues' | 'orderProblems' | 'touchProblems'>;

/** A deal's match, with the shared values its order or touches hold when there are some (see addSharedValues). */
export type MatchWithSharedValues = DealMatch & { sharedValues?: BlockedValue[] };

/** Deals (each order with its touches, by time), then the orders and the touches left without a partner. */
function resultOf(m: Matching): MatchOutputs {
	const result: MatchOutputs = {
		deals: [],
		dealInputs: [],
		unmatchedOrders: { records: [], reasons: [], inputs: [] },
		unmatchedTouches: { records: [], reasons: [], inputs: [] },
		blockedValues: m.graph.blockedValues,
	};
	const linked = groupBy(m.touchOrder, m.orders.length);
	const links = touchLinks(m);
	const dealWords = dealSuffix(m.options);
	for (let o = 0; o < m.orders.length; o++) {
		const order = withWarnings(m.orders[o], m.orderRejected[o]);
		const from = linked.start[o];
		const to = linked.start[o + 1];
		if (from === to) {
			result.unmatchedOrders.records.push(order);
			result.unmatchedOrders.reasons.push(unmatchedOrderReason(order, o, m.orderAt[o], m.graph, m.options.lookbackDays) + notJoinedThrough(m, o));
			result.unmatchedOrders.inputs.push(m.orderFrom[o]);
			continue;
		}
		sortByTime(linked.members, from, to, m.touchAt);
		const keys = new Array<TouchLink>(to - from);
		const dealTouches = new Array<Touch>(to - from);
		const touchInputs = new Array<number>(to - from);
		for (let k = from; k < to; k++) {
			const t = linked.members[k];
			keys[k - from] = links[t];
			dealTouches[k - from] = withWarnings(m.touches[t], m.touchRejected[t]);
			touchInputs[k - from] = m.touchFrom[t];
		}
		const match: MatchWithSharedValues = { method: strongestKey(keys), keys, reason: describeDeal(keys, dealWords) };
		if (m.shared.size > 0) addSharedValues(m, match, o, linked.members.subarray(from, to));
		result.deals.push(dealOf(order, dealTouches, match));
		result.dealInputs.push({ order: m.orderFrom[o], touches: touchInputs });
	}
	for (let t = 0; t < m.touches.length; t++) {
		if (m.touchOrder[t] !== -1) continue;
		result.unmatchedTouches.records.push(withWarnings(m.touches[t], m.touchRejected[t]));
		result.unmatchedTouches.reasons.push(m.missReason[t] + notJoinedThrough(m, m.orders.length + t));
		result.unmatchedTouches.inputs.push(m.touchFrom[t]);
	}
	return result;
}

/**
 * Per touch that credits an order, how it is linked. Built in one pass in touch order: each touch's fields are then
 * read in memory order rather than deal by deal, which at a million touches saves more than the array costs.
 */
function touchLinks(m: Matching): TouchLink[] {
	const links = new Array<TouchLink>(m.touches.length);
	for (let t = 0; t < m.touches.length; t++) {
		if (m.touchOrder[t] !== -1) links[t] = touchLink(m, t, m.touchOrder[t]);
	}
	return links;
}

/** How touch `t` is linked to order `o`: the key, its value and the rule, in words. */
function touchLink(m: Matching, t: number, o: number): TouchLink {
	const touchId = m.touches[t].touchId;
	const value = m.linkValue[t];
	if (value === NAMED_ORDER) {
		const ref = String(m.touches[t].orderRef);
		return { touchId, key: 'orderRef', value: ref, rule: `the touch names order ${ref}` };
	}
	return { touchId, key: IDENTITY_KINDS[m.graph.kindOf(value)], value: m.graph.textOf(value), rule: m.rules.rule(m.linkShared[t] === 1, m.orderAt[o] - m.touchAt[t]) };
}

/**
 * The order with its touches and match: the copy `{ ...order, touches, match }` makes, built with Object.assign,
 * which V8 runs several times faster than a spread followed by new keys. An own "__proto__" key (JSON can hold one),
 * which Object.assign would not copy as data, takes the spread.
 */
function dealOf(order: Order, touches: Touch[], match: DealMatch): Deal {
	if (Object.hasOwn(order, '__proto__')) return { ...order, touches, match };
	return Object.assign({}, order, { touches, match });
}

/** The strongest key (KEY_STRENGTH) among a deal's links. */
function strongestKey(links: TouchLink[]): MatchKey {
	let best = KEY_STRENGTH.length - 1;
	for (const link of links) best = Math.min(best, KEY_STRENGTH.indexOf(link.key));
	return KEY_STRENGTH[best];
}

function orderRefIndex(orders: Order[]): Map<string, number> {
	const index = new Map<string, number>();
	orders.forEach((order, o) => {
		if (order.number) index.set(String(order.number).trim(), o);
	});
	// An id wins over another order's number.
	orders.forEach((order, o) => index.set(String(order.orderId).trim(), o));
	return index;
}

/** The end of an unmatched record's reason (graph record index): "; not joined through +74951234567 (shared: 214 touches, ...)" per shared value it holds. */
function notJoinedThrough(m: Matching, record: number): string {
	if (m.shared.size === 0) return '';
	let text = '';
	for (const id of m.graph.sharedValuesOf(record)) {
		const shared = m.shared.get(id) as SharedValue;
		text += `; not joined through ${shared.value} (shared: ${shared.evidence})`;
	}
	return text;
}

/** Lists in a deal's match the shared values its order (`order`) or its touches (`touches`) hold, each once. */
function addSharedValues(m: Matching, match: MatchWithSharedValues, order: number, touches: Int32Array): void {
	let found: Set<number> | null = null;
	for (let k = -1; k < touches.length; k++) {
		const ids = m.graph.sharedValuesOf(k === -1 ? order : m.orders.length + touches[k]);
		if (ids.length === 0) continue;
		found ??= new Set();
		for (const id of ids) found.add(id);
	}
	if (found === null) return;
	match.sharedValues = [...found].map((id) => {
		const shared = m.shared.get(id) as SharedValue;
		return { key: shared.key, reason: `not joined through it (shared: ${shared.evidence})` };
	});
}

/** Values as the user lists them (Blocked Values, Trusted Values), as graph keys "kind:value" in every form each could take. */
function valueKeys(values: string[], countries: CountryCode[]): Set<string> {
	return new Set(values.flatMap((value) => valueForms(value, countries)));
}

/** A value as the user writes it, in every form a key could take ("+7 900…" is a phone, "x@y" an e-mail). */
function valueForms(value: string, countries: CountryCode[]): string[] {
	const text = value.trim();
	const forms: string[] = [];
	new KeyReader(countries, (kind, normalised) => forms.push(keyText({ kind: IDENTITY_KINDS[kind], value: normalised }))).read({ phones: [text], emails: [text], gaClientId: text, ymClientId: text } as Touch);
	return forms;
}

/** The end of every deal's reason: the window it was matched in. */
function dealSuffix(options: MatchOptions): string {
	return ` within ${options.lookbackDays} days before the order or ${options.graceHours} h after it`;
}

/** A deal's reason: how many touches, by which key (in the order the keys first appear), and the window (`suffix`). */
function describeDeal(links: TouchLink[], suffix: string): string {
	/** Per key (index into KEY_STRENGTH): its links; and the keys in the order they first appear. */
	const counts = [0, 0, 0, 0, 0];
	const keys: number[] = [];
	for (const link of links) {
		const key = KEY_STRENGTH.indexOf(link.key);
		if (counts[key]++ === 0) keys.push(key);
	}
	let byKey = '';
	for (const key of keys) byKey += `${byKey === '' ? '' : ', '}${counts[key]} by ${KEY_STRENGTH[key]}`;
	return `${links.length} touch${links.length === 1 ? '' : 'es'} (${byKey})${suffix}`;
}

function unmatchedOrderReason(order: Order, record: number, at: number, graph: IdentityGraph, lookbackDays: number): string {
	if (!graph.hasValues(record)) return 'the order has no phone, e-mail or client id';
	if (graph.personOf(record) === -1) return 'its only identity values are blocked as shared';
	if (Number.isNaN(at)) return `its createdAt "${String(order.createdAt ?? '')}" is not a date and time`;
	return `no touch of this customer within ${lookbackDays} days before it`;
}

/** The record with its values that are not phones or e-mails added to its warnings; the record itself when there are none. */
function withWarnings<T extends Order | Touch>(record: T, rejected: string[]): T {
	if (rejected.length === 0) return record;
	const added = rejected.map((why) => `${why}: not used to match`);
	return { ...record, warnings: [...(Array.isArray(record.warnings) ? record.warnings : []), ...added] };
}
