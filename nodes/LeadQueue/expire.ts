import { InputDataError } from '../shared/errors';
import { toEpochMs } from '../shared/time';
import { checkZone, instantMs, isoInZone, type Instant } from './clock';
import { compileConditions, ConditionContext, type Conditions, type PlaceLists } from './conditions';
import type { Lead } from './lead';

export const DEFAULT_CLOSED_REASON = 'closed, not realised';

export interface ExpireCondition {
	/** Which waiting leads it closes (the tier conditions: weight, route, form, fields); every waiting lead when empty. */
	when?: Conditions | null;
	/** How long since createdAt a lead may wait: 48 for two days. A lead exactly that old is expired. */
	afterHours: number;
	/** Written to closedReason; "closed, not realised" when not given. */
	closedReason?: string | null;
}

export interface ExpireOptions {
	/** Lists the conditions refer to by name. */
	lists?: PlaceLists;
	/** For closedAt's offset and for a createdAt or `now` written without one; UTC when not given. */
	zone?: string;
}

export interface ExpireResult {
	/** Copies with state "closed", closedReason, closedAt and a reason; in input order. */
	closed: Lead[];
	/** Everything else, the input leads themselves, in input order: waiting leads not old enough or matching no condition, and leads in other states. */
	kept: Lead[];
}

const HOUR_MS = 3_600_000;

/**
 * Closes waiting leads that match a condition and have waited at least its duration, measured from createdAt to
 * `now` as instants (so daylight-saving changes neither add nor remove an hour). The boundary is inclusive: with
 * 48 hours, a lead created exactly 48 h before `now` is closed, one created 1 ms later is kept. The first matching
 * condition gives the reason. A lead whose createdAt is not a time is kept: its age is unknown.
 */
export function expireLeads(leads: Lead[], conditions: ExpireCondition[], now: Instant, options: ExpireOptions = {}): ExpireResult {
	const zone = options.zone ?? 'UTC';
	checkZone(zone);
	const ms = instantMs(now, zone);
	const context = new ConditionContext(options.lists);
	const rules = conditions.map((condition, index) => {
		const where = `Expiry rule ${index + 1}`;
		if (typeof condition.afterHours !== 'number' || !Number.isFinite(condition.afterHours) || condition.afterHours < 0) {
			throw new InputDataError(`${where}: "${String(condition.afterHours)}" is not a number of hours`, 'Give the hours a lead may wait, e.g. 48 for two days.');
		}
		const compiled = compileConditions(condition.when, context, where);
		const closedReason = condition.closedReason?.trim() || DEFAULT_CLOSED_REASON;
		return { ...compiled, limitMs: condition.afterHours * HOUR_MS, hours: condition.afterHours, closedReason };
	});

	const closedAt = isoInZone(ms, zone);
	const closed: Lead[] = [];
	const kept: Lead[] = [];
	for (const lead of leads) {
		const age = lead.state === 'waiting' && rules.length > 0 ? ms - toEpochMs(lead.createdAt, zone) : NaN;
		const rule = Number.isNaN(age) ? undefined : rules.find((r) => age >= r.limitMs && r.test(context.facts(lead)));
		if (!rule) {
			kept.push(lead);
			continue;
		}
		const reason = `waited ${formatAge(age)} (limit ${rule.hours} h), ${rule.description}`;
		closed.push({ ...lead, state: 'closed', closedReason: rule.closedReason, closedAt, reason });
	}
	return { closed, kept };
}

/** "48 h", "2 d 3 h" is too easy to misread next to a limit in hours, so hours and minutes only: "51 h 20 min". */
function formatAge(ms: number): string {
	const minutes = Math.floor(ms / 60_000);
	const hours = Math.floor(minutes / 60);
	const rest = minutes % 60;
	return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
