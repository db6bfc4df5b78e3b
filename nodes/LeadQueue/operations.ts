import { InputDataError } from '../shared/errors';
import { jsonParameter } from '../shared/jsonArray';
import { itemProblem, quote, recordName, type ItemProblem } from '../shared/validation';
import type { PlaceLists } from './conditions';
import { expireLeads } from './expire';
import type { Lead } from './lead';
import { inZone, LOGISTICS_RULE_SETS } from './presets';
import { qualifyLead, type QualifyRules } from './qualify';
import { rankLeads } from './rank';
import type { RuleSet } from './rankRules';
import { placeList } from './textMatch';
import { readLead, rawLeadsOf } from './tableRows';
import { chooseNext, claimTokenOf, isClaimWon, validateManager } from './takeNext';

/** The settings the node reads, one shape for every operation. */
export interface QueueSettings {
	zone: string;
	now: Date;
	ruleSets: RuleSet[];
	lists: PlaceLists;
}

/** Rule sets and lists from the node's parameters: the preset moved to the office's zone, or the user's JSON. */
export function rankingSettings(rules: string, ruleSetsJson: unknown, listsJson: unknown, zone: string): Pick<QueueSettings, 'ruleSets' | 'lists'> {
	const ruleSets = rules === 'logistics' ? inZone(LOGISTICS_RULE_SETS, zone) : (jsonParameter(ruleSetsJson, 'Rule Sets (JSON)', 'Check the JSON.') as RuleSet[]);
	if (!Array.isArray(ruleSets) || ruleSets.length === 0) throw new InputDataError('Rule Sets (JSON) has no rule set', 'Give an array with at least one rule set, or use the preset.');
	const lists = jsonParameter(listsJson, 'Place Lists (JSON)', 'Check the JSON.', {});
	if (lists === null || typeof lists !== 'object' || Array.isArray(lists)) throw new InputDataError('Place Lists (JSON) is not an object of lists', 'Give {"eastern": ["Омск", "Новосибирск", ...]}.');
	return { ruleSets, lists: lists as PlaceLists };
}

type Json = Record<string, unknown>;

/** Qualifies every raw lead of the input items (a Webhook item may carry an array); each result keeps its item. */
export function qualifyItems(items: Json[], rules: Omit<QualifyRules, 'blacklist'> & { blacklist: string[] }) {
	const compiled = { ...rules, blacklist: rules.blacklist.length > 0 ? placeList(rules.blacklist, 'blacklist') : null };
	const accepted: Array<{ lead: Lead; item: number }> = [];
	const rejected: Array<{ lead: Lead & { reasons: string[] }; item: number }> = [];
	items.forEach((json, item) => {
		for (const raw of rawLeadsOf(json)) {
			const result = qualifyLead(raw, compiled);
			if ('accepted' in result) accepted.push({ lead: result.accepted, item });
			else rejected.push({ lead: { ...result.rejected, reasons: result.reasons }, item });
		}
	});
	return { accepted, rejected };
}

const ROW_HINT = 'Correct the stored lead (its lead column holds the lead as JSON) or delete the row in the leads table.';

/** How a lead row names itself in messages: 'row 17, leadId "L1"'. */
function rowName(json: Json): string | null {
	const lead = recordName(json, 'leadId');
	if (json.id === undefined) return lead;
	return `row ${quote(json.id)}${lead === null ? '' : `, ${lead}`}`;
}

/**
 * The leads among the input items (canonical leads or rows of the leads table), each with its item; a row whose
 * stored lead does not parse or breaks the Lead contract is a problem of its own, and the other leads go on.
 */
export function leadsOf(items: Json[]): { leads: Array<{ lead: Lead; item: number }>; problems: ItemProblem[] } {
	const leads: Array<{ lead: Lead; item: number }> = [];
	const problems: ItemProblem[] = [];
	items.forEach((json, item) => {
		if (json.leadId === undefined && json.lead === undefined) return;
		const reading = readLead(json);
		if ('lead' in reading) leads.push({ lead: reading.lead, item });
		else problems.push(itemProblem(item, rowName(json), reading.problems, ROW_HINT));
	});
	return { leads, problems };
}

/** The waiting leads best first, each with the item it came from. */
export function rank(leads: Array<{ lead: Lead; item: number }>, settings: QueueSettings): Array<{ lead: Lead; item: number }> {
	const itemOf = new Map(leads.map(({ lead, item }) => [lead.leadId, item]));
	return rankLeads(
		leads.map(({ lead }) => lead),
		settings.ruleSets,
		settings.lists,
		settings.now,
	).ranked.map((lead) => ({ lead, item: itemOf.get(lead.leadId) ?? 0 }));
}

/** After the conditional update: the lead if a returned row carries this execution's claim, else the lost token. */
export function confirmClaim(rows: Json[], managerId: unknown, executionId: string): { won: Lead } | { lost: { outcome: 'lost'; claimToken: string } } {
	const claimToken = claimTokenOf(String(managerId ?? ''), executionId);
	const row = rows.find((json) => isClaimWon(json, claimToken));
	if (!row) return { lost: { outcome: 'lost', claimToken } };
	const reading = readLead(row);
	if ('lead' in reading) return { won: reading.lead };
	throw new InputDataError(itemProblem(rows.indexOf(row), rowName(row), reading.problems, ROW_HINT).message, ROW_HINT);
}

export type TakeResult =
	| { outcome: 'assigned'; httpStatus: 200; message: string; lead: Lead; claimToken: string; waitingLeft: number }
	| { outcome: 'none'; httpStatus: 200; message: string; waitingLeft: 0 }
	| { outcome: 'refused'; httpStatus: 400; message: string };

/** "Take a lead" for one manager: refuses an unknown manager, else the lead to claim on this attempt. */
export function takeNext(waiting: Lead[], managerId: unknown, managers: string[], executionId: string, attempt: number, settings: QueueSettings): TakeResult {
	const refusal = validateManager(managerId, managers);
	if (refusal !== null) return { outcome: 'refused', httpStatus: 400, message: refusal };
	const ranked = rankLeads(waiting, settings.ruleSets, settings.lists, settings.now).ranked;
	const next = chooseNext(ranked, String(managerId).trim(), settings.now, executionId, settings.zone, attempt);
	if (next.lead === null || next.claimToken === null) return { outcome: 'none', httpStatus: 200, message: next.message, waitingLeft: 0 };
	return { outcome: 'assigned', httpStatus: 200, message: next.message, lead: next.lead, claimToken: next.claimToken, waitingLeft: next.waitingLeft };
}

export function expire(leads: Lead[], underKg: number, afterHours: number, closedReason: string, settings: QueueSettings): Lead[] {
	const when = underKg > 0 ? { weightKg: { under: underKg } } : null;
	return expireLeads(leads, [{ when, afterHours, closedReason }], settings.now, { zone: settings.zone, lists: settings.lists }).closed;
}
