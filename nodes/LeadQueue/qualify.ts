import type { CountryCode } from 'libphonenumber-js/min';

import { emptyUtm, type Utm } from '../shared/contracts';
import { InputDataError } from '../shared/errors';
import { parsePhones } from '../shared/phone';
import { parseDateTime } from '../shared/time';
import { checkZone, instantMs, isoInZone, type Instant } from './clock';
import { newLead, type Lead, type LeadForm } from './lead';
import { parseVolumeM3, parseWeightKg } from './quantity';
import { findPlace, type PlaceList } from './textMatch';

/** Lead fields that qualification can require. */
export type RequiredField = 'phones' | 'from' | 'to' | 'name' | 'weightKg' | 'volumeM3' | 'channel';

export const REQUIRED_FIELDS: RequiredField[] = ['phones', 'from', 'to', 'name', 'weightKg', 'volumeM3', 'channel'];

const FIELD_LABELS: Record<RequiredField, string> = {
	phones: 'phone',
	from: 'origin (from)',
	to: 'destination (to)',
	name: 'name',
	weightKg: 'weight',
	volumeM3: 'volume',
	channel: 'channel',
};

export interface QualifyRules {
	/** Lighter leads are rejected (the minimum itself passes); null for no minimum. */
	minWeightKg: number | null;
	/** Cities and countries the company does not serve, matched against both ends. */
	blacklist?: PlaceList | null;
	/** What a full-form lead must have; ['phones', 'from', 'to'] when not given. Callback leads need a name or a phone. */
	requiredFields?: RequiredField[];
	/** Where a createdAt without an offset was written. */
	zone: string;
	/** Phone countries to try, in order; RU then UA when not given. */
	countries?: CountryCode[];
	/** Used as createdAt when the raw lead has none (the moment the workflow received it); without it that is a reason to reject. */
	receivedAt?: Instant;
}

export type QualifyResult = { accepted: Lead } | { rejected: Lead; reasons: string[] };

export const DEFAULT_REQUIRED_FIELDS: RequiredField[] = ['phones', 'from', 'to'];

/** Throws InputDataError for rules that cannot work (they are configuration, not data). */
export function checkQualifyRules(rules: QualifyRules): void {
	checkZone(rules.zone);
	if (rules.minWeightKg !== null && !(Number.isFinite(rules.minWeightKg) && rules.minWeightKg >= 0)) {
		throw new InputDataError(`The minimum weight "${String(rules.minWeightKg)}" is not a number of kilograms`, 'Use a number such as 100, or leave it empty for no minimum.');
	}
	for (const field of rules.requiredFields ?? []) {
		if (!REQUIRED_FIELDS.includes(field)) {
			throw new InputDataError(`"${String(field)}" is not a lead field that can be required`, `Use some of: ${REQUIRED_FIELDS.join(', ')}.`);
		}
	}
}

/**
 * Normalises a raw lead (a form submission, a CRM row) and decides whether it goes into the queue. Every reason is
 * collected, not only the first, so the client can see all that is wrong with a lead at once. A rejected lead keeps
 * what could be read, with state "rejected" and the reasons joined in `reason`.
 */
export function qualifyLead(raw: Record<string, unknown>, rules: QualifyRules): QualifyResult {
	checkQualifyRules(rules);
	const reasons: string[] = [];

	const leadId = textOf(raw.leadId ?? raw.id);
	if (leadId === null) reasons.push('it has no lead id');

	const createdAt = readCreatedAt(raw.createdAt, rules, reasons);

	const phones: string[] = [];
	const badPhones: string[] = [];
	for (const written of listOf(raw.phones ?? raw.phone)) {
		const parsed = parsePhones(written, rules.countries);
		for (const phone of parsed.phones) if (!phones.includes(phone)) phones.push(phone);
		badPhones.push(...parsed.rejected);
	}

	const weight = parseWeightKg(raw.weightKg ?? raw.weight);
	const volume = parseVolumeM3(raw.volumeM3 ?? raw.volume);
	const weightKg = 'value' in weight ? weight.value : null;
	const volumeM3 = 'value' in volume ? volume.value : null;
	const lead = newLead({
		leadId: leadId ?? '',
		createdAt: createdAt ?? '',
		from: textOf(raw.from),
		to: textOf(raw.to),
		weightKg,
		volumeM3,
		name: textOf(raw.name),
		phones,
		channel: readChannel(raw),
	});
	lead.form = formOf(raw.form, lead);

	if (lead.form === 'callback') {
		if (lead.name === null && phones.length === 0) reasons.push(badPhones.length > 0 ? `a callback lead needs a name or a phone, and ${phoneReason(badPhones)}` : 'a callback lead needs a name or a phone');
	} else {
		for (const field of rules.requiredFields ?? DEFAULT_REQUIRED_FIELDS) {
			if (!isMissing(lead, field)) continue;
			if (field === 'phones' && badPhones.length > 0) reasons.push(phoneReason(badPhones));
			else if (field === 'weightKg' && 'invalid' in weight) continue;
			else if (field === 'volumeM3' && 'invalid' in volume) reasons.push(`volume «${volume.invalid}» is not a volume`);
			else reasons.push(`${FIELD_LABELS[field]} is missing`);
		}
	}

	if ('invalid' in weight) reasons.push(`weight «${weight.invalid}» is not a weight`);
	else if (rules.minWeightKg !== null) {
		if (weightKg !== null && weightKg < rules.minWeightKg) reasons.push(`weight ${weightKg} kg is under the minimum of ${rules.minWeightKg} kg`);
		// A callback lead says nothing about the cargo, so it is not judged by weight until the manager calls.
		else if (weightKg === null && lead.form === 'full' && !(rules.requiredFields ?? DEFAULT_REQUIRED_FIELDS).includes('weightKg')) {
			reasons.push(`weight is missing (the minimum is ${rules.minWeightKg} kg)`);
		}
	}

	if (rules.blacklist) {
		for (const [label, text] of [['origin', lead.from], ['destination', lead.to]] as const) {
			const entry = findPlace(text, rules.blacklist);
			if (entry !== null) reasons.push(`${label} «${text}» is on the blacklist («${entry}»)`);
		}
	}

	if (reasons.length === 0) return { accepted: lead };
	return { rejected: { ...lead, state: 'rejected', reason: reasons.join('; ') }, reasons };
}

/**
 * An explicit "full" or "callback" wins; anything else is inferred: a lead with a phone and no route and no weight is
 * the short callback form, every other lead is a full form.
 */
function formOf(raw: unknown, lead: Lead): LeadForm {
	const written = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
	if (written === 'full' || written === 'callback') return written;
	return lead.phones.length > 0 && lead.from === null && lead.to === null && lead.weightKg === null ? 'callback' : 'full';
}

function readCreatedAt(raw: unknown, rules: QualifyRules, reasons: string[]): string | null {
	if (raw instanceof Date) {
		if (!Number.isNaN(raw.getTime())) return isoInZone(raw.getTime(), rules.zone);
		reasons.push('created at is not a valid date');
		return null;
	}
	const written = typeof raw === 'number' ? String(Math.trunc(raw)) : textOf(raw);
	if (written === null) {
		if (rules.receivedAt !== undefined) return isoInZone(instantMs(rules.receivedAt, rules.zone), rules.zone);
		reasons.push('created at is missing');
		return null;
	}
	const parsed = parseDateTime(written, rules.zone);
	if (parsed === null) reasons.push(`created at «${written}» is not a date`);
	return parsed;
}

function isMissing(lead: Lead, field: RequiredField): boolean {
	if (field === 'phones') return lead.phones.length === 0;
	return lead[field] === null;
}

function phoneReason(bad: string[]): string {
	return bad.length === 1 ? `phone «${bad[0]}» is not a phone number` : `phones ${bad.map((b) => `«${b}»`).join(', ')} are not phone numbers`;
}

/** Trimmed text, or null for nothing / empty text; numbers become text (ids, house numbers). */
function textOf(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') return null;
	const text = value.trim();
	return text.length === 0 ? null : text;
}

function listOf(value: unknown): string[] {
	const values = Array.isArray(value) ? value : [value];
	const out: string[] = [];
	for (const item of values) {
		const text = textOf(item);
		if (text !== null) out.push(text);
	}
	return out;
}

const UTM_KEYS: Array<keyof Utm> = ['source', 'medium', 'campaign', 'content', 'term'];

/** A `channel` object ({ source, ... } or { utm_source, ... }) or flat utm_* fields; null when none is set. */
function readChannel(raw: Record<string, unknown>): Utm | null {
	const nested = raw.channel !== null && typeof raw.channel === 'object' ? (raw.channel as Record<string, unknown>) : null;
	const utm = emptyUtm();
	let any = false;
	for (const key of UTM_KEYS) {
		const value = textOf(nested?.[key] ?? nested?.[`utm_${key}`] ?? raw[`utm_${key}`]);
		utm[key] = value;
		if (value !== null) any = true;
	}
	return any ? utm : null;
}
