import type { FieldRule } from './validation';

/**
 * The canonical items that the pack's nodes pass to each other (see docs/item-contracts.md).
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
	/**
	 * Set (true) on an order read from a status-only document (1C reporting the status of an order it had from the
	 * site: no sum, no buyer): its total is unknown, not zero. Left out on every other order.
	 */
	statusOnly?: boolean;
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

export type TouchKind = 'call' | 'chat' | 'form' | 'cart' | 'email' | 'visit';

/** How a call ended; null for touches that are not calls. */
export type CallOutcome = 'answered' | 'missed' | 'short' | 'repeat';

export interface Touch {
	/** Stable id: the source's own id where it has one, otherwise a fingerprint of the event. */
	touchId: string;
	kind: TouchKind;
	/** ISO 8601 with an offset. */
	at: string;
	phones: string[];
	emails: string[];
	gaClientId: string | null;
	gaSessionId: string | null;
	ymClientId: string | null;
	/** The Yandex Direct click id of the visit (`yclid` in the landing address), for Metrica offline conversions. */
	yclid: string | null;
	/**
	 * Google Ads click ids of the visit (`gclid`, and `gbraid` / `wbraid` for iOS app and web-to-app clicks, from the
	 * landing address or form fields), for Google Ads click conversions. Each left out when the visit has none (touches
	 * stored before they existed have none either); not part of the touchId.
	 */
	gclid?: string | null;
	gbraid?: string | null;
	wbraid?: string | null;
	/** An order id or number the touch mentions (a cart submission, a call about an order). */
	orderRef: string | null;
	channel: Utm;
	trackingNumber: string | null;
	durationSec: number | null;
	answered: boolean | null;
	outcome: CallOutcome | null;
	/**
	 * A call's tags as the call tracker gives them (its own tags, categories or call results, e.g. "Заказ"): trimmed,
	 * at most 20 of at most 100 characters each. Left out when the sender gives none.
	 */
	tags?: string[];
	/**
	 * Who answered the call or was called, as the sender names them (an employee's name, an extension, a manager's
	 * id), at most 100 characters. Left out when the sender does not say.
	 */
	operator?: string | null;
	/** Which parser produced it, e.g. "asterisk", "binotel", "jivo", "form". */
	source: string;
	warnings: string[];
	raw?: unknown;
}

export type MatchKey = 'orderRef' | 'gaClientId' | 'ymClientId' | 'phone' | 'email';

export interface TouchLink {
	touchId: string;
	/** The key that linked the touch to the order's person, and its value. */
	key: MatchKey;
	value: string;
	/** The rule that kept it, e.g. "within 30 days before the order". */
	rule: string;
}

export interface DealMatch {
	/** The strongest key among the links. */
	method: MatchKey;
	keys: TouchLink[];
	reason: string;
}

/** A matched order: the order plus the touches that produced it, in time order. */
export interface Deal extends Order {
	touches: Touch[];
	match: DealMatch;
}

export interface Credit {
	orderId: string;
	touchId: string;
	model: string;
	/** "source / medium" as the report groups it. */
	channel: string;
	share: number;
	revenue: number;
	currency: string | null;
	/** What the user should know about the deal credited (a repeated order id, a touch without a channel). */
	warnings?: string[];
}

/*
 * The shapes the nodes check input items against (see checkShape): the fields a node cannot do without, and the
 * types of the fields it reads. Items from any node that keeps the contracts pass.
 */

const TOUCH_ID: FieldRule = { name: 'touchId', type: 'id', required: true };
/** A touch without a channel object (null or left out) has an unknown source; the nodes say how they count it. */
const CHANNEL: FieldRule = { name: 'channel', type: 'object', nullable: true };

/** A touch: an id; a time, a channel and an order reference when given. A touch without a time matches no order. */
export const TOUCH_SHAPE: readonly FieldRule[] = [TOUCH_ID, { name: 'at', type: 'string', nullable: true }, CHANNEL, { name: 'orderRef', type: 'id', nullable: true }];

/** An order: an id; a creation time and a customer when given. */
export const ORDER_SHAPE: readonly FieldRule[] = [
	{ name: 'orderId', type: 'id', required: true },
	{ name: 'createdAt', type: 'string', nullable: true },
	{ name: 'customer', type: 'object', nullable: true },
];

/** A deal: an order (its total is read on its own, see readMoney) with its touches, each linked by its time. */
export const DEAL_SHAPE: readonly FieldRule[] = [
	...ORDER_SHAPE,
	{ name: 'stage', type: 'string', nullable: true, oneOf: STAGES },
	{ name: 'currency', type: 'string', nullable: true },
	{ name: 'touches', type: 'array', required: true, each: [TOUCH_ID, { name: 'at', type: 'string', required: true }, CHANNEL] },
];
