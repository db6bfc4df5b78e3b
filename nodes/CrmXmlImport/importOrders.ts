import type { Order } from '../shared/contracts';
import { InputDataError } from '../shared/errors';
import { CommerceMlDocuments, COMMERCEML_RECORD_PATHS } from './commerceml';
import type { DocumentFields } from './documentSkip';
import { genericFields, type GenericFieldPaths } from './genericMapping';
import { buildOrder, type OrderBuildOptions } from './orderBuilder';
import { readXmlFeed, type ReadXmlFeedResult } from './xml/readXmlFeed';
import { parseRecordPaths } from './xml/XmlRecordReader';

export type ImportFormat = { format: 'commerceml'; statusRequisite: string } | { format: 'generic'; recordPath: string; fields: GenericFieldPaths };

export interface ImportSettings extends OrderBuildOptions {
	format: ImportFormat;
	encoding: string;
	maxBytes: number;
	maxDepth: number;
	deadline?: number;
	includeRaw: boolean;
}

/** A record that is not a sales order: its number in the feed (from 1), its id, why, and how loudly to say it. */
export interface SkippedRecord {
	index: number;
	documentId: string | null;
	reason: string;
	level: 'info' | 'warning';
}

export interface ImportResult {
	orders: Order[];
	feed: ReadXmlFeedResult;
	/** Records that were not orders (payments, shipments, purchase orders in a CommerceML file). */
	skipped: number;
	skippedRecords: SkippedRecord[];
	/** Orders that stood in the feed more than once; the last one wins. */
	duplicates: number;
}

/**
 * Feed bytes -> canonical orders, all or nothing: any error in the file throws before a single order is returned.
 */
export async function importOrders(source: AsyncIterable<Uint8Array>, settings: ImportSettings): Promise<ImportResult> {
	const format = settings.format;
	const commerceMl = format.format === 'commerceml' ? new CommerceMlDocuments(format) : null;
	const byId = new Map<string, Order>();
	const skippedRecords: SkippedRecord[] = [];
	let duplicates = 0;
	/** Order id -> how many times it stood in the feed, for the orders that stood more than once. */
	const repeated = new Map<string, number>();
	const take = (fields: DocumentFields, index: number, record: unknown) => {
		if ('skip' in fields) {
			skippedRecords.push({ index, documentId: fields.documentId, reason: fields.skip, level: fields.level });
			return;
		}
		const order = buildOrder(fields, settings);
		if (typeof order === 'string') {
			throw new InputDataError(
				`Record ${index} cannot be imported: ${order}`,
				format.format === 'generic'
					? 'Check the Order ID field path: it must point at an element or attribute inside each record.'
					: 'Every CommerceML document needs <Ид> or <Номер> (in CommerceML 1.x, the attribute Номер).',
			);
		}
		if (settings.includeRaw) order.raw = record;
		if (byId.has(order.orderId)) {
			duplicates++;
			byId.delete(order.orderId);
			repeated.set(order.orderId, (repeated.get(order.orderId) ?? 1) + 1);
		}
		byId.set(order.orderId, order);
	};
	let index = 0;
	const feed = await readXmlFeed(source, {
		recordPaths: format.format === 'generic' ? parseRecordPaths(format.recordPath) : COMMERCEML_RECORD_PATHS,
		encoding: settings.encoding,
		maxBytes: settings.maxBytes,
		maxDepth: settings.maxDepth,
		deadline: settings.deadline,
		onRoot: commerceMl?.onRoot,
		onRecord: (record, name) => {
			if (format.format === 'generic') return take(genericFields(record, format.fields), ++index, record);
			const documents = commerceMl as CommerceMlDocuments; // set whenever the format is CommerceML
			if (name !== 'Документ') return documents.describe(record, name);
			const fields = documents.document(record, ++index);
			if (fields) take(fields, index, record);
		},
	});
	for (const [fields, at, record] of commerceMl?.legacyDocuments() ?? []) take(fields, at, record);
	// Said on the order that was kept, so that a feed that repeats orders is seen, not silently folded.
	for (const [orderId, times] of repeated) byId.get(orderId)?.warnings.push(`the order stands ${times} times in the feed; the last one was kept`);
	return { orders: [...byId.values()], feed, skipped: skippedRecords.length, skippedRecords, duplicates };
}
