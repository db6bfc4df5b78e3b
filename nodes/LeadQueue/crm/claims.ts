import { readId } from '../../CrmDealsImport/sources/common';
import { itemProblem, quote, type FieldProblem, type ItemProblem } from '../../shared/validation';

/**
 * Who takes a CRM lead is settled in an n8n Data Table, `lead_claims`, by "first row wins": a press (or an expiry)
 * inserts a claim row { crmLeadId, claimToken, lead }, then reads every claim row of that lead; the row with the
 * lowest id is the claim that stands, and only its claimant tells the CRM. Inserting is atomic and ids only grow, so
 * every reader of a lead's rows agrees on the lowest id once it is written; a claim inserted later has a higher id
 * and loses, whatever the CRM says meanwhile. The same rule makes an expiry and a press exclusive: the expiry claims
 * the lead before it closes it.
 *
 * On SQLite (n8n's default) inserts are serialised, so an id is visible before any higher one is written. On Postgres
 * ids come from a sequence before the insert commits, so in principle a press could read its rows in the moment
 * between another insert taking a lower id and committing it; that window is one INSERT statement's commit.
 */

export interface ClaimRow {
	/** The Data Table's row id: the order the claims were written in. */
	id: number;
	crmLeadId: string;
	claimToken: string;
	/** The input item the row came in. */
	item: number;
	json: Record<string, unknown>;
}

/** How to fix a claim row that does not read. */
export const CLAIM_HINT = 'Pass the rows of the lead_claims Data Table as they are: each has its id, crmLeadId, claimToken and lead.';

/**
 * The claim rows among `rows` (a row read twice counts once), and the problems of the rows that are no claim. An
 * empty object is no row: what a Data Table read that found nothing hands on with "Always Output Data".
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
		if (crmLeadId === null || wrong.length > 0) {
			problems.push(itemProblem(item, null, wrong, CLAIM_HINT));
			return;
		}
		const id = json.id as number;
		if (seen.has(id)) return;
		seen.add(id);
		claims.push({ id, crmLeadId, claimToken: String(json.claimToken), item, json });
	});
	return { claims, problems };
}

/** The claim that stands for each lead: its row with the lowest id. */
export function standingClaims(claims: readonly ClaimRow[]): Map<string, ClaimRow> {
	const standing = new Map<string, ClaimRow>();
	for (const claim of claims) {
		const first = standing.get(claim.crmLeadId);
		if (first === undefined || claim.id < first.id) standing.set(claim.crmLeadId, claim);
	}
	return standing;
}
