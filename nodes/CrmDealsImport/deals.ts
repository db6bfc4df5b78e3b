import type { Order } from '../shared/contracts';
import { buildOrder, type OrderBuildOptions, type RawOrderFields } from '../CrmXmlImport/orderBuilder';
import { diffOrders, type ImportState } from '../CrmXmlImport/incremental';

/** When a deal last changed: as epoch ms, to compare, and as the CRM writes it, to ask for what changed since. */
export interface ChangeMark {
	ms: number;
	text: string;
}

/** One deal as a source read it: the Order's fields, or why the contract cannot take it. */
export interface DealRecord {
	/** The CRM's id as written, for messages; null when the deal has none. */
	id: string | null;
	read: { fields: RawOrderFields; status: string | null; statusCode: string | null } | { problem: string };
	/** What the CRM sent for the deal (its contacts included), kept on the Order when asked. */
	raw: unknown;
	changed: ChangeMark | null;
}

/** Memory of the last successful "Changed Since Last Run" import of one account (workflow static data). */
export interface DealsState {
	/** The latest change among the deals read: the next run asks for deals changed at or after it. */
	mark: ChangeMark | null;
	/** Order id -> version (incremental.ts): a deal read again unchanged is not emitted again. */
	versions: ImportState;
}

export interface DealProblem {
	/** The deal's position in the CRM's answer, from 0. */
	index: number;
	id: string | null;
	message: string;
}

export type DealOutcome = { order: Order } | { problem: DealProblem };

export interface DealsOptions extends OrderBuildOptions {
	includeRaw: boolean;
}

/**
 * The CRM's deals as Orders (orderBuilder.ts normalises phones, e-mails, money and dates), in the CRM's order, a
 * deal the contract cannot take as a problem in its place. A deal read twice in one run (it changed while the pages
 * were read) is emitted once, at its first place, as read last. With `previous` (Changed Since Last Run) only new or
 * changed deals are emitted, each with its `change`, and the state to keep once the run has succeeded is returned.
 */
export function dealsToOrders(records: DealRecord[], options: DealsOptions, previous?: DealsState): { outcomes: DealOutcome[]; next: DealsState } {
	const latest = new Map<string, Order>();
	const places: Array<string | DealProblem> = [];
	let mark = previous?.mark ?? null;
	records.forEach((record, index) => {
		if (record.changed && !Number.isNaN(record.changed.ms) && (mark === null || record.changed.ms > mark.ms)) mark = record.changed;
		const read = record.read;
		const built = 'problem' in read ? read.problem : buildOrder(read.fields, options);
		if (typeof built === 'string' || 'problem' in read) {
			places.push({ index, id: record.id, message: built as string });
			return;
		}
		// The status as the CRM names it and the code the import gives it, not split as an XML status is ("[N] …").
		const order: Order = { ...built, status: read.status, statusCode: read.statusCode, ...(options.includeRaw ? { raw: record.raw } : {}) };
		if (!latest.has(order.orderId)) places.push(order.orderId);
		latest.set(order.orderId, order);
	});
	const orders = places.filter((place): place is string => typeof place === 'string').map((id) => latest.get(id) as Order);
	const diff = previous ? diffOrders(orders, previous.versions) : null;
	const emitted = new Map((diff?.changed ?? orders).map((order) => [order.orderId, order]));
	const outcomes: DealOutcome[] = [];
	for (const place of places) {
		if (typeof place !== 'string') outcomes.push({ problem: place });
		else if (emitted.has(place)) outcomes.push({ order: emitted.get(place) as Order });
	}
	return { outcomes, next: { mark, versions: diff?.next ?? previous?.versions ?? {} } };
}
