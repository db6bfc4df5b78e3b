import type { Stage } from '../shared/contracts';
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
	| { kind: 'skip' };

interface StatusCarrier {
	status?: unknown;
	statusCode?: unknown;
	change?: { previous?: { status?: unknown } | null } | null;
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
		const status = typeof item.status === 'string' ? item.status : item.status == null ? null : String(item.status);
		const code = typeof item.statusCode === 'string' ? item.statusCode : null;
		const found = classify(status, code);
		if (found.stage === null && settings.unmapped !== 'other') return { kind: 'unmapped', status, reason: found.reason };
		const stage: Stage = found.stage ?? 'other';
		const previous = item.change?.previous;
		const previousStatus = previous === undefined ? undefined : previous === null ? null : typeof previous.status === 'string' ? previous.status : null;
		const transition = transitionOf(classify, previousStatus, status, stage);
		if (settings.onlyStageChanges && !transition?.stageChanged) return { kind: 'skip' };
		return { kind: 'mapped', stage, rule: found.stage === null ? `the status ${found.reason} -> other` : found.rule, transition };
	};
}
