import { createHash } from 'crypto';
import type { DeduplicationHelperFunctions, DeduplicationItemTypes, DeduplicationScope, ICheckProcessedOptions, IDeduplicationOutput } from 'n8n-workflow';
import type { SentLedger } from '../../nodes/RevenuePush/pushRevenue';

/** What the store read and wrote, as n8n's database would: whole rows, as JSON. */
export interface StoreCosts {
	calls: number;
	rowsRead: number;
	rowsWritten: number;
	bytesRead: number;
	bytesWritten: number;
	/** The largest row written. */
	largestWrite: number;
	/** Time spent in the store's calls. */
	ms: number;
}

const noCosts = (): StoreCosts => ({ calls: 0, rowsRead: 0, rowsWritten: 0, bytesRead: 0, bytesWritten: 0, largestWrite: 0, ms: 0 });

interface Row {
	mode: string;
	data: unknown;
}

/**
 * n8n's de-duplication store (`this.helpers.checkProcessedAndRecord`, `removeProcessed`, `clearAllProcessedItems`,
 * `getProcessedDataCount`) in memory, step for step as n8n 2.40.7's DeduplicationHelper keeps it in its database
 * (dist/deduplication/deduplication-helper.js): ONE row per workflow and context ('' for scope "workflow",
 * "n:<node id>" for scope "node") holding `{ mode, data }`, kept here as the JSON text a database column holds, so
 * every call parses the whole row and writes the whole row back, as n8n's does, and `costs` counts those reads and
 * writes. Mode "entries": data is the list of MD5 hashes (base64); a first call inserts every item (duplicates
 * included) as new; later calls report the known ones as processed and append the others (a duplicate within one
 * call is appended twice, as n8n's Set is not updated); `maxEntries`, when given, keeps the newest; removing takes out
 * the first entry with the item's hash and writes the row even when nothing matched. A row is bound to the mode of
 * its first call (validateMode throws for another; removeProcessed does not check it). The "latest" modes keep the
 * largest value. The caller keeps the store between runs, as n8n's database does.
 */
export class ProcessedStore {
	private readonly rows = new Map<string, string>();
	/** Per row (workflow and context), since the store was made or `resetCosts`. */
	private readonly rowCosts = new Map<string, StoreCosts>();

	constructor(private readonly workflowId = 'fault-suite-workflow') {}

	checkProcessedAndRecord(items: DeduplicationItemTypes[], scope: DeduplicationScope, nodeId: string, options: ICheckProcessedOptions): IDeduplicationOutput {
		const key = this.call(scope, nodeId);
		const row = this.read(key);
		if (row && row.mode !== options.mode) {
			throw new Error('Deduplication Failed: Deduplication data was originally saved with an incompatible setting of the ‘Keep Items Where’ parameter. Try ’Clean Database’ operation to reset.');
		}
		if (options.mode !== 'entries') return this.latest(key, row, items, options);
		const hashes = items.map(hashOf);
		if (!row) {
			if (options.maxEntries) hashes.splice(0, hashes.length - options.maxEntries);
			this.write(key, { mode: options.mode, data: hashes });
			return { new: [...items], processed: [] };
		}
		const output: IDeduplicationOutput = { new: [], processed: [] };
		if (!Array.isArray(row.data)) return output;
		const data = row.data as string[];
		const known = new Set(data);
		hashes.forEach((hash, index) => {
			if (known.has(hash)) output.processed.push(items[index]);
			else {
				output.new.push(items[index]);
				data.push(hash);
			}
		});
		if (options.maxEntries) data.splice(0, data.length - options.maxEntries);
		this.write(key, row);
		return output;
	}

	removeProcessed(items: DeduplicationItemTypes[], scope: DeduplicationScope, nodeId: string, options: ICheckProcessedOptions): void {
		const key = this.call(scope, nodeId);
		if (options.mode !== 'entries') throw new Error('Deduplication Failed: Removing processed data is not possible in mode "latest"');
		const row = this.read(key);
		if (!row || !Array.isArray(row.data)) return;
		const data = row.data as string[];
		for (const hash of items.map(hashOf)) {
			const index = data.findIndex((value) => value === hash);
			if (index !== -1) data.splice(index, 1);
		}
		this.write(key, row);
	}

	clearAllProcessedItems(scope: DeduplicationScope, nodeId: string): void {
		this.rows.delete(this.call(scope, nodeId));
	}

	getProcessedDataCount(scope: DeduplicationScope, nodeId: string, options: ICheckProcessedOptions): number {
		const row = this.read(this.call(scope, nodeId));
		return options.mode === 'entries' && row && Array.isArray(row.data) ? row.data.length : 0;
	}

	/** Another store holding the same rows (costs start at nothing). */
	copy(): ProcessedStore {
		const copy = new ProcessedStore(this.workflowId);
		for (const [key, text] of this.rows) copy.rows.set(key, text);
		return copy;
	}

	/** The store as a node's `this.helpers` offers it (n8n-workflow's DeduplicationHelperFunctions), for node `nodeId`. */
	helpers(nodeId: string): Omit<DeduplicationHelperFunctions, 'checkProcessedItemsAndRecord'> {
		return {
			checkProcessedAndRecord: async (items, scope, options) => this.timed(scope, nodeId, () => this.checkProcessedAndRecord(items, scope, nodeId, options)),
			removeProcessed: async (items, scope, options) => this.timed(scope, nodeId, () => this.removeProcessed(items, scope, nodeId, options)),
			clearAllProcessedItems: async (scope) => this.timed(scope, nodeId, () => this.clearAllProcessedItems(scope, nodeId)),
			getProcessedDataCount: async (scope, options) => this.timed(scope, nodeId, () => this.getProcessedDataCount(scope, nodeId, options)),
		};
	}

	private timed<T>(scope: DeduplicationScope, nodeId: string, call: () => T): T {
		const started = performance.now();
		try {
			return call();
		} finally {
			this.costsOf(this.key(scope, nodeId)).ms += performance.now() - started;
		}
	}

	/** The reads and writes of one row (scope "workflow": nodeId ''), or of all rows when no scope is given. */
	costs(scope?: DeduplicationScope, nodeId = ''): StoreCosts {
		if (scope) return { ...(this.rowCosts.get(this.key(scope, nodeId)) ?? noCosts()) };
		const all = noCosts();
		for (const costs of this.rowCosts.values()) {
			for (const name of ['calls', 'rowsRead', 'rowsWritten', 'bytesRead', 'bytesWritten', 'ms'] as const) all[name] += costs[name];
			all.largestWrite = Math.max(all.largestWrite, costs.largestWrite);
		}
		return all;
	}

	resetCosts(): void {
		this.rowCosts.clear();
	}

	/** Whether a value is recorded (for the suites' checks; n8n offers no such lookup). Not counted in `costs`. */
	has(value: DeduplicationItemTypes, scope: DeduplicationScope = 'workflow', nodeId = ''): boolean {
		const text = this.rows.get(this.key(scope, nodeId));
		const data = text === undefined ? undefined : (JSON.parse(text) as Row).data;
		return Array.isArray(data) && data.includes(hashOf(value));
	}

	/** Entries in a row (for the suites' checks), not counted in `costs`. */
	size(scope: DeduplicationScope = 'workflow', nodeId = ''): number {
		const text = this.rows.get(this.key(scope, nodeId));
		const data = text === undefined ? undefined : (JSON.parse(text) as Row).data;
		return Array.isArray(data) ? data.length : 0;
	}

	/** handleLatestModes: the largest value is kept; values not larger than it are processed. */
	private latest(key: string, row: Row | undefined, items: DeduplicationItemTypes[], options: ICheckProcessedOptions): IDeduplicationOutput {
		const compare = (a: DeduplicationItemTypes, b: unknown) => {
			const [x, y] = options.mode === 'latestDate' ? [Date.parse(String(a)), Date.parse(String(b))] : [Number(a), Number(b)];
			if (Number.isNaN(x) || Number.isNaN(y)) throw new Error(`Deduplication Failed: Invalid value. Only ${options.mode === 'latestDate' ? 'valid dates' : 'numbers'} are supported in mode "${options.mode}"`);
			return x === y ? 0 : x > y ? 1 : -1;
		};
		const sorted = items.slice().sort((a, b) => compare(a, b));
		if (!row) {
			this.write(key, { mode: options.mode, data: sorted.pop() });
			return { new: [...items], processed: [] };
		}
		const output: IDeduplicationOutput = { new: [], processed: [] };
		if (Array.isArray(row.data)) return output;
		const stored = row.data;
		let largest = stored;
		for (const item of sorted) {
			if (compare(item, stored) === 1) {
				output.new.push(item);
				if (compare(item, largest) === 1) largest = item;
			} else output.processed.push(item);
		}
		this.write(key, { mode: row.mode, data: largest });
		return output;
	}

	private read(key: string): Row | undefined {
		const text = this.rows.get(key);
		if (text === undefined) return undefined;
		const costs = this.costsOf(key);
		costs.rowsRead++;
		costs.bytesRead += text.length;
		return JSON.parse(text) as Row;
	}

	private write(key: string, row: Row): void {
		const text = JSON.stringify(row);
		const costs = this.costsOf(key);
		costs.rowsWritten++;
		costs.bytesWritten += text.length;
		costs.largestWrite = Math.max(costs.largestWrite, text.length);
		this.rows.set(key, text);
	}

	/** A call on a row: counted, and the row's key. */
	private call(scope: DeduplicationScope, nodeId: string): string {
		const key = this.key(scope, nodeId);
		this.costsOf(key).calls++;
		return key;
	}

	private costsOf(key: string): StoreCosts {
		let costs = this.rowCosts.get(key);
		if (!costs) this.rowCosts.set(key, (costs = noCosts()));
		return costs;
	}

	private key(scope: DeduplicationScope, nodeId: string): string {
		return `${this.workflowId}/${scope === 'node' ? `n:${nodeId}` : ''}`;
	}
}

function hashOf(value: DeduplicationItemTypes): string {
	return createHash('md5').update(value.toString()).digest('base64');
}

/** The options the Revenue Push node used up to issue 15: one list shared by the workflow, the oldest evicted. */
export const PREVIOUS_LEDGER: ICheckProcessedOptions = { mode: 'entries', maxEntries: 200000 };

/**
 * The Revenue Push ledger as the node kept it up to issue 15 (the baseline for the tests and the benchmark): each
 * run's versions recorded then the new ones removed again to look, and each accepted request recorded in the
 * workflow's list with maxEntries 200,000.
 */
export function previousLedger(store: ProcessedStore, nodeId: string): SentLedger {
	const helpers = store.helpers(nodeId);
	return {
		unsent: async (keys) => {
			if (keys.length === 0) return [];
			const seen = await helpers.checkProcessedAndRecord(keys, 'workflow', PREVIOUS_LEDGER);
			if (seen.new.length > 0) await helpers.removeProcessed(seen.new, 'workflow', PREVIOUS_LEDGER);
			return seen.new.map(String);
		},
		record: async (keys) => {
			await helpers.checkProcessedAndRecord(keys, 'workflow', PREVIOUS_LEDGER);
		},
	};
}
