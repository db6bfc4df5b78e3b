import { DateTime } from 'luxon';

import { InputDataError } from '../shared/errors';
import { checkZone } from './clock';
import { compileConditions, type CompiledConditions, type ConditionContext, type Conditions } from './conditions';

/**
 * Ranking rules: sets of tiers, each set in force during a schedule in one IANA time zone (the sales office's, not the
 * machine's). The first set whose schedule covers "now" ranks the queue; within it a lead goes to the first tier
 * whose conditions it meets, and each tier orders its leads its own way.
 */
export type SortOrder = 'heaviest' | 'oldest' | 'newest';

export const SORT_ORDERS: SortOrder[] = ['heaviest', 'oldest', 'newest'];

const SORT_TEXT: Record<SortOrder, string> = { heaviest: 'heaviest first', oldest: 'oldest first', newest: 'newest first' };

export interface Schedule {
	/** ISO days of the week, 1 = Monday … 7 = Sunday; every day when not given. */
	days?: number[] | null;
	/** "HH:mm" local time, inclusive. */
	from: string;
	/**
	 * "HH:mm" local time, exclusive ("24:00" is the end of the day). Earlier than `from` means the range crosses
	 * midnight; equal to `from` means the whole day. A range that crosses midnight belongs to the day it starts on:
	 * "Fri 18:00–09:00" covers Saturday 03:00.
	 */
	to: string;
	zone: string;
}

export interface Tier {
	/** Written to the lead's `tier`; its number in the set (1, 2, …) when not given. */
	name?: string | null;
	when?: Conditions | null;
	sort: SortOrder;
}

export interface RuleSet {
	name: string;
	schedule: Schedule;
	tiers: Tier[];
}

export interface CompiledTier {
	/** 1-based position in the set. */
	number: number;
	label: string | number;
	conditions: CompiledConditions;
	sort: SortOrder;
	/** e.g. "tier 1: both ends in «eastern», 1–20 t; heaviest first". */
	description: string;
}

export interface CompiledRuleSet {
	name: string;
	zone: string;
	days: ReadonlySet<number>;
	fromMinute: number;
	toMinute: number;
	/** e.g. "Day rules 09:00–18:00 Europe/Moscow". */
	heading: string;
	tiers: CompiledTier[];
}

const HH_MM = /^(\d{1,2}):(\d{2})$/;
const DAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];

/** Checks every set (throws InputDataError naming the set and tier) and compiles its conditions. */
export function compileRuleSets(ruleSets: RuleSet[], context: ConditionContext): CompiledRuleSet[] {
	if (!Array.isArray(ruleSets) || ruleSets.length === 0) {
		throw new InputDataError('There are no ranking rule sets', 'Give at least one rule set with a schedule and tiers, or use the preset.');
	}
	return ruleSets.map((set, index) => compileRuleSet(set, index, context));
}

function compileRuleSet(set: RuleSet, index: number, context: ConditionContext): CompiledRuleSet {
	const name = set.name?.trim() || `Rule set ${index + 1}`;
	const schedule = set.schedule;
	if (!schedule) throw new InputDataError(`${name} has no schedule`, 'Give days, from, to and a time zone.');
	checkZone(schedule.zone);
	const fromMinute = minuteOf(schedule.from, false, name);
	const toMinute = minuteOf(schedule.to, true, name);
	const days = schedule.days && schedule.days.length > 0 ? schedule.days : ALL_DAYS;
	for (const day of days) {
		if (!Number.isInteger(day) || day < 1 || day > 7) {
			throw new InputDataError(`${name}: "${String(day)}" is not a day of the week`, 'Use ISO day numbers: 1 = Monday … 7 = Sunday.');
		}
	}
	const dayText = describeDays(days);
	const heading = `${name} ${dayText ? `${dayText} ` : ''}${schedule.from}–${schedule.to} ${schedule.zone}`;
	if (!Array.isArray(set.tiers) || set.tiers.length === 0) throw new InputDataError(`${name} has no tiers`, 'Give at least one tier; a tier without conditions takes every lead.');
	const tiers = set.tiers.map((tier, t): CompiledTier => {
		const where = `${name}, tier ${t + 1}`;
		if (!SORT_ORDERS.includes(tier.sort)) {
			throw new InputDataError(`${where}: "${String(tier.sort)}" is not a sort order`, `Use one of: ${SORT_ORDERS.join(', ')}.`);
		}
		const conditions = compileConditions(tier.when, context, where);
		const label = tier.name?.trim() || t + 1;
		const named = typeof label === 'string' ? ` (${label})` : '';
		return { number: t + 1, label, conditions, sort: tier.sort, description: `tier ${t + 1}${named}: ${conditions.description}; ${SORT_TEXT[tier.sort]}` };
	});
	return { name, zone: schedule.zone, days: new Set(days), fromMinute, toMinute, heading, tiers };
}

function minuteOf(text: string, isEnd: boolean, where: string): number {
	const match = HH_MM.exec(String(text ?? '').trim());
	const hours = match ? Number(match[1]) : NaN;
	const minutes = match ? Number(match[2]) : NaN;
	const minute = hours * 60 + minutes;
	if (!match || minutes > 59 || hours > 24 || minute > 1440 || (minute === 1440 && !isEnd)) {
		throw new InputDataError(`${where}: "${String(text)}" is not a time of day`, 'Use HH:mm, e.g. 09:00 or 18:00 ("24:00" only as an end).');
	}
	return minute;
}

/** "" for every day, "Mon–Fri" for a run, "Mon, Wed, Fri" otherwise. */
export function describeDays(days: number[]): string {
	const sorted = [...new Set(days)].sort((a, b) => a - b);
	if (sorted.length === 7) return '';
	const runs: string[] = [];
	for (let i = 0; i < sorted.length; ) {
		let j = i;
		while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
		runs.push(j - i >= 2 ? `${DAY_NAMES[sorted[i]]}–${DAY_NAMES[sorted[j]]}` : sorted.slice(i, j + 1).map((d) => DAY_NAMES[d]).join(', '));
		i = j + 1;
	}
	return runs.join(', ');
}

/**
 * Local wall-clock time decides: the instant is converted to the set's zone and its weekday and minute of the day
 * compared with the schedule. On a daylight-saving change this means a local time that does not exist that day
 * (02:30 when clocks jump 02:00 -> 03:00) is never seen, so a range starting at 02:30 starts at 03:00; a local time
 * that happens twice (02:30 when clocks go back) is inside the same ranges both times.
 */
export function coversInstant(set: CompiledRuleSet, ms: number): boolean {
	const local = DateTime.fromMillis(ms, { zone: set.zone });
	const minute = local.hour * 60 + local.minute;
	const day = local.weekday;
	const previousDay = day === 1 ? 7 : day - 1;
	if (set.fromMinute < set.toMinute) return set.days.has(day) && minute >= set.fromMinute && minute < set.toMinute;
	return (minute >= set.fromMinute && set.days.has(day)) || (minute < set.toMinute && set.days.has(previousDay));
}

/** e.g. "Sat 10:00 Europe/Moscow", with English day names whatever the machine's locale. */
export function describeLocalTime(ms: number, zone: string): string {
	const local = DateTime.fromMillis(ms, { zone });
	return `${DAY_NAMES[local.weekday]} ${local.toFormat('HH:mm')} ${zone}`;
}

/** The first set in force at the instant, or null when no schedule covers it. */
export function activeRuleSet(sets: CompiledRuleSet[], ms: number): CompiledRuleSet | null {
	return sets.find((set) => coversInstant(set, ms)) ?? null;
}
