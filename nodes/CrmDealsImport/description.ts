import type { IDataObject, IDisplayOptions, INodeCredentialDescription, INodeProperties } from 'n8n-workflow';
import { phoneCountriesOption, timeZoneOption } from '../shared/commonOptions';

export const VERSIONS = [1];

const options: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Default Currency',
			name: 'defaultCurrency',
			type: 'string',
			default: '',
			placeholder: 'RUB',
			description: 'ISO 4217 code for deals that name no currency (amoCRM: when the account names none)',
		},
		{ displayName: 'Give Up After (Seconds)', name: 'maxTotalSec', type: 'number', default: 120, typeOptions: { minValue: 1 }, description: 'How long one request is retried on 429, 5xx (Bitrix24: QUERY_LIMIT_EXCEEDED) and timeouts' },
		{
			displayName: 'Include Raw Record',
			name: 'includeRaw',
			type: 'boolean',
			default: false,
			description: 'Whether to add what the CRM sent for each deal and its contacts as "raw" (for fields the import does not map, such as roistat or the deal title)',
		},
		{ displayName: 'Max Attempts', name: 'maxAttempts', type: 'number', default: 6, typeOptions: { minValue: 1 } },
		phoneCountriesOption,
		timeZoneOption('Zone of the orders\' times (amoCRM sends unix time; Bitrix24 times keep their own offset).'),
		{ displayName: 'Timeout (Seconds)', name: 'timeoutSec', type: 'number', default: 30, typeOptions: { minValue: 1 }, description: 'How long one request waits for the CRM to answer before it counts as failed (and is retried)' },
	],
};

/** The Options collection's defaults as the description writes them (n8n stores no option left unset). */
export const OPTION_DEFAULTS: IDataObject = Object.fromEntries((options.options as INodeProperties[]).map((option) => [option.name, option.default]));

export const crmDealsImportCredentials: INodeCredentialDescription[] = [
	{ name: 'amoCrmApi', required: true, displayOptions: { show: { crm: ['amocrm'], authentication: ['amoCrmApi'] } } },
	{ name: 'amoCrmOAuth2Api', required: true, displayOptions: { show: { crm: ['amocrm'], authentication: ['amoCrmOAuth2Api'] } } },
	{ name: 'bitrix24WebhookApi', required: true, displayOptions: { show: { crm: ['bitrix24'] } } },
];

/** amoCRM's two ways in (the long-lived token's credential or OAuth2's), shown where `show` says: this node's and Lead Queue's CRM operations. */
export function amoAuthentication(show: IDisplayOptions['show']): INodeProperties {
	return {
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Long-Lived Token', value: 'amoCrmApi' },
			{ name: 'OAuth2', value: 'amoCrmOAuth2Api', description: 'The token is refreshed by n8n' },
		],
		default: 'amoCrmApi',
		displayOptions: { show },
	};
}

export const crmDealsImportProperties: INodeProperties[] = [
	{
		displayName: 'CRM',
		name: 'crm',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'amoCRM / Kommo', value: 'amocrm', description: 'Leads with their contacts, pipelines\' status names, UTM and client-ID tracking fields; 7 requests/s' },
			{ name: 'Bitrix24', value: 'bitrix24', description: 'Deals with their main contact, stage names and semantics, UTM fields; batches, 2 requests/s' },
		],
		default: 'amocrm',
	},
	amoAuthentication({ crm: ['amocrm'] }),
	{
		displayName: 'Emit',
		name: 'emit',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'All Deals', value: 'all', description: 'Every deal the credential may read' },
			{
				name: 'Changed Since Last Run',
				value: 'changed',
				description: 'Only deals new or changed since the last successful run, each with a "change" field (old status and total); the CRM is asked only for deals changed since then. Remembered only for production runs (schedule, webhook, CLI), not for manual test runs.',
			},
		],
		default: 'all',
	},
	options,
];
