import type { Order } from '../shared/contracts';
import { fingerprint } from '../shared/hash';
import { STATUS_ONLY_WARNING } from './orderBuilder';

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

interface MemoryEntry {
	version: string;
	status: string | null;
	total: number | null;
}

function parseEntry(value: string): MemoryEntry {
	const [version, status, total] = value.split('|');
	return { version, status: status === '' ? null : status, total: total === '' || total === undefined ? null : Number(total) };
}

export const KEPT_TOTAL_WARNING = 'the status comes from a status-only document; the total is the one imported earlier';
export const UNKNOWN_TOTAL_WARNING = 'a status-only document for an order not imported before: its total is unknown until the full order is imported';

function withWarning(order: Order, warning: string): Order['warnings'] {
	return [...order.warnings.filter((text) => text !== STATUS_ONLY_WARNING), warning];
}

/**
 * A status-only document (1C saying an order was paid or shipped) applied to what the last run kept of its order:
 * the new status (or the old one when the document names none) and the old total. Its memory entry keeps the
 * version of the full order, so the full order exported again is compared with what it was.
 */
function applyStatus(order: Order, old: MemoryEntry): { order: Order; entry: string } {
	const status = order.status ?? old.status;
	const updated = { ...order, status, statusCode: order.status === null ? null : order.statusCode, total: old.total, warnings: withWarning(order, KEPT_TOTAL_WARNING) };
	return { order: updated, entry: `${old.version}|${status ?? ''}|${old.total ?? ''}` };
}

/** The orders that are new or changed since `previous`, each with what changed, and the state to keep if the run succeeds. */
export function diffOrders(orders: Order[], previous: ImportState | undefined): { changed: Order[]; next: ImportState } {
	const next: ImportState = { ...(previous ?? {}) };
	const changed: Order[] = [];
	for (const read of orders) {
		const before = previous?.[read.orderId];
		const old = before === undefined ? null : parseEntry(before);
		const applied = read.statusOnly && old ? applyStatus(read, old) : null;
		const order = applied?.order ?? read;
		const now = applied?.entry ?? entry(order);
		next[order.orderId] = now;
		if (before === now) continue;
		if (old === null) {
			const warnings = order.statusOnly ? withWarning(order, UNKNOWN_TOTAL_WARNING) : order.warnings;
			changed.push({ ...order, warnings, change: { type: 'new', fields: [], previous: null } });
			continue;
		}
		const fields: string[] = [];
		if ((old.status ?? null) !== (order.status ?? null)) fields.push('status');
		if (old.total !== order.total) fields.push('total');
		if (fields.length === 0) fields.push('other');
		changed.push({ ...order, change: { type: 'changed', fields, previous: { status: old.status, total: old.total } } });
	}
	return { changed, next };
}
