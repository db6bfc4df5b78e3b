import type { INodeProperties } from 'n8n-workflow';
import { DEFAULT_PHONE_COUNTRIES } from './phone';

/** The "Time Zone" option several nodes share; `use` says what the zone is for in that node. */
export function timeZoneOption(use: string): INodeProperties {
	return { displayName: 'Time Zone', name: 'timeZone', type: 'string', default: '', placeholder: 'Europe/Moscow', description: `${use} Empty: the workflow's time zone` };
}

/** The "Phone Countries" option: how numbers written without a country code are read. */
export const phoneCountriesOption: INodeProperties = {
	displayName: 'Phone Countries',
	name: 'phoneCountries',
	type: 'string',
	default: DEFAULT_PHONE_COUNTRIES.join(','),
	description: 'For phones written without a country code: the default country first, then the fallbacks (ISO codes)',
};
