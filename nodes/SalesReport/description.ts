import type { INodeProperties } from 'n8n-workflow';
import { adSpendOption, directSourcesOption } from '../Attribution/description';
import { HEURISTIC_MODELS } from '../Attribution/heuristicModels';
import { MODEL_TITLES } from '../Attribution/sourceReport';
import { timeZoneOption } from '../shared/commonOptions';
import type { NumberRule } from '../shared/validation';
import { PERIOD_KINDS, type PeriodKind } from './period';
import { UTM_LEVELS } from './reportModel';

export const VERSIONS = [1];

/* The defaults, one constant each: n8n saves only parameters that differ from them. */
export const DEFAULT_OPERATION = 'dashboard';
export const DEFAULT_MODEL = 'lastNonDirect';
export const DEFAULT_PERIOD: PeriodKind = 'lastWeek';
export const DEFAULT_GROUP_BY = ['source', 'medium', 'campaign'];
export const DEFAULT_LAPSED_AFTER_DAYS = 180;
export const DEFAULT_TITLE = 'Sales report';
export const DEFAULT_FILE_NAME = 'sales-report.html';
export const DEFAULT_CALLBACK_MINUTES = 30;

export const LAPSED_AFTER_DAYS: NumberRule = { name: 'Lapsed After (Days)', min: 1, max: 3650, integer: true };
export const CALLBACK_MINUTES: NumberRule = { name: 'Call-Back Window (Minutes)', min: 0, max: 10080 };

const PERIOD_TITLES: Record<PeriodKind, string> = {
	lastWeek: 'Last Week (Monday to Sunday)',
	lastMonth: 'Last Month',
	last7Days: 'Last 7 Days',
	last30Days: 'Last 30 Days',
	custom: 'Custom',
};

const LEVEL_TITLES = { source: 'Source', medium: 'Medium', campaign: 'Campaign', content: 'Content', term: 'Term' };

export const salesReportProperties: INodeProperties[] = [
	{
		displayName:
			"Connect all stored deals (Order Matcher's first output, or the order sync's Data Table deals) to the first input, and optionally the orders without a touch (Order Matcher's second output) to the second: they are the orders without a source.",
		name: 'inputsNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Build Dashboard Page', value: 'dashboard', action: 'Build a dashboard page', description: 'One self-contained HTML page: revenue and ROMI by channel and campaign, phone vs online, new vs returning customers' },
			{ name: 'Call Report', value: 'calls', action: 'Report on calls', description: 'Calls by category per channel from the call trackers\' tags, and missed calls by operator and hour with whether each was called back' },
			{ name: 'Campaign Breakdown', value: 'campaigns', action: 'Break revenue down by campaign', description: 'Rows per channel and campaign with phone vs online, orders without a source, and the change against the previous period' },
			{ name: 'Customer Segments', value: 'customers', action: 'Segment customers', description: 'New, returning, reactivated and lapsed customers per channel, repeat sales, first-order channel against repeat-order channel' },
		],
		default: DEFAULT_OPERATION,
	},
	{
		displayName: 'Attribution Model',
		name: 'model',
		type: 'options',
		options: HEURISTIC_MODELS.map((model) => ({ name: MODEL_TITLES[model], value: model })),
		default: DEFAULT_MODEL,
		displayOptions: { hide: { operation: ['calls'] } },
		description: 'Which touch gets the credit for an order. Markov and Shapley need touches without orders: use the Attribution node for them.',
	},
	{
		displayName: 'Period',
		name: 'period',
		type: 'options',
		options: PERIOD_KINDS.map((kind) => ({ name: PERIOD_TITLES[kind], value: kind })),
		default: DEFAULT_PERIOD,
		description: "Orders by their creation date on the report's clock; the previous period of the same length is the comparison",
	},
	{
		displayName: 'Period Start',
		name: 'periodStart',
		type: 'string',
		default: '',
		placeholder: '2026-11-01',
		displayOptions: { show: { period: ['custom'] } },
		description: 'The first day, YYYY-MM-DD',
	},
	{
		displayName: 'Period End',
		name: 'periodEnd',
		type: 'string',
		default: '',
		placeholder: '2026-11-30',
		displayOptions: { show: { period: ['custom'] } },
		description: 'The last day (included), YYYY-MM-DD',
	},
	{
		displayName: 'Group By',
		name: 'groupBy',
		type: 'multiOptions',
		options: UTM_LEVELS.map((level) => ({ name: LEVEL_TITLES[level], value: level })),
		default: [...DEFAULT_GROUP_BY],
		displayOptions: { show: { operation: ['dashboard', 'campaigns'] } },
		description: 'The utm levels of the campaign table, from the coarsest; channels are always source / medium',
	},
	{
		displayName: 'Call-Back Window (Minutes)',
		name: 'callbackMinutes',
		type: 'number',
		typeOptions: { minValue: CALLBACK_MINUTES.min, maxValue: CALLBACK_MINUTES.max },
		default: DEFAULT_CALLBACK_MINUTES,
		displayOptions: { show: { operation: ['calls'] } },
		description: 'A missed call counts as called back when the same phone had an answered call at most this many minutes later',
	},
	{
		displayName: 'Tag Categories (JSON)',
		name: 'tagCategories',
		type: 'json',
		default: '[]',
		displayOptions: { show: { operation: ['calls'] } },
		description: 'Your call trackers\' tags and what they mean, before the built-in table: an array of {tag, category}, category one of order, consultation, out of stock, wrong number, non-target, broken call, lost call',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			adSpendOption('{source, medium, campaign, periodStart, periodEnd, spend, currency}; a row without a campaign counts for its channel'),
			directSourcesOption,
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: DEFAULT_FILE_NAME,
				description: 'The name of the HTML file in the binary property "data" (Build Dashboard Page)',
			},
			{
				displayName: 'Lapsed After (Days)',
				name: 'lapsedAfterDays',
				type: 'number',
				typeOptions: { minValue: LAPSED_AFTER_DAYS.min, maxValue: LAPSED_AFTER_DAYS.max },
				default: DEFAULT_LAPSED_AFTER_DAYS,
				description: 'A customer whose last order is older than this is lapsed; one who comes back after it, reactivated',
			},
			{
				displayName: 'Title',
				name: 'title',
				type: 'string',
				default: DEFAULT_TITLE,
				description: 'The heading of the dashboard page',
			},
			timeZoneOption('The clock the period and order dates are read on.'),
		],
	},
];
