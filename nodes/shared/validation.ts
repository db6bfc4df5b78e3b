import { InputDataError } from './errors';
import { canonicalJson, hash32 } from './hash';
import { readAmount } from './money';

/**
 * Input checked item by item, one way for every node: plain functions on plain data (no n8n import). A bad item is
 * an ItemProblem with its index; the node turns it into an n8n error (see itemErrors.ts) while the good items go on.
 */

/** A value read from input, or why it could not be. */
export type Reading<T> = { value: T } | { reason: string };

/** What is wrong with one input item: where (its index, which record) and what, and how to fix it. */
export interface ItemProblem {
	/** The item's position in its input. */
	itemIndex: number;
	/** e.g. 'Item 3 (orderId "o4"): total "abc" is not a number'. */
	message: string;
	/** How to fix it. */
	description: string;
}

/** One field of an item that breaks its contract. */
export interface FieldProblem {
	/** e.g. "touches[2].channel". */
	path: string;
	/** e.g. "is missing", "is not an array (it is a string)". */
	problem: string;
}

/** Quoted values in messages are cut here: input is hostile and messages are shown and logged. */
const MAX_QUOTED = 40;

/** A value as a message quotes it: JSON, cut to MAX_QUOTED characters. */
export function quote(value: unknown): string {
	const text = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
	return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED - 1)}…` : text;
}

function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * A money total: a finite number, or text as CRMs write it (see readAmount in money.ts: "1234.56", "1 234,56",
 * "1234,5", "-10"). Nothing, NaN, Infinity, objects and text that is not an amount ("12abc", "", "1.234.567") are
 * refused with the reason.
 */
export function readMoney(value: unknown): Reading<number> {
	if (typeof value === 'number') return Number.isFinite(value) ? { value } : { reason: `is ${String(value)}, not an amount` };
	if (value === null || value === undefined) return { reason: 'is missing' };
	if (typeof value !== 'string') return { reason: `is ${kindOf(value)}, not an amount` };
	const reading = readAmount(value);
	return 'value' in reading ? reading : { reason: `${quote(value)} ${reading.reason}` };
}

/** The range a numeric parameter allows. */
export interface NumberRule {
	/** As the node shows it, e.g. "Lookback Window (Days)". */
	name: string;
	min: number;
	max: number;
	integer?: boolean;
	/** Nothing (null, undefined, empty text) is allowed and read as null. */
	optional?: boolean;
}

const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

function describeRange(rule: NumberRule): string {
	const kind = rule.integer ? 'a whole number' : 'a number';
	return `${kind} from ${rule.min} to ${rule.max}${rule.optional ? ', or nothing' : ''}`;
}

/**
 * A numeric node parameter: a number, or plain decimal text ("30", as an expression may return it). Refused with a
 * message that names the parameter, the value and the allowed range: what is not a number, below the minimum, above
 * the maximum, or not whole when it must be.
 */
export function readNumberParameter(value: unknown, rule: NumberRule): Reading<number | null> {
	const blank = value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
	if (blank && rule.optional) return { value: null };
	let number = NaN;
	if (typeof value === 'number') number = value;
	else if (typeof value === 'string' && value.length <= MAX_QUOTED && PLAIN_NUMBER.test(value.trim())) number = Number(value.trim());
	const wrong = !Number.isFinite(number)
		? 'is not a number'
		: number < rule.min
			? 'is too small'
			: number > rule.max
				? 'is too large'
				: rule.integer && !Number.isInteger(number)
					? 'is not a whole number'
					: null;
	if (wrong === null) return { value: number };
	return { reason: `${rule.name} ${blank ? 'is empty' : `${quote(value)} ${wrong}`}: use ${describeRange(rule)}` };
}

/** readNumberParameter, throwing the reason as an InputDataError (a setting, not an item, is wrong). */
export function numberParameter(value: unknown, rule: NumberRule & { optional: true }): number | null;
export function numberParameter(value: unknown, rule: NumberRule): number;
export function numberParameter(value: unknown, rule: NumberRule): number | null {
	const reading = readNumberParameter(value, rule);
	if ('reason' in reading) throw new InputDataError(reading.reason, `Set ${rule.name} to ${describeRange(rule)}.`);
	return reading.value;
}

/** What a field of a contract holds. "id": non-empty text or a finite number. */
export type FieldType = 'id' | 'string' | 'number' | 'object' | 'array';

/** One field of a contract shape. */
export interface FieldRule {
	name: string;
	type: FieldType;
	/** Leaving the field out (undefined) is a problem. */
	required?: boolean;
	/** null is allowed. */
	nullable?: boolean;
	/** The value, when given, is one of these. */
	oneOf?: readonly string[];
	/** For an object: its fields. */
	fields?: readonly FieldRule[];
	/** For an array: each entry is an object with these fields. */
	each?: readonly FieldRule[];
}

function typeProblem(value: unknown, type: FieldType): string | null {
	switch (type) {
		case 'id':
			if (typeof value === 'string') return value.trim() === '' ? 'is empty' : null;
			return typeof value === 'number' && Number.isFinite(value) ? null : `is ${kindOf(value)}, not an id`;
		case 'string':
			return typeof value === 'string' ? null : `is ${kindOf(value)}, not text`;
		case 'number':
			return typeof value === 'number' && Number.isFinite(value) ? null : `is ${kindOf(value)}, not a number`;
		case 'object':
			return typeof value === 'object' && value !== null && !Array.isArray(value) ? null : `is ${kindOf(value)}, not an object`;
		case 'array':
			return Array.isArray(value) ? null : `is ${kindOf(value)}, not an array`;
	}
}

/** What checkShape returns for a record that fits: shared, never written to. */
const FITS: readonly FieldProblem[] = Object.freeze([]);

/**
 * Checks a record against a contract shape: each field's presence and type, nested objects and arrays of objects,
 * with the path of every field that breaks it. Allocates nothing for a record that fits (a million touches pass
 * through here).
 */
export function checkShape(record: unknown, shape: readonly FieldRule[]): readonly FieldProblem[] {
	if (typeof record !== 'object' || record === null || Array.isArray(record)) return [{ path: '(item)', problem: `is ${kindOf(record)}, not an object` }];
	return checkFields(record as Record<string, unknown>, shape, '', -1, FITS);
}

/** The path of a record: `base`, or its entry `index` ("touches[2]"); built only when a problem needs it. */
function pathOf(base: string, index: number, name?: string): string {
	const record = index < 0 ? base : `${base}[${index}]`;
	if (name === undefined) return record;
	return record === '' ? name : `${record}.${name}`;
}

/** `problems` with one more (a new array in place of FITS). */
function withProblem(problems: readonly FieldProblem[], path: string, problem: string): readonly FieldProblem[] {
	const all = problems === FITS ? [] : (problems as FieldProblem[]);
	all.push({ path, problem });
	return all;
}

/** Adds the problems of the fields of the record at `base` (entry `index` of it, when not -1) to `problems`. */
function checkFields(record: Record<string, unknown>, shape: readonly FieldRule[], base: string, index: number, found: readonly FieldProblem[]): readonly FieldProblem[] {
	let problems = found;
	for (let r = 0; r < shape.length; r++) {
		const rule = shape[r];
		const value = record[rule.name];
		let wrong: string | null = null;
		if (value === undefined) wrong = rule.required ? 'is missing' : null;
		else if (value === null) wrong = rule.nullable ? null : 'is null';
		else {
			wrong = typeProblem(value, rule.type);
			if (wrong === null && rule.oneOf && !rule.oneOf.includes(value as string)) wrong = `is ${quote(value)}, not one of ${rule.oneOf.join(', ')}`;
			else if (wrong === null && rule.fields) problems = checkFields(value as Record<string, unknown>, rule.fields, pathOf(base, index, rule.name), -1, problems);
			else if (wrong === null && rule.each) problems = checkEntries(value as unknown[], rule.each, pathOf(base, index, rule.name), problems);
		}
		if (wrong !== null) problems = withProblem(problems, pathOf(base, index, rule.name), wrong);
	}
	return problems;
}

function checkEntries(entries: unknown[], shape: readonly FieldRule[], path: string, found: readonly FieldProblem[]): readonly FieldProblem[] {
	let problems = found;
	for (let i = 0; i < entries.length; i++) {
		const entry = entries[i];
		if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) problems = checkFields(entry as Record<string, unknown>, shape, path, i, problems);
		else problems = withProblem(problems, pathOf(path, i), `is ${kindOf(entry)}, not an object`);
	}
	return problems;
}

/** At most this many field problems are listed in one message; the rest are counted. */
const MAX_LISTED = 5;

/**
 * The problem of one item: 'Item 3 (orderId "o4"): total "abc" is not a number; touches is missing', with the
 * hint as its description. `record` names the record when its id could be read.
 */
export function itemProblem(itemIndex: number, record: string | null, fields: readonly FieldProblem[], hint: string): ItemProblem {
	const listed = fields.slice(0, MAX_LISTED).map((field) => `${field.path} ${field.problem}`);
	if (fields.length > MAX_LISTED) listed.push(`and ${fields.length - MAX_LISTED} more`);
	return { itemIndex, message: `Item ${itemIndex}${record === null ? '' : ` (${record})`}: ${listed.join('; ')}`, description: hint };
}

/** How a record names itself in messages: 'orderId "o4"'; null when the id is not there. */
export function recordName(record: unknown, idField: string): string | null {
	const id = typeof record === 'object' && record !== null ? (record as Record<string, unknown>)[idField] : undefined;
	return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? `${idField} ${quote(id)}` : null;
}

/** A later copy of an id that keepFirstById left out. */
export interface DroppedCopy {
	/** Its position in the input. */
	index: number;
	/** The position of the first copy, the one kept. */
	keptIndex: number;
	id: string;
	/** true when it holds exactly what the kept copy holds (key order aside): nothing is lost by leaving it out. */
	same: boolean;
	reason: string;
	/** What the kept copy's `warnings` got about it. */
	warning: string;
}

export interface FirstById<T> {
	/** The first copy of each id (and every record without one), in input order; a kept copy that had later ones is a copy with a warning added. */
	kept: T[];
	/** The input position of each kept record. */
	from: number[];
	dropped: DroppedCopy[];
}

/**
 * Keeps the first record of each id; records without an id are all kept. Each kept record that had later copies
 * gets a warning in its `warnings` (a copy of it: the input is not changed), and each later copy is returned with
 * its reason and whether it is the same record again. `positions` gives each record's input position when `items`
 * is a part of the input. Without repeated ids (the usual case) `kept` is `items` itself, found by sorting 32-bit
 * hashes of the ids in a typed array: several times cheaper than a map of a million ids.
 */
export function keepFirstById<T extends object>(items: readonly T[], idOf: (item: T) => unknown, field: string, positions?: readonly number[]): FirstById<T> {
	const position = (index: number) => positions?.[index] ?? index;
	if (!hasRepeatedId(items, idOf)) return { kept: items as T[], from: items.map((_, index) => position(index)), dropped: [] };
	const firstOf = new Map<string, number>();
	const keptAt = new Map<number, number>();
	const kept: T[] = [];
	const from: number[] = [];
	const dropped: DroppedCopy[] = [];
	items.forEach((item, index) => {
		const id = idOf(item);
		const key = hasId(id) ? String(id) : null;
		const first = key === null ? undefined : firstOf.get(key);
		if (key === null || first === undefined) {
			if (key !== null) firstOf.set(key, index);
			keptAt.set(index, kept.length);
			kept.push(item);
			from.push(position(index));
			return;
		}
		const same = canonicalJson(item) === canonicalJson(items[first]);
		const reason = `${field} ${quote(key)} was already given at item ${position(first)}; this copy ${same ? 'holds the same' : 'differs from it'} and is left out`;
		const warning = `${field} ${quote(key)} is given again at item ${position(index)}${same ? ' (the same record)' : ' with other values'}: only this first copy is used`;
		dropped.push({ index: position(index), keptIndex: position(first), id: key, same, reason, warning });
		const at = keptAt.get(first) as number;
		const warnings = (kept[at] as { warnings?: unknown }).warnings;
		kept[at] = { ...kept[at], warnings: [...(Array.isArray(warnings) ? warnings : []), warning] };
	});
	return { kept, from, dropped };
}

/** true when two records share an id (see repeatsAmong). */
function hasRepeatedId<T>(items: readonly T[], idOf: (item: T) => unknown): boolean {
	const hashes = new Int32Array(items.length);
	for (let i = 0; i < items.length; i++) hashes[i] = idHash(idOf(items[i]));
	return repeatsAmong(items, idOf, hashes);
}

/** The 32-bit hash of a record's id that repeatsAmong compares (as a signed integer: a small integer in V8); 0 without an id. */
export function idHash(id: unknown): number {
	return hasId(id) ? hash32(String(id)) | 0 : 0;
}

/**
 * true when two of `items` share an id, given each one's idHash in `hashes` (which a caller reading the items
 * anyway fills in that pass): sorts a copy of the hashes, then compares the ids of the records whose hashes collide.
 */
export function repeatsAmong<T>(items: readonly T[], idOf: (item: T) => unknown, hashes: ArrayLike<number>): boolean {
	const sorted = Int32Array.from(hashes).sort();
	const colliding = new Set<number>();
	for (let i = 1; i < sorted.length; i++) {
		if (sorted[i] === sorted[i - 1]) colliding.add(sorted[i]);
	}
	if (colliding.size === 0) return false;
	const suspects = new Set<string>();
	for (let i = 0; i < items.length; i++) {
		if (!colliding.has(hashes[i])) continue;
		const id = idOf(items[i]);
		if (!hasId(id)) continue;
		if (suspects.has(String(id))) return true;
		suspects.add(String(id));
	}
	return false;
}

function hasId(id: unknown): boolean {
	return id !== null && id !== undefined && id !== '';
}
