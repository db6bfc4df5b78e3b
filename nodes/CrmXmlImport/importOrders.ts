import type { Order } from '../shared/contracts';
import { InputDataError } from '../shared/errors';
import { checkCommerceMlRoot, COMMERCEML_RECORD_PATHS, commerceMlFields } from './commerceml';
import { genericFields, type GenericFieldPaths } from './genericMapping';
import { buildOrder, type OrderBuildOptions, type RawOrderFields } from './orderBuilder';
import { readXmlFeed, type ReadXmlFeedResult } from './xml/readXmlFeed';
import { parseRecordPaths, type XmlValue } from './xml/XmlRecordReader';

export type ImportFormat = { format: 'commerceml'; statusRequisite: string } | { format: 'generic'; recordPath: string; fields: GenericFieldPaths };

export interface ImportSettings extends OrderBuildOptions {
	format: ImportFormat;
	encoding: string;
	maxBytes: number;
	maxDepth: number;
	deadline?: number;
	includeRaw: boolean;
}

export interface ImportResult {
	orders: Order[];
	feed: ReadXmlFeedResult;
	/** Records that were not orders (payments, shipments in a CommerceML file). */
	skipped: number;
	/** Orders that stood in the feed more than once; the last one wins. */
	duplicates: number;
}

/**
 * Feed bytes -> canonical orders, all or nothing: any error in the file throws before a single order is returned.
 */
export async function importOrders(source: AsyncIterable<Uint8Array>, settings: ImportSettings): Promise<ImportResult> {
	const format = settings.format;
	const toFields: (record: XmlValue) => RawOrderFields | null =
		format.format === 'commerceml' ? (record) => commerceMlFields(record, format) : (record) => genericFields(record, format.fields);
	const byId = new Map<string, Order>();
	let skipped = 0;
	let duplicates = 0;
	/** Order id -> how many times it stood in the feed, for the orders that stood more than once. */
	const repeated = new Map<string, number>();
	let index = 0;
	const feed = await readXmlFeed(source, {
		recordPaths: format.format === 'commerceml' ? COMMERCEML_RECORD_PATHS : parseRecordPaths(format.recordPath),
		encoding: settings.encoding,
		maxBytes: settings.maxBytes,
		maxDepth: settings.maxDepth,
		deadline: settings.deadline,
		onRoot: format.format === 'commerceml' ? checkCommerceMlRoot : undefined,
		onRecord: (record) => {
			index++;
			const fields = toFields(record);
			if (fields === null) {
				skipped++;
				return;
			}
			const order = buildOrder(fields, settings);
			if (typeof order === 'string') {
				throw new InputDataError(
					`Record ${index} cannot be imported: ${order}`,
					format.format === 'generic' ? 'Check the Order ID field path: it must point at an element or attribute inside each record.' : 'Every CommerceML document needs <Ид> or <Номер>.',
				);
			}
			if (settings.includeRaw) order.raw = record;
			if (byId.has(order.orderId)) {
				duplicates++;
				byId.delete(order.orderId);
				repeated.set(order.orderId, (repeated.get(order.orderId) ?? 1) + 1);
			}
			byId.set(order.orderId, order);
		},
	});
	// Said on the order that was kept, so that a feed that repeats orders is seen, not silently folded.
	for (const [orderId, times] of repeated) byId.get(orderId)?.warnings.push(`the order stands ${times} times in the feed; the last one was kept`);
	return { orders: [...byId.values()], feed, skipped, duplicates };
}
