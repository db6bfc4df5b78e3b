import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { leadQueueProperties } from './actions/description';
import { router } from './actions/router';

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
		inputs: [NodeConnectionTypes.Main],
		outputs: `={{$parameter["operation"] === "qualify" ? [{ type: "main", displayName: "Accepted" }, { type: "main", displayName: "Rejected" }] : $parameter["operation"] === "confirmClaim" ? [{ type: "main", displayName: "Won" }, { type: "main", displayName: "Lost" }] : [{ type: "main" }]}}`,
		properties: leadQueueProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}
}
