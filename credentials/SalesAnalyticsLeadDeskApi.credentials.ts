import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The managers who may sign in to the lead desk page (Lead Queue's Sign In Manager operation): one `login: password`
 * a line. The browser's own sign-in sends them (HTTP Basic); the login is the manager id Take Next gets. Tested by the
 * Lead Queue node (the list reads, nobody twice), as there is no service to ask.
 */
export class SalesAnalyticsLeadDeskApi implements ICredentialType {
	name = 'salesAnalyticsLeadDeskApi';

	displayName = 'Lead Desk Managers API';

	icon = 'file:../nodes/LeadQueue/leadQueue.svg' as const;

	documentationUrl = 'https://github.com/sales-analytics/n8n-nodes-sales-analytics/blob/main/docs/nodes/lead-queue.md#sign-in-manager';

	properties: INodeProperties[] = [
		{
			displayName: 'Managers and Passwords',
			name: 'managerPasswords',
			type: 'string',
			typeOptions: { password: true, rows: 6 },
			default: '',
			required: true,
			placeholder: 'anna@shop.ru: a long password\nboris@shop.ru: another long password',
			description:
				'One manager a line: login, a colon, the password (the first colon ends the login; spaces around the password are dropped). Lines starting with # are skipped. Each login must also be in the Managers list of Take Next.',
		},
		{
			displayName: 'Display Names',
			name: 'displayNames',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			placeholder: 'anna@shop.ru: Anna Petrova',
			description: 'Optional: one "login: name" a line, the name the page greets the manager with (the login otherwise)',
		},
	];
}
