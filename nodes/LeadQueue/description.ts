import type { INodeProperties } from 'n8n-workflow';
import { phoneCountriesOption, timeZoneOption } from '../shared/commonOptions';
import type { NumberRule } from '../shared/validation';
import { DEFAULT_CLOSED_REASON } from './expire';
import { EASTERN_LIST, EXAMPLE_EASTERN_CITIES } from './presets';
import { REQUIRED_FIELDS } from './qualify';

/** A thousand tonnes: more than any lead a road or rail carrier quotes. Empty: no minimum. */
export const MIN_WEIGHT_KG: NumberRule = { name: 'Minimum Weight (Kg)', min: 0, max: 1_000_000, optional: true };
export const EXPIRE_UNDER_KG: NumberRule = { name: 'Close Leads Under (Kg)', min: 0, max: 1_000_000 };
/** A year: a lead that may wait longer is never stale. */
export const EXPIRE_AFTER_HOURS: NumberRule = { name: 'After (Hours)', min: 0, max: 8760 };

const show = (...operation: string[]) => ({ show: { operation } });

const rankingProperties = (operations: string[]): INodeProperties[] => [
	{
		displayName: 'Rules',
		name: 'rules',
		type: 'options',
		options: [
			{ name: 'Logistics Preset (Day 09–18 / Night 18–09)', value: 'logistics' },
			{ name: 'Custom Rule Sets (JSON)', value: 'custom' },
		],
		default: 'logistics',
		displayOptions: show(...operations),
	},
	{
		displayName: 'Rule Sets (JSON)',
		name: 'ruleSets',
		type: 'json',
		default: '[]',
		displayOptions: { show: { operation: operations, rules: ['custom'] } },
		description: 'An array of {name, schedule: {days, from, to, zone}, tiers: [{name, when, sort}]}; the first set whose schedule covers now is used',
	},
	{
		displayName: 'Place Lists (JSON)',
		name: 'placeLists',
		type: 'json',
		default: JSON.stringify({ [EASTERN_LIST]: EXAMPLE_EASTERN_CITIES }),
		displayOptions: show(...operations),
		description: 'City lists the rules refer to by name (the preset uses "eastern"): data you edit, e.g. an expression over a Data Table or a sheet',
	},
];

export const leadQueueProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Confirm Claim',
				value: 'confirmClaim',
				action: 'Confirm a claimed lead',
				description: "After the conditional update that claims the lead: Won if the row carries this execution's claim, else Lost (claim the next one)",
			},
			{ name: 'Expire', value: 'expire', action: 'Close stale leads', description: 'Close waiting leads that waited too long' },
			{ name: 'Qualify', value: 'qualify', action: 'Qualify new leads', description: 'Accept or reject new leads by weight, blacklist and required fields' },
			{ name: 'Rank', value: 'rank', action: 'Rank waiting leads', description: 'Order waiting leads by the rules in force now' },
			{ name: 'Take Next', value: 'takeNext', action: 'Take the best waiting lead', description: 'Choose the best waiting lead for the manager who asks, with a claim token' },
		],
		default: 'qualify',
	},
	{
		displayName: 'Minimum Weight (Kg)',
		name: 'minWeightKg',
		type: 'number',
		default: 100,
		displayOptions: show('qualify'),
		description: 'Lighter leads are rejected; callback-form leads without a weight pass',
	},
	{
		displayName: 'Blacklist',
		name: 'blacklist',
		type: 'string',
		default: '',
		placeholder: 'Калининград, Беларусь',
		displayOptions: show('qualify'),
		description: 'Cities and countries not served, matched against both ends (case, ё/е, hyphens ignored); a list separated by commas, or an expression over a sheet',
	},
	{
		displayName: 'Required Fields',
		name: 'requiredFields',
		type: 'multiOptions',
		options: REQUIRED_FIELDS.map((field) => ({ name: field, value: field })),
		default: ['phones', 'from', 'to'],
		displayOptions: show('qualify'),
	},
	...rankingProperties(['rank', 'takeNext']),
	{
		displayName: 'Manager ID',
		name: 'managerId',
		type: 'string',
		default: '',
		placeholder: "={{ $('Take a Lead').item.json.body.managerId }}",
		displayOptions: show('takeNext', 'confirmClaim'),
		description: 'Who pressed "take a lead"',
	},
	{
		displayName: 'Managers',
		name: 'managers',
		type: 'string',
		default: '',
		placeholder: 'anna@shop.ru, boris@shop.ru',
		displayOptions: show('takeNext'),
		description: 'Managers who may take leads, separated by commas (or an expression returning a list)',
	},
	{
		displayName: 'Close Leads Under (Kg)',
		name: 'expireUnderKg',
		type: 'number',
		default: 200,
		displayOptions: show('expire'),
		description: 'Waiting leads lighter than this are closed when they wait too long; 0 closes any weight',
	},
	{
		displayName: 'After (Hours)',
		name: 'expireAfterHours',
		type: 'number',
		default: 48,
		displayOptions: show('expire'),
	},
	{
		displayName: 'Closed Reason',
		name: 'closedReason',
		type: 'string',
		default: DEFAULT_CLOSED_REASON,
		displayOptions: show('expire'),
	},
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
