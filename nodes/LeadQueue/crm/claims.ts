import { readId } from '../../CrmDealsImport/sources/common';
import { itemProblem, quote, type FieldProblem, type ItemProblem } from '../../shared/validation';

/**
 * Who takes a CRM lead is settled in an n8n Data Table, `lead_claims`, by "sole claim wins": a press (or an expiry)
 * inserts a claim row { crmLeadId, claimToken, lead, claimedAtMs, won: false }, then reads every claim row of that
 * lead; it wins only if every row it reads is its own (at least one). A loser deletes its own row and tries its next
 * candidate, so a contested lead is free again; only the loser whose row has the lowest id it read keeps its row and
 * reads again (a few times, then it leaves too), so that two claimants of one lead do not both leave it (ids need not
 * follow commit order for this: at worst both read again, then leave; never two winners). A winner then marks its
 * row won (an update where crmLeadId and claimToken are its own, setting won = true) BEFORE it tells the CRM; if that
 * update changed no row, the row was released meanwhile (see below) and it has lost. The claim that stands for a lead
 * is its row marked won. The rule needs no id order, so it holds where ids come from a sequence before the insert
 * commits (Postgres, n8n's Data Tables in queue mode).
 *
 * Proof that no lead goes to two claimants. A winner's row is never deleted: the winner does not delete it, the
 * release deletes only rows not marked won (one conditional delete: a row marked first is kept), and a row the
 * release deleted before the mark makes the mark change nothing, so its claimant lost. Now let A and B both win one
 * lead. A's read saw no row of B; each read follows its own insert's commit, and B's row stays once committed, so B
 * committed after A's read. Likewise A committed after B's read. So A commit < A read < B commit < B read < A commit,
 * impossible. This holds on any database that shows a reader only committed rows (SQLite, Postgres read committed).
 *
 * Release: a press that crashed after inserting, or a loser that crashed before deleting, leaves a row not marked
 * won, and every later claim of that lead would lose to it. The expire run deletes, for each lead with no row
 * marked won, the rows older than the release age (RELEASE_AFTER_MINUTES: far above a press's seconds), so the lead
 * can be taken again. An expiry claims its leads by the same rule, so an expiry and a press are exclusive.
 *
 * Open rows: the lead intake writes, for each lead it created in the CRM, a row whose claimToken is OPEN_CLAIM
 * (nobody's). A claimant of such a lead takes that row instead of inserting one: one conditional update (where
 * crmLeadId is the lead's and claimToken is OPEN_CLAIM, set its own token), which at most one claimant's update
 * changes; a claimant whose update changed no row lost the lead without a read and without a row to delete, which is
 * what makes a contested press cheap. The winner of the update then reads the lead's rows as any claimant does (its
 * mark: below). The proof above holds unchanged, whenever an open row is written: an open row is a row of another
 * claimant to everyone (OPEN_CLAIM has no ":" and no claim token is without one), and the row a claimant took became
 * its own by its write before its read, as an inserted row does. An open row is never released (it is no claim), but
 * one of a lead with a row marked won is (the lead is taken; the row would be read by every press for nothing).
 *
 * Marked won by the take: the take-a-lead template's update marks the open row won as it takes it, and its winner
 * goes on to the CRM without a second update; a taker that then loses deletes its own row as any loser does. Safety
 * rests on the read, not on the mark: the proof above is about reads. The mark's other uses wait for the read to
 * settle: the release never deletes a row marked won (the taker deletes it if it lost), and the repair (Load CRM
 * Queue's Claimed) trusts a row marked won only once it is older than a press can take (standingClaims' settleMs, the
 * release age); before that its lead is being taken, neither waiting nor repaired. So a repair never assigns a lead to
 * a taker that is about to lose it: a row marked won that is older than that is a claim whose press stopped after its
 * read won, or before it, and then it is the only row of its lead or its lead has two (a conflict, reported).
 */

/** The claimToken of the row the lead intake writes for a lead it created: no claimant's (tokens are "<manager>:<execution>"). */
export const OPEN_CLAIM = 'open';

/** How old a claim row not marked won must be before the expire run releases it. */
export const RELEASE_AFTER_MINUTES = 10;

export interface ClaimRow {
	/** The Data Table's row id: names the row in errors, and a row read twice counts once. */
	id: number;
	crmLeadId: string;
	claimToken: string;
	/** Marked won: the claim that stands for its lead. */
	won: boolean;
	/** When the claim was inserted (ms since 1970), or null when the row does not say. */
	claimedAtMs: number | null;
	/** The input item the row came in. */
	item: number;
	json: Record<string, unknown>;
}

/** How to fix a claim row that does not read. */
export const CLAIM_HINT = 'Pass the rows of the lead_claims Data Table as they are: each has its id, crmLeadId, claimToken, lead, claimedAtMs and won.';

/**
 * The claim rows among `rows` (a row read twice counts once), and the problems of the rows that are no claim. An
 * empty object is no row: what a Data Table read that found nothing hands on with "Always Output Data". `won` is
 * true, false or empty (not won); `claimedAtMs` a number or empty.
 */
export function readClaims(rows: readonly unknown[]): { claims: ClaimRow[]; problems: ItemProblem[] } {
	const claims: ClaimRow[] = [];
	const problems: ItemProblem[] = [];
	const seen = new Set<number>();
	rows.forEach((row, item) => {
		const json = row !== null && typeof row === 'object' && !Array.isArray(row) ? (row as Record<string, unknown>) : { row };
		if (Object.keys(json).length === 0) return;
		const crmLeadId = readId(json.crmLeadId);
		const wrong: FieldProblem[] = [];
		if (typeof json.id !== 'number' || !Number.isSafeInteger(json.id)) wrong.push({ path: 'id', problem: `is ${quote(json.id)}, not a row id` });
		if (crmLeadId === null) wrong.push({ path: 'crmLeadId', problem: `is ${quote(json.crmLeadId)}, not a CRM id` });
		if (typeof json.claimToken !== 'string' || json.claimToken === '') wrong.push({ path: 'claimToken', problem: `is ${quote(json.claimToken)}, not a claim` });
		if (json.won !== undefined && json.won !== null && typeof json.won !== 'boolean') wrong.push({ path: 'won', problem: `is ${quote(json.won)}, not true or false` });
		const claimedAtMs = json.claimedAtMs ?? null;
		if (claimedAtMs !== null && (typeof claimedAtMs !== 'number' || !Number.isFinite(claimedAtMs))) wrong.push({ path: 'claimedAtMs', problem: `is ${quote(claimedAtMs)}, not a time in ms` });
		if (crmLeadId === null || wrong.length > 0) {
			problems.push(itemProblem(item, null, wrong, CLAIM_HINT));
			return;
		}
		const id = json.id as number;
		if (seen.has(id)) return;
		seen.add(id);
		claims.push({ id, crmLeadId, claimToken: String(json.claimToken), won: json.won === true, claimedAtMs: claimedAtMs as number | null, item, json });
	});
	return { claims, problems };
}

/** The claim rows of each lead, leads in the order first met. */
function byLead(claims: readonly ClaimRow[]): Map<string, ClaimRow[]> {
	const leads = new Map<string, ClaimRow[]>();
	for (const claim of claims) {
		const rows = leads.get(claim.crmLeadId);
		if (rows === undefined) leads.set(claim.crmLeadId, [claim]);
		else rows.push(claim);
	}
	return leads;
}

/**
 * Sole claim wins, for each lead among the rows a claimant read: its own row when every row of the lead is its
 * own (`claimToken`), else null (it lost that lead). `firstInLine` when it lost, holds the lowest row id of the lead's
 * rows and no row is marked won: then it may keep its row and read again once the others have left (two claimants
 * that both lose would otherwise leave the lead waiting; safety rests on the sole-claim rule alone, not on this).
 * Leads in the order first met.
 */
export function soleClaims(claims: readonly ClaimRow[], claimToken: string): Array<{ crmLeadId: string; own: ClaimRow | null; firstInLine: boolean }> {
	return [...byLead(claims)].map(([crmLeadId, rows]) => {
		if (rows.every((row) => row.claimToken === claimToken)) return { crmLeadId, own: rows[0], firstInLine: false };
		const first = rows.reduce((low, row) => (row.id < low.id ? row : low));
		return { crmLeadId, own: null, firstInLine: first.claimToken === claimToken && !rows.some((row) => row.won) };
	});
}

/**
 * The claim that stands for each lead: its row marked won at least `settleMs` before `nowMs` (or that does not say
 * when). A row marked won more recently may be a press's open row it has just taken (marked won by the same update,
 * see below) whose read has not yet settled it: its lead is in `settling`, neither waiting nor to repair, unless an
 * older row stands for it. Two claimants standing on one lead cannot happen by the rule (see above); should the table
 * say so anyway (rows written by hand), the lead is named in `conflicts`, not guessed.
 */
export function standingClaims(claims: readonly ClaimRow[], nowMs: number, settleMs: number): { standing: Map<string, ClaimRow>; settling: Set<string>; conflicts: Array<{ crmLeadId: string; claimTokens: string[] }> } {
	const standing = new Map<string, ClaimRow>();
	const settling = new Set<string>();
	const conflicts: Array<{ crmLeadId: string; claimTokens: string[] }> = [];
	for (const [crmLeadId, rows] of byLead(claims.filter((claim) => claim.won))) {
		const settled = rows.filter((row) => row.claimedAtMs === null || row.claimedAtMs <= nowMs - settleMs);
		const claimTokens = [...new Set(settled.map((row) => row.claimToken))];
		if (claimTokens.length === 0) settling.add(crmLeadId);
		else if (claimTokens.length === 1) standing.set(crmLeadId, settled[0]);
		else conflicts.push({ crmLeadId, claimTokens });
	}
	return { standing, settling, conflicts };
}

/**
 * The rows the expire run releases: of each lead with no row marked won, the rows claimed at or before `nowMs -
 * afterMs`, open rows (OPEN_CLAIM) never; of each lead with a row marked won, its open rows. A claim row of a lead
 * with no row marked won that does not say when it was claimed is in `undated` (reported, never released).
 */
export function claimsToRelease(claims: readonly ClaimRow[], nowMs: number, afterMs: number): { release: ClaimRow[]; undated: ClaimRow[] } {
	const release: ClaimRow[] = [];
	const undated: ClaimRow[] = [];
	for (const rows of byLead(claims).values()) {
		if (rows.some((row) => row.won)) {
			release.push(...rows.filter((row) => row.claimToken === OPEN_CLAIM));
			continue;
		}
		for (const row of rows) {
			if (row.claimToken === OPEN_CLAIM) continue;
			if (row.claimedAtMs === null) undated.push(row);
			else if (row.claimedAtMs <= nowMs - afterMs) release.push(row);
		}
	}
	return { release, undated };
}
