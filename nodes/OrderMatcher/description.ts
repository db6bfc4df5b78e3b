import type { INodeProperties } from 'n8n-workflow';
import { phoneCountriesOption, timeZoneOption } from '../shared/commonOptions';

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
		typeOptions: { minValue: 0 },
		default: 30,
		description: 'How long before an order a touch still counts for it',
	},
	{
		displayName: 'Grace After Order (Hours)',
		name: 'graceHours',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 2,
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
				typeOptions: { minValue: 1 },
				default: 5,
				description:
					'A phone, e-mail or client ID seen with more than this many different values of another kind (an office phone with many e-mails) is treated as shared and not used to join people',
			},
			phoneCountriesOption,
			timeZoneOption('Times written without an offset are read in this zone.'),
		],
	},
];
