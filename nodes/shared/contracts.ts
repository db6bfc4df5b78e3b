/**
 * The canonical items that the pack's nodes pass to each other (see the README, "Item contracts").
 * Times are ISO 8601 with an offset, money is a number plus an ISO 4217 code, phones are E.164.
 */
export type Stage = 'new' | 'in_progress' | 'won' | 'lost' | 'other';

export const STAGES: Stage[] = ['new', 'in_progress', 'won', 'lost', 'other'];

export interface Utm {
	source: string | null;
	medium: string | null;
	campaign: string | null;
	content: string | null;
	term: string | null;
}

export interface Customer {
	name: string | null;
	phones: string[];
	emails: string[];
	gaClientId: string | null;
	ymClientId: string | null;
}

export interface OrderItem {
	id: string | null;
	name: string | null;
	price: number | null;
	quantity: number | null;
	total: number | null;
}

export interface Order {
	orderId: string;
	number: string | null;
	createdAt: string | null;
	updatedAt: string | null;
	/** The status as the CRM names it, with a bracketed code such as "[N] " split off into statusCode. */
	status: string | null;
	statusCode: string | null;
	/** Set by CRM Status Map. */
	stage: Stage | null;
	total: number | null;
	currency: string | null;
	customer: Customer;
	utm: Utm;
	items: OrderItem[];
	/** What the import could not understand (a phone that is not a phone, a date it could not read). */
	warnings: string[];
	/** The record as parsed, when the node is asked to keep it. */
	raw?: unknown;
	/** Set in incremental mode: why this order is emitted. */
	change?: OrderChange;
}

export interface OrderChange {
	type: 'new' | 'changed';
	/** Which canonical fields differ from the last run. */
	fields: string[];
	previous: { status: string | null; total: number | null } | null;
}

export function emptyUtm(): Utm {
	return { source: null, medium: null, campaign: null, content: null, term: null };
}
