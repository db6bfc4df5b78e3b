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
	orderAt: Float64Array,
	touchAt: Float64Array,
	window: MatchWindow,
	link: (touch: number, order: number) => void,
	miss: (touch: number, reason: string) => void,
): void {
	if (orders.length > 1) orders.sort((a, b) => orderAt[a] - orderAt[b] || a - b);
	if (touches.length > 1) touches.sort((a, b) => touchAt[a] - touchAt[b] || a - b);
	let next = 0;
	for (const touch of touches) {
		const at = touchAt[touch];
		while (next < orders.length && orderAt[orders[next]] + window.graceMs < at) next++;
		if (next === orders.length) miss(touch, orders.length === 0 ? NO_ORDER : AFTER_LAST_ORDER);
		else if (at < orderAt[orders[next]] - window.lookbackMs) miss(touch, BEFORE_LOOKBACK);
		else link(touch, orders[next]);
	}
}

/**
 * Groups record indexes by person with a counting sort (persons are small integers): `groups(person)` gives that
 * person's records without a Map or an array per person.
 */
export function groupByPerson(personOf: Int32Array, personCount: number): { persons: number[]; records: (person: number) => Int32Array } {
	const start = new Int32Array(personCount + 1);
	for (const person of personOf) if (person !== -1) start[person + 1]++;
	const persons: number[] = [];
	for (let p = 0; p < personCount; p++) {
		if (start[p + 1] > 0) persons.push(p);
		start[p + 1] += start[p];
	}
	const fill = start.slice(0, personCount);
	const sorted = new Int32Array(start[personCount]);
	personOf.forEach((person, record) => {
		if (person !== -1) sorted[fill[person]++] = record;
	});
	return { persons, records: (person) => sorted.subarray(start[person], start[person + 1]) };
}
