import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

const SCOPES = ['https://www.googleapis.com/auth/adwords'];

/**
 * Google Ads through n8n's Google OAuth2 (sign in with a Google account that has access to the Ads account), with the
 * developer token of a manager account's API Center, sent by the node as the `developer-token` header.
 */
export class GoogleAdsOAuth2Api implements ICredentialType {
	/** Not n8n's own "googleAdsOAuth2Api": credential types are not namespaced by package, the same name would clash. */
	name = 'salesAnalyticsGoogleAdsOAuth2Api';

	extends = ['googleOAuth2Api'];

	displayName = 'Sales Analytics Google Ads OAuth2 API';

	icon = 'file:../nodes/AdSpend/adSpend.svg' as const;

	documentationUrl = 'https://developers.google.com/google-ads/api/docs/get-started/dev-token';

	properties: INodeProperties[] = [
		{
			displayName: 'Developer Token',
			name: 'developerToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: SCOPES.join(' '),
		},
		{
			displayName: 'API URL',
			name: 'apiUrl',
			type: 'string',
			default: 'https://googleads.googleapis.com',
			description: 'Leave as it is unless requests go through a proxy',
		},
	];

	/** The customers this Google account can reach: needs the token and an approved developer token. */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.apiUrl}}',
			url: '/v25/customers:listAccessibleCustomers',
			method: 'GET',
			headers: { 'developer-token': '={{$credentials.developerToken}}' },
		},
	};
}
