import type { ExpireCondition } from './expire';
import type { QualifyRules } from './qualify';
import type { RuleSet } from './rankRules';

/**
 * The logistics company's rules from the brief, as a starting point. Place lists are data the client keeps (a Data
 * Table, a Google Sheet) and passes in by name: the preset refers to the list "eastern" but does not contain it.
 */
export const EASTERN_LIST = 'eastern';

/**
 * Example data for the "eastern" list (the client's rule: cities east of GMT+5), for the docs and tests. Nothing
 * uses it unless it is passed in as the list.
 */
export const EXAMPLE_EASTERN_CITIES: readonly string[] = [
	'Омск',
	'Новосибирск',
	'Томск',
	'Красноярск',
	'Иркутск',
	'Кемерово',
	'Новокузнецк',
	'Барнаул',
	'Абакан',
	'Улан-Удэ',
	'Чита',
	'Хабаровск',
	'Владивосток',
	'Якутск',
	'Благовещенск',
	'Магадан',
	'Южно-Сахалинск',
	'Петропавловск-Камчатский',
	'Норильск',
];

const ZONE = 'Europe/Moscow';
const ONE_TO_TWENTY_T = { min: 1000, max: 20000 };
const OVER_300_KG = { over: 300 };

/** Office hours: heavy loads (1–20 t) first, eastern routes before the rest; then call-backs; then the rest. */
export const DAY_RULES: RuleSet = {
	name: 'Day rules',
	schedule: { days: [1, 2, 3, 4, 5, 6, 7], from: '09:00', to: '18:00', zone: ZONE },
	tiers: [
		{ when: { route: { match: 'both', list: EASTERN_LIST }, weightKg: ONE_TO_TWENTY_T }, sort: 'heaviest' },
		{ when: { weightKg: ONE_TO_TWENTY_T }, sort: 'heaviest' },
		{ when: { form: 'callback' }, sort: 'oldest' },
		{ sort: 'oldest' },
	],
};

/**
 * Evening and night (18:00–09:00 Moscow is working hours further east): call-backs first, then loads over 300 kg
 * by how many ends are eastern, then the light rest (100–300 kg).
 */
export const NIGHT_RULES: RuleSet = {
	name: 'Night rules',
	schedule: { days: [1, 2, 3, 4, 5, 6, 7], from: '18:00', to: '09:00', zone: ZONE },
	tiers: [
		{ when: { form: 'callback' }, sort: 'oldest' },
		{ when: { route: { match: 'both', list: EASTERN_LIST }, weightKg: OVER_300_KG }, sort: 'heaviest' },
		{ when: { route: { match: 'either', list: EASTERN_LIST }, weightKg: OVER_300_KG }, sort: 'heaviest' },
		{ when: { route: { match: 'neither', list: EASTERN_LIST }, weightKg: OVER_300_KG }, sort: 'heaviest' },
		{ when: { weightKg: { min: 100, max: 300 } }, sort: 'oldest' },
	],
};

export const LOGISTICS_RULE_SETS: RuleSet[] = [DAY_RULES, NIGHT_RULES];

/** Qualification: 100 kg or more; a full form needs a phone and both ends. The blacklist is client data, passed in. */
export const LOGISTICS_QUALIFY_RULES: QualifyRules = {
	minWeightKg: 100,
	requiredFields: ['phones', 'from', 'to'],
	zone: ZONE,
};

/** Small loads nobody took within two days are closed. */
export const LOGISTICS_EXPIRY: ExpireCondition[] = [{ when: { weightKg: { under: 200 } }, afterHours: 48 }];

/** The same rule sets in another office's time zone. */
export function inZone(sets: RuleSet[], zone: string): RuleSet[] {
	return sets.map((set) => ({ ...set, schedule: { ...set.schedule, zone } }));
}
