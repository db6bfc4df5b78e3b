import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { leadQueueCredentials, leadQueueProperties } from './actions/description';
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
		credentials: leadQueueCredentials,
		inputs: [NodeConnectionTypes.Main],
		outputs: `={{$parameter["operation"] === "qualify" ? [{ type: "main", displayName: "Accepted" }, { type: "main", displayName: "Rejected" }] : $parameter["operation"] === "confirmClaim" ? [{ type: "main", displayName: "Won" }, { type: "main", displayName: "Lost" }] : $parameter["operation"] === "loadCrmQueue" ? [{ type: "main", displayName: "Waiting" }, { type: "main", displayName: "Claimed" }] : [{ type: "main" }]}}`,
		properties: leadQueueProperties,
	};

	methods = { credentialTest: { leadDeskManagers: testManagers } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}
}
