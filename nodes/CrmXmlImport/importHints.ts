import type { Order } from '../shared/contracts';
import type { SkippedRecord } from './importOrders';

/** What the user should see beside the output: documents skipped and why, orders whose total is unknown. */
export interface ImportHint {
	type: 'info' | 'warning';
	message: string;
}

/** How many ids a hint lists before "and N more". */
const LISTED = 10;

function count(n: number, noun: string): string {
	return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function listed(ids: string[]): string {
	const more = ids.length - LISTED;
	return ids.slice(0, LISTED).join(', ') + (more > 0 ? ` and ${more} more` : '');
}

/**
 * Hints for one feed: one per reason documents were skipped (payments, shipments, purchase orders), and one for the
 * status-only documents whose total is unknown (`orders` are the orders emitted; in incremental mode a status-only
 * document of an order imported earlier carries that order's total and needs no hint).
 */
export function importHints(skipped: SkippedRecord[], orders: Order[], incremental: boolean): ImportHint[] {
	const hints: ImportHint[] = [];
	const byReason = new Map<string, SkippedRecord[]>();
	for (const record of skipped) {
		const same = byReason.get(record.reason);
		if (same) same.push(record);
		else byReason.set(record.reason, [record]);
	}
	for (const [reason, records] of byReason) {
		const ids = records.map((record) => record.documentId ?? `record ${record.index}`);
		hints.push({ type: records[0].level, message: `${count(records.length, 'document')} skipped, ${reason}: ${listed(ids)}` });
	}
	const unknown = orders.filter((order) => order.statusOnly && order.total === null).map((order) => order.orderId);
	if (unknown.length > 0) {
		const what = count(unknown.length, 'status-only document');
		hints.push({
			type: 'warning',
			message: incremental
				? `${what} with no total from an earlier run: the total is unknown until the full order is imported: ${listed(unknown)}`
				: `${what} (no sum, no buyer): the order's total is unknown, not zero. Use "New or Changed Since Last Run" to apply the status to the order imported earlier, or join by orderId with the full order: ${listed(unknown)}`,
		});
	}
	return hints;
}
