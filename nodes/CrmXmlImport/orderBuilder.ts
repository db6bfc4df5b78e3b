import { emptyUtm, type Order, type OrderItem, type Utm } from '../shared/contracts';
import { gaClientIdFromCookie } from '../shared/cookies';
import { normaliseCurrency, parseAmount, roundMoney } from '../shared/money';
import { parseEmails } from '../shared/email';
import { parsePhones } from '../shared/phone';
import { parseDateTime } from '../shared/time';
import type { CountryCode } from 'libphonenumber-js/min';

/** What a record says about an order, as text, before normalisation: both the presets and the generic mapping give this. */
export interface RawOrderFields {
	orderId: string | null;
	number: string | null;
	date: string | null;
	time: string | null;
	updatedAt: string | null;
	status: string | null;
	total: string | null;
	currency: string | null;
	customerName: string | null;
	phones: string[];
	emails: string[];
	gaClientId: string | null;
	ymClientId: string | null;
	utm: Partial<Record<keyof Utm, string | null>>;
	items: Array<{ id: string | null; name: string | null; price: string | null; quantity: string | null; total: string | null }>;
	/** A status-only document: no sum and no buyer (see Order.statusOnly). */
	statusOnly?: boolean;
	/** What the format reader could not understand, said on the order. */
	warnings?: string[];
}

/** Said on every order read from a status-only document; incremental mode replaces it (see incremental.ts). */
export const STATUS_ONLY_WARNING =
	'a status-only document (no sum, no buyer): 1C reports the status of an order it had from the site, not a new order; its total is unknown, not zero. Use "New or Changed Since Last Run", which applies the status to the order imported earlier and keeps its total, or join it by orderId with the full order';

export interface OrderBuildOptions {
	timeZone: string;
	phoneCountries: CountryCode[];
	defaultCurrency: string | null;
}

/** "[N] Принят, ожидается оплата" -> code "N", status "Принят, ожидается оплата". */
export function splitStatusCode(status: string | null): { status: string | null; code: string | null } {
	if (!status) return { status: null, code: null };
	const match = /^\s*\[([^\]]{1,20})\]\s*(.*)$/.exec(status);
	if (!match) return { status: status.trim(), code: null };
	return { status: match[2].trim() || match[1], code: match[1] };
}

/** A name on one line: runs of white space (line breaks and indentation of the file) become one space. */
function oneLine(text: string | null): string | null {
	return text?.replace(/\s+/g, ' ').trim() || null;
}

function amount(text: string | null, what: string, warnings: string[]): number | null {
	if (text === null) return null;
	const value = parseAmount(text);
	if (value === null) warnings.push(`${what} "${text}" is not a number`);
	return value;
}

export function buildOrder(fields: RawOrderFields, options: OrderBuildOptions): Order | string {
	if (!fields.orderId) return 'the record has no order id';
	const warnings: string[] = [...(fields.warnings ?? [])];
	const createdAt = parseDateTime(fields.date, options.timeZone, fields.time);
	if (fields.date && !createdAt) warnings.push(`date "${fields.date}${fields.time ? ' ' + fields.time : ''}" is not a date`);
	const updatedAt = parseDateTime(fields.updatedAt, options.timeZone);
	if (fields.updatedAt && !updatedAt) warnings.push(`change date "${fields.updatedAt}" is not a date`);
	const total = amount(fields.total, 'total', warnings);
	const currency = normaliseCurrency(fields.currency) ?? (fields.currency ? null : options.defaultCurrency);
	if (fields.currency && !currency) warnings.push(`currency "${fields.currency}" is not known`);

	const phones: string[] = [];
	for (const written of fields.phones) {
		const parsed = parsePhones(written, options.phoneCountries);
		for (const phone of parsed.phones) if (!phones.includes(phone)) phones.push(phone);
		for (const rejected of parsed.rejected) warnings.push(`phone "${rejected}" is not a phone number`);
	}
	const { emails, rejected: badEmails } = parseEmails(fields.emails);
	for (const part of badEmails) warnings.push(`e-mail "${part}" is not an e-mail address`);
	const { status, code } = splitStatusCode(fields.status);
	const utm = emptyUtm();
	for (const key of Object.keys(utm) as Array<keyof Utm>) utm[key] = fields.utm[key]?.trim() || null;
	const items: OrderItem[] = fields.items.map((item) => ({
		id: item.id,
		name: oneLine(item.name),
		price: amount(item.price, 'item price', warnings),
		quantity: amount(item.quantity, 'item quantity', warnings),
		total: amount(item.total, 'item total', warnings),
	}));
	if (fields.statusOnly) warnings.push(STATUS_ONLY_WARNING);
	return {
		orderId: fields.orderId.trim(),
		number: fields.number?.trim() || null,
		createdAt,
		updatedAt: updatedAt ?? createdAt,
		status,
		statusCode: code,
		stage: null,
		total: total === null ? null : roundMoney(total),
		currency,
		customer: {
			name: oneLine(fields.customerName),
			phones,
			emails,
			gaClientId: gaClientIdFromCookie(fields.gaClientId),
			ymClientId: fields.ymClientId?.trim() || null,
		},
		utm,
		items,
		warnings,
		// Left out unless true, so that the version of every other order stays what it was (incremental.ts).
		...(fields.statusOnly ? { statusOnly: true } : {}),
	};
}
