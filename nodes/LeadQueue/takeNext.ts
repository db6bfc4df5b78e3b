import { InputDataError } from '../shared/errors';
import { hash32 } from '../shared/hash';
import { instantMs, isoInZone, type Instant } from './clock';
import type { PlaceLists } from './conditions';
import type { Lead } from './lead';
import { rankLeads } from './rank';
import type { RuleSet } from './rankRules';

/**
 * The pure part of "take a lead". Two managers can press the button at the same moment and both see the same top
 * lead, so choosing is not enough: the workflow claims the lead with one atomic conditional update in the table,
 *   UPDATE leads SET state = 'assigned', assignedTo, assignedAt, claimToken WHERE leadId = :id AND state = 'waiting'
 * (an n8n Data Table "update rows" with both filter conditions), then reads the row back and keeps the lead only if
 * isClaimWon(row, token). The loser's update matched nothing (or the row carries the winner's token), so it ranks
 * again and claims the next lead. The token is the manager plus the execution id, so even one manager pressing twice
 * in two executions can tell the claims apart. A Google Sheet has no conditional update, so with a Sheet as the
 * queue this guarantee does not hold.
 */

export interface NextLead {
	/** The claimed copy of the top waiting lead: state "assigned", assignedTo, assignedAt, claimToken. null when none waits. */
	lead: Lead | null;
	claimToken: string | null;
	/** Waiting leads besides the one taken. */
	waitingLeft: number;
	/** For the manager: what was taken, or that the queue is empty. */
	message: string;
}

export function claimTokenOf(managerId: string, executionToken: string): string {
	const manager = String(managerId ?? '').trim();
	const execution = String(executionToken ?? '').trim();
	if (manager.length === 0) throw new InputDataError('No manager id was given', 'Pass the id of the manager who pressed "take a lead".');
	if (execution.length === 0) throw new InputDataError('No execution id was given', 'Pass {{ $execution.id }}, so that each claim has its own token.');
	return `${manager}:${execution}`;
}

/**
 * The first waiting lead of `rankedWaiting` (the order rankLeads returned; leads in another state are passed over),
 * claimed for the manager at `now`. assignedAt is written with the offset of `zone`. The input is not changed.
 */
export function chooseNext(rankedWaiting: Lead[], managerId: string, now: Instant, executionToken: string, zone = 'UTC', attempt = 0): NextLead {
	const claimToken = claimTokenOf(managerId, executionToken);
	const ms = instantMs(now, zone);
	const waitingLeads = rankedWaiting.filter((lead) => lead.state === 'waiting');
	const waiting = waitingLeads.length;
	if (waiting === 0) return { lead: null, claimToken: null, waitingLeft: 0, message: 'No leads are waiting' };
	const top = waitingLeads[candidateIndex(claimToken, attempt, waiting)];
	const assignedTo = managerId.trim();
	const lead: Lead = { ...top, state: 'assigned', assignedTo, assignedAt: isoInZone(ms, zone), claimToken };
	const left = waiting - 1;
	return { lead, claimToken, waitingLeft: left, message: `Lead ${top.leadId} goes to ${assignedTo}; ${left} ${left === 1 ? 'lead is' : 'leads are'} still waiting` };
}

export type TakeResult =
	| { outcome: 'assigned'; httpStatus: 200; message: string; lead: Lead; claimToken: string; waitingLeft: number }
	| { outcome: 'none'; httpStatus: 200; message: string; waitingLeft: 0 }
	| { outcome: 'refused'; httpStatus: 400; message: string };

export interface TakeRules {
	ruleSets: RuleSet[];
	lists: PlaceLists;
	now: Instant;
	/** For assignedAt's offset. */
	zone: string;
}

/** "Take a lead" for one manager: refuses an unknown manager, else ranks the leads and names the one to claim on this attempt. */
export function takeLead(leads: Lead[], managerId: unknown, managers: Iterable<string>, executionToken: string, attempt: number, rules: TakeRules): TakeResult {
	const refusal = validateManager(managerId, managers);
	if (refusal !== null) return { outcome: 'refused', httpStatus: 400, message: refusal };
	const { ranked } = rankLeads(leads, rules.ruleSets, rules.lists, rules.now);
	const next = chooseNext(ranked, String(managerId).trim(), rules.now, executionToken, rules.zone, attempt);
	if (next.lead === null || next.claimToken === null) return { outcome: 'none', httpStatus: 200, message: next.message, waitingLeft: 0 };
	return { outcome: 'assigned', httpStatus: 200, message: next.message, lead: next.lead, claimToken: next.claimToken, waitingLeft: next.waitingLeft };
}

/**
 * Which waiting lead to claim on this attempt. The first attempt takes the best lead. When many managers press at
 * once they all aim at the same lead and all but one lose; if the losers all aimed at the next one, n presses would
 * need n rounds. So attempt k aims at one of the best 2^k leads, picked by the claim token: contenders spread out
 * and every press lands in about log2(n) attempts, while a press that meets no contention still gets the best lead.
 */
export function candidateIndex(claimToken: string, attempt: number, waiting: number): number {
	if (attempt <= 0 || waiting <= 1) return 0;
	const span = Math.min(waiting, 2 ** Math.min(attempt, 30));
	return hash32(`${claimToken}#${attempt}`) % span;
}

/**
 * true when the row the table returned after the conditional update is this claim: it carries this token (and, when
 * the row has a state, it is "assigned"). An empty answer, or an array without such a row, means another claim won.
 */
export function isClaimWon(returnedRow: unknown, token: string): boolean {
	if (!token) return false;
	if (Array.isArray(returnedRow)) return returnedRow.some((row) => isClaimWon(row, token));
	if (returnedRow === null || typeof returnedRow !== 'object') return false;
	const row = returnedRow as Record<string, unknown>;
	return row.claimToken === token && (row.state === undefined || row.state === 'assigned');
}

/**
 * Error text for a manager who cannot take leads, or null when the id is known. Ids compare trimmed and ignoring
 * case (they are often e-mail addresses).
 */
export function validateManager(id: unknown, knownManagers: Iterable<string>): string | null {
	const manager = typeof id === 'number' ? String(id) : typeof id === 'string' ? id.trim() : '';
	if (manager.length === 0) return 'No manager id was given: pass the id of the manager who pressed "take a lead"';
	const known = new Set<string>();
	for (const entry of knownManagers) if (typeof entry === 'string' && entry.trim().length > 0) known.add(entry.trim().toLowerCase());
	if (known.size === 0) return 'The managers list is empty, so nobody can take leads: add the managers to it';
	if (!known.has(manager.toLowerCase())) return `Manager «${manager}» is not in the managers list`;
	return null;
}
