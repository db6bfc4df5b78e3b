import { revenueCents } from '../Attribution/dealTable';
import type { Credit, Customer, Deal } from '../shared/contracts';
import { InputDataError } from '../shared/errors';
import { toCents } from '../shared/money';
import { isValidZone } from '../shared/time';
import { orderTime, periodMs } from './period';
import type { CustomerSegment, CustomerSegmentRow, FirstVersusRepeatRow, RepeatSalesRow } from './reportModel';

/** The channel of a deal without touches (it has no credits): the whole order, share 1. */
export const NO_SOURCE = '(no source)';
/** The channel of a segment's total row. */
export const ALL_CHANNELS = '(all)';

export const CUSTOMER_SEGMENTS: readonly CustomerSegment[] = ['new', 'returning', 'reactivated', 'lapsed'];

const DAY_MS = 86_400_000;

export interface CustomerOptions {
	/** YYYY-MM-DD, both ends included: the dates of deal.createdAt on the clock of timeZone. */
	period: { start: string; end: string };
	/** IANA name, e.g. Europe/Moscow; also the zone of a createdAt written without an offset. */
	timeZone: string;
	/** N > 0: a previous order at most N × 24 h before makes a returning customer, more a reactivated one. */
	lapsedAfterDays: number;
}

/** The period's orders in one currency. */
export interface CustomerSummaryRow {
	currency: string | null;
	/** People (identified) with an order in the period in this currency. */
	customers: number;
	/** The period's orders and revenue, unidentified ones included. */
	orders: number;
	revenue: number;
	/** Identified orders / customers and identified revenue / customers (unidentified orders have no person); null when customers is 0. */
	ordersPerCustomer: number | null;
	revenuePerCustomer: number | null;
	/** Orders of the period without a phone, e-mail or client id: in orders and revenue, in no segment and no other table. */
	unidentifiedOrders: number;
	unidentifiedRevenue: number;
	/** Deals whose createdAt is missing or not a time: in no period, so in no other figure (their period is not guessed). */
	undated: number;
}

export interface CustomerReport {
	segments: CustomerSegmentRow[];
	repeatSales: RepeatSalesRow[];
	firstVersusRepeat: FirstVersusRepeatRow[];
	summary: CustomerSummaryRow[];
}

/** A dated deal up to the period's end. */
interface Sale {
	deal: Deal;
	/** createdAt as epoch milliseconds. */
	at: number;
	currency: string | null;
	/** Set when first read (see centsOf): most deals of a long history are never counted. */
	cents?: number;
}

/** A person in a segment: their orders in time order, and the first one the segment counts. */
interface SegmentedCustomer {
	segment: CustomerSegment;
	orders: Sale[];
	/** The first order of the period; 0 for the lapsed, whose rows count all their orders (all before the period). */
	from: number;
}

/** One credit of a deal: its channel, share of the order and cents. */
interface Part {
	channel: string;
	share: number;
	cents: number;
}

interface Tally {
	orders: number;
	cents: number;
	customers: number;
	/** The person counted last: each person's orders are added one after another, so another person is one more customer. */
	lastPerson: number;
}

interface SummaryTally extends Tally {
	currency: string | null;
	identifiedOrders: number;
	identifiedCents: number;
	unidentifiedOrders: number;
	unidentifiedCents: number;
	undated: number;
}

/**
 * Customer figures of a period from the won deals known (history before the period too; deals after it are left
 * out and join no one) and the credits of one attribution model for them, the history's too (a deal without
 * touches has none: its channel is "(no source)", share 1, its whole total). Refused with an InputDataError: options
 * that are not a period, a zone and a positive N; credits of two models; two deals with one order id; a deal the
 * tables read that has touches and no credit.
 *
 * A person is one customer across phones, e-mails (trimmed, lower case), GA and Metrica client ids: deals that
 * share any of these values are one person, directly or through other deals (union-find). A value shared by
 * different people (an office phone) joins them: telling such values apart is the Order Matcher's job, none is
 * guessed here. A deal with none of these values is unidentified: it counts in the summary only. A deal without a
 * readable createdAt counts as undated in the summary only, and joins no one.
 *
 * A person's previous order is their latest order strictly before (by instant; at one instant, the earlier in
 * `deals` comes first). Their segment is decided by their first order in the period: new when it is their first
 * order ever; returning when the previous one is at most N × 24 h before it; reactivated when more. A person with
 * no order in the period is lapsed when their last order is more than N × 24 h before the period's end (the end of
 * its last day), and in no segment while it is not. All a person's orders in the period count in their segment;
 * lapsed rows count the orders before the period. A repeat order is any order but the person's first ever.
 *
 * Orders are fractional per channel (the sum of credit shares; a credit of share 0 and revenue 0, a single-touch
 * model's other touches, credits nothing) and whole on "(all)" rows; revenue adds up in whole cents; revenue per
 * customer is rounded to cents, other ratios are not. Unidentified orders are in no table but the summary: whether
 * they are repeat orders cannot be told. Rows go by currency (segments: by segment first), then revenue, largest
 * first, then name; a segment's "(all)" row comes first in its currency.
 */
export function customerReport(deals: readonly Deal[], credits: readonly Credit[], options: CustomerOptions): CustomerReport {
	const { startMs, endMs, windowMs } = readOptions(options);
	const summary = new Map<string | null, SummaryTally>();
	const { people, unidentified } = groupPeople(datedSales(deals, options.timeZone, endMs, summary));
	for (const sale of unidentified) {
		if (sale.at < startMs) continue;
		const tally = summaryTally(summary, sale.currency);
		tally.orders++;
		tally.cents += centsOf(sale);
		tally.unidentifiedOrders++;
		tally.unidentifiedCents += centsOf(sale);
	}
	const customers = people.map((orders) => segmentOf(orders, startMs, endMs, windowMs)).filter((customer) => customer !== null);
	const partsOf = creditParts(credits, customers);
	const credited = (sale: Sale) => partsOf(sale).filter((part) => part.share !== 0 || part.cents !== 0);
	const segments = new Map<string, Tally & { segment: CustomerSegment; channel: string; currency: string | null }>();
	const repeats = new Map<string, Tally & { channel: string; currency: string | null; repeatOrders: number; repeatCents: number }>();
	const pairs = new Map<string, Tally & { firstChannel: string; repeatChannel: string; currency: string | null }>();
	customers.forEach(({ segment, orders, from }, person) => {
		for (let k = from; k < orders.length; k++) {
			const sale = orders[k];
			count(tallyOf(segments, [segment, ALL_CHANNELS, sale.currency], () => ({ segment, channel: ALL_CHANNELS, currency: sale.currency })), person, 1, centsOf(sale));
			for (const part of credited(sale)) {
				const row = tallyOf(segments, [segment, part.channel, sale.currency], () => ({ segment, channel: part.channel, currency: sale.currency }));
				count(row, person, part.share, part.cents);
			}
		}
		if (segment === 'lapsed') return;
		const firstChannel = mainChannel(partsOf(orders[0]));
		for (let k = from; k < orders.length; k++) {
			const sale = orders[k];
			const tally = summaryTally(summary, sale.currency);
			count(tally, person, 1, centsOf(sale));
			tally.identifiedOrders++;
			tally.identifiedCents += centsOf(sale);
			for (const part of credited(sale)) {
				const row = tallyOf(repeats, [part.channel, sale.currency], () => ({ channel: part.channel, currency: sale.currency, repeatOrders: 0, repeatCents: 0 }));
				count(row, person, part.share, part.cents);
				if (k === 0) continue;
				row.repeatOrders += part.share;
				row.repeatCents += part.cents;
				const pair = tallyOf(pairs, [firstChannel, part.channel, sale.currency], () => ({ firstChannel, repeatChannel: part.channel, currency: sale.currency }));
				count(pair, person, part.share, part.cents);
			}
		}
	});
	return {
		segments: [...segments.values()]
			.sort(
				(a, b) =>
					CUSTOMER_SEGMENTS.indexOf(a.segment) - CUSTOMER_SEGMENTS.indexOf(b.segment) ||
					byCurrency(a, b) ||
					Number(b.channel === ALL_CHANNELS) - Number(a.channel === ALL_CHANNELS) ||
					b.cents - a.cents ||
					a.channel.localeCompare(b.channel),
			)
			.map(({ segment, channel, currency, orders, cents, customers }): CustomerSegmentRow => ({ segment, channel, currency, ...perCustomer(orders, cents, customers) })),
		repeatSales: [...repeats.values()]
			.sort((a, b) => byCurrency(a, b) || b.cents - a.cents || a.channel.localeCompare(b.channel))
			.map(({ channel, currency, orders, cents, repeatOrders, repeatCents }): RepeatSalesRow => ({
				channel,
				currency,
				orders,
				revenue: cents / 100,
				repeatOrders,
				repeatRevenue: repeatCents / 100,
				repeatRevenueShare: cents === 0 ? null : repeatCents / cents,
			})),
		firstVersusRepeat: [...pairs.values()]
			.sort((a, b) => byCurrency(a, b) || b.cents - a.cents || a.firstChannel.localeCompare(b.firstChannel) || a.repeatChannel.localeCompare(b.repeatChannel))
			.map(({ firstChannel, repeatChannel, currency, orders, cents }): FirstVersusRepeatRow => ({ firstChannel, repeatChannel, currency, orders, revenue: cents / 100 })),
		summary: [...summary.values()].sort(byCurrency).map(summaryRow),
	};
}

function readOptions(options: CustomerOptions): { startMs: number; endMs: number; windowMs: number } {
	const { period, timeZone, lapsedAfterDays } = options;
	if (typeof lapsedAfterDays !== 'number' || !Number.isFinite(lapsedAfterDays) || lapsedAfterDays <= 0) {
		throw new InputDataError(`Lapsed After (Days) must be a positive number of days, got ${String(lapsedAfterDays)}`, 'For example 180.');
	}
	if (typeof timeZone !== 'string' || !isValidZone(timeZone)) {
		throw new InputDataError(`"${String(timeZone)}" is not a time zone`, 'Use an IANA name such as Europe/Moscow.');
	}
	return { ...periodMs(period, timeZone), windowMs: lapsedAfterDays * DAY_MS };
}

/**
 * The dated deals up to the period's end, in the order given; the undated ones are counted in the summary. Deals
 * sharing an order id would share their credits and count twice, so they are refused.
 */
function datedSales(deals: readonly Deal[], timeZone: string, endMs: number, summary: Map<string | null, SummaryTally>): Sale[] {
	const orderIds = new Set<string>();
	const sales: Sale[] = [];
	for (const deal of deals) {
		const orderId = String(deal.orderId);
		if (orderIds.has(orderId)) throw new InputDataError(`Order ${orderId} is given twice`, 'Give each order once (the Attribution input keeps the first copy).');
		orderIds.add(orderId);
		const currency = deal.currency ?? null;
		const at = orderTime(deal.createdAt, timeZone);
		if (Number.isNaN(at)) summaryTally(summary, currency).undated++;
		else if (at < endMs) sales.push({ deal, at, currency });
	}
	return sales;
}

/** The person's segment; null when they are in none (no order in the period, the last one not N days before its end). */
function segmentOf(orders: Sale[], startMs: number, endMs: number, windowMs: number): SegmentedCustomer | null {
	const first = orders.findIndex((sale) => sale.at >= startMs);
	if (first === -1) return endMs - orders[orders.length - 1].at > windowMs ? { segment: 'lapsed', orders, from: 0 } : null;
	const segment = first === 0 ? 'new' : orders[first].at - orders[first - 1].at <= windowMs ? 'returning' : 'reactivated';
	return { segment, orders, from: first };
}

/**
 * The credits of the orders the tables read (each customer's orders from `from`, and their first), as parts, looked
 * up by sale. Credits of several models would count orders twice, so they are refused; so is a deal with touches
 * and no credit, which would be credited by a guess.
 */
function creditParts(credits: readonly Credit[], customers: readonly SegmentedCustomer[]): (sale: Sale) => Part[] {
	const byOrder = new Map<string, Part[]>();
	for (const { orders, from } of customers) {
		byOrder.set(String(orders[0].deal.orderId), []);
		for (let k = from; k < orders.length; k++) byOrder.set(String(orders[k].deal.orderId), []);
	}
	const model = credits[0]?.model;
	// Credits come in runs of one order: it is looked up once per run.
	let orderId: unknown;
	let parts: Part[] | undefined;
	for (const credit of credits) {
		if (credit.model !== model) throw new InputDataError(`Credits of two attribution models ("${model}" and "${credit.model}") given`, 'Give the credits of one model.');
		if (!Number.isFinite(credit.share) || !Number.isFinite(credit.revenue)) {
			throw new InputDataError(`The credit of order ${credit.orderId} to "${credit.channel}" has share ${credit.share} and revenue ${credit.revenue}`, 'Both must be numbers.');
		}
		if (credit.orderId !== orderId) {
			orderId = credit.orderId;
			parts = byOrder.get(String(orderId));
		}
		parts?.push({ channel: credit.channel, share: credit.share, cents: toCents(credit.revenue) });
	}
	return (sale) => {
		const parts = byOrder.get(String(sale.deal.orderId)) ?? [];
		if (parts.length > 0) return parts;
		if (Array.isArray(sale.deal.touches) && sale.deal.touches.length > 0) {
			throw new InputDataError(`Order ${sale.deal.orderId} has touches and no credit`, 'Give the credits of every deal given, the history before the period too.');
		}
		return [{ channel: NO_SOURCE, share: 1, cents: centsOf(sale) }];
	};
}

/** The deal's total in cents; an order without a total counts with revenue 0. */
function centsOf(sale: Sale): number {
	sale.cents ??= revenueCents(sale.deal.total) ?? 0;
	return sale.cents;
}

/** The channel with the largest share (the first of equal ones, in the order of the credits). */
function mainChannel(parts: readonly Part[]): string {
	let main = parts[0];
	for (const part of parts) if (part.share > main.share) main = part;
	return main.channel;
}

/**
 * The identified sales per person, each person's in time order (at one instant, in the order of `deals`), and the
 * sales with no identity value. Union-find by size with path halving: linear but for the inverse Ackermann factor.
 */
function groupPeople(sales: readonly Sale[]): { people: Sale[][]; unidentified: Sale[] } {
	const parent = Int32Array.from(sales, (_, i) => i);
	const size = new Int32Array(sales.length).fill(1);
	const root = (i: number): number => {
		while (parent[i] !== i) {
			parent[i] = parent[parent[i]];
			i = parent[i];
		}
		return i;
	};
	const identified = new Uint8Array(sales.length);
	// One map per kind of value: a phone and a client id with the same text are not one person.
	const phones = new Map<string, number>();
	const emails = new Map<string, number>();
	const gaClients = new Map<string, number>();
	const ymClients = new Map<string, number>();
	const link = (owners: Map<string, number>, value: unknown, i: number, lowerCase = false) => {
		if (typeof value !== 'string') return;
		const text = lowerCase ? value.trim().toLowerCase() : value.trim();
		if (text === '') return;
		identified[i] = 1;
		const other = owners.get(text);
		if (other === undefined) {
			owners.set(text, i);
			return;
		}
		let [a, b] = [root(i), root(other)];
		if (a === b) return;
		if (size[a] < size[b]) [a, b] = [b, a];
		parent[b] = a;
		size[a] += size[b];
	};
	sales.forEach((sale, i) => {
		const customer: Partial<Customer> | null = sale.deal.customer;
		if (customer === null || typeof customer !== 'object') return;
		if (Array.isArray(customer.phones)) for (const phone of customer.phones) link(phones, phone, i);
		if (Array.isArray(customer.emails)) for (const email of customer.emails) link(emails, email, i, true);
		link(gaClients, customer.gaClientId, i);
		link(ymClients, customer.ymClientId, i);
	});
	const byRoot = new Map<number, Sale[]>();
	const unidentified: Sale[] = [];
	sales.forEach((sale, i) => {
		if (identified[i] === 0) {
			unidentified.push(sale);
			return;
		}
		const r = root(i);
		const orders = byRoot.get(r);
		if (orders) orders.push(sale);
		else byRoot.set(r, [sale]);
	});
	// Array sort is stable: sales at one instant keep the order of `deals`.
	const people = [...byRoot.values()].map((orders) => orders.sort((a, b) => a.at - b.at));
	return { people, unidentified };
}

function tallyOf<T extends object>(tallies: Map<string, Tally & T>, key: Array<string | null>, fields: () => T): Tally & T {
	const id = JSON.stringify(key);
	let tally = tallies.get(id);
	if (tally === undefined) {
		tally = { ...fields(), orders: 0, cents: 0, customers: 0, lastPerson: -1 };
		tallies.set(id, tally);
	}
	return tally;
}

function count(tally: Tally, person: number, orders: number, cents: number): void {
	tally.orders += orders;
	tally.cents += cents;
	if (tally.lastPerson !== person) {
		tally.customers++;
		tally.lastPerson = person;
	}
}

function summaryTally(summary: Map<string | null, SummaryTally>, currency: string | null): SummaryTally {
	let tally = summary.get(currency);
	if (tally === undefined) {
		tally = { currency, orders: 0, cents: 0, customers: 0, lastPerson: -1, identifiedOrders: 0, identifiedCents: 0, unidentifiedOrders: 0, unidentifiedCents: 0, undated: 0 };
		summary.set(currency, tally);
	}
	return tally;
}

function perCustomer(orders: number, cents: number, customers: number) {
	return {
		orders,
		revenue: cents / 100,
		customers,
		ordersPerCustomer: customers === 0 ? null : orders / customers,
		revenuePerCustomer: customers === 0 ? null : Math.round(cents / customers) / 100,
	};
}

function summaryRow(tally: SummaryTally): CustomerSummaryRow {
	const { ordersPerCustomer, revenuePerCustomer } = perCustomer(tally.identifiedOrders, tally.identifiedCents, tally.customers);
	return {
		currency: tally.currency,
		customers: tally.customers,
		orders: tally.orders,
		revenue: tally.cents / 100,
		ordersPerCustomer,
		revenuePerCustomer,
		unidentifiedOrders: tally.unidentifiedOrders,
		unidentifiedRevenue: tally.unidentifiedCents / 100,
		undated: tally.undated,
	};
}

function byCurrency(a: { currency: string | null }, b: { currency: string | null }): number {
	return (a.currency ?? '').localeCompare(b.currency ?? '');
}
