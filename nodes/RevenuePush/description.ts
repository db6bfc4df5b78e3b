import type { INodeProperties } from 'n8n-workflow';
import { timeZoneOption } from '../shared/commonOptions';

const only = (...destination: string[]) => ({ show: { destination } });

export const revenuePushProperties: INodeProperties[] = [
	{
		displayName: 'Destination',
		name: 'destination',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'amoCRM / Kommo', value: 'amocrm', description: 'Lead price and source fields, 7 requests/s at most' },
			{ name: 'Bitrix24', value: 'bitrix24', description: 'Deal OPPORTUNITY and UTM fields in batches, 2 requests/s' },
			{ name: 'Google Analytics 4', value: 'ga4', description: 'Purchase and refund events through the Measurement Protocol' },
			{ name: 'Webhook', value: 'webhook', description: 'POST each deal (or a batch) as JSON, signed' },
		],
		default: 'ga4',
	},
	{
		displayName: 'Push',
		name: 'mode',
		type: 'options',
		options: [
			{ name: 'Won Revenue', value: 'won', description: 'Deals in the won stage' },
			{ name: 'Refunds', value: 'refund', description: 'Deals cancelled after they were won: the revenue taken back' },
		],
		default: 'won',
	},
	{
		displayName: 'Each revenue version (destination, deal, total, currency) is sent once, across runs: a deal whose total changes is sent again.',
		name: 'onceNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'CRM Record ID From',
		name: 'crmIdFrom',
		type: 'options',
		options: [
			{ name: 'Order ID', value: 'orderId' },
			{ name: 'Order Number', value: 'number' },
			{ name: 'A Field of the Raw Record', value: 'raw' },
		],
		default: 'orderId',
		displayOptions: only('amocrm', 'bitrix24'),
		description: 'Where the lead (amoCRM) or deal (Bitrix24) ID is on the order',
	},
	{
		displayName: 'Raw Field Path',
		name: 'crmIdPath',
		type: 'string',
		default: '',
		placeholder: 'crmLeadId',
		displayOptions: { show: { destination: ['amocrm', 'bitrix24'], crmIdFrom: ['raw'] } },
	},
	{
		displayName: 'Won Status ID',
		name: 'wonStatusId',
		type: 'number',
		default: 0,
		displayOptions: only('amocrm'),
		description: 'Move the lead to this status when its revenue is pushed (142 is "won" in amoCRM); 0 leaves the status',
	},
	{
		displayName: 'Write UTM Fields',
		name: 'writeUtm',
		type: 'boolean',
		default: true,
		displayOptions: only('bitrix24'),
		description: "Whether to copy the order's utm tags into the deal's UTM fields",
	},
	{
		displayName: 'Send',
		name: 'webhookMode',
		type: 'options',
		options: [
			{ name: 'One Request per Deal', value: 'perDeal' },
			{ name: 'Deals in Batches', value: 'batch' },
		],
		default: 'perDeal',
		displayOptions: only('webhook'),
	},
	{
		displayName: 'Validate Only',
		name: 'validateOnly',
		type: 'boolean',
		default: false,
		displayOptions: only('ga4'),
		description: "Whether to send to GA's validation endpoint (/debug/mp/collect) and report its messages instead of recording sales",
	},
	{
		displayName: 'Deals Without a GA Client ID',
		name: 'missingClientId',
		type: 'options',
		options: [
			{ name: 'Report, Do Not Send', value: 'report' },
			{ name: 'Send With the Order ID as Client ID', value: 'orderIdAsClientId', description: 'Revenue totals match; the sale lands on no channel' },
		],
		default: 'report',
		displayOptions: only('ga4'),
	},
	{
		displayName: 'Sales Older Than 72 Hours',
		name: 'oldEvents',
		type: 'options',
		options: [
			{ name: 'Send Dated 72 Hours Back', value: 'clamp' },
			{ name: 'Skip and Report', value: 'skip' },
		],
		default: 'clamp',
		displayOptions: only('ga4'),
		description: 'GA accepts events at most 72 hours in the past',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ displayName: 'Default Currency', name: 'defaultCurrency', type: 'string', default: 'RUB', description: 'For orders that name none' },
			{ displayName: 'Give Up After (Seconds)', name: 'maxTotalSec', type: 'number', default: 120, description: 'How long one request is retried on 429, 5xx and timeouts' },
			{ displayName: 'Max Attempts', name: 'maxAttempts', type: 'number', default: 6 },
			timeZoneOption('For order times written without an offset.'),
		],
	},
];
