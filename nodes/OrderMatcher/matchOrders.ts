import type { CountryCode } from 'libphonenumber-js/min';
import type { Deal, MatchKey, Order, Touch, TouchLink } from '../shared/contracts';
import { StringIndex } from '../shared/stringIndex';
import { toEpochMs } from '../shared/time';
import { IdentityGraph, keyText, type BlockedValue } from './identityGraph';
import { IDENTITY_KINDS, KEY_STRENGTH, visitKeys } from './identityKeys';
import { assignTouchesToOrders, groupByPerson } from './timeline';

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
}

export const DEFAULT_MATCH_OPTIONS: MatchOptions = {
	lookbackDays: 30,
	graceHours: 2,
	timeZone: 'UTC',
	countries: ['RU', 'UA'],
	maxValuesPerKind: 5,
	blockedValues: [],
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
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * Links each order to the touches that produced it. Keys, strongest first: an order id or number the touch names,
 * then the person (GA / Metrica client id, phone, e-mail, stitched across records). A person's touch counts for
 * that person's next order if it falls inside [order − lookback, order + grace]; each touch credits one order.
 * Works on indexes and typed arrays: a million touches match in seconds without an object per link.
 */
export function matchOrders(orderInput: Order[], touchInput: Touch[], partial: Partial<MatchOptions> = {}): MatchResult {
	const options = { ...DEFAULT_MATCH_OPTIONS, ...partial };
	const { kept: orders, from: orderFrom } = lastById(orderInput, (order) => order.orderId);
	const { kept: touches, from: touchFrom } = lastById(touchInput, (touch) => touch.touchId);
	const graph = new IdentityGraph();
	const orderRejected = orders.map((order) => visitRecord(graph, order, options.countries));
	const touchRejected = touches.map((touch) => visitRecord(graph, touch, options.countries));
	graph.build({
		maxValuesPerKind: options.maxValuesPerKind,
		blockedValues: new Set(options.blockedValues.flatMap((value) => blockedForms(value, options.countries))),
	});

	const orderAt = Float64Array.from(orders, (order) => toEpochMs(order.createdAt, options.timeZone));
	const touchAt = Float64Array.from(touches, (touch) => toEpochMs(touch.at, options.timeZone));
	/** Per touch: the order it credits (-1 none), how it was linked, or why not. */
	const touchOrder = new Int32Array(touches.length).fill(-1);
	const linkKey: MatchKey[] = new Array<MatchKey>(touches.length);
	const linkValue: string[] = new Array<string>(touches.length);
	const reason: string[] = new Array<string>(touches.length).fill('');
	const linksOf: number[][] = orders.map(() => []);

	const byRef = orderRefIndex(orders);
	const orderPerson = Int32Array.from(orders, (_, o) => (Number.isNaN(orderAt[o]) ? -1 : graph.personOf(o)));
	const touchPerson = new Int32Array(touches.length).fill(-1);
	for (let t = 0; t < touches.length; t++) {
		const ref = touches[t].orderRef;
		const named = ref ? byRef.get(String(ref).trim()) : undefined;
		if (Number.isNaN(touchAt[t])) reason[t] = `its time "${String(touches[t].at ?? '')}" is not a date and time`;
		else if (named !== undefined) {
			touchOrder[t] = named;
			linkKey[t] = 'orderRef';
			linkValue[t] = String(ref);
			reason[t] = `the touch names order ${String(ref)}`;
			linksOf[named].push(t);
		} else {
			touchPerson[t] = graph.personOf(orders.length + t);
			if (touchPerson[t] === -1) reason[t] = graph.hasValues(orders.length + t) ? 'its only identity values are blocked as shared' : 'it has no phone, e-mail or client id';
		}
	}

	const window = { lookbackMs: options.lookbackDays * DAY, graceMs: options.graceHours * HOUR };
	const ordersBy = groupByPerson(orderPerson, graph.valueCount);
	const touchesBy = groupByPerson(touchPerson, graph.valueCount);
	const link = (t: number, o: number) => {
		const { key, shared } = graph.explain(orders.length + t, o);
		touchOrder[t] = o;
		linkKey[t] = key.kind;
		linkValue[t] = key.value;
		reason[t] = `${shared ? '' : 'same person through identity stitching, '}${describeOffset(orderAt[o] - touchAt[t])} the order`;
		linksOf[o].push(t);
	};
	const miss = (t: number, why: string) => (reason[t] = why);
	for (const person of touchesBy.persons) assignTouchesToOrders(ordersBy.records(person), touchesBy.records(person), orderAt, touchAt, window, link, miss);

	const result: MatchResult = {
		deals: [],
		dealInputs: [],
		unmatchedOrders: { records: [], reasons: [], inputs: [] },
		unmatchedTouches: { records: [], reasons: [], inputs: [] },
		blockedValues: graph.blockedValues,
	};
	for (let o = 0; o < orders.length; o++) {
		const order = withWarnings(orders[o], orderRejected[o]);
		const linked = linksOf[o];
		if (linked.length === 0) {
			result.unmatchedOrders.records.push(order);
			result.unmatchedOrders.reasons.push(unmatchedOrderReason(order, o, orderAt[o], graph, options.lookbackDays));
			result.unmatchedOrders.inputs.push(orderFrom[o]);
			continue;
		}
		if (linked.length > 1) linked.sort((a, b) => touchAt[a] - touchAt[b] || a - b);
		const keys: TouchLink[] = linked.map((t) => ({ touchId: touches[t].touchId, key: linkKey[t], value: linkValue[t], rule: reason[t] }));
		result.deals.push({
			...order,
			touches: linked.map((t) => withWarnings(touches[t], touchRejected[t])),
			match: { method: KEY_STRENGTH.find((key) => keys.some((k) => k.key === key)) as MatchKey, keys, reason: describeDeal(keys, options) },
		});
		result.dealInputs.push({ order: orderFrom[o], touches: linked.map((t) => touchFrom[t]) });
	}
	for (let t = 0; t < touches.length; t++) {
		if (touchOrder[t] !== -1) continue;
		result.unmatchedTouches.records.push(withWarnings(touches[t], touchRejected[t]));
		result.unmatchedTouches.reasons.push(reason[t]);
		result.unmatchedTouches.inputs.push(touchFrom[t]);
	}
	return result;
}

function visitRecord(graph: IdentityGraph, record: Order | Touch, countries: CountryCode[]): string[] {
	const rejected = visitKeys(record, countries, graph.addValue);
	graph.endRecord();
	return rejected;
}

/**
 * Keeps the last copy of each id, in the order of first appearance; records without an id are all kept.
 * `from` gives each kept record's input position.
 */
function lastById<T>(items: T[], idOf: (item: T) => unknown): { kept: T[]; from: number[] } {
	const ids = new StringIndex();
	const position: number[] = [];
	const kept: T[] = [];
	const from: number[] = [];
	items.forEach((item, input) => {
		const id = idOf(item);
		const seen = ids.size;
		const at = id === null || id === undefined || id === '' ? seen : ids.add(String(id));
		if (at < seen) {
			kept[position[at]] = item;
			from[position[at]] = input;
			return;
		}
		if (ids.size > seen) position.push(kept.length);
		kept.push(item);
		from.push(input);
	});
	return { kept, from };
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

/** A blocked value as the user writes it, in every form a key could take ("+7 900…" is a phone, "x@y" an e-mail). */
function blockedForms(value: string, countries: CountryCode[]): string[] {
	const text = value.trim();
	const forms: string[] = [];
	visitKeys({ phones: [text], emails: [text], gaClientId: text, ymClientId: text } as Touch, countries, (kind, normalised) => forms.push(keyText({ kind: IDENTITY_KINDS[kind], value: normalised })));
	return forms;
}

function describeOffset(ms: number): string {
	const hours = Math.abs(ms) / HOUR;
	const amount = hours >= 48 ? `${Math.round(hours / 24)} days` : hours >= 1 ? `${Math.round(hours)} h` : `${Math.round(Math.abs(ms) / 60_000)} min`;
	return ms >= 0 ? `${amount} before` : `${amount} after`;
}

function describeDeal(links: TouchLink[], options: MatchOptions): string {
	const counts = new Map<string, number>();
	for (const link of links) counts.set(link.key, (counts.get(link.key) ?? 0) + 1);
	const byKey = [...counts].map(([key, count]) => `${count} by ${key}`).join(', ');
	return `${links.length} touch${links.length === 1 ? '' : 'es'} (${byKey}) within ${options.lookbackDays} days before the order or ${options.graceHours} h after it`;
}

function unmatchedOrderReason(order: Order, record: number, at: number, graph: IdentityGraph, lookbackDays: number): string {
	if (!graph.hasValues(record)) return 'the order has no phone, e-mail or client id';
	if (graph.personOf(record) === -1) return 'its only identity values are blocked as shared';
	if (Number.isNaN(at)) return `its createdAt "${String(order.createdAt ?? '')}" is not a date and time`;
	return `no touch of this customer within ${lookbackDays} days before it`;
}

/** The record with the phones that are not phones added to its warnings; the record itself when there are none. */
function withWarnings<T extends Order | Touch>(record: T, rejectedPhones: string[]): T {
	if (rejectedPhones.length === 0) return record;
	const added = rejectedPhones.map((phone) => `"${phone}" is not a phone number: not used to match`);
	return { ...record, warnings: [...(Array.isArray(record.warnings) ? record.warnings : []), ...added] };
}
