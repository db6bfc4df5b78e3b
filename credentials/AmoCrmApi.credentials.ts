import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/** An amoCRM or Kommo account reached with a long-lived token (Settings → Integrations → your integration → Keys). */
export class AmoCrmApi implements ICredentialType {
	name = 'amoCrmApi';

	displayName = 'amoCRM / Kommo API';

	icon = 'file:../nodes/RevenuePush/revenuePush.svg' as const;

	documentationUrl = 'https://developers.kommo.com/docs/long-lived-token';

	properties: INodeProperties[] = [
		{
			displayName: 'Account URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://yourcompany.amocrm.ru',
		},
		{
			displayName: 'Long-Lived Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.token}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl}}', url: '/api/v4/account', method: 'GET' },
	};
}
