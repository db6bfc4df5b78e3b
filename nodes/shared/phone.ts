import { Metadata, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

export interface PhoneParse {
	/** Valid numbers in E.164. */
	phones: string[];
	/** Parts that are not phone numbers, as written. */
	rejected: string[];
}

/** Separators between several numbers in one field; an extension ("доб. 123", "ext 5") is dropped. */
const SPLIT = /[,;/\n]|\s(?:или|or)\s/i;
/** Digits and the usual punctuation only: one number, no extension, no separator (the common case, kept cheap). */
const ONE_PLAIN_NUMBER = /^[\d\s()+.-]+$/;
const EXTENSION = /\s*(?:доб\.?|добавочный|вн\.?|ext\.?|extension|x|#)\s*\d{1,6}\s*$/i;

/**
 * Normalises whatever a CRM or a form holds in a phone field into E.164 numbers, trying the default country first
 * and then the fallbacks (RU then UA is the market's usual order).
 */
export function parsePhones(value: string | null | undefined, countries: CountryCode[] = ['RU', 'UA']): PhoneParse {
	const result: PhoneParse = { phones: [], rejected: [] };
	if (!value) return result;
	if (ONE_PLAIN_NUMBER.test(value)) {
		const phone = parsePhone(value, countries);
		if (phone === null) result.rejected.push(value.trim());
		else result.phones.push(phone);
		return result;
	}
	for (const part of value.split(SPLIT)) {
		const written = part.trim();
		if (written.length === 0) continue;
		const phone = parsePhone(written, countries);
		if (phone === null) result.rejected.push(written);
		else if (!result.phones.includes(phone)) result.phones.push(phone);
	}
	return result;
}

export function parsePhone(written: string, countries: CountryCode[], quick = true): string | null {
	const text = (ONE_PLAIN_NUMBER.test(written) ? written : written.replace(EXTENSION, '')).trim();
	const digits = text.replace(/\D/g, '');
	if (digits.length < 7 || digits.length > 15) return null;
	const common = quick ? quickParse(digits, text.startsWith('+'), countries) : null;
	if (common !== null) return common;
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

interface CountryPlan {
	callingCode: string;
	/** The trunk prefix ("8" in Russia, "0" in Ukraine) when it is a plain digit string. */
	nationalPrefix: string | null;
	national: RegExp;
}

const plans = new Map<CountryCode, CountryPlan>();

/** What libphonenumber-js's metadata holds for a country (its typings leave these accessors out). */
interface MetadataPlan {
	callingCode(): string;
	nationalPrefixForParsing(): string | undefined;
	nationalNumberPattern(): string;
}

function planOf(country: CountryCode): CountryPlan {
	let plan = plans.get(country);
	if (!plan) {
		const metadata = new Metadata();
		metadata.selectNumberingPlan(country);
		const numbering = metadata.numberingPlan as unknown as MetadataPlan | undefined;
		const prefix = numbering?.nationalPrefixForParsing() ?? '';
		plan = {
			callingCode: numbering?.callingCode() ?? '',
			nationalPrefix: /^\d+$/.test(prefix) ? prefix : null,
			national: new RegExp(`^(?:${numbering?.nationalNumberPattern() ?? '(?!)'})$`),
		};
		plans.set(country, plan);
	}
	return plan;
}

/**
 * The common written forms (trunk prefix + national number, country code without "+", bare national number,
 * "+" and country code) checked against the country's numbering pattern directly: the same answer the full parser
 * gives with the same metadata, at a fraction of its cost, which matters for a million touches. Anything else
 * (international prefixes, other countries) returns null and goes to the full parser.
 */
function quickParse(digits: string, international: boolean, countries: CountryCode[]): string | null {
	if (!international && (digits.startsWith('00') || digits.startsWith('810'))) return null;
	for (const country of countries) {
		const plan = planOf(country);
		if (international) {
			if (digits.startsWith(plan.callingCode) && plan.national.test(digits.slice(plan.callingCode.length))) return `+${digits}`;
			continue;
		}
		if (plan.nationalPrefix !== null && digits.startsWith(plan.nationalPrefix) && plan.national.test(digits.slice(plan.nationalPrefix.length))) {
			return `+${plan.callingCode}${digits.slice(plan.nationalPrefix.length)}`;
		}
		if (digits.startsWith(plan.callingCode) && plan.national.test(digits.slice(plan.callingCode.length))) return `+${digits}`;
		if (plan.national.test(digits)) return `+${plan.callingCode}${digits}`;
	}
	return null;
}
