import type { IDataObject, INodeCredentialDescription, INodeProperties } from 'n8n-workflow';
import { timeZoneOption } from '../shared/commonOptions';
import { DESTINATIONS, destinationProperties } from './destinations';

const options: INodeProperties = {
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
		{ displayName: 'Timeout (Seconds)', name: 'timeoutSec', type: 'number', default: 30, typeOptions: { minValue: 1 }, description: 'How long one attempt waits for the service to answer before it counts as failed (and is retried)' },
	],
};

/** The Options collection's defaults as the description writes them (n8n stores no option left unset): the code reads these. */
export const OPTION_DEFAULTS: IDataObject = Object.fromEntries((options.options as INodeProperties[]).map((option) => [option.name, option.default]));

/** Each destination's credential, shown for it only. */
export const revenuePushCredentials: INodeCredentialDescription[] = Object.entries(DESTINATIONS).map(([destination, { credential }]) => ({
	name: credential,
	required: true,
	displayOptions: { show: { destination: [destination] } },
}));

/** The parameters every destination shares around the destinations' own (destinations/*.ts), in the editor's order. */
export const revenuePushProperties: INodeProperties[] = [
	{
		displayName: 'Destination',
		name: 'destination',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'amoCRM / Kommo', value: 'amocrm', description: 'Lead price and source fields, 7 requests/s at most' },
			{ name: 'Bitrix24', value: 'bitrix24', description: 'Deal OPPORTUNITY and UTM fields in batches, 2 requests/s' },
			{ name: 'Google Ads', value: 'googleAds', description: 'Offline click conversions by gclid / gbraid / wbraid; refunds and changed totals as adjustments' },
			{ name: 'Google Analytics 4', value: 'ga4', description: 'Purchase and refund events through the Measurement Protocol' },
			{ name: 'Webhook', value: 'webhook', description: 'POST each deal (or a batch) as JSON, signed' },
			{ name: 'Yandex Metrica', value: 'metrica', description: 'Offline conversions by ClientId or yclid, CRM orders by phone or e-mail' },
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
	...destinationProperties,
	options,
];
