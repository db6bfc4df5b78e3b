import type { CountryCode } from 'libphonenumber-js/min';
import { ORDER_SHAPE, TOUCH_SHAPE, type Order, type Touch } from '../shared/contracts';
import { toEpochMs } from '../shared/time';
import { checkShape, idHash, itemProblem, keepFirstById, recordName, repeatsAmong, type FieldRule, type ItemProblem } from '../shared/validation';
import { IdentityGraph } from './identityGraph';
import { KeyReader } from './identityKeys';

/** One input of the matcher, checked item by item and read. */
export interface RecordReading<T> {
	/** The first copy of each id among the items that keep the contract, in input order. */
	kept: T[];
	/** Each kept record's input position. */
	from: number[];
	/** Items that break the contract, and later copies of an id that differ from the first: one error each, by input position. */
	problems: ItemProblem[];
	/** Per kept record: why each of its phone and e-mail values that is not one is not (see KeyReader.read). */
	rejected: string[][];
	/** Per kept record: its time as epoch ms; NaN when it is not a time. */
	at: number[];
}

/** Both inputs read: the graph holds the kept orders as records 0..orders-1, then the kept touches. */
export interface MatchInput {
	graph: IdentityGraph;
	orders: RecordReading<Order>;
	touches: RecordReading<Touch>;
}

/** What an input is checked against and how its records are read. */
interface InputKind<T> {
	shape: readonly FieldRule[];
	idField: string;
	idOf: (record: T) => unknown;
	timeOf: (record: T) => string | null | undefined;
	/** How to fix a record that breaks the contract. */
	hint: string;
}

const ORDERS: InputKind<Order> = {
	shape: ORDER_SHAPE,
	idField: 'orderId',
	idOf: (order) => order.orderId,
	timeOf: (order) => order.createdAt,
	hint: 'Give orders as CRM XML Import emits them: an orderId, and createdAt (ISO 8601 text) and customer (an object) when known.',
};

const TOUCHES: InputKind<Touch> = {
	shape: TOUCH_SHAPE,
	idField: 'touchId',
	idOf: (touch) => touch.touchId,
	timeOf: (touch) => touch.at,
	hint: 'Give touches as Touchpoint emits them: a touchId, and at (ISO 8601 text), channel (an object) and orderRef when known.',
};

const REPEAT_HINT = 'Give each record once: remove the repeated one at its source, or keep the version you want before this node (Remove Duplicates).';

/**
 * Checks every order and touch against its contract and reads the good ones into an identity graph, in one pass per
 * input: at a million records every object read is a cache miss, so each record is read once for its contract, its
 * id's hash, its identity values and its time. Ids repeat rarely; when some do, the first copy of each id is kept
 * (keepFirstById: a later copy that holds the same record is left out with a warning on the first, nothing is lost;
 * one with other values is an error, since which one is right cannot be told) and the kept records are read again
 * into a fresh graph.
 */
export function readInputs(orderInput: Order[], touchInput: Touch[], countries: CountryCode[], zone: string): MatchInput {
	const first = readBoth(orderInput, touchInput, countries, zone);
	const orderRepeats = repeatsAmong(first.orders.kept, ORDERS.idOf, first.orderHashes);
	const touchRepeats = repeatsAmong(first.touches.kept, TOUCHES.idOf, first.touchHashes);
	if (!orderRepeats && !touchRepeats) return first;
	const orders = orderRepeats ? firstCopies(first.orders, ORDERS) : first.orders;
	const touches = touchRepeats ? firstCopies(first.touches, TOUCHES) : first.touches;
	const again = readBoth(orders.kept, touches.kept, countries, zone);
	return { graph: again.graph, orders: readAgain(orders, again.orders), touches: readAgain(touches, again.touches) };
}

/** A second reading of kept records (all keep the contract, each id once), with the positions and problems of the first. */
function readAgain<T>(kept: RecordReading<T>, again: RecordReading<T>): RecordReading<T> {
	return { ...again, from: again.from.map((k) => kept.from[k]), problems: kept.problems };
}

/** Both inputs read into one new graph, with the hash of each kept record's id (see idHash). */
function readBoth(orderInput: Order[], touchInput: Touch[], countries: CountryCode[], zone: string): MatchInput & { orderHashes: number[]; touchHashes: number[] } {
	const graph = new IdentityGraph(orderInput.length + touchInput.length);
	const keys = new KeyReader(countries, graph.addValue);
	const orderHashes: number[] = [];
	const touchHashes: number[] = [];
	const orders = readRecords(orderInput, ORDERS, keys, graph, zone, orderHashes);
	const touches = readRecords(touchInput, TOUCHES, keys, graph, zone, touchHashes);
	return { graph, orders, touches, orderHashes, touchHashes };
}

/**
 * Reads each record once: checks it against the contract (a bad one becomes a problem and is not read further), then
 * its id's hash into `hashes` (a plain array of small integers: a typed array that lives through this pass, which
 * allocates, would count toward V8's external-memory trigger until the next full collection), its identity values
 * into the graph (one graph record each), its phone and e-mail values that are not ones, and its time.
 */
function readRecords<T extends Order | Touch>(items: readonly T[], kind: InputKind<T>, keys: KeyReader, graph: IdentityGraph, zone: string, hashes: number[]): RecordReading<T> {
	const problems: ItemProblem[] = [];
	/** Until the first bad item, the good records are `items` itself; from then on a copy without the bad ones. */
	let kept: T[] | null = null;
	const from: number[] = [];
	const rejected: string[][] = [];
	const at: number[] = [];
	for (let index = 0; index < items.length; index++) {
		const record = items[index];
		const fields = checkShape(record, kind.shape);
		if (fields.length > 0) {
			kept ??= items.slice(0, index);
			problems.push(itemProblem(index, recordName(record, kind.idField), fields, kind.hint));
			continue;
		}
		if (kept !== null) kept.push(record);
		from.push(index);
		hashes.push(idHash(kind.idOf(record)));
		rejected.push(keys.read(record));
		graph.endRecord();
		at.push(toEpochMs(kind.timeOf(record), zone));
	}
	return { kept: kept ?? (items as T[]), from, problems, rejected, at };
}

/** The first copy of each id of a reading's records (see keepFirstById), with the later copies that differ added to its problems. */
function firstCopies<T extends Order | Touch>(reading: RecordReading<T>, kind: InputKind<T>): RecordReading<T> {
	const { kept, from, dropped } = keepFirstById(reading.kept, kind.idOf, kind.idField, reading.from);
	const problems = [...reading.problems];
	for (const copy of dropped) {
		if (!copy.same) problems.push({ itemIndex: copy.index, message: `Item ${copy.index}: ${copy.reason}`, description: REPEAT_HINT });
	}
	problems.sort((a, b) => a.itemIndex - b.itemIndex);
	return { ...reading, kept, from, problems };
}
