import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/** Where Revenue Push posts deals as JSON, and the secret it signs them with (HMAC-SHA256). */
export class RevenueWebhookApi implements ICredentialType {
	name = 'revenueWebhookApi';

	displayName = 'Revenue Webhook API';

	icon = 'file:../nodes/RevenuePush/revenuePush.svg' as const;

	documentationUrl = 'https://github.com/sales-analytics/n8n-nodes-sales-analytics/blob/main/docs/nodes/revenue-push.md#webhook';

	properties: INodeProperties[] = [
		{ displayName: 'URL', name: 'url', type: 'string', default: '', placeholder: 'https://example.com/hooks/revenue' },
		{
			displayName: 'Signing Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'When set, each body is signed in the X-Signature-256 header (sha256=<hex HMAC>)',
		},
	];

	test: ICredentialTestRequest = {
		request: { url: '={{$credentials.url}}', method: 'POST', body: { test: true } },
	};
}
