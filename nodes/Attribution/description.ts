import type { INodeProperties } from 'n8n-workflow';
import { timeZoneOption } from '../shared/commonOptions';
import { STAGES } from '../shared/contracts';
import { ATTRIBUTION_MODELS } from './attribute';
import { DEFAULT_DIRECT_SOURCES } from './channels';
import { DEFAULT_HALF_LIFE_DAYS } from './heuristicModels';
import { DEFAULT_POSITION_WEIGHTS, HALF_LIFE_DAYS } from './settings';
import { MODEL_TITLES } from './sourceReport';

/** The Ad Spend (JSON) option of the nodes that report CPO and ROMI; `shape` names the fields of its rows. */
export function adSpendOption(shape: string): INodeProperties {
	return { displayName: 'Ad Spend (JSON)', name: 'adSpend', type: 'json', default: '[]', description: `Spend per channel and period for CPO and ROMI: an array of ${shape}` };
}

/** The Direct Sources option: which sources Last Non-Direct passes over. */
export const directSourcesOption: INodeProperties = {
	displayName: 'Direct Sources',
	name: 'directSources',
	type: 'string',
	default: DEFAULT_DIRECT_SOURCES.join(', '),
	description: 'Sources that count as direct or internal for Last Non-Direct, separated by commas; add your own domains',
};

export const attributionProperties: INodeProperties[] = [
	{
		displayName:
			'Connect the deals (Order Matcher, first output) to the first input, and optionally the touches without an order (Order Matcher, third output) to the second: Markov needs them, and conversion counts them.',
		name: 'inputsNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Models',
		name: 'models',
		type: 'multiOptions',
		options: ATTRIBUTION_MODELS.map((model) => ({ name: MODEL_TITLES[model], value: model })),
		default: ['lastNonDirect', 'linear', 'positionBased', 'markov'],
		description: 'Each model gives its own credits and its own rows in the report',
	},
	{
		displayName: 'Stages to Attribute',
		name: 'stages',
		type: 'multiOptions',
		options: STAGES.map((stage) => ({ name: stage.replace('_', ' '), value: stage })),
		default: ['won'],
		description: 'Deals in other stages are left out. A deal without a stage (no CRM Status Map before) is attributed.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			adSpendOption('{source, medium, periodStart, periodEnd, spend, currency}, e.g. from a sheet read by an earlier node'),
			{
				displayName: 'Call Statistics',
				name: 'callStats',
				type: 'boolean',
				default: true,
				description: 'Whether to add lost calls by hour of day and call outcomes by channel to the report',
			},
			directSourcesOption,
			{
				displayName: 'Position-Based Weights',
				name: 'positionWeights',
				type: 'string',
				default: DEFAULT_POSITION_WEIGHTS,
				description: 'Parts of the first, the middle and the last touches',
			},
			{
				displayName: 'Time Decay Half-Life (Days)',
				name: 'halfLifeDays',
				type: 'number',
				typeOptions: { minValue: HALF_LIFE_DAYS.min, maxValue: HALF_LIFE_DAYS.max },
				default: DEFAULT_HALF_LIFE_DAYS,
				description: 'A touch this many days before the order weighs half as much as one at the order',
			},
			timeZoneOption('The clock lost calls are counted by.'),
		],
	},
];
