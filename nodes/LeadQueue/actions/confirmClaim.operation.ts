import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { problemItems } from '../../shared/itemErrors';
import { readClaims, soleClaims } from '../crm/claims';
import { readLead, rowProblem } from '../tableRows';
import { claimTokenOf, isClaimWon } from '../takeNext';
import { allItems, readManagerId, show } from './common';

export const description: INodeProperties[] = [
	{
		displayName: 'Claim Rule',
		name: 'claimRule',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Row Carries This Claim',
				value: 'rowToken',
				description: 'After a conditional update of the leads table: a returned row carries this claim',
			},
			{
				name: 'Sole Claim Wins',
				value: 'soleClaim',
				description: "After inserting a claim row into lead_claims and reading the lead's claim rows (CRM queue): every row of the lead is this claim's",
			},
		],
		default: 'rowToken',
		displayOptions: show('confirmClaim'),
	},
];

/**
 * After the claim: Won with the lead(s) this execution's claim holds, Lost with the token otherwise. Row Carries
 * This Claim (the Data Table queue): Won if a returned row carries the claim (paired to that row), else one Lost
 * (paired to every item). Sole Claim Wins (the CRM queue, see crm/claims.ts): the input items are the claim rows of
 * one or more leads (a row read twice counts once); for each lead Won with its lead and this claimToken when every
 * row of the lead is this claim's, else a Lost naming the lead (delete its row, then try the next; a Lost with
 * firstInLine: true holds the lowest row id of the lead: read the rows again after a pause instead). The same rule
 * reads the rows the Mark Won update returns: none (an empty item) is a Lost. A row that is no claim is an error of its
 * item, and then every lead of the read is Lost (the row may be another claimant's); a won row whose lead does not
 * read is an error of its item. Its other parameter is Manager ID, shared with Take Next (common.ts).
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const claimToken = claimTokenOf(String(readManagerId(this) ?? ''), String(this.getExecutionId()));
	const lost = (json: IDataObject = {}): INodeExecutionData => ({ json: { outcome: 'lost', claimToken, ...json }, pairedItem: allItems(items) });
	if (this.getNodeParameter('claimRule', 0, 'rowToken') === 'soleClaim') {
		const { claims, problems } = readClaims(items.map(({ json }) => json));
		const won: INodeExecutionData[] = [];
		const lostLeads: INodeExecutionData[] = [];
		// A row that does not read may be another claimant's: then no lead of this read is won.
		const unreadable = problems.length > 0;
		for (const { crmLeadId, own, firstInLine } of soleClaims(claims, claimToken)) {
			if (own === null || unreadable) {
				lostLeads.push(lost(firstInLine && !unreadable ? { crmLeadId, firstInLine } : { crmLeadId }));
				continue;
			}
			const reading = readLead(own.json);
			if ('problems' in reading) problems.push(rowProblem(own.item, own.json, reading.problems));
			else won.push({ json: { ...reading.lead, claimToken } as unknown as IDataObject, pairedItem: { item: own.item } });
		}
		if (won.length === 0 && lostLeads.length === 0 && problems.length === 0) lostLeads.push(lost());
		return [[...won, ...problemItems(this, problems)], lostLeads];
	}
	const item = items.findIndex(({ json }) => isClaimWon(json, claimToken));
	if (item === -1) return [[], [lost()]];
	const row = items[item].json;
	const reading = readLead(row);
	if ('problems' in reading) return [problemItems(this, [rowProblem(item, row, reading.problems)]), []];
	return [[{ json: reading.lead as unknown as IDataObject, pairedItem: { item } }], []];
}
