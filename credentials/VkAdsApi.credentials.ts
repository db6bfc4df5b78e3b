import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * A VK Ads (ads.vk.com) API access token, sent as `Authorization: Bearer` (https://ads.vk.com/doc/api/info/Overview:
 * OAuth2). An agency reads a client's cabinet with a token issued for that client.
 */
export class VkAdsApi implements ICredentialType {
	name = 'vkAdsApi';

	displayName = 'VK Ads API';

	icon = 'file:../nodes/AdSpend/adSpend.svg' as const;

	documentationUrl = 'https://ads.vk.com/help/articles/help_api';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'API URL',
			name: 'apiUrl',
			type: 'string',
			default: '',
			placeholder: 'https://ads.vk.com',
			description: 'Leave empty unless requests go through a proxy: https://ads.vk.com is used',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.token}}' } },
	};

	/** The token's own user (GET /api/v3/user.json): a wrong or expired token is answered 401. */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.apiUrl || "https://ads.vk.com"}}',
			url: '/api/v3/user.json',
			method: 'GET',
		},
	};
}
