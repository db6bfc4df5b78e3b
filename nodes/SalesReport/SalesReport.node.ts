import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { router } from './actions/router';
import { salesReportProperties, VERSIONS } from './description';

export class SalesReport implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sales Report',
		name: 'salesReport',
		icon: { light: 'file:salesReport.svg', dark: 'file:salesReport.dark.svg' },
		group: ['transform'],
		version: VERSIONS,
		defaultVersion: VERSIONS[VERSIONS.length - 1],
		subtitle: '={{$parameter["operation"]}}',
		description: 'Revenue by channel and campaign, phone vs online, new vs returning customers, and a dashboard page the owner opens',
		defaults: { name: 'Sales Report' },
		usableAsTool: true,
		inputs: [
			{ type: NodeConnectionTypes.Main, displayName: 'Deals', required: true },
			{ type: NodeConnectionTypes.Main, displayName: 'Orders Without Touch' },
		],
		outputs: [NodeConnectionTypes.Main],
		properties: salesReportProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}
}
