import type { Deal, Touch, Utm } from '../../shared/contracts';
import { GOOGLE_CLICK_IDS, type GoogleClickType } from '../../shared/googleClickId';
import { normaliseCurrency, toCents } from '../../shared/money';
import { toEpochMs } from '../../shared/time';

export type Destination = 'ga4' | 'metrica' | 'amocrm' | 'bitrix24' | 'webhook' | 'googleAds';

/** A Google Ads click id of a deal's touch: which parameter it came as, and its value. */
export interface GoogleClick {
	type: GoogleClickType;
	id: string;
}

/** 'won' pushes a won deal's revenue; 'refund' takes back the revenue of a deal that was cancelled after it was won. */
export type PushMode = 'won' | 'refund';

export type RevenueKind = 'purchase' | 'refund';

export interface TransactionItem {
	id: string | null;
	name: string | null;
	/** Unit price in cents. */
	priceCents: number;
	quantity: number;
}

/** What one destination is told about one deal: the numbers, the people keys and the time, nothing service-specific. */
export interface Transaction {
	destination: Destination;
	orderId: string;
	kind: RevenueKind;
	/**
	 * `${destination}:${orderId}:${kind}:${cents}:${currency}`: what the node records once a service accepted it.
	 * A changed total or a refund is a new version and is sent again; the same version never is.
	 */
	versionKey: string;
	/** The amount in cents, positive for refunds too (each service says "refund" its own way). */
	valueCents: number;
	currency: string;
	items: TransactionItem[];
	gaClientId: string | null;
	gaSessionId: string | null;
	ymClientId: string | null;
	yclid: string | null;
	/** The Google Ads click id of the latest touch that has one (gclid first, then gbraid, then wbraid). */
	googleClick: GoogleClick | null;
	/** E.164 as the pack keeps them ("+79123456789"). */
	phones: string[];
	/** Lower-case. */
	emails: string[];
	/** When it happened, epoch ms: the order's update time for a won deal (when it was won), else its creation. */
	occurredAtMs: number;
	createdAtMs: number;
	utm: Utm;
	deal: Deal;
}

export interface TransactionOptions {
	destination: Destination;
	mode: PushMode;
	/** Used when the order names no currency. Null: such deals are skipped. */
	defaultCurrency: string | null;
	/** For times written without an offset. */
	timeZone: string;
	/** Epoch ms; the time used when an order carries no usable time at all. */
	now: number;
}

export interface TransactionBuild {
	transactions: Transaction[];
	skipped: Array<{ orderId: string; reason: string }>;
}

export function buildTransactions(deals: Deal[], options: TransactionOptions): TransactionBuild {
	const result: TransactionBuild = { transactions: [], skipped: [] };
	for (const deal of deals) {
		const built = buildTransaction(deal, options);
		if ('reason' in built) result.skipped.push({ orderId: deal.orderId, reason: built.reason });
		else result.transactions.push(built);
	}
	return result;
}

export function buildTransaction(deal: Deal, options: TransactionOptions): Transaction | { reason: string } {
	if (!deal.orderId) return { reason: 'the order has no id' };
	if (options.mode === 'won' && deal.stage !== 'won') return { reason: `the deal's stage is "${deal.stage ?? 'unmapped'}", not won` };
	const currency = normaliseCurrency(deal.currency) ?? normaliseCurrency(options.defaultCurrency);
	if (!currency) return { reason: deal.currency ? `"${deal.currency}" is not a currency code` : 'the order has no currency and no default currency is set' };
	const items = dealItems(deal);
	const total = deal.total ?? (items.length > 0 ? items.reduce((sum, item) => sum + item.priceCents * item.quantity, 0) / 100 : null);
	if (total === null || !Number.isFinite(total)) return { reason: 'the order has no total and no priced items' };
	const valueCents = Math.abs(toCents(total));
	if (valueCents === 0) return { reason: 'the order total is 0: nothing to push' };
	const kind: RevenueKind = options.mode === 'won' ? 'purchase' : 'refund';
	const created = toEpochMs(deal.createdAt, options.timeZone);
	const updated = toEpochMs(deal.updatedAt, options.timeZone);
	const createdAtMs = Number.isFinite(created) ? created : Number.isFinite(updated) ? updated : options.now;
	const ga = gaIds(deal);
	return {
		destination: options.destination,
		orderId: deal.orderId,
		kind,
		versionKey: revenueVersionKey(options.destination, deal.orderId, kind, valueCents, currency),
		valueCents,
		currency,
		items,
		gaClientId: ga.clientId,
		gaSessionId: ga.sessionId,
		ymClientId: latestTouchValue(deal.touches, (touch) => touch.ymClientId) ?? deal.customer.ymClientId,
		yclid: findYclid(deal),
		googleClick: latestGoogleClick(deal.touches),
		phones: [...deal.customer.phones],
		emails: deal.customer.emails.map((email) => email.trim().toLowerCase()),
		occurredAtMs: Number.isFinite(updated) ? updated : createdAtMs,
		createdAtMs,
		utm: deal.utm,
		deal,
	};
}

export function revenueVersionKey(destination: Destination, orderId: string, kind: RevenueKind, cents: number, currency: string): string {
	return `${destination}:${orderId}:${kind}:${cents}:${currency}`;
}

function dealItems(deal: Deal): TransactionItem[] {
	const items: TransactionItem[] = [];
	for (const item of deal.items) {
		const quantity = item.quantity !== null && item.quantity > 0 ? item.quantity : 1;
		const unit = item.price ?? (item.total !== null ? item.total / quantity : null);
		if (unit === null || !Number.isFinite(unit)) continue;
		items.push({ id: item.id, name: item.name, priceCents: toCents(unit), quantity });
	}
	return items;
}

/**
 * The GA client id of the most recent touch that has one (the visit closest to the sale), with a session id from a
 * touch of that same client; else the customer's own. Ids of different clients are never mixed.
 */
function gaIds(deal: Deal): { clientId: string | null; sessionId: string | null } {
	const clientId = latestTouchValue(deal.touches, (touch) => touch.gaClientId) ?? deal.customer.gaClientId;
	if (!clientId) return { clientId: null, sessionId: null };
	const sessionId = latestTouchValue(deal.touches, (touch) => (touch.gaClientId === clientId ? touch.gaSessionId : null));
	return { clientId, sessionId };
}

/** Touches come in time order (the contract), so the latest is searched from the end. */
function latestTouchValue(touches: Touch[], pick: (touch: Touch) => string | null): string | null {
	for (let i = touches.length - 1; i >= 0; i--) {
		const value = pick(touches[i]);
		if (value) return value;
	}
	return null;
}

/** The latest touch's Google click id; one touch with several gives its gclid (Google takes one id per conversion). */
function latestGoogleClick(touches: Touch[]): GoogleClick | null {
	for (let i = touches.length - 1; i >= 0; i--) {
		const touch = touches[i];
		const type = GOOGLE_CLICK_IDS.find((name) => typeof touch[name] === 'string' && touch[name] !== '');
		if (type) return { type, id: touch[type] as string };
	}
	return null;
}

const YCLID_IN_URL = /[?&]yclid=(\d{5,30})/;

/**
 * The Yandex Direct click id of the latest touch that has one; else the touches' and the order's kept records are
 * searched for a `yclid` key or a landing URL carrying `yclid=` (orders have no yclid field; touches stored before
 * they had one), the latest touch first.
 */
function findYclid(deal: Deal): string | null {
	const latest = latestTouchValue(deal.touches, (touch) => touch.yclid ?? null);
	if (latest) return latest;
	for (let i = deal.touches.length - 1; i >= 0; i--) {
		const found = yclidIn(deal.touches[i].raw, 0);
		if (found) return found;
	}
	return yclidIn(deal.raw, 0);
}

function yclidIn(value: unknown, depth: number): string | null {
	if (typeof value === 'string') return YCLID_IN_URL.exec(value)?.[1] ?? null;
	if (value === null || typeof value !== 'object' || depth > 3) return null;
	if (Array.isArray(value)) {
		for (const entry of value) {
			const found = yclidIn(entry, depth + 1);
			if (found) return found;
		}
		return null;
	}
	const record = value as Record<string, unknown>;
	const direct = record.yclid ?? record.YCLID;
	if ((typeof direct === 'string' || typeof direct === 'number') && /^\d{5,30}$/.test(String(direct))) return String(direct);
	for (const entry of Object.values(record)) {
		const found = yclidIn(entry, depth + 1);
		if (found) return found;
	}
	return null;
}
