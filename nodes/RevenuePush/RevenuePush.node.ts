import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { revenuePushCredentials, revenuePushProperties } from './description';
import { router } from './router';

export class RevenuePush implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Revenue Push',
		name: 'revenuePush',
		icon: { light: 'file:revenuePush.svg', dark: 'file:revenuePush.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["destination"] + ": " + $parameter["mode"]}}',
		description: 'Send the real revenue of won deals (and refunds) to GA4, Google Ads, Yandex Metrica, amoCRM/Kommo, Bitrix24 or a webhook, each version once',
		defaults: { name: 'Revenue Push' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: revenuePushCredentials,
		properties: revenuePushProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
