import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { router } from './actions/router';
import { crmDealsImportCredentials, crmDealsImportProperties, VERSIONS } from './description';

export class CrmDealsImport implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CRM Deals Import',
		name: 'crmDealsImport',
		icon: { light: 'file:crmDealsImport.svg', dark: 'file:crmDealsImport.dark.svg' },
		group: ['input'],
		version: VERSIONS,
		defaultVersion: VERSIONS[VERSIONS.length - 1],
		subtitle: '={{$parameter["crm"] === "bitrix24" ? "Bitrix24" : "amoCRM / Kommo"}}',
		description: 'Read deals from amoCRM / Kommo or Bitrix24 as canonical orders, all or only those changed since the last run',
		defaults: { name: 'CRM Deals Import' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: crmDealsImportCredentials,
		properties: crmDealsImportProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
