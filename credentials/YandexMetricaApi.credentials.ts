import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * A Yandex Metrica OAuth token with the "metrika:write" scope (create an app at oauth.yandex.ru, then
 * https://oauth.yandex.ru/authorize?response_type=token&client_id=<app id>); uploads go to the Management API.
 */
export class YandexMetricaApi implements ICredentialType {
	name = 'yandexMetricaApi';

	displayName = 'Yandex Metrica API';

	icon = 'file:../nodes/RevenuePush/revenuePush.svg' as const;

	documentationUrl = 'https://yandex.ru/dev/metrika/en/intro/authorization';

	properties: INodeProperties[] = [
		{
			displayName: 'OAuth Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'A token with the metrika:write scope',
		},
		{
			displayName: 'API URL',
			name: 'apiBase',
			type: 'string',
			default: 'https://api-metrika.yandex.net',
			description: 'Leave as it is unless requests go through a proxy',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=OAuth {{$credentials.token}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.apiBase}}', url: '/management/v1/counters', qs: { per_page: 1 }, method: 'GET' },
	};
}
