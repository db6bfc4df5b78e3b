import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { jsonParameter } from '../../shared/jsonArray';
import { InputDataError } from '../../shared/errors';
import type { ItemProblem } from '../../shared/validation';
import { readClaims, RELEASE_AFTER_MINUTES, standingClaims } from '../crm/claims';
import type { CrmLead } from '../crm/queue';
import { readLead, ROW_HINT } from '../tableRows';
import { inInputOrder, type QueueOptions } from './common';
import { connectCrm } from './crmQueue';

export const description: INodeProperties[] = [
	{
		displayName: 'Claims (JSON)',
		name: 'claims',
		type: 'json',
		default: '[]',
		placeholder: "={{ $('Load Claims').all().map(row => row.json) }}",
		displayOptions: { show: { operation: ['loadCrmQueue'] } },
		description:
			'The rows of the lead_claims Data Table (ID, crmLeadId, claimToken, lead, claimedAtMs, won): a lead with a row marked won is not waiting; once the row is 10 minutes old it goes to the Claimed output with its claimant (for the repair)',
	},
];

/** What a standing claim decided about a lead: who took it, or that an expiry closed it. */
const CLAIM_FIELDS = ['state', 'assignedTo', 'assignedAt', 'closedReason', 'closedAt'] as const;

const CONFLICT_HINT = 'The lead is left out until one claim stands: in lead_claims, keep the row of the manager who has the lead and delete the others.';

const LEAD_HINT = 'The lead is left out of the queue until it is corrected in the CRM (its weight and volume are numbers, its form "full" or "callback").';

/**
 * Reads every lead in the queue status (all pages) as Lead items with crmLeadId and cardUrl, in the CRM's order:
 * Waiting (output 1) the leads with no row marked won, for Take Next or Expire; Claimed (output 2) the leads with a
 * row marked won 10 minutes ago or earlier that are still in the queue status (a press or an expiry that stopped
 * between its claim and the CRM), with the claim's state and claimant (the row's claimToken), for the repair; a lead
 * whose rows were marked won more recently is being taken (crm/claims.ts) and is in neither. A lead whose fields do not read,
 * a claim row that does not, and a lead with rows of two claimants marked won (never by the rule; rows written by
 * hand) are error items (Continue On Fail); the others go on. All items are paired to the first input item.
 */
export async function execute(this: IExecuteFunctions, _items: INodeExecutionData[], options: QueueOptions): Promise<INodeExecutionData[][]> {
	const rows = jsonParameter(this.getNodeParameter('claims', 0, '[]'), 'Claims (JSON)', 'Give the rows of lead_claims as an array, e.g. {{ $(\'Load Claims\').all().map(row => row.json) }}.');
	if (!Array.isArray(rows)) throw new InputDataError('Claims (JSON) is not an array', 'Give the rows of lead_claims as an array.');
	const { claims, problems: claimProblems } = readClaims(rows);
	const { standing, settling, conflicts } = standingClaims(claims, options.now.getTime(), RELEASE_AFTER_MINUTES * 60_000);
	const { queue } = await connectCrm(this, options);
	const waiting: Array<{ json: IDataObject; item: number }> = [];
	const claimed: INodeExecutionData[] = [];
	const problems: ItemProblem[] = claimProblems.map((problem) => ({ ...problem, itemIndex: 0, message: `Claim row ${problem.message.replace(/^Item /, '')}` }));
	const conflicted = new Set(conflicts.map(({ crmLeadId }) => crmLeadId));
	for (const { crmLeadId, claimTokens } of conflicts) {
		problems.push({ itemIndex: 0, message: `CRM lead ${crmLeadId} has claim rows marked won by ${claimTokens.map((token) => JSON.stringify(token)).join(' and ')}`, description: CONFLICT_HINT });
	}
	for (const loaded of await queue.load()) {
		if ('problem' in loaded) {
			problems.push({ itemIndex: 0, message: loaded.problem, description: LEAD_HINT });
			continue;
		}
		if (conflicted.has(loaded.lead.crmLeadId) || settling.has(loaded.lead.crmLeadId)) continue;
		const claim = standing.get(loaded.lead.crmLeadId);
		if (claim === undefined) {
			waiting.push({ json: loaded.lead as unknown as IDataObject, item: 0 });
			continue;
		}
		const reading = readLead(claim.json);
		if ('problems' in reading) {
			problems.push({ itemIndex: 0, message: `The claim row ${claim.id} of CRM lead ${claim.crmLeadId} does not read: ${reading.problems.map((p) => `${p.path} ${p.problem}`).join('; ')}`, description: ROW_HINT });
			continue;
		}
		const decided = Object.fromEntries(CLAIM_FIELDS.map((field) => [field, reading.lead[field] ?? null]));
		claimed.push({ json: { ...loaded.lead, ...decided, claimToken: claim.claimToken } as CrmLead as unknown as IDataObject, pairedItem: { item: 0 } });
	}
	return [inInputOrder(this, waiting, problems), claimed];
}
