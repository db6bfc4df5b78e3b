import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';
import type { CountryCode } from 'libphonenumber-js/min';
import { DEFAULT_PHONE_COUNTRIES } from './phone';
import { isValidZone } from './time';

/** The time zone a node reads naive times in: its own setting, else the workflow's (Settings → Timezone). */
export function readTimeZone(ctx: IExecuteFunctions, value: unknown, itemIndex = 0): string {
	const timeZone = String(value || ctx.getTimezone());
	if (!isValidZone(timeZone)) {
		throw new NodeOperationError(ctx.getNode(), `"${timeZone}" is not a time zone`, { itemIndex, description: 'Use an IANA name such as Europe/Moscow or Europe/Kyiv.' });
	}
	return timeZone;
}

/** "RU, UA" → ['RU', 'UA']: the default country for phones written without a country code, then the fallbacks. */
export function parseCountries(value: unknown): CountryCode[] {
	if (value === undefined || value === null) return [...DEFAULT_PHONE_COUNTRIES];
	return String(value)
		.split(/[,\s]+/)
		.filter((code) => code.length > 0)
		.map((code) => code.toUpperCase() as CountryCode);
}

/** A list typed into one parameter (separated by commas, semicolons or lines), or given by an expression as an array. */
export function parseList(value: unknown): string[] {
	if (Array.isArray(value)) return value.map(String).map((entry) => entry.trim()).filter((entry) => entry !== '');
	return String(value ?? '')
		.split(/[,;\n]/)
		.map((entry) => entry.trim())
		.filter((entry) => entry.length > 0);
}
