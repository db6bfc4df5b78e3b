import type { ICredentialDataDecryptedObject, ICredentialTestRequest, ICredentialType, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

/**
 * Access to a CRM's XML export by URL: none, HTTP Basic (1C-Bitrix's 1c_exchange.php), a bearer token,
 * a custom header, or a token in the query string (many in-house CRMs).
 */
export class CrmFeedApi implements ICredentialType {
	name = 'crmFeedApi';

	displayName = 'CRM XML Feed API';

	icon = 'file:../nodes/CrmXmlImport/crmXmlImport.svg' as const;

	documentationUrl = 'https://github.com/sales-analytics/n8n-nodes-sales-analytics#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authType',
			type: 'options',
			options: [
				{ name: 'None', value: 'none' },
				{ name: 'Basic Auth', value: 'basic' },
				{ name: 'Bearer Token', value: 'bearer' },
				{ name: 'Custom Header', value: 'header' },
				{ name: 'Query Token', value: 'query' },
			],
			default: 'basic',
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			displayOptions: { show: { authType: ['basic'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authType: ['basic'] } },
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authType: ['bearer', 'header', 'query'] } },
		},
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: 'X-Api-Key',
			displayOptions: { show: { authType: ['header'] } },
		},
		{
			displayName: 'Query Parameter Name',
			name: 'queryName',
			type: 'string',
			default: 'token',
			displayOptions: { show: { authType: ['query'] } },
		},
		{
			displayName: 'Test URL',
			name: 'testUrl',
			type: 'string',
			default: '',
			placeholder: 'https://shop.example.com/bitrix/admin/1c_exchange.php?type=sale&mode=checkauth',
			description: 'A URL of the CRM that answers 200 when these credentials are right; used by the credential test',
		},
	];

	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const token = String(credentials.token ?? '');
		switch (credentials.authType) {
			case 'basic':
				return { ...requestOptions, auth: { username: String(credentials.user ?? ''), password: String(credentials.password ?? '') } };
			case 'bearer':
				return { ...requestOptions, headers: { ...requestOptions.headers, Authorization: `Bearer ${token}` } };
			case 'header':
				return { ...requestOptions, headers: { ...requestOptions.headers, [String(credentials.headerName)]: token } };
			case 'query':
				return { ...requestOptions, qs: { ...requestOptions.qs, [String(credentials.queryName)]: token } };
			default:
				return requestOptions;
		}
	}

	test: ICredentialTestRequest = {
		request: {
			url: '={{$credentials.testUrl}}',
			method: 'GET',
		},
	};
}
