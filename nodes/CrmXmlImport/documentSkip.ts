import type { RawOrderFields } from './orderBuilder';

/*
 * Which CommerceML documents are sales orders. A file from 1C or Bitrix carries payments, shipments and, from 1C,
 * purchase orders beside the sales orders; each of those is skipped with its reason, never read as revenue.
 */

/** A document that is not a sales order, and why. `warning` when it looks like an order of another kind. */
export interface SkippedDocument {
	skip: string;
	documentId: string | null;
	level: 'info' | 'warning';
}

/** What one document gives: an order's fields, or the reason it is skipped. */
export type DocumentFields = RawOrderFields | SkippedDocument;

/** ХозОперация of a sales order: "Заказ товара" (the standard's value), "Заказ покупателя" (1C's name for it), "Order" (1.x). */
const ORDER_OPERATIONS = new Set(['заказ товара', 'заказ покупателя', 'order']);

/**
 * Why a document whose ХозОперация is `operation` is not a sales order, or null. Payments and shipments travel in the
 * same file (said as info); another kind of order ("Заказ поставщику") is said as a warning.
 */
export function operationSkip(operation: string | null, documentId: string | null): SkippedDocument | null {
	const name = operation?.trim().toLowerCase();
	if (name === undefined || ORDER_OPERATIONS.has(name)) return null;
	const anOrder = name.includes('заказ') || name.includes('order');
	return { skip: `not a sales order: ХозОперация is "${operation}"`, documentId, level: anOrder ? 'warning' : 'info' };
}

/**
 * Why a 2.x / 3.x document whose <Роль> is `role` is not a sale, or null. The document's Роль is the role of the
 * side that exported it: Продавец for the shop's own sale; Покупатель when the shop is the buyer (a purchase order).
 */
export function roleSkip(role: string | null, documentId: string | null): SkippedDocument | null {
	const known = role?.trim().toLowerCase();
	if (known === undefined || known === 'продавец') return null;
	if (known === 'покупатель') {
		return { skip: `a purchase order: the document's Роль is "${role}" (the exporting side buys), not a sale`, documentId, level: 'warning' };
	}
	return { skip: `the document's Роль "${role}" is not known: only Продавец (a sale) is imported`, documentId, level: 'warning' };
}
