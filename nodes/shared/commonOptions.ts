import type { INodeProperties } from 'n8n-workflow';

/** The "Time Zone" option several nodes share; `use` says what the zone is for in that node. */
export function timeZoneOption(use: string): INodeProperties {
	return { displayName: 'Time Zone', name: 'timeZone', type: 'string', default: '', placeholder: 'Europe/Moscow', description: `${use} Empty: the workflow's time zone` };
}

/** The "Phone Countries" option: how numbers written without a country code are read. */
export const phoneCountriesOption: INodeProperties = {
	displayName: 'Phone Countries',
	name: 'phoneCountries',
	type: 'string',
	default: 'RU,UA',
	description: 'For phones written without a country code: the default country first, then the fallbacks (ISO codes)',
};
