import { checkShape, itemProblem, quote, recordName, type FieldProblem, type ItemProblem } from '../shared/validation';
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

/**
 * The raw leads an item holds: a Webhook item's body (one lead, or an array of them), or the item itself. An entry
 * of a body array that is no object (null, text, a number) is a problem, and the other entries go on.
 */
export function rawLeadsOf(json: Record<string, unknown>): { raw: Array<Record<string, unknown>>; problems: FieldProblem[] } {
	const body = json.body;
	if (!('headers' in json) || body === null || typeof body !== 'object') return { raw: [json], problems: [] };
	if (!Array.isArray(body)) return { raw: [body as Record<string, unknown>], problems: [] };
	const raw: Array<Record<string, unknown>> = [];
	const problems: FieldProblem[] = [];
	body.forEach((entry: unknown, index) => {
		if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) raw.push(entry as Record<string, unknown>);
		else problems.push({ path: `body[${index}]`, problem: `is not a lead object (it is ${quote(entry)})` });
	});
	return { raw, problems };
}

/** How to fix a lead row that does not read. */
export const ROW_HINT = 'Correct the stored lead (its lead column holds the lead as JSON) or delete the row in the leads table.';

/** How a lead row names itself in messages: 'row 17, leadId "L1"'. */
function rowName(json: Record<string, unknown>): string | null {
	const lead = recordName(json, 'leadId');
	if (json.id === undefined) return lead;
	return `row ${quote(json.id)}${lead === null ? '' : `, ${lead}`}`;
}

/** The problem of a lead row that does not read: its item, its name, what is wrong and how to fix it. */
export function rowProblem(itemIndex: number, json: Record<string, unknown>, problems: readonly FieldProblem[]): ItemProblem {
	return itemProblem(itemIndex, rowName(json), problems, ROW_HINT);
}

/**
 * The leads among the input items (canonical leads or rows of the leads table), each with its item; a row whose
 * stored lead does not parse or breaks the Lead contract is a problem of its own, and the other leads go on.
 */
export function leadsOf(items: Array<Record<string, unknown>>): { leads: Array<{ lead: Lead; item: number }>; problems: ItemProblem[] } {
	const leads: Array<{ lead: Lead; item: number }> = [];
	const problems: ItemProblem[] = [];
	items.forEach((json, item) => {
		if (json.leadId === undefined && json.lead === undefined) return;
		const reading = readLead(json);
		if ('lead' in reading) leads.push({ lead: reading.lead, item });
		else problems.push(rowProblem(item, json, reading.problems));
	});
	return { leads, problems };
}
