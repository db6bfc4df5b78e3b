export interface MatchWindow {
	lookbackMs: number;
	graceMs: number;
}

export const AFTER_LAST_ORDER = "after the customer's last order and its grace window";
export const BEFORE_LOOKBACK = "earlier than the lookback window before the customer's next order";
export const NO_ORDER = 'no order from this customer';

/**
 * Within one person, each touch goes to the next order: the first order whose time plus the grace is not before the
 * touch. It counts if it is not more than the lookback before that order. Repeat buyers so get fresh paths: a touch
 * before the first order never credits the second. `orders` and `touches` are indexes into `orderAt` / `touchAt`
 * (epoch ms), each sorted by time here. Calls `link(touch, order)` or `miss(touch, reason)` for every touch.
 */
export function assignTouchesToOrders(
	orders: Int32Array,
	touches: Int32Array,
	orderAt: ArrayLike<number>,
	touchAt: ArrayLike<number>,
	window: MatchWindow,
	link: (touch: number, order: number) => void,
	miss: (touch: number, reason: string) => void,
): void {
	sortByTime(orders, 0, orders.length, orderAt);
	sortByTime(touches, 0, touches.length, touchAt);
	let next = 0;
	for (const touch of touches) {
		const at = touchAt[touch];
		while (next < orders.length && orderAt[orders[next]] + window.graceMs < at) next++;
		if (next === orders.length) miss(touch, orders.length === 0 ? NO_ORDER : AFTER_LAST_ORDER);
		else if (at < orderAt[orders[next]] - window.lookbackMs) miss(touch, BEFORE_LOOKBACK);
		else link(touch, orders[next]);
	}
}

/** Record indexes grouped by a small integer key (a person, an order). */
export interface Groups {
	/** The keys that have records, ascending. */
	keys: number[];
	/** The records of key k are members[start[k], start[k + 1]), in ascending order. */
	start: number[];
	members: Int32Array;
}

/**
 * Groups record indexes by key (-1: no group) with a counting sort, keys being small integers: no Map and no array
 * per group. `start`, of the keys' count (a person per identity value: half a million at a million records), is a
 * plain array: a typed one would count toward V8's external-memory trigger (see matchOrders).
 */
export function groupBy(keyOf: ArrayLike<number>, keyCount: number): Groups {
	const start = new Array<number>(keyCount + 1).fill(0);
	for (let record = 0; record < keyOf.length; record++) {
		if (keyOf[record] !== -1) start[keyOf[record]]++;
	}
	const keys: number[] = [];
	let end = 0;
	for (let key = 0; key < keyCount; key++) {
		if (start[key] > 0) keys.push(key);
		end += start[key];
		start[key] = end;
	}
	start[keyCount] = end;
	// start[key] is now where the key's records end: filled backwards from there, it ends where they start.
	const members = new Int32Array(end);
	for (let record = keyOf.length - 1; record >= 0; record--) {
		const key = keyOf[record];
		if (key !== -1) members[--start[key]] = record;
	}
	return { keys, start, members };
}

/** The records of one key, as a view (no copy). */
export function membersOf(groups: Groups, key: number): Int32Array {
	return groups.members.subarray(groups.start[key], groups.start[key + 1]);
}

/** Ranges up to this long are sorted in place by insertion; longer ones by the built-in sort. */
const INSERTION_SORT_MAX = 32;

/**
 * Sorts indexes[from, to) by time, then by index: in place, without a comparator closure for the short ranges a
 * person or an order has (insertion sort), with the built-in sort for long ones.
 */
export function sortByTime(indexes: Int32Array, from: number, to: number, at: ArrayLike<number>): void {
	if (to - from > INSERTION_SORT_MAX) {
		indexes.subarray(from, to).sort((a, b) => at[a] - at[b] || a - b);
		return;
	}
	for (let i = from + 1; i < to; i++) {
		const index = indexes[i];
		const time = at[index];
		let j = i - 1;
		while (j >= from && (at[indexes[j]] > time || (at[indexes[j]] === time && indexes[j] > index))) {
			indexes[j + 1] = indexes[j];
			j--;
		}
		indexes[j + 1] = index;
	}
}
