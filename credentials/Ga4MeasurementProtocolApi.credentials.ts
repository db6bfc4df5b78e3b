import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

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

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.endpoint}}',
			url: '/debug/mp/collect',
			method: 'POST',
			qs: { measurement_id: '={{$credentials.measurementId}}', api_secret: '={{$credentials.apiSecret}}' },
			body: { client_id: 'credential.test', events: [{ name: 'credential_test', params: {} }] },
		},
	};
}
