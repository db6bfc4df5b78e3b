import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { parseList } from '../../shared/nodeParameters';
import { numberParameter, type NumberRule } from '../../shared/validation';
import { ClaimsInFlight } from '../claimsInFlight';
import { leadsOf } from '../tableRows';
import { takeLead } from '../takeNext';
import { allItems, readManagerId, readRanking, show, type QueueOptions } from './common';

/** By the 10th claim the windows of candidateOrder hold over a million leads: more candidates only lengthen the answer. */
const CANDIDATES: NumberRule = { name: 'Candidates', min: 1, max: 20, integer: true };
/** One candidate: the best lead only, as before the parameter existed. */
const DEFAULT_CANDIDATES = 1;
/**
 * How long the lead a press aims at first is put after the others for the presses after it: longer than a press
 * takes from Take Next to its claim and the CRM update (about 3 s with 20 at once on SQLite), short enough that a press
 * that stopped on its way costs its lead's place for a moment only.
 */
const CLAIM_HOLD_MS = 10_000;
/** Far more presses than any team makes in CLAIM_HOLD_MS; with keys of MAX_NOTE_KEY the notes stay under a few MB. */
const MAX_NOTES = 10_000;
/** The workflow id, ":" and a lead id of up to about 200 characters (no CRM or site writes a longer one). */
const MAX_NOTE_KEY = 240;
/** Shared by the executions of this n8n process (see ClaimsInFlight: a hint, the table's update decides). */
const claimsInFlight = new ClaimsInFlight(CLAIM_HOLD_MS, MAX_NOTES, MAX_NOTE_KEY);

export const description: INodeProperties[] = [
	{
		displayName: 'Managers',
		name: 'managers',
		type: 'string',
		default: '',
		placeholder: 'anna@shop.ru, boris@shop.ru',
		displayOptions: show('takeNext'),
		description: 'Managers who may take leads, separated by commas (or an expression returning a list)',
	},
	{
		displayName: 'Candidates',
		name: 'candidates',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: CANDIDATES.max },
		default: DEFAULT_CANDIDATES,
		displayOptions: show('takeNext'),
		description:
			'How many waiting leads to hand on, one item each, in the order this press claims them: with a Loop Over Items (batch size 1) before the claim, a lost claim tries the next one without reading the table again. 1: the best lead only, and a lost claim reads again.',
	},
];

/**
 * "Take a lead" for one manager: the leads to claim in turn (one answer each), or one answer saying none waits or
 * refusing the manager, each paired to every item. A stored
 * row that does not read never blocks the managers' button: it is skipped and named in `skippedRows`. Its other
 * parameters are the ranking ones and Manager ID (common.ts).
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], options: QueueOptions): Promise<INodeExecutionData[][]> {
	const { leads, problems } = leadsOf(items.map(({ json }) => json));
	// A run from the editor neither reads nor leaves notes: a step executed again shows the same lead.
	const noting = this.getMode() !== 'manual';
	const workflow = `${this.getWorkflow().id ?? ''}:`;
	const nowMs = Date.now();
	const results = takeLead(
		leads.map(({ lead }) => lead),
		readManagerId(this),
		parseList(this.getNodeParameter('managers', 0)),
		String(this.getExecutionId()),
		// Each run of this node in one execution is a new read after lost claims (the workflow loops back): its candidates go on from there.
		Number(this.evaluateExpression('{{ $runIndex }}', 0)),
		{ ...readRanking(this, options.zone), now: options.now, zone: options.zone, inFlight: noting ? (leadId) => claimsInFlight.has(workflow + leadId, nowMs) : undefined },
		numberParameter(this.getNodeParameter('candidates', 0, DEFAULT_CANDIDATES), CANDIDATES),
	);
	if (noting && results[0].outcome === 'assigned') claimsInFlight.note(workflow + results[0].lead.leadId, nowMs);
	const skippedRows = problems.map(({ itemIndex, message, description }) => ({ itemIndex, message, description }));
	const pairedItem = allItems(items);
	return [results.map((result) => ({ json: { ...result, ...(skippedRows.length > 0 ? { skippedRows } : {}) } as unknown as IDataObject, pairedItem }))];
}

