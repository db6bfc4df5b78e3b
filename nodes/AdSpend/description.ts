import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';
import { timeZoneOption } from '../shared/commonOptions';
import * as googleAds from './actions/googleAds.platform';
import * as table from './actions/table.platform';
import * as yandexDirect from './actions/yandexDirect.platform';
import { DEFAULT_DATE_RANGE, DEFAULT_LAST_DAYS, DEFAULT_TIMEOUT_SEC, LAST_DAYS, TIMEOUT } from './actions/common';

export const VERSIONS = [1];

export const DEFAULT_PLATFORM = 'yandexDirect';


export const adSpendCredentials: INodeCredentialDescription[] = [
	{ name: 'yandexDirectApi', required: true, displayOptions: { show: { platform: ['yandexDirect'] } } },
	{ name: 'salesAnalyticsGoogleAdsOAuth2Api', required: true, displayOptions: { show: { platform: ['googleAds'] } } },
	{ name: 'vkAdsApi', required: true, displayOptions: { show: { platform: ['vkAds'] } } },
];

/**
 * The date range of the platforms that are asked (a table brings its own dates). Made once for Direct and Google Ads,
 * as v1 was released, and once more for VK Ads: the same names and defaults, shown for it alone, so the parameters
 * recorded for v1 (test/fixtures/parameterDefaults.json) keep their show conditions.
 */
function dateRangeProperties(platforms: string[]): INodeProperties[] {
	return [
		{
			displayName: 'Date Range',
			name: 'dateRange',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Yesterday', value: 'yesterday' },
				{ name: 'Last N Days', value: 'lastDays', description: 'Ending yesterday' },
				{ name: 'Custom', value: 'custom', description: 'From a start date to an end date, both included (a backfill)' },
			],
			default: DEFAULT_DATE_RANGE,
			displayOptions: { show: { platform: platforms } },
			hint: "Days as the ad account counts them, in its own time zone (Direct and Google Ads report in the account's zone; VK Ads' documentation does not say): set Options → Time Zone to it when it is not the workflow's",
		},
		{
			displayName: 'Last N Days',
			name: 'lastDays',
			type: 'number',
			typeOptions: { minValue: LAST_DAYS.min, maxValue: LAST_DAYS.max },
			default: DEFAULT_LAST_DAYS,
			displayOptions: { show: { platform: platforms, dateRange: ['lastDays'] } },
		},
		{
			displayName: 'Start Date',
			name: 'startDate',
			type: 'string',
			default: '',
			placeholder: '2026-11-01',
			displayOptions: { show: { platform: platforms, dateRange: ['custom'] } },
			description: 'The first day, YYYY-MM-DD',
		},
		{
			displayName: 'End Date',
			name: 'endDate',
			type: 'string',
			default: '',
			placeholder: '2026-11-30',
			displayOptions: { show: { platform: platforms, dateRange: ['custom'] } },
			description: 'The last day (included), YYYY-MM-DD',
		},
	];
}

export const adSpendProperties: INodeProperties[] = [
	{
		displayName: 'Platform',
		name: 'platform',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Google Ads', value: 'googleAds', description: 'GAQL through googleAds:searchStream: cost, clicks and impressions per campaign and day' },
			{ name: 'Table', value: 'table', description: 'Rows from the input (a CSV, Google Sheets, a Data Table) with date, source, medium, campaign, cost, currency' },
			{ name: 'VK Ads', value: 'vkAds', description: 'VK Ads (ads.vk.com) API v2: day statistics per ad plan (campaign)' },
			{ name: 'Yandex Direct', value: 'yandexDirect', description: 'Reports API v5: a campaign performance report per day' },
		],
		default: DEFAULT_PLATFORM,
	},
	...dateRangeProperties(['yandexDirect', 'googleAds']),
	...dateRangeProperties(['vkAds']),
	...yandexDirect.description,
	...googleAds.description,
	...table.description,
	{
		displayName: 'Source',
		name: 'source',
		type: 'string',
		default: '',
		placeholder: 'yandex',
		description: "The utm_source the spend counts for. Empty: yandex for Yandex Direct, google for Google Ads, vk for VK Ads, the row's own column for a table.",
	},
	{
		displayName: 'Medium',
		name: 'medium',
		type: 'string',
		default: '',
		placeholder: 'cpc',
		description: "The utm_medium the spend counts for. Empty: cpc for Yandex Direct, Google Ads and VK Ads, the row's own column for a table.",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Google Ads API Version',
				name: 'googleAdsVersion',
				type: 'string',
				default: '',
				placeholder: 'v25',
				description: 'Empty: the version this pack was tested with (v25). Set a newer one when Google retires it.',
			},
			timeZoneOption("The clock \"yesterday\" is read on: the ad account's time zone."),
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeoutSec',
				type: 'number',
				typeOptions: { minValue: TIMEOUT.min, maxValue: TIMEOUT.max },
				default: DEFAULT_TIMEOUT_SEC,
				description: 'How long to wait for one answer of Direct, Google Ads or VK Ads. A request that times out is asked again only within a minute of its first try: with more than about 50 seconds, a hang fails the run (nothing is output; the next run reads the same days).',
			},
		],
	},
];
