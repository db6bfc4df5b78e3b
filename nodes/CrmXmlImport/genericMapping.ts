import type { RawOrderFields } from './orderBuilder';
import type { XmlValue } from './xml/XmlRecordReader';
import { list, textsAt } from './xml/xmlValue';

/** Paths inside one record ("id", "@id", "customer/phone"); an empty path leaves the field empty. */
export interface GenericFieldPaths {
	orderId: string;
	number?: string;
	date?: string;
	updatedAt?: string;
	status?: string;
	total?: string;
	currency?: string;
	customerName?: string;
	phones?: string;
	emails?: string;
	gaClientId?: string;
	ymClientId?: string;
	utmSource?: string;
	utmMedium?: string;
	utmCampaign?: string;
	utmContent?: string;
	utmTerm?: string;
	/** Path of the line items inside the record, and the item fields relative to each item. */
	items?: string;
	itemId?: string;
	itemName?: string;
	itemPrice?: string;
	itemQuantity?: string;
	itemTotal?: string;
}

function first(record: XmlValue | undefined, path: string | undefined): string | null {
	if (!path) return null;
	return textsAt(record, path)[0] ?? null;
}

function all(record: XmlValue, path: string | undefined): string[] {
	return path ? textsAt(record, path) : [];
}

function itemsAt(record: XmlValue, path: string): XmlValue[] {
	const steps = path.split('/').filter((s) => s.length > 0);
	let current: XmlValue[] = [record];
	for (const step of steps) {
		const next: XmlValue[] = [];
		for (const node of current) {
			for (const item of list(node)) {
				if (typeof item === 'object' && !Array.isArray(item)) next.push(...list(item[step]));
			}
		}
		current = next;
	}
	return current;
}

/** Any XML: the user says where each field is; the same normalisation as the presets follows. */
export function genericFields(record: XmlValue, paths: GenericFieldPaths): RawOrderFields {
	return {
		orderId: first(record, paths.orderId),
		number: first(record, paths.number),
		date: first(record, paths.date),
		time: null,
		updatedAt: first(record, paths.updatedAt),
		status: first(record, paths.status),
		total: first(record, paths.total),
		currency: first(record, paths.currency),
		customerName: first(record, paths.customerName),
		phones: all(record, paths.phones),
		emails: all(record, paths.emails),
		gaClientId: first(record, paths.gaClientId),
		ymClientId: first(record, paths.ymClientId),
		utm: {
			source: first(record, paths.utmSource),
			medium: first(record, paths.utmMedium),
			campaign: first(record, paths.utmCampaign),
			content: first(record, paths.utmContent),
			term: first(record, paths.utmTerm),
		},
		items: paths.items
			? itemsAt(record, paths.items).map((item) => ({
					id: first(item, paths.itemId),
					name: first(item, paths.itemName),
					price: first(item, paths.itemPrice),
					quantity: first(item, paths.itemQuantity),
					total: first(item, paths.itemTotal),
				}))
			: [],
	};
}
