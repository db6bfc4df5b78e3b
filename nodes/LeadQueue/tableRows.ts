import { checkShape, type FieldProblem } from '../shared/validation';
import { LEAD_SHAPE, type Lead } from './lead';

/** The queue fields the table keeps in their own columns: they change after the lead is stored (claims, expiry). */
const LIVE_FIELDS = ['state', 'assignedTo', 'assignedAt', 'claimToken', 'closedReason', 'closedAt'] as const;

/**
 * A lead as the node receives it: a canonical lead, or a row of the leads table that keeps the whole lead as JSON in
 * a `lead` column beside the columns a claim or an expiry updates (those win over the JSON copy). A row whose JSON
 * does not parse, or a lead that breaks the Lead contract, gives the problems instead.
 */
export function readLead(json: Record<string, unknown>): { lead: Lead } | { problems: readonly FieldProblem[] } {
	let lead: Record<string, unknown> = json;
	if (typeof json.lead === 'string') {
		let stored: unknown;
		try {
			stored = JSON.parse(json.lead);
		} catch (error) {
			return { problems: [{ path: 'lead', problem: `does not parse as JSON (${(error as Error).message})` }] };
		}
		if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return { problems: [{ path: 'lead', problem: 'holds no JSON object' }] };
		lead = stored as Record<string, unknown>;
		for (const field of LIVE_FIELDS) if (json[field] !== undefined) lead[field] = json[field];
	}
	const problems = checkShape(lead, LEAD_SHAPE);
	return problems.length === 0 ? { lead: lead as unknown as Lead } : { problems };
}

/** The raw leads an item holds: a Webhook item's body (one lead, or an array of them), or the item itself. */
export function rawLeadsOf(json: Record<string, unknown>): Array<Record<string, unknown>> {
	const body = json.body;
	if (!('headers' in json) || body === null || typeof body !== 'object') return [json];
	return Array.isArray(body) ? (body as Array<Record<string, unknown>>) : [body as Record<string, unknown>];
}
