import { InputDataError } from '../shared/errors';
import type { Lead, LeadForm } from './lead';
import { findNormalisedPlace, normalisePlace, placeList, type PlaceList } from './textMatch';

/**
 * Conditions on a lead, as ranking tiers and expiry rules state them. All the conditions given must hold; a
 * condition left out holds for every lead.
 */
export type RouteMatch = 'both' | 'either' | 'neither';

export interface RouteCondition {
	/** both ends in the list / at least one end in it / no end in it. */
	match: RouteMatch;
	/** The name of a list passed in with the rules (client data), e.g. "eastern". */
	list: string;
}

/** Bounds in kilograms, each optional: min and max are inclusive, over and under exclusive. A lead without a weight fails it. */
export interface WeightCondition {
	min?: number | null;
	max?: number | null;
	over?: number | null;
	under?: number | null;
}

export type CompareOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'contains';

export const COMPARE_OPS: CompareOp[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'contains'];

/**
 * Any lead field ("name", "channel.source" for a nested one). Numbers compare as numbers; text compares ignoring
 * case, "ё"/"е" and extra spaces; gt/gte/lt/lte hold only when both sides are numbers. On a list field (phones) the
 * condition holds when some element satisfies it, and "ne" when no element equals the value.
 */
export interface FieldCondition {
	field: string;
	op: CompareOp;
	value: string | number | boolean | null;
}

export interface Conditions {
	route?: RouteCondition | null;
	weightKg?: WeightCondition | null;
	form?: LeadForm | null;
	fields?: FieldCondition[] | null;
}

/** Lists by name: a built PlaceList, or the rows of client data to build one from. */
export type PlaceLists = Record<string, PlaceList | readonly unknown[]>;

/**
 * A lead with its ends looked up once in every list the rules use: bit i of fromIn / toIn is set when that end is in
 * the i-th list, so tiers test routes with bit operations instead of matching text again.
 */
export interface LeadFacts {
	lead: Lead;
	fromIn: number;
	toIn: number;
}

export interface CompiledConditions {
	test: (facts: LeadFacts) => boolean;
	/** e.g. "both ends in «eastern», 1–20 t"; "any lead" when there is no condition. */
	description: string;
}

/** Bits of a 32-bit integer: more lists than this in one rule set is not a queue anyone runs. */
const MAX_LISTS = 31;

/**
 * Shared by the conditions compiled for one run: lists resolved by name (each one used gets a bit), and the bits of
 * each place text already seen (leads repeat the same cities, so most look-ups are one Map.get per end).
 */
export class ConditionContext {
	private readonly lists = new Map<string, PlaceList>();
	private readonly used: PlaceList[] = [];
	private readonly bits = new Map<string, number>();

	constructor(lists: PlaceLists = {}) {
		for (const [name, list] of Object.entries(lists)) {
			this.lists.set(listKey(name), isPlaceList(list) ? list : placeList(list, name));
		}
	}

	/** The list for a rule and its bit in LeadFacts. */
	list(name: string, where: string): { list: PlaceList; bit: number } {
		const list = this.lists.get(listKey(name));
		if (!list) {
			const known = [...this.lists.keys()];
			throw new InputDataError(`${where} refers to the list "${name}", which was not passed in`, known.length > 0 ? `Lists passed in: ${known.join(', ')}.` : 'Pass the list (e.g. a Data Table column of city names) under that name.');
		}
		let index = this.used.indexOf(list);
		if (index === -1) {
			if (this.used.length === MAX_LISTS) throw new InputDataError(`${where}: the rules use more than ${MAX_LISTS} lists`, 'Merge lists that are used the same way.');
			index = this.used.push(list) - 1;
			// Bits cached so far do not know the new list.
			this.bits.clear();
		}
		return { list, bit: 1 << index };
	}

	facts(lead: Lead): LeadFacts {
		return { lead, fromIn: this.bitsOf(lead.from), toIn: this.bitsOf(lead.to) };
	}

	/** Fills `into` instead of allocating: ranking tests ten thousand leads one after another with one object. */
	refill(into: LeadFacts, lead: Lead): LeadFacts {
		into.lead = lead;
		into.fromIn = this.bitsOf(lead.from);
		into.toIn = this.bitsOf(lead.to);
		return into;
	}

	private bitsOf(text: string | null): number {
		if (typeof text !== 'string' || text.length === 0 || this.used.length === 0) return 0;
		let bits = this.bits.get(text);
		if (bits === undefined) {
			bits = 0;
			const normalised = normalisePlace(text);
			for (let i = 0; i < this.used.length; i++) {
				if (findNormalisedPlace(normalised, this.used[i]) !== null) bits |= 1 << i;
			}
			this.bits.set(text, bits);
		}
		return bits;
	}
}

function listKey(name: string): string {
	return name.trim().toLowerCase();
}

function isPlaceList(value: PlaceList | readonly unknown[]): value is PlaceList {
	return !Array.isArray(value) && typeof value === 'object' && value !== null && 'entries' in value;
}

/** Checks the conditions (throws InputDataError naming `where`) and turns them into one test and one description. */
export function compileConditions(when: Conditions | null | undefined, context: ConditionContext, where: string): CompiledConditions {
	const tests: Array<(facts: LeadFacts) => boolean> = [];
	const parts: string[] = [];
	if (when?.route) {
		const { test, description } = compileRoute(when.route, context, where);
		tests.push(test);
		parts.push(description);
	}
	if (when?.weightKg) {
		const { test, description } = compileWeight(when.weightKg, where);
		if (description.length > 0) {
			tests.push(test);
			parts.push(description);
		}
	}
	if (when?.form) {
		const form = when.form;
		if (form !== 'full' && form !== 'callback') throw new InputDataError(`${where}: form "${String(form)}" is neither full nor callback`, 'Use full or callback.');
		tests.push((facts) => facts.lead.form === form);
		parts.push(`${form} form`);
	}
	for (const condition of when?.fields ?? []) {
		const { test, description } = compileField(condition, where);
		tests.push(test);
		parts.push(description);
	}
	const description = parts.length === 0 ? 'any lead' : parts.join(', ');
	if (tests.length === 0) return { test: () => true, description };
	if (tests.length === 1) return { test: tests[0], description };
	return { test: (facts) => tests.every((test) => test(facts)), description };
}

function compileRoute(route: RouteCondition, context: ConditionContext, where: string): CompiledConditions {
	const { list, bit } = context.list(route.list, where);
	const name = `«${list.name || route.list}»`;
	switch (route.match) {
		case 'both':
			return { test: (f) => (f.fromIn & f.toIn & bit) !== 0, description: `both ends in ${name}` };
		case 'either':
			return { test: (f) => ((f.fromIn | f.toIn) & bit) !== 0, description: `either end in ${name}` };
		case 'neither':
			return { test: (f) => ((f.fromIn | f.toIn) & bit) === 0, description: `neither end in ${name}` };
		default:
			throw new InputDataError(`${where}: route match "${String(route.match)}" is unknown`, 'Use both, either or neither.');
	}
}

function compileWeight(weight: WeightCondition, where: string): CompiledConditions {
	const bound = (value: number | null | undefined, label: string): number | null => {
		if (value === null || value === undefined) return null;
		if (typeof value !== 'number' || !Number.isFinite(value)) throw new InputDataError(`${where}: the weight ${label} "${String(value)}" is not a number`, 'Give kilograms as a number, e.g. 1000 for 1 t.');
		return value;
	};
	const min = bound(weight.min, 'minimum');
	const max = bound(weight.max, 'maximum');
	const over = bound(weight.over, '"over"');
	const under = bound(weight.under, '"under"');
	const low = Math.max(min ?? -Infinity, over ?? -Infinity);
	const high = Math.min(max ?? Infinity, under ?? Infinity);
	if (low > high) throw new InputDataError(`${where}: no weight is between ${low} and ${high} kg`, 'Check the minimum and maximum of the weight condition.');
	const test = (f: LeadFacts) => {
		const kg = f.lead.weightKg;
		return kg !== null && (min === null || kg >= min) && (max === null || kg <= max) && (over === null || kg > over) && (under === null || kg < under);
	};
	return { test, description: describeWeight(min, max, over, under) };
}

/** "1–20 t" for inclusive bounds both given, otherwise "over 300 kg", "100 kg or more", "up to 20 t", "under 200 kg". */
export function describeWeight(min: number | null, max: number | null, over: number | null, under: number | null): string {
	const bounds = [min, max, over, under].filter((b): b is number => b !== null);
	if (bounds.length === 0) return '';
	const tonnes = bounds.every((b) => b >= 1000);
	const unit = tonnes ? 't' : 'kg';
	const show = (kg: number) => String(tonnes ? Math.round(kg) / 1000 : kg);
	const parts: string[] = [];
	if (min !== null && max !== null) parts.push(`${show(min)}–${show(max)} ${unit}`);
	else if (min !== null) parts.push(`${show(min)} ${unit} or more`);
	else if (max !== null) parts.push(`up to ${show(max)} ${unit}`);
	if (over !== null) parts.push(`over ${show(over)} ${unit}`);
	if (under !== null) parts.push(`under ${show(under)} ${unit}`);
	return parts.join(' and ');
}

const OP_SIGNS: Record<CompareOp, string> = { eq: '=', ne: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤', contains: 'contains' };

function compileField(condition: FieldCondition, where: string): CompiledConditions {
	if (!condition || typeof condition.field !== 'string' || condition.field.trim().length === 0) {
		throw new InputDataError(`${where}: a field condition has no field`, 'Name a lead field, e.g. name or channel.source.');
	}
	if (!COMPARE_OPS.includes(condition.op)) {
		throw new InputDataError(`${where}: "${String(condition.op)}" is not a comparison`, `Use one of: ${COMPARE_OPS.join(', ')}.`);
	}
	const path = condition.field.trim().split('.');
	const { op, value } = condition;
	const expectedNumber = numberOf(value);
	const expectedText = value === null ? '' : normaliseText(String(value));
	const test = (f: LeadFacts) => compare(valueAt(f.lead, path), op, value, expectedNumber, expectedText);
	return { test, description: `${condition.field.trim()} ${OP_SIGNS[op]} ${JSON.stringify(value)}` };
}

function valueAt(lead: Lead, path: string[]): unknown {
	let value: unknown = lead;
	for (const key of path) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

function compare(actual: unknown, op: CompareOp, expected: unknown, expectedNumber: number | null, expectedText: string): boolean {
	if (Array.isArray(actual)) {
		if (op === 'ne') return actual.every((item) => compare(item, 'ne', expected, expectedNumber, expectedText));
		return actual.some((item) => compare(item, op, expected, expectedNumber, expectedText));
	}
	const empty = actual === null || actual === undefined || actual === '';
	if (op === 'eq' || op === 'ne') {
		let equal: boolean;
		if (expected === null || expected === '') equal = empty;
		else if (empty) equal = false;
		else {
			const actualNumber = numberOf(actual);
			equal = actualNumber !== null && expectedNumber !== null ? actualNumber === expectedNumber : normaliseText(String(actual)) === expectedText;
		}
		return op === 'eq' ? equal : !equal;
	}
	if (op === 'contains') return !empty && normaliseText(String(actual)).includes(expectedText);
	const actualNumber = numberOf(actual);
	if (actualNumber === null || expectedNumber === null) return false;
	if (op === 'gt') return actualNumber > expectedNumber;
	if (op === 'gte') return actualNumber >= expectedNumber;
	if (op === 'lt') return actualNumber < expectedNumber;
	return actualNumber <= expectedNumber;
}

function numberOf(value: unknown): number | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value === 'string' && /^\s*-?\d+(?:[.,]\d+)?\s*$/.test(value)) return Number(value.trim().replace(',', '.'));
	return null;
}

function normaliseText(text: string): string {
	return text.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}
