import type { Lead } from './lead';

/** The queue fields the table keeps in their own columns: they change after the lead is stored (claims, expiry). */
const LIVE_FIELDS = ['state', 'assignedTo', 'assignedAt', 'claimToken', 'closedReason', 'closedAt'] as const;

/**
 * A lead as the node receives it: a canonical lead, or a row of the leads table that keeps the whole lead as JSON in
 * a `lead` column beside the columns a claim or an expiry updates (those win over the JSON copy).
 */
export function leadFromItem(json: Record<string, unknown>): Lead {
	if (typeof json.lead !== 'string') return json as unknown as Lead;
	const lead = JSON.parse(json.lead) as Lead & Record<string, unknown>;
	for (const field of LIVE_FIELDS) if (json[field] !== undefined) lead[field] = json[field] as never;
	return lead;
}

/** The raw leads an item holds: a Webhook item's body (one lead, or an array of them), or the item itself. */
export function rawLeadsOf(json: Record<string, unknown>): Array<Record<string, unknown>> {
	const body = json.body;
	if (!('headers' in json) || body === null || typeof body !== 'object') return [json];
	return Array.isArray(body) ? (body as Array<Record<string, unknown>>) : [body as Record<string, unknown>];
}

