/**
 * The leads that presses of this n8n process are claiming right now: a hint, never a lock. When 20 managers press
 * at once, each press would aim its first claim at the same best lead and all but one would lose it (on SQLite every
 * lost claim costs a write that waits for the one writer). So Take Next notes the lead it hands on first, and the
 * presses after it, for a few seconds, put the noted leads after the others: the second press aims at the second
 * best lead, and so on, and a press alone still gets the best one. Whether a claim is won stays the table's atomic
 * update, so a wrong hint (another process, a press that stopped before its claim, a stale note) costs at most a
 * lost claim or a less good lead for its few seconds, never a lead twice. Notes live in memory: each n8n process
 * (each queue-mode worker) has its own, and a restart forgets them.
 */
export class ClaimsInFlight {
	/** key -> until when (ms) it is noted; a Map keeps insertion order, so the first entries are the oldest notes. */
	private readonly until = new Map<string, number>();

	constructor(
		private readonly holdMs: number,
		private readonly maxNotes: number,
		/** A longer key is not noted (its press only goes without the hint), so the notes stay bounded in bytes too. */
		private readonly maxKeyLength: number,
	) {}

	/** Notes `key` as being claimed from `nowMs` on, for holdMs. Past maxNotes the oldest note goes. */
	note(key: string, nowMs: number): void {
		if (key.length > this.maxKeyLength) return;
		this.forgetExpired(nowMs);
		this.until.delete(key);
		this.until.set(key, nowMs + this.holdMs);
		if (this.until.size > this.maxNotes) this.until.delete(this.until.keys().next().value as string);
	}

	/** true when `key` was noted less than holdMs before `nowMs`. */
	has(key: string, nowMs: number): boolean {
		const until = this.until.get(key);
		return until !== undefined && until > nowMs;
	}

	/** Notes are added in time order with the same hold, so the expired ones are the first: drop them. */
	private forgetExpired(nowMs: number): void {
		for (const [key, until] of this.until) {
			if (until > nowMs) return;
			this.until.delete(key);
		}
	}
}

/**
 * The waiting leads in the order a press aims at them: those no other press is claiming first, in rank order, then
 * the ones being claimed, in rank order (another press may still lose them). The input is not changed.
 */
export function inFlightLast<T>(ranked: T[], isInFlight: (lead: T) => boolean): T[] {
	const free: T[] = [];
	const busy: T[] = [];
	for (const lead of ranked) (isInFlight(lead) ? busy : free).push(lead);
	return busy.length === 0 ? ranked : [...free, ...busy];
}
