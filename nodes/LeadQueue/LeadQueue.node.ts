import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { CRM_OPERATIONS } from './actions/crmQueue';
import { leadQueueProperties } from './actions/description';
import { router } from './actions/router';
import { testManagers } from './actions/signIn.operation';

export class LeadQueue implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Lead Queue',
		name: 'leadQueue',
		icon: { light: 'file:leadQueue.svg', dark: 'file:leadQueue.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Qualify leads, rank them by time-of-day rules, hand the best one to the manager who asks, close stale ones',
		defaults: { name: 'Lead Queue' },
		usableAsTool: true,
		// Written out here: n8n's lint reads this literal to check that the desk credential is tested (testedBy).
		credentials: [
			{ name: 'salesAnalyticsLeadDeskApi', required: true, testedBy: 'leadDeskManagers', displayOptions: { show: { operation: ['signIn'] } } },
			{ name: 'amoCrmApi', required: true, displayOptions: { show: { operation: CRM_OPERATIONS, crm: ['amocrm'], authentication: ['amoCrmApi'] } } },
			{ name: 'amoCrmOAuth2Api', required: true, displayOptions: { show: { operation: CRM_OPERATIONS, crm: ['amocrm'], authentication: ['amoCrmOAuth2Api'] } } },
			{ name: 'bitrix24WebhookApi', required: true, displayOptions: { show: { operation: CRM_OPERATIONS, crm: ['bitrix24'] } } },
		],
		inputs: [NodeConnectionTypes.Main],
		outputs: `={{$parameter["operation"] === "qualify" ? [{ type: "main", displayName: "Accepted" }, { type: "main", displayName: "Rejected" }] : $parameter["operation"] === "confirmClaim" ? [{ type: "main", displayName: "Won" }, { type: "main", displayName: "Lost" }] : $parameter["operation"] === "loadCrmQueue" ? [{ type: "main", displayName: "Waiting" }, { type: "main", displayName: "Claimed" }] : [{ type: "main" }]}}`,
		properties: leadQueueProperties,
	};

	methods = { credentialTest: { leadDeskManagers: testManagers } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}
}
