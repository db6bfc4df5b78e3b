import { quote } from '../../shared/validation';
import { text } from '../../CrmDealsImport/sources/common';
import type { Utm } from '../../shared/contracts';
import { LEAD_FORMS, newLead, type Lead, type LeadForm } from '../lead';

/**
 * The lead queue kept in a CRM (amocrm.ts, bitrix24.ts): the queue is a pipeline's status (amoCRM) or a deal
 * category's stage (Bitrix24); a lead taken moves to the working status with its manager as the responsible user;
 * an expired one goes to the lost status with the reason. The CRM has no compare-and-set, so who takes a lead is
 * settled on n8n's side (claims.ts) before the CRM is told.
 */

/** The queue fields a CRM keeps in fields of its own, by their ids there (amoCRM: numbers; Bitrix24: UF_CRM_… names). */
export const QUEUE_FIELDS = ['leadId', 'from', 'to', 'weightKg', 'volumeM3', 'form'] as const;

export type QueueField = (typeof QUEUE_FIELDS)[number];

export type QueueFieldIds = Partial<Record<QueueField, string>>;

/** A lead read from the CRM's queue: the Lead with its CRM id and the address of its card. */
export interface CrmLead extends Lead {
	crmLeadId: string;
	cardUrl: string;
}

export type LoadedLead = { lead: CrmLead } | { crmLeadId: string | null; problem: string };

/** What the node does with one CRM (amocrm.ts, bitrix24.ts); every call reads and writes through the CRM's reader. */
export interface QueueCrm {
	/** Creates the lead in the queue, or finds the one an earlier run created for the same lead id. */
	put(lead: Lead): Promise<{ crmLeadId: string; created: boolean }>;
	/** Every lead in the queue status, all pages, in the CRM's order. */
	load(): Promise<LoadedLead[]>;
	/** Sets the responsible user and the working status: the same call twice leaves the same lead. */
	assign(crmLeadId: string, userId: string): Promise<void>;
	/** Moves the lead to the lost status with the reason. */
	close(crmLeadId: string, reason: string): Promise<void>;
	cardUrl(crmLeadId: string): string;
}

/** What a lead's fields read as in the CRM, by queue field, and the lead's CRM facts. */
export interface CrmLeadFacts {
	crmLeadId: string;
	/** ISO 8601 with an offset. */
	createdAt: string;
	values: Partial<Record<QueueField, unknown>>;
	channel: Utm | null;
	cardUrl: string;
	/** "amo" or "b24": the lead id of a lead made by hand in the CRM (no lead id field) is "amo-<id>" / "b24-<id>". */
	prefix: string;
}

/**
 * The Lead a CRM lead stands for. A weight or volume that is not a number, or a form that is neither "full" nor
 * "callback", is the lead's problem (reported, not guessed); an empty one is null ("full" for the form).
 */
export function crmLead(facts: CrmLeadFacts): LoadedLead {
	const problems: string[] = [];
	const quantity = (field: 'weightKg' | 'volumeM3'): number | null => {
		const value = facts.values[field];
		const written = typeof value === 'number' ? String(value) : text(value);
		if (written === null) return null;
		// A CRM number field answers "2.5"; a text field may hold "2,5": a decimal comma is a decimal point.
		const number = /^\d{1,9}(?:[.,]\d{1,6})?$/.test(written) ? Number(written.replace(',', '.')) : NaN;
		if (Number.isNaN(number)) problems.push(`${field} ${quote(value)} is not a number`);
		return Number.isNaN(number) ? null : number;
	};
	const weightKg = quantity('weightKg');
	const volumeM3 = quantity('volumeM3');
	const formText = text(facts.values.form);
	if (formText !== null && !LEAD_FORMS.includes(formText as LeadForm)) problems.push(`form ${quote(formText)} is not one of ${LEAD_FORMS.join(', ')}`);
	if (problems.length > 0) return { crmLeadId: facts.crmLeadId, problem: `CRM lead ${facts.crmLeadId}: ${problems.join('; ')}` };
	const lead: CrmLead = {
		...newLead({ leadId: text(facts.values.leadId) ?? `${facts.prefix}-${facts.crmLeadId}`, createdAt: facts.createdAt }),
		form: (formText as LeadForm | null) ?? 'full',
		from: text(facts.values.from),
		to: text(facts.values.to),
		weightKg,
		volumeM3,
		channel: facts.channel,
		crmLeadId: facts.crmLeadId,
		cardUrl: facts.cardUrl,
	};
	return { lead };
}

/** The value a queue field is written with in the CRM: numbers as numbers, the rest as text; null for an empty one. */
export function fieldValue(lead: Lead, field: QueueField): string | number | null {
	const value = lead[field];
	if (value === null || value === undefined || value === '') return null;
	return typeof value === 'number' ? value : String(value);
}

/** The name a lead gets in the CRM: "L1: Москва → Омск, 2500 kg", or "L1: callback" for the short form. */
export function crmLeadName(lead: Lead): string {
	if (lead.form === 'callback') return `${lead.leadId}: callback${lead.name ? `, ${lead.name}` : ''}`;
	const weight = lead.weightKg === null ? '' : `, ${lead.weightKg} kg`;
	return `${lead.leadId}: ${lead.from ?? '?'} → ${lead.to ?? '?'}${weight}`;
}

/** The UTM tags of a lead, by their keys, only the ones it has. */
export function utmEntries(channel: Utm | null): Array<[keyof Utm, string]> {
	if (channel === null) return [];
	return (['source', 'medium', 'campaign', 'content', 'term'] as const).flatMap((key) => (channel[key] ? [[key, channel[key] as string] as [keyof Utm, string]] : []));
}
