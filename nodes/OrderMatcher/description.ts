import type { INodeProperties } from 'n8n-workflow';
import { phoneCountriesOption, timeZoneOption } from '../shared/commonOptions';
import type { NumberRule } from '../shared/validation';
import { DEFAULT_GRACE_HOURS, DEFAULT_LOOKBACK_DAYS, DEFAULT_MAX_VALUES_PER_KIND } from './matchOrders';

/** Ten years: a longer window would join touches to orders of another decade. */
export const LOOKBACK_DAYS: NumberRule = { name: 'Lookback Window (Days)', min: 0, max: 3650 };
/** A month: a touch later than that after an order is about something else. */
export const GRACE_HOURS: NumberRule = { name: 'Grace After Order (Hours)', min: 0, max: 720 };
export const MAX_VALUES_PER_KIND: NumberRule = { name: 'Max Values per Person', min: 1, max: 1000, integer: true };

export const orderMatcherProperties: INodeProperties[] = [
	{
		displayName:
			'Connect touches (from Touchpoint or a Data Table of touches) to the first input and orders (from CRM XML Import or CRM Status Map) to the second.',
		name: 'inputsNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Lookback Window (Days)',
		name: 'lookbackDays',
		type: 'number',
		typeOptions: { minValue: LOOKBACK_DAYS.min, maxValue: LOOKBACK_DAYS.max },
		default: DEFAULT_LOOKBACK_DAYS,
		description: 'How long before an order a touch still counts for it',
	},
	{
		displayName: 'Grace After Order (Hours)',
		name: 'graceHours',
		type: 'number',
		typeOptions: { minValue: GRACE_HOURS.min, maxValue: GRACE_HOURS.max },
		default: DEFAULT_GRACE_HOURS,
		description: 'How long after an order a touch still counts for it: the call that confirms a cart order',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Blocked Values',
				name: 'blockedValues',
				type: 'string',
				default: '',
				placeholder: 'no@mail.ru, +70000000000',
				description: 'Placeholder phones, e-mails or client IDs that must never join two people, separated by commas',
			},
			{
				displayName: 'Max Values per Person',
				name: 'maxValuesPerKind',
				type: 'number',
				typeOptions: { minValue: MAX_VALUES_PER_KIND.min, maxValue: MAX_VALUES_PER_KIND.max, numberPrecision: 0 },
				default: DEFAULT_MAX_VALUES_PER_KIND,
				description:
					'A phone, e-mail or client ID seen with more than this many different values of another kind (an office phone with many e-mails) is treated as shared and not used to join people',
			},
			phoneCountriesOption,
			timeZoneOption('Times written without an offset are read in this zone.'),
		],
	},
];
