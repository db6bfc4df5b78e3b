import type { INodeProperties } from 'n8n-workflow';
import { phoneCountriesOption, timeZoneOption } from '../shared/commonOptions';
import type { NumberRule } from '../shared/validation';
import { DEFAULT_GRACE_HOURS, DEFAULT_LOOKBACK_DAYS, DEFAULT_MAX_VALUES_PER_KIND } from './matchOrders';
import { RATE_DAYS, SHARED_NAMES, SHARED_ORDERS, SHARED_TOUCH_DAYS } from './sharedValues';

/** Ten years: a longer window would join touches to orders of another decade. */
export const LOOKBACK_DAYS: NumberRule = { name: 'Lookback Window (Days)', min: 0, max: 3650 };
/** A month: a touch later than that after an order is about something else. */
export const GRACE_HOURS: NumberRule = { name: 'Grace After Order (Hours)', min: 0, max: 720 };
export const MAX_VALUES_PER_KIND: NumberRule = { name: 'Max Values per Person', min: 1, max: 1000, integer: true };

/** The node's versions: 1.1 detects shared values by default (issue 16); version 1 keeps doing without unless asked. */
export const VERSIONS = [1, 1.1];
export const DETECTION_DEFAULT_FROM = 1.1;

/** Whether a node of this type version detects shared values when its Detect Shared Values option is not set. */
export function detectsSharedByDefault(typeVersion: number): boolean {
	return typeVersion >= DETECTION_DEFAULT_FROM;
}

/** The option as version 1 shows it (off); version 1.1 shows it again, on (below): n8n's way of versioning a default. */
const detectSharedOption: INodeProperties = {
	displayName: 'Detect Shared Values',
	name: 'detectSharedValues',
	type: 'boolean',
	default: false,
	displayOptions: { show: { '@version': [{ _cnd: { lt: DETECTION_DEFAULT_FROM } }] } },
	description: `Whether to find from the data itself the phones, e-mails and client IDs that many people use (an office line, test@test.ru, a shop's office computer) and not join people through them: orders under ${SHARED_NAMES} or more different names, more than ${SHARED_ORDERS} orders within ${RATE_DAYS} days, or touches on more than ${SHARED_TOUCH_DAYS} days within ${RATE_DAYS} days. Each is listed with its evidence in the reasons and the deals' match.`,
};

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
			detectSharedOption,
			{ ...detectSharedOption, default: true, displayOptions: { show: { '@version': [{ _cnd: { gte: DETECTION_DEFAULT_FROM } }] } } },
			{
				displayName: 'Max Values per Person',
				name: 'maxValuesPerKind',
				type: 'number',
				typeOptions: { minValue: MAX_VALUES_PER_KIND.min, maxValue: MAX_VALUES_PER_KIND.max, numberPrecision: 0 },
				default: DEFAULT_MAX_VALUES_PER_KIND,
				description:
					'A phone, e-mail or client ID seen with more than this many different values of another kind (an office phone with many e-mails) is treated as shared and not used to join people',
			},
			{
				displayName: 'Trusted Values',
				name: 'trustedValues',
				type: 'string',
				default: '',
				placeholder: '+79161234567, buyer@company.ru',
				description:
					'Phones, e-mails or client IDs of real customers that are never treated as shared (neither detected nor over Max Values per Person), separated by commas: a wholesale buyer that orders for many people. A value also in Blocked Values stays blocked.',
			},
			{
				displayName: 'Touches as JSON Text In',
				name: 'touchJsonField',
				type: 'string',
				default: '',
				placeholder: 'touch',
				description:
					'The field of each touch item that holds the whole touch as JSON text, as the touch intake templates store it in the Data Table column "touch": the matcher reads the touch from it, so no node is needed to turn rows back into touches. Leave empty when touches come from Touchpoint.',
			},
			phoneCountriesOption,
			timeZoneOption('Times written without an offset are read in this zone.'),
		],
	},
];
