import type { Stage } from '../shared/contracts';
import { quote, type FieldProblem } from '../shared/validation';
import { createClassifier, transitionOf, type StatusRule, type Transition } from './statusRules';

export type UnmappedHandling = 'error' | 'other' | 'output';

export interface StatusMapSettings {
	rules: StatusRule[];
	usePreset: boolean;
	unmapped: UnmappedHandling;
	onlyStageChanges: boolean;
}

export type MappedItem =
	| { kind: 'mapped'; stage: Stage; rule: string; transition: Transition | null }
	| { kind: 'unmapped'; status: string | null; reason: string }
	| { kind: 'skip' }
	/** Not an order: the fields the mapper reads are missing or of the wrong kind. */
	| { kind: 'invalid'; problems: FieldProblem[] };

interface StatusCarrier {
	status?: unknown;
	statusCode?: unknown;
	change?: unknown;
}

/** What the mapper reads of an order: its status, its status code, and the previous status when the import knows it. */
interface StatusReading {
	status: string | null;
	code: string | null;
	/** undefined: no change info; null: a new order (no previous status). */
	previousStatus: string | null | undefined;
}

/** How the node words the fix for an item that is not an order. */
export const NOT_AN_ORDER_HINT =
	'CRM Status Map reads orders as CRM XML Import and CRM Deals Import emit them: "status" (text or null), and optionally "statusCode" (text) and "change" (the import\'s change info). Connect it after one of them, or set "status" on each item.';

/**
 * Reads the fields the mapper needs, as the Order contract has them; a number is read as its text. An item without
 * a status field, or with a field of another kind (an object, an array, true), is not an order: its problems are
 * returned, never guessed at.
 */
function readStatusFields(item: StatusCarrier): StatusReading | FieldProblem[] {
	const problems: FieldProblem[] = [];
	const text = (value: unknown, path: string): string | null => {
		if (typeof value === 'string') return value;
		if (typeof value === 'number' && Number.isFinite(value)) return String(value);
		if (value !== null && value !== undefined) problems.push({ path, problem: `is ${quote(value)}, not text` });
		return null;
	};
	if (item.status === undefined) problems.push({ path: 'status', problem: 'is missing' });
	const status = text(item.status, 'status');
	const code = text(item.statusCode, 'statusCode');
	let previousStatus: string | null | undefined;
	const change = item.change;
	if (change !== undefined && change !== null) {
		const previous = isRecord(change) ? change.previous : undefined;
		if (!isRecord(change)) problems.push({ path: 'change', problem: `is ${quote(change)}, not an object` });
		else if (previous === null) previousStatus = null;
		else if (isRecord(previous)) previousStatus = text(previous.status, 'change.previous.status');
		else if (previous !== undefined) problems.push({ path: 'change.previous', problem: `is ${quote(previous)}, not an object` });
	}
	return problems.length > 0 ? problems : { status, code, previousStatus };
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How an unmapped status is named in an error: quoted, cut to 80 characters. */
export function unmappedMessage(item: { status: string | null; reason: string }, index: number): string {
	const shown = item.status === null ? '(empty)' : item.status.length > 80 ? `${item.status.slice(0, 80)}…` : item.status;
	return `The status "${shown}" of item ${index} ${item.reason}`;
}

/** Builds the mapper once per run; it classifies one order (or any item with a status) at a time. */
export function createStatusMapper(settings: StatusMapSettings): (item: StatusCarrier) => MappedItem {
	const classify = createClassifier(settings.rules, settings.usePreset);
	return (item) => {
		const reading = readStatusFields(item);
		if (Array.isArray(reading)) return { kind: 'invalid', problems: reading };
		const { status, code, previousStatus } = reading;
		const found = classify(status, code);
		if (found.stage === null && settings.unmapped !== 'other') return { kind: 'unmapped', status, reason: found.reason };
		const stage: Stage = found.stage ?? 'other';
		const transition = transitionOf(classify, previousStatus, status, stage);
		if (settings.onlyStageChanges && !transition?.stageChanged) return { kind: 'skip' };
		return { kind: 'mapped', stage, rule: found.stage === null ? `the status ${found.reason} -> other` : found.rule, transition };
	};
}
