import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { numberParameter, type NumberRule } from '../../shared/validation';
import { CLAIM_HINT, claimsToRelease, readClaims, RELEASE_AFTER_MINUTES } from '../crm/claims';
import { inInputOrder, show, type QueueOptions } from './common';

/** A minute at least (a press takes seconds), a week at most. */
const RELEASE_AFTER: NumberRule = { name: 'Release After (Minutes)', min: 1, max: 10_080 };

export const description: INodeProperties[] = [
	{
		displayName: 'Release After (Minutes)',
		name: 'releaseAfterMinutes',
		type: 'number',
		default: RELEASE_AFTER_MINUTES,
		displayOptions: show('releaseClaims'),
		description: 'Claim rows of a lead with no row marked won that are this old are released (a press that stopped between its claim and Mark Won); keep it far above the seconds a press takes',
	},
];

/**
 * The input items are the rows of lead_claims; out come the rows to release (id, crmLeadId, claimToken), each paired
 * to its item, for a Data Table delete that also requires won to be false (see crm/claims.ts). A row that does not
 * read, and a row to judge that does not say when it was claimed, are errors of their items.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], options: QueueOptions): Promise<INodeExecutionData[][]> {
	const afterMinutes = numberParameter(this.getNodeParameter('releaseAfterMinutes', 0, RELEASE_AFTER_MINUTES), RELEASE_AFTER);
	const { claims, problems } = readClaims(items.map(({ json }) => json));
	const { release, undated } = claimsToRelease(claims, options.now.getTime(), afterMinutes * 60_000);
	for (const row of undated) {
		problems.push({ itemIndex: row.item, message: `Item ${row.item}: claim row ${row.id} of CRM lead ${row.crmLeadId} has no claimedAtMs, so it is never released`, description: CLAIM_HINT });
	}
	const released = release.map(({ id, crmLeadId, claimToken, item }) => ({ json: { id, crmLeadId, claimToken } as IDataObject, item }));
	return [inInputOrder(this, released, problems)];
}
