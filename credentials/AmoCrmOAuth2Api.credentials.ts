import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * An amoCRM or Kommo account reached through an integration's OAuth 2.0 (authorization code), so that n8n keeps and
 * refreshes the token. amoCRM's consent page is https://www.amocrm.ru/oauth (Kommo: https://www.kommo.com/oauth); the
 * token endpoint is the account's own, https://<subdomain>.amocrm.ru/oauth2/access_token, which takes the client id
 * and secret in the body (amoCRM developers, "Авторизация OAuth 2.0"; the amocrm/oauth2-amocrm client).
 */
export class AmoCrmOAuth2Api implements ICredentialType {
	name = 'amoCrmOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'amoCRM / Kommo OAuth2 API';

	icon = 'file:../nodes/CrmDealsImport/crmDealsImport.svg' as const;

	documentationUrl = 'https://www.amocrm.ru/developers/content/oauth/step-by-step';

	properties: INodeProperties[] = [
		{
			displayName: 'Account URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://yourcompany.amocrm.ru',
		},
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'string',
			default: 'https://www.amocrm.ru/oauth',
			required: true,
			hint: 'Kommo: https://www.kommo.com/oauth',
		},
		{ displayName: 'Access Token URL', name: 'accessTokenUrl', type: 'hidden', default: '={{$self["baseUrl"].replace(/\\/+$/, "")}}/oauth2/access_token' },
		{ displayName: 'Scope', name: 'scope', type: 'hidden', default: '' },
		{ displayName: 'Auth URI Query Parameters', name: 'authQueryParameters', type: 'hidden', default: '' },
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'body' },
	];

	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.baseUrl}}', url: '/api/v4/account', method: 'GET' },
	};
}
