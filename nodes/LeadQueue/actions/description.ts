import type { INodeProperties } from 'n8n-workflow';
import * as assignInCrm from './assignInCrm.operation';
import * as closeInCrm from './closeInCrm.operation';
import * as confirmClaim from './confirmClaim.operation';
import { crmDescription } from './crmQueue';
import * as deskPage from './deskPage.operation';
import * as expire from './expire.operation';
import * as loadCrmQueue from './loadCrmQueue.operation';
import * as qualify from './qualify.operation';
import * as releaseClaims from './releaseClaims.operation';
import * as signIn from './signIn.operation';
import * as takeNext from './takeNext.operation';
import { managerIdDescription, optionsDescription, rankingDescription } from './common';

/**
 * The node's parameters. Their order is part of the saved-workflow contract (docs/parameters.md): each operation's
 * own parameters sit in its file, the shared ones in common.ts, and this list keeps them in the order users know.
 */
export const leadQueueProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Assign in CRM',
				value: 'assignInCrm',
				action: 'Assign a claimed lead in the CRM',
				description: "Make the claimant the CRM lead's responsible user and move it to the working status (also repairs a claim that never reached the CRM)",
			},
			{ name: 'Close in CRM', value: 'closeInCrm', action: 'Close expired leads in the CRM', description: 'Move expired leads to the lost status with the reason' },
			{
				name: 'Confirm Claim',
				value: 'confirmClaim',
				action: 'Confirm a claimed lead',
				description: "After the claim (a conditional update, or a claim row in lead_claims): Won if this execution's claim holds the lead, else Lost (claim the next one)",
			},
			{ name: 'Expire', value: 'expire', action: 'Close stale leads', description: 'Close waiting leads that waited too long' },
			{
				name: 'Lead Desk Page',
				value: 'deskPage',
				action: 'Render the lead desk page',
				description: "The manager's page: how many leads wait and the Take a Lead button, and after a press the lead taken",
			},
			{
				name: 'Load CRM Queue',
				value: 'loadCrmQueue',
				action: 'Load the waiting leads from the CRM',
				description: "Read the leads in the CRM's queue status: the ones no claim holds, and the claimed ones still there (for the repair)",
			},
			{
				name: 'Put in CRM Queue',
				value: 'putInCrm',
				action: 'Create leads in the CRM queue',
				description: "Create qualified leads in the CRM's queue pipeline and status with their fields (a retried run finds them instead)",
			},
			{ name: 'Qualify', value: 'qualify', action: 'Qualify new leads', description: 'Accept or reject new leads by weight, blacklist and required fields' },
			{ name: 'Rank', value: 'rank', action: 'Rank waiting leads', description: 'Order waiting leads by the rules in force now' },
			{
				name: 'Release Claims',
				value: 'releaseClaims',
				action: 'Release stale CRM lead claims',
				description: 'Of the lead_claims rows, the ones to delete: a claim not marked won that is older than the release age (CRM queue, expire run)',
			},
			{
				name: 'Sign In Manager',
				value: 'signIn',
				action: 'Sign in a manager to the lead desk',
				description: "Check the browser's sign-in (HTTP Basic) against the Lead Desk Managers credential; for a press, that it came from the desk's page",
			},
			{ name: 'Take Next', value: 'takeNext', action: 'Take the best waiting lead', description: 'Choose the best waiting lead for the manager who asks, with a claim token' },
		],
		default: 'qualify',
	},
	...qualify.description,
	...rankingDescription,
	...managerIdDescription,
	...takeNext.description,
	...expire.description,
	...signIn.description,
	...deskPage.description,
	...confirmClaim.description,
	...crmDescription,
	...loadCrmQueue.description,
	...releaseClaims.description,
	...assignInCrm.description,
	...closeInCrm.description,
	...optionsDescription,
];
