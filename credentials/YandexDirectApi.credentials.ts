import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * A Yandex Direct OAuth token (an app registered at oauth.yandex.ru with the direct:api scope, then
 * https://oauth.yandex.ru/authorize?response_type=token&client_id=<app id>), sent as `Authorization: Bearer`. An
 * agency reads a client's account by its login (the Client-Login header).
 */
export class YandexDirectApi implements ICredentialType {
	name = 'yandexDirectApi';

	displayName = 'Yandex Direct API';

	icon = 'file:../nodes/AdSpend/adSpend.svg' as const;

	documentationUrl = 'https://yandex.com/dev/direct/doc/en/concepts/auth-token';

	properties: INodeProperties[] = [
		{
			displayName: 'OAuth Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Client Login',
			name: 'clientLogin',
			type: 'string',
			default: '',
			description: "For an agency's token: the login of the client whose account to read (Client-Login). Empty for your own account.",
		},
		{
			displayName: 'Sandbox',
			name: 'sandbox',
			type: 'boolean',
			default: false,
			description: 'Whether to use the API sandbox (api-sandbox.direct.yandex.com) with its test data',
		},
		{
			displayName: 'API URL',
			name: 'apiUrl',
			type: 'string',
			default: '',
			placeholder: 'https://api.direct.yandex.com',
			description: 'Leave empty unless requests go through a proxy: the production or sandbox address is used',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.token}}' } },
	};

	/** Clients.get (the token's own account, so no Client-Login): a bad token may come back as 200 with an error body, hence the rule. */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.apiUrl || ($credentials.sandbox ? "https://api-sandbox.direct.yandex.com" : "https://api.direct.yandex.com")}}',
			url: '/json/v5/clients',
			method: 'POST',
			body: { method: 'get', params: { FieldNames: ['Login', 'Currency'] } },
		},
		rules: [{ type: 'responseSuccessBody', properties: { key: 'error.error_code', value: 53, message: 'The OAuth token is invalid or was revoked (Direct error 53)' } }],
	};
}
