import { createHash } from 'crypto';
import type { DeduplicationItemTypes, DeduplicationScope, ICheckProcessedOptions, IDeduplicationOutput } from 'n8n-workflow';

/**
 * n8n's de-duplication store (`this.helpers.checkProcessedAndRecord` / `removeProcessed`, mode "entries") in memory,
 * as n8n 2.x's DeduplicationHelper keeps it in its database: one list of MD5 hashes (base64) per workflow and
 * context ('' for scope "workflow", "n:<node id>" for scope "node"); the first call records every item as new; later
 * calls report the known ones as processed and append the others; `maxEntries` keeps the newest; removing takes out
 * the first entry with the item's hash. The caller keeps the store between runs, as n8n's database does.
 */
export class ProcessedStore {
	private readonly lists = new Map<string, string[]>();

	constructor(private readonly workflowId = 'fault-suite-workflow') {}

	checkProcessedAndRecord(items: DeduplicationItemTypes[], scope: DeduplicationScope, nodeId: string, options: ICheckProcessedOptions): IDeduplicationOutput {
		this.entriesOnly(options);
		const key = this.key(scope, nodeId);
		const hashes = items.map(hashOf);
		const list = this.lists.get(key);
		if (!list) {
			this.lists.set(key, options.maxEntries ? hashes.slice(-options.maxEntries) : hashes);
			return { new: [...items], processed: [] };
		}
		const known = new Set(list);
		const output: IDeduplicationOutput = { new: [], processed: [] };
		hashes.forEach((hash, index) => {
			if (known.has(hash)) output.processed.push(items[index]);
			else {
				output.new.push(items[index]);
				list.push(hash);
			}
		});
		if (options.maxEntries) list.splice(0, Math.max(0, list.length - options.maxEntries));
		return output;
	}

	removeProcessed(items: DeduplicationItemTypes[], scope: DeduplicationScope, nodeId: string, options: ICheckProcessedOptions): void {
		this.entriesOnly(options);
		const list = this.lists.get(this.key(scope, nodeId));
		if (!list) return;
		for (const hash of items.map(hashOf)) {
			const index = list.indexOf(hash);
			if (index !== -1) list.splice(index, 1);
		}
	}

	/** Whether a value is recorded (for the suite's checks; n8n offers no such lookup). */
	has(value: DeduplicationItemTypes, scope: DeduplicationScope = 'workflow', nodeId = ''): boolean {
		return this.lists.get(this.key(scope, nodeId))?.includes(hashOf(value)) ?? false;
	}

	private key(scope: DeduplicationScope, nodeId: string): string {
		return `${this.workflowId}/${scope === 'node' ? `n:${nodeId}` : ''}`;
	}

	private entriesOnly(options: ICheckProcessedOptions): void {
		if (options.mode !== 'entries') throw new Error(`the fault suite's store keeps mode "entries" only, not "${options.mode}"`);
	}
}

function hashOf(value: DeduplicationItemTypes): string {
	return createHash('md5').update(value.toString()).digest('base64');
}
