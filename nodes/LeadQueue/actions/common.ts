import type { CountryCode } from 'libphonenumber-js/min';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { phoneCountriesOption, timeZoneOption } from '../../shared/commonOptions';
import { InputDataError } from '../../shared/errors';
import { problemItems } from '../../shared/itemErrors';
import { jsonParameter } from '../../shared/jsonArray';
import { parseCountries, readTimeZone } from '../../shared/nodeParameters';
import type { ItemProblem } from '../../shared/validation';
import type { PlaceLists } from '../conditions';
import { EASTERN_LIST, EXAMPLE_EASTERN_CITIES, inZone, LOGISTICS_RULE_SETS } from '../presets';
import type { RuleSet } from '../rankRules';

// The parameters several operations show, each beside the code that reads it, and what every operation uses.

/** displayOptions that show a parameter for these operations. */
export const show = (...operation: string[]) => ({ show: { operation } });

const RANKING_OPERATIONS = ['rank', 'takeNext'];

/** Rules, Rule Sets (JSON) and Place Lists (JSON): shown for Rank and Take Next. */
export const rankingDescription: INodeProperties[] = [
	{
		displayName: 'Rules',
		name: 'rules',
		type: 'options',
		options: [
			{ name: 'Logistics Preset (Day 09–18 / Night 18–09)', value: 'logistics' },
			{ name: 'Custom Rule Sets (JSON)', value: 'custom' },
		],
		default: 'logistics',
		displayOptions: show(...RANKING_OPERATIONS),
	},
	{
		displayName: 'Rule Sets (JSON)',
		name: 'ruleSets',
		type: 'json',
		default: '[]',
		displayOptions: { show: { operation: RANKING_OPERATIONS, rules: ['custom'] } },
		description: 'An array of {name, schedule: {days, from, to, zone}, tiers: [{name, when, sort}]}; the first set whose schedule covers now is used',
	},
	{
		displayName: 'Place Lists (JSON)',
		name: 'placeLists',
		type: 'json',
		default: JSON.stringify({ [EASTERN_LIST]: EXAMPLE_EASTERN_CITIES }),
		displayOptions: show(...RANKING_OPERATIONS),
		description: 'City lists the rules refer to by name (the preset uses "eastern"): data you edit, e.g. an expression over a Data Table or a sheet',
	},
];

export interface Ranking {
	ruleSets: RuleSet[];
	lists: PlaceLists;
}

/** The rule sets and lists: the preset moved to the office's zone, or the user's JSON. */
export function readRanking(ctx: IExecuteFunctions, zone: string): Ranking {
	const ruleSets =
		ctx.getNodeParameter('rules', 0) === 'logistics'
			? inZone(LOGISTICS_RULE_SETS, zone)
			: (jsonParameter(ctx.getNodeParameter('ruleSets', 0, '[]'), 'Rule Sets (JSON)', 'Check the JSON.') as RuleSet[]);
	if (!Array.isArray(ruleSets) || ruleSets.length === 0) throw new InputDataError('Rule Sets (JSON) has no rule set', 'Give an array with at least one rule set, or use the preset.');
	const lists = jsonParameter(ctx.getNodeParameter('placeLists', 0), 'Place Lists (JSON)', 'Check the JSON.', {});
	if (lists === null || typeof lists !== 'object' || Array.isArray(lists)) throw new InputDataError('Place Lists (JSON) is not an object of lists', 'Give {"eastern": ["Омск", "Новосибирск", ...]}.');
	return { ruleSets, lists: lists as PlaceLists };
}

/** Manager ID: shown for Take Next and Confirm Claim. */
export const managerIdDescription: INodeProperties[] = [
	{
		displayName: 'Manager ID',
		name: 'managerId',
		type: 'string',
		default: '',
		placeholder: "={{ $('Take a Lead').item.json.body.managerId }}",
		displayOptions: show('takeNext', 'confirmClaim'),
		description: 'Who pressed "take a lead"',
	},
];

export function readManagerId(ctx: IExecuteFunctions): unknown {
	return ctx.getNodeParameter('managerId', 0);
}

/** The Options collection, shown for every operation. */
export const optionsDescription: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Now',
				name: 'now',
				type: 'string',
				default: '',
				description: 'The moment the rules and ages are judged at (ISO 8601). Empty: the time of the run.',
			},
			phoneCountriesOption,
			timeZoneOption("The office's clock for the day and night rules and for times written without an offset."),
		],
	},
];

export interface QueueOptions {
	/** The office's zone. */
	zone: string;
	/** The moment the rules and ages are judged at. */
	now: Date;
	phoneCountries: CountryCode[];
}

export function readOptions(ctx: IExecuteFunctions): QueueOptions {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	return {
		zone: readTimeZone(ctx, options.timeZone),
		now: options.now ? new Date(String(options.now)) : new Date(),
		phoneCountries: parseCountries(options.phoneCountries),
	};
}

/** An operation: what it does with the node's input items, one array per output. */
export type Execute = (this: IExecuteFunctions, items: INodeExecutionData[], options: QueueOptions) => Promise<INodeExecutionData[][]>;

/** Every input item, for an answer that comes from all of them (a claim, the next lead). */
export function allItems(items: INodeExecutionData[]): Array<{ item: number }> {
	return items.map((_, item) => ({ item }));
}

/**
 * Results, each paired to its item, and the error items of the problems (see problemItems: without Continue On
 * Fail the first problem stops the run), in input order; an item's results come before its error.
 */
export function inInputOrder(ctx: IExecuteFunctions, results: Array<{ json: IDataObject; item: number }>, problems: readonly ItemProblem[]): INodeExecutionData[] {
	const errors = problemItems(ctx, problems);
	return [
		...results.map(({ json, item }) => ({ item, data: { json, pairedItem: { item } } })),
		...errors.map((data, index) => ({ item: problems[index].itemIndex, data })),
	]
		.sort((a, b) => a.item - b.item)
		.map(({ data }) => data);
}
