import type { Utm } from '../shared/contracts';
import type { FieldRule } from '../shared/validation';

/**
 * The lead item that the Lead Queue logic reads and writes. It lives here, not in the shared contracts, because only
 * the lead queue uses it. Times are ISO 8601 with an offset, weights are kilograms, phones are E.164.
 */
export type LeadForm = 'full' | 'callback';

export const LEAD_FORMS: LeadForm[] = ['full', 'callback'];

export type LeadState = 'waiting' | 'assigned' | 'closed' | 'rejected';

export const LEAD_STATES: LeadState[] = ['waiting', 'assigned', 'closed', 'rejected'];

export interface Lead {
	leadId: string;
	/** ISO 8601 with an offset. */
	createdAt: string;
	/** "callback" is the short form: a name and a phone, nothing about the cargo. */
	form: LeadForm;
	/** Where from and where to, as the client wrote it: a city, "city, country", a country. */
	from: string | null;
	to: string | null;
	weightKg: number | null;
	volumeM3: number | null;
	name: string | null;
	phones: string[];
	channel: Utm | null;
	state: LeadState;
	assignedTo: string | null;
	assignedAt: string | null;
	/** 1..n among the waiting leads of one ranking; null when not ranked. */
	rank: number | null;
	/** The tier's name, or its number in the rule set when it has no name; null when no tier matched. */
	tier: string | number | null;
	/** Why the lead is where it is (ranking), or why it was rejected (qualification). */
	reason: string | null;
	closedReason: string | null;
	/** Set when the lead is closed by expiry. */
	closedAt?: string | null;
	/** Set by "take a lead": manager + execution, to check that this claim is the one the table kept. */
	claimToken?: string | null;
}

/** What the queue reads of a stored lead (see checkShape): its id and state, and the types of what ranking reads. */
export const LEAD_SHAPE: readonly FieldRule[] = [
	{ name: 'leadId', type: 'id', required: true },
	{ name: 'state', type: 'string', required: true, oneOf: LEAD_STATES },
	{ name: 'createdAt', type: 'string', nullable: true },
	{ name: 'form', type: 'string', nullable: true, oneOf: LEAD_FORMS },
	{ name: 'from', type: 'string', nullable: true },
	{ name: 'to', type: 'string', nullable: true },
	{ name: 'weightKg', type: 'number', nullable: true },
	{ name: 'volumeM3', type: 'number', nullable: true },
	{ name: 'phones', type: 'array', nullable: true },
	{ name: 'channel', type: 'object', nullable: true },
];

/** A waiting lead with every queue field empty: the starting point of qualification and of tests. */
export function newLead(fields: Partial<Lead> & Pick<Lead, 'leadId' | 'createdAt'>): Lead {
	return {
		form: 'full',
		from: null,
		to: null,
		weightKg: null,
		volumeM3: null,
		name: null,
		phones: [],
		channel: null,
		state: 'waiting',
		assignedTo: null,
		assignedAt: null,
		rank: null,
		tier: null,
		reason: null,
		closedReason: null,
		...fields,
	};
}
