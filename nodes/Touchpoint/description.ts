import type { INodeProperties } from 'n8n-workflow';
import { phoneCountriesOption, timeZoneOption } from '../shared/commonOptions';
import { SOURCE_TITLES, type SourceName } from './sourceNames';
import type { NumberRule } from '../shared/validation';
import { DEFAULT_REPEAT_WINDOW_HOURS, DEFAULT_SHORT_CALL_SEC } from './context';

export { DEFAULT_REPEAT_WINDOW_HOURS, DEFAULT_SHORT_CALL_SEC };

/** The number options, checked when the node runs (minValue holds only for values typed in, not for expressions). */
export const REPEAT_WINDOW_HOURS: NumberRule = { name: 'Repeat Call Window (Hours)', min: 0, max: 8760 };
export const SHORT_CALL_SEC: NumberRule = { name: 'Short Call Under (Seconds)', min: 0, max: 3600 };

export const touchpointProperties: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Recognise Automatically', value: 'auto', description: 'Tell the sender by the payload: one webhook can take calls, chats and forms' },
			...(Object.keys(SOURCE_TITLES) as SourceName[]).map((value) => ({ name: SOURCE_TITLES[value], value })),
		],
		default: 'auto',
		hint: "Each touch's touchId is the sender's own event id (binotel:4417346570), else a hash of what the event says (form:#…), never of when it arrived: a payload delivered twice is one touch. An event without a time of its own is dated by its arrival; sent again with the same content, even on another day, it is the same touch.",
	},
	{
		displayName: 'Read Payload From',
		name: 'payloadFrom',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Item (Webhook Body or JSON)', value: 'json', description: "The item as a Webhook node gives it (its body is used), or any JSON" },
			{ name: 'Binary File (e.g. Master.csv)', value: 'binary', description: 'A file read by Read/Write Files from Disk or downloaded by HTTP Request' },
		],
		default: 'json',
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		displayOptions: { show: { payloadFrom: ['binary'] } },
		hint: 'The binary field that holds the text, such as an Asterisk Master.csv read by Read/Write Files from Disk',
	},
	{
		displayName: 'Tracking Numbers',
		name: 'trackingNumbers',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Tracking Number',
		default: {},
		description: 'The phone number shown for each ad channel (number rotation): a call to it gets that channel when the call itself carries no utm tags',
		options: [
			{
				displayName: 'Number',
				name: 'number',
				values: [
					{ displayName: 'Phone Number', name: 'number', type: 'string', default: '', placeholder: '+7 495 123-45-67' },
					{ displayName: 'Source', name: 'source', type: 'string', default: '', placeholder: 'yandex' },
					{ displayName: 'Medium', name: 'medium', type: 'string', default: '', placeholder: 'cpc' },
					{ displayName: 'Campaign', name: 'campaign', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'City Code',
				name: 'cityCode',
				type: 'string',
				default: '',
				placeholder: '495',
				description:
					'The area code of local city numbers (6–7 digits) a PBX trunk writes without it, e.g. 495 (Moscow), 812 (St Petersburg), or with the country code for a country other than the first Phone Country, e.g. +38044 (Kyiv): such a caller or DID in an Asterisk CDR is read with it as a full number. Empty: such numbers stay unmatched, with a warning.',
			},
			{
				displayName: 'Form Kind',
				name: 'formKind',
				type: 'options',
				options: [
					{ name: 'Form', value: 'form' },
					{ name: 'Cart', value: 'cart' },
				],
				default: 'form',
				description: 'What a site submission is when it does not say "type": cart or form',
			},
			{
				displayName: 'Include Raw Payload',
				name: 'includeRaw',
				type: 'boolean',
				default: false,
				description: 'Whether to keep each event as received in the raw field',
			},
			phoneCountriesOption,
			{
				displayName: 'Repeat Call Window (Hours)',
				name: 'repeatWindowHours',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 8760 },
				default: DEFAULT_REPEAT_WINDOW_HOURS,
				description: 'A call from a number that called less than this long before (in the same run) is a repeat',
			},
			{
				displayName: 'Short Call Under (Seconds)',
				name: 'shortCallSec',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 3600 },
				default: DEFAULT_SHORT_CALL_SEC,
				description: 'An answered call shorter than this is "short"',
			},
			timeZoneOption('Times written without an offset (Asterisk, Zadarma, Ringostat, UIS, Callibri) are read in this zone; each such touch names the zone in its warnings.'),
			{
				displayName: 'Tracking Numbers (JSON)',
				name: 'trackingNumbersJson',
				type: 'json',
				default: '[]',
				description:
					'More tracking numbers as an array of {number, source, medium, campaign}, e.g. from a Data Table or a sheet read by an earlier node',
			},
		],
	},
];
