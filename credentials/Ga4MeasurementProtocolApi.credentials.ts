import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/** A GA4 web data stream's Measurement Protocol access: the measurement id and an API secret of that stream. */
export class Ga4MeasurementProtocolApi implements ICredentialType {
	name = 'ga4MeasurementProtocolApi';

	displayName = 'GA4 Measurement Protocol API';

	icon = 'file:../nodes/RevenuePush/revenuePush.svg' as const;

	documentationUrl = 'https://developers.google.com/analytics/devguides/collection/protocol/ga4';

	properties: INodeProperties[] = [
		{
			displayName: 'Measurement ID',
			name: 'measurementId',
			type: 'string',
			default: '',
			placeholder: 'G-XXXXXXXXXX',
			hint: 'Admin → Data streams → your web stream. A UA- id is refused: Universal Analytics stopped processing data in 2023.',
		},
		{
			displayName: 'API Secret',
			name: 'apiSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			hint: 'Admin → Data streams → your stream → Measurement Protocol API secrets → Create',
		},
		{
			displayName: 'Collection Endpoint',
			name: 'endpoint',
			type: 'string',
			default: 'https://www.google-analytics.com',
			description: 'https://region1.google-analytics.com to have the data collected in the EU',
		},
	];

	/** The Measurement Protocol takes the secret in the query string; n8n adds it to every request of the node. */
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { qs: { api_secret: '={{$credentials.apiSecret}}' } },
	};

	/**
	 * One event sent to GA's validation server (which records nothing), signed by `authenticate` like the node's
	 * requests: it proves the collection endpoint answers. It cannot prove the secret: Google's validation server does
	 * not check api_secret.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.endpoint}}',
			url: '/debug/mp/collect',
			method: 'POST',
			qs: { measurement_id: '={{$credentials.measurementId}}' },
			body: { client_id: 'credential.test', events: [{ name: 'credential_test', params: {} }] },
		},
	};
}
