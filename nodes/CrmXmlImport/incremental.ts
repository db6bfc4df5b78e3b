import type { Order } from '../shared/contracts';
import { fingerprint } from '../shared/hash';

/**
 * Memory of the last successful import: order id -> "fingerprint|status|total". Compact, because it lives in
 * the workflow's static data (a 100,000-order feed keeps about 4 MB). Orders absent from a later feed keep their
 * entry: many exports (Bitrix's sale export among them) send only what changed.
 */
export type ImportState = Record<string, string>;

/** Fields that describe the run, not the order: left out of its version. */
const NOT_VERSIONED = new Set(['raw', 'change', 'warnings']);

function versionOf(order: Order): string {
	return fingerprint(JSON.stringify(order, (key, value: unknown) => (NOT_VERSIONED.has(key) ? undefined : value)));
}

function entry(order: Order): string {
	return `${versionOf(order)}|${order.status ?? ''}|${order.total ?? ''}`;
}

function parseEntry(value: string): { version: string; status: string | null; total: number | null } {
	const [version, status, total] = value.split('|');
	return { version, status: status === '' ? null : status, total: total === '' || total === undefined ? null : Number(total) };
}

/** The orders that are new or changed since `previous`, each with what changed, and the state to keep if the run succeeds. */
export function diffOrders(orders: Order[], previous: ImportState | undefined): { changed: Order[]; next: ImportState } {
	const next: ImportState = { ...(previous ?? {}) };
	const changed: Order[] = [];
	for (const order of orders) {
		const now = entry(order);
		const before = previous?.[order.orderId];
		next[order.orderId] = now;
		if (before === now) continue;
		if (before === undefined) {
			changed.push({ ...order, change: { type: 'new', fields: [], previous: null } });
			continue;
		}
		const old = parseEntry(before);
		const fields: string[] = [];
		if ((old.status ?? null) !== (order.status ?? null)) fields.push('status');
		if (old.total !== order.total) fields.push('total');
		if (fields.length === 0) fields.push('other');
		changed.push({ ...order, change: { type: 'changed', fields, previous: { status: old.status, total: old.total } } });
	}
	return { changed, next };
}
