import { InputDataError } from '../shared/errors';
import { jsonParameter } from '../shared/jsonArray';
import type { PlaceLists } from './conditions';
import { expireLeads } from './expire';
import type { Lead } from './lead';
import { inZone, LOGISTICS_RULE_SETS } from './presets';
import { qualifyLead, type QualifyRules } from './qualify';
import { rankLeads } from './rank';
import type { RuleSet } from './rankRules';
import { placeList } from './textMatch';
import { chooseNext, validateManager } from './takeNext';

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

/** A list typed as text ("a, b") or given by an expression (an array). */
export function listParameter(value: unknown): string[] {
	if (Array.isArray(value)) return value.map(String);
	return String(value ?? '')
		.split(/[,\n;]/)
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}

export function qualify(raw: Record<string, unknown>, rules: Omit<QualifyRules, 'blacklist'> & { blacklist: string[] }) {
	return qualifyLead(raw, { ...rules, blacklist: rules.blacklist.length > 0 ? placeList(rules.blacklist, 'blacklist') : null });
}

export function rank(leads: Lead[], settings: QueueSettings): Lead[] {
	return rankLeads(leads, settings.ruleSets, settings.lists, settings.now).ranked;
}

export type TakeResult =
	| { outcome: 'assigned'; httpStatus: 200; message: string; lead: Lead; claimToken: string; waitingLeft: number }
	| { outcome: 'none'; httpStatus: 200; message: string; waitingLeft: 0 }
	| { outcome: 'refused'; httpStatus: 400; message: string };

/** "Take a lead" for one manager: refuses an unknown manager, else the lead to claim on this attempt. */
export function takeNext(waiting: Lead[], managerId: unknown, managers: string[], executionId: string, attempt: number, settings: QueueSettings): TakeResult {
	const refusal = validateManager(managerId, managers);
	if (refusal !== null) return { outcome: 'refused', httpStatus: 400, message: refusal };
	const next = chooseNext(rank(waiting, settings), String(managerId).trim(), settings.now, executionId, settings.zone, attempt);
	if (next.lead === null || next.claimToken === null) return { outcome: 'none', httpStatus: 200, message: next.message, waitingLeft: 0 };
	return { outcome: 'assigned', httpStatus: 200, message: next.message, lead: next.lead, claimToken: next.claimToken, waitingLeft: next.waitingLeft };
}

export function expire(leads: Lead[], underKg: number, afterHours: number, closedReason: string, settings: QueueSettings): Lead[] {
	const when = underKg > 0 ? { weightKg: { under: underKg } } : null;
	return expireLeads(leads, [{ when, afterHours, closedReason }], settings.now, { zone: settings.zone, lists: settings.lists }).closed;
}
