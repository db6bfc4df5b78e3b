import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

export interface PhoneParse {
	/** Valid numbers in E.164. */
	phones: string[];
	/** Parts that are not phone numbers, as written. */
	rejected: string[];
}

/** Separators between several numbers in one field; an extension ("доб. 123", "ext 5") is dropped. */
const SPLIT = /[,;/\n]|\s(?:или|or)\s/i;
const EXTENSION = /\s*(?:доб\.?|добавочный|вн\.?|ext\.?|extension|x|#)\s*\d{1,6}\s*$/i;

/**
 * Normalises whatever a CRM or a form holds in a phone field into E.164 numbers, trying the default country first
 * and then the fallbacks (RU then UA is the market's usual order).
 */
export function parsePhones(value: string | null | undefined, countries: CountryCode[] = ['RU', 'UA']): PhoneParse {
	const result: PhoneParse = { phones: [], rejected: [] };
	if (!value) return result;
	for (const part of value.split(SPLIT)) {
		const written = part.trim();
		if (written.length === 0) continue;
		const phone = parsePhone(written, countries);
		if (phone === null) result.rejected.push(written);
		else if (!result.phones.includes(phone)) result.phones.push(phone);
	}
	return result;
}

export function parsePhone(written: string, countries: CountryCode[]): string | null {
	const text = written.replace(EXTENSION, '').trim();
	const digits = text.replace(/\D/g, '');
	if (digits.length < 7 || digits.length > 15) return null;
	// "810 ..." is the Russian international prefix, "00 ..." the European one.
	const candidates = digits.startsWith('810') && digits.length > 12 ? ['+' + digits.slice(3)] : digits.startsWith('00') ? ['+' + digits.slice(2)] : [];
	candidates.push(text);
	for (const candidate of candidates) {
		for (const country of countries) {
			const phone = parsePhoneNumberFromString(candidate, country);
			if (phone?.isValid()) return phone.number;
		}
	}
	return null;
}
