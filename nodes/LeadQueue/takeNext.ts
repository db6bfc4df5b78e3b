import { InputDataError } from '../shared/errors';
import { hash32 } from '../shared/hash';
import { inFlightLast } from './claimsInFlight';
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
 * isClaimWon(row, token). The loser's update matched nothing (or the row carries the winner's token), so it claims
 * the next lead: the next of the candidates it was handed (chooseNext with count > 1: no new read), or after a new
 * read and rank. The token is the manager plus the execution id, so even one manager pressing twice in two
 * executions can tell the claims apart. A Google Sheet has no conditional update, so with a Sheet as the queue this
 * guarantee does not hold.
 */

export interface NextLead {
	/** The claimed copy of the lead to claim first: state "assigned", assignedTo, assignedAt, claimToken. null when none waits. */
	lead: Lead | null;
	/** The leads to claim in turn, as claimed copies, lead first: one unless more were asked for; empty when none waits. */
	candidates: Lead[];
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

/** What the manager is told when `leadId` is theirs. */
function takenMessage(leadId: string, manager: string, left: number): string {
	return `Lead ${leadId} goes to ${manager}; ${left} ${left === 1 ? 'lead is' : 'leads are'} still waiting`;
}

/** Tells whether another press is claiming the lead right now (ClaimsInFlight): such leads are aimed at last. */
export type InFlight = (leadId: string) => boolean;

const NONE_IN_FLIGHT: InFlight = () => false;

/**
 * The waiting leads of `rankedWaiting` (the order rankLeads returned; leads in another state are passed over) this
 * press claims, in turn, up to `count` of them from its `attempt` on (see candidateOrder) over the waiting leads with
 * those `inFlight` after the rest, each claimed for the manager at `now`. assignedAt is written with the offset of
 * `zone`. The input is not changed.
 */
export function chooseNext(rankedWaiting: Lead[], managerId: string, now: Instant, executionToken: string, zone = 'UTC', attempt = 0, count = 1, inFlight = NONE_IN_FLIGHT): NextLead {
	const claimToken = claimTokenOf(managerId, executionToken);
	const ms = instantMs(now, zone);
	const waitingLeads = inFlightLast(
		rankedWaiting.filter((lead) => lead.state === 'waiting'),
		(lead) => inFlight(lead.leadId),
	);
	const waiting = waitingLeads.length;
	if (waiting === 0) return { lead: null, candidates: [], claimToken: null, waitingLeft: 0, message: 'No leads are waiting' };
	const assignedTo = managerId.trim();
	const assignedAt = isoInZone(ms, zone);
	const candidates = candidateOrder(spreadOf(claimToken, executionToken), attempt, waiting, count).map((index): Lead => ({ ...waitingLeads[index], state: 'assigned', assignedTo, assignedAt, claimToken }));
	const left = waiting - 1;
	return { lead: candidates[0], candidates, claimToken, waitingLeft: left, message: takenMessage(candidates[0].leadId, assignedTo, left) };
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
	/** The leads other presses are claiming right now; none when left out. */
	inFlight?: InFlight;
}

/**
 * "Take a lead" for one manager: refuses an unknown manager, else ranks the leads and names the ones to claim on this
 * attempt, in turn: `candidates` of them at most (one answer each), or one answer saying none waits.
 */
export function takeLead(leads: Lead[], managerId: unknown, managers: Iterable<string>, executionToken: string, attempt: number, rules: TakeRules, candidates = 1): TakeResult[] {
	const refusal = validateManager(managerId, managers);
	if (refusal !== null) return [{ outcome: 'refused', httpStatus: 400, message: refusal }];
	const { ranked } = rankLeads(leads, rules.ruleSets, rules.lists, rules.now);
	const manager = String(managerId).trim();
	const next = chooseNext(ranked, manager, rules.now, executionToken, rules.zone, attempt, candidates, rules.inFlight);
	if (next.claimToken === null) return [{ outcome: 'none', httpStatus: 200, message: next.message, waitingLeft: 0 }];
	const claimToken = next.claimToken;
	return next.candidates.map((lead) => ({ outcome: 'assigned', httpStatus: 200, message: takenMessage(lead.leadId, manager, next.waitingLeft), lead, claimToken, waitingLeft: next.waitingLeft }));
}

/**
 * The order in which a press claims the waiting leads (indexes into the ranked waiting leads), `count` of them at
 * most. When many managers press at once they all aim at the best lead and all but one lose; if the losers all aimed
 * at the next one, n presses would need n rounds. So the k-th claim of a press (k counting from its attempt: after a
 * new read the count goes on) aims into a window of its own, the next 4^k leads after the windows before it
 * (k = 0: the best lead; 1: the 2nd to 5th; 2: the 6th to 21st; ...), at the lead `spread` picks there. Presses at the
 * same moment have consecutive execution ids, so with the id as `spread` they aim at different leads of a window:
 * 20 presses at once need 2.7 claims each and hand out leads among the best 21 (worked by hand in the unit test),
 * while a press that meets no contention still gets the best one. Past the last window the rest of the leads not
 * tried are the window.
 */
export function candidateOrder(spread: number, attempt: number, waiting: number, count: number): number[] {
	const order: number[] = [];
	const tried = new Set<number>();
	let start = 0;
	let size = 1;
	for (let k = 0; k < attempt && start < waiting; k++) [start, size] = [start + size, size * 4];
	while (order.length < Math.min(count, waiting)) {
		const inWindow = start < waiting;
		const from = inWindow ? start : 0;
		const to = inWindow ? Math.min(waiting, start + size) : waiting;
		let n = spread % (to - from - countIn(tried, from, to));
		let index = from;
		for (; tried.has(index) || n > 0; index++) if (!tried.has(index)) n--;
		order.push(index);
		tried.add(index);
		[start, size] = [start + size, size * 4];
	}
	return order;
}

/** The number that spreads a press over a window: its execution id when that is a number (n8n's are), else a hash of its token. */
export function spreadOf(claimToken: string, executionToken: string): number {
	const id = Number(executionToken);
	return Number.isSafeInteger(id) && id >= 0 ? id : hash32(claimToken);
}

/** How many of `indexes` are in [from, to). */
function countIn(indexes: Set<number>, from: number, to: number): number {
	let inside = 0;
	for (const index of indexes) if (index >= from && index < to) inside++;
	return inside;
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
