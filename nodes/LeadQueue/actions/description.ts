import type { INodeProperties } from 'n8n-workflow';
import * as deskPage from './deskPage.operation';
import * as expire from './expire.operation';
import * as qualify from './qualify.operation';
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
				name: 'Confirm Claim',
				value: 'confirmClaim',
				action: 'Confirm a claimed lead',
				description: "After the conditional update that claims the lead: Won if the row carries this execution's claim, else Lost (claim the next one)",
			},
			{ name: 'Expire', value: 'expire', action: 'Close stale leads', description: 'Close waiting leads that waited too long' },
			{
				name: 'Lead Desk Page',
				value: 'deskPage',
				action: 'Render the lead desk page',
				description: "The manager's page: how many leads wait and the Take a Lead button, and after a press the lead taken",
			},
			{ name: 'Qualify', value: 'qualify', action: 'Qualify new leads', description: 'Accept or reject new leads by weight, blacklist and required fields' },
			{ name: 'Rank', value: 'rank', action: 'Rank waiting leads', description: 'Order waiting leads by the rules in force now' },
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
	...optionsDescription,
];
