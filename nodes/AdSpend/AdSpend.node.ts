import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { router } from './actions/router';
import { adSpendCredentials, adSpendProperties, VERSIONS } from './description';

export class AdSpend implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ad Spend',
		name: 'adSpend',
		icon: { light: 'file:adSpend.svg', dark: 'file:adSpend.dark.svg' },
		group: ['input'],
		version: VERSIONS,
		defaultVersion: VERSIONS[VERSIONS.length - 1],
		subtitle: '={{$parameter["platform"]}}',
		description: 'What ad campaigns cost per day, from Yandex Direct, Google Ads, VK Ads or a table, as the Ad Spend rows of Attribution and the Sales Report',
		defaults: { name: 'Ad Spend' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: adSpendCredentials,
		properties: adSpendProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
