import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/** A Bitrix24 incoming webhook with the CRM scope: its URL holds the secret code. */
export class Bitrix24WebhookApi implements ICredentialType {
	name = 'bitrix24WebhookApi';

	displayName = 'Bitrix24 Incoming Webhook API';

	icon = 'file:../nodes/RevenuePush/revenuePush.svg' as const;

	documentationUrl = 'https://apidocs.bitrix24.com/local-integrations/local-webhooks.html';

	properties: INodeProperties[] = [
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- the URL carries the webhook's secret code
		{
			displayName: 'Webhook URL',
			name: 'webhookUrl',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'https://yourportal.bitrix24.ru/rest/1/abc123def456/',
			hint: 'Developer resources → Other → Incoming webhook, with the crm scope',
		},
	];

	/**
	 * The webhook URL as typed, with or without its final "/": n8n's HTTP client (axios) joins baseURL and url with
	 * one slash, dropping a trailing one from baseURL and the leading ones from url.
	 */
	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.webhookUrl}}', url: '/profile.json', method: 'GET' },
	};
}
