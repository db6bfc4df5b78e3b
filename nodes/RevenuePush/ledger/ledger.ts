import type { SentLedger } from '../pushRevenue';

/**
 * The sent-revenue ledger in n8n's own de-duplication store, which never forgets a version and whose cost per request
 * does not grow with history.
 *
 * What the store is (n8n 2.x, dist/deduplication/deduplication-helper.js): ONE database row per workflow and context
 * (scope "workflow": one per workflow, shared by every node of it; scope "node": one per node id) holding the whole
 * JSON list of MD5 hashes. Every call reads the row, builds a Set, appends what is new, cuts the list to `maxEntries`
 * only when that is given, and writes the whole row back; removeProcessed scans the list once per item; a row's mode
 * is fixed by its first call (validateMode). The only way to ask "is x in the row?" is checkProcessedAndRecord, which
 * also records x when it is not: a look costs nothing to undo only if recording x is harmless; undoing it costs a scan
 * of the whole row per item (3.6 s for 1,000 items in a row of 300,000 here). Nothing can list a row's values. So:
 *
 * LEDGER: the "workflow" row, mode "entries", no maxEntries (nothing is ever evicted), the row the node always used
 * (old versions recorded there as the bare version key stay readable as they are: same context, same mode). Per
 * version key k it holds up to three strings:
 *   "~seen:k" and k, recorded together by the run's first look (one call for all the run's keys): "~seen:k" new means
 *     no run of this design looked at k before, so the answer for k in that same call is the old ledger's truth
 *     (only old runs recorded a bare key without its "~seen:"); an old version found so is then recorded as sent.
 *     Recording both is harmless: "~seen:" only says "looked at", and the bare key is never read again for k;
 *   "~sent:k": accepted by the service. Looked up only for keys seen before (the second call), where it is almost
 *     always there; the few that are not (a request that failed in an earlier run) are taken out again at once.
 * JOURNAL: this node's "node" row, mode "entries": the versions of each accepted request, recorded before the next
 *   request goes out (a run killed half way resends nothing it delivered). It holds one run's deliveries at most
 *   JOURNAL_LIMIT long: when full, and at the end of the run, it is merged into the ledger ("~sent:k") and deleted.
 *   A journal left by a killed run is looked up for the next run's unsent versions, merged and deleted; versions in
 *   it the next run does not carry stay in it (they cannot be listed), so it is then kept, and this run's own
 *   deliveries are taken out of it again after their merge.
 * Deals a destination refuses as they are (no client id, ...) are never looked up (pushRevenue screens them first):
 * a deal refused run after run would otherwise be a "seen, not sent" key to take back in every run.
 * Per run the ledger row is read and written a constant number of times (the look, the seen-before check, a merge per
 * JOURNAL_LIMIT deliveries; a take-back only when something failed before); each request rewrites only the journal,
 * at most JOURNAL_LIMIT entries long. A run still reads the whole ledger row (n8n keeps no other form of it): its cost
 * grows with history by those few whole-row reads and writes, no longer by one per request. Why not the alternatives:
 * the look-then-take-back of before costs a scan of the row per new version; a ledger per node (scope "node") would
 * leave the journal no row of its own; n8n's Data Tables are closed to community node code.
 *
 * What is left open: a kill between two of the run's first store calls (no request goes out in between) can leave
 * a version that failed in an earlier run recorded as sent, or an old-ledger version looked at but not yet recorded
 * as sent (it would be sent again); a kill while a killed run's journal is being looked up can leave this run's new
 * versions recorded there as sent; a kill between a service's acceptance and the journal record sends that request
 * again, as before. Two runs of the same workflow at once both see the same versions as unsent and both send them
 * (and the last to write a row wins): the ledger relies on the order-sync template's run lock, as the store is no
 * claim mechanism. Going back to an older version of the pack would read every looked-at version as sent.
 */
export interface DeduplicationStore {
	checkProcessedAndRecord(items: string[], scope: StoreScope, options: EntriesOptions): Promise<{ new: Array<string | number>; processed: Array<string | number> }>;
	removeProcessed(items: string[], scope: StoreScope, options: EntriesOptions): Promise<void>;
	clearAllProcessedItems(scope: StoreScope, options: EntriesOptions): Promise<void>;
	getProcessedDataCount(scope: StoreScope, options: EntriesOptions): Promise<number>;
}

type StoreScope = 'node' | 'workflow';
interface EntriesOptions {
	mode: 'entries';
}

const ENTRIES: EntriesOptions = { mode: 'entries' };
const SEEN = '~seen:';
const SENT = '~sent:';
/** The ledger's entry for a version the service accepted. */
export const sentEntry = (versionKey: string): string => SENT + versionKey;
/** Deliveries the journal holds before they are merged into the ledger: bounds the cost of each request's record. */
export const JOURNAL_LIMIT = 5_000;

export class StoreLedger implements SentLedger {
	/** Delivered in this run and recorded in the journal, not yet merged into the ledger. */
	private delivered: string[] = [];
	/** Delivered in this run and merged. */
	private readonly sentInRun: string[] = [];
	/** Entries in the journal row; null until the run's first look. */
	private journal: number | null = null;
	/** The journal holds versions of a killed run this run could not account for: it is kept, never deleted. */
	private kept = false;
	/** Versions this run found unsent: the look at those it does not send is taken back at the end. */
	private looks: string[] = [];

	constructor(private readonly store: DeduplicationStore) {}

	async unsent(versionKeys: string[], options: { lookOnly?: boolean } = {}): Promise<string[]> {
		const keys = [...new Set(versionKeys)];
		if (keys.length === 0) return [];
		const first = await this.check(keys.flatMap((key) => [SEEN + key, key]), 'workflow');
		const unseen = keys.filter((key) => !first.has(SEEN + key));
		const old = unseen.filter((key) => first.has(key));
		const seen = keys.filter((key) => first.has(SEEN + key));
		// Versions found only in the old ledger are recorded as sent now, unless the run only looks.
		const sentKnown = options.lookOnly ? seen : [...seen, ...old];
		const second = sentKnown.length > 0 ? await this.check(sentKnown.map(sentEntry), 'workflow') : new Set<string>();
		const failedBefore = seen.filter((key) => !second.has(sentEntry(key)));
		// A look records what it asks: what it wrongly recorded is taken out again (a look-only run leaves no trace).
		const takeBack = failedBefore.map(sentEntry);
		if (options.lookOnly) takeBack.push(...unseen.map((key) => SEEN + key), ...unseen.filter((key) => !first.has(key)));
		if (takeBack.length > 0) await this.store.removeProcessed(takeBack, 'workflow', ENTRIES);
		const oldSet = new Set(old);
		const unsent = await this.recover([...unseen.filter((key) => !oldSet.has(key)), ...failedBefore], options.lookOnly === true);
		if (!options.lookOnly) this.looks = unsent;
		return unsent;
	}

	async record(versionKeys: string[]): Promise<void> {
		await this.store.checkProcessedAndRecord(versionKeys, 'node', ENTRIES);
		this.delivered.push(...versionKeys);
		this.journal = (this.journal ?? 0) + versionKeys.length;
		if (!this.kept && this.journal >= JOURNAL_LIMIT) await this.merge();
	}

	/**
	 * Merges this run's deliveries into the ledger and empties the journal; then takes back the look ("~seen:k" and k)
	 * at the versions found unsent and not sent (a service down, a refusal): else each would be a "seen, not sent" key
	 * to take back in every later run, one scan of the whole row each. Taken back here, that cost is paid once (and is
	 * least on a first push, while the row is short); the next look at them is a first look again.
	 */
	async finish(): Promise<void> {
		await this.merge();
		const sent = new Set(this.sentInRun);
		const unsentLooks = this.looks.filter((key) => !sent.has(key));
		this.looks = [];
		if (unsentLooks.length > 0) await this.store.removeProcessed(unsentLooks.flatMap((key) => [SEEN + key, key]), 'workflow', ENTRIES);
	}

	private async merge(): Promise<void> {
		if (this.delivered.length === 0) return;
		this.sentInRun.push(...this.delivered);
		await this.store.checkProcessedAndRecord(this.delivered.map(sentEntry), 'workflow', ENTRIES);
		if (this.kept) await this.store.removeProcessed(this.delivered, 'node', ENTRIES);
		else await this.store.clearAllProcessedItems('node', ENTRIES);
		this.journal = this.kept ? (this.journal ?? 0) - this.delivered.length : 0;
		this.delivered = [];
	}

	/** A journal left by a killed run: what it delivered of `unsent` is sent; merged into the ledger and deleted. */
	private async recover(unsent: string[], lookOnly: boolean): Promise<string[]> {
		this.journal = await this.store.getProcessedDataCount('node', ENTRIES);
		if (this.journal === 0 || unsent.length === 0) {
			this.kept = this.journal > 0;
			return unsent;
		}
		const inJournal = await this.check(unsent, 'node');
		const found = unsent.filter((key) => inJournal.has(key));
		if (found.length > 0 && !lookOnly) await this.store.checkProcessedAndRecord(found.map(sentEntry), 'workflow', ENTRIES);
		this.kept = lookOnly || found.length < this.journal;
		if (this.kept) {
			// The look's own records out, and what is now in the ledger: the journal keeps only what it alone knows.
			await this.store.removeProcessed(lookOnly ? unsent.filter((key) => !inJournal.has(key)) : unsent, 'node', ENTRIES);
			if (!lookOnly) this.journal -= found.length;
		} else {
			await this.store.clearAllProcessedItems('node', ENTRIES);
			this.journal = 0;
		}
		return unsent.filter((key) => !inJournal.has(key));
	}

	/** The items of `items` the row already held (it records the others). */
	private async check(items: string[], scope: StoreScope): Promise<Set<string>> {
		const answer = await this.store.checkProcessedAndRecord(items, scope, ENTRIES);
		return new Set(answer.processed.map(String));
	}
}
