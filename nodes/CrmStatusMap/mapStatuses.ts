import type { Stage } from '../shared/contracts';
import { compileRules, findStage, PRESET_RULES, transitionOf, type StatusRule, type Transition } from './statusRules';

export type UnmappedHandling = 'error' | 'other' | 'output';

export interface StatusMapSettings {
	rules: StatusRule[];
	usePreset: boolean;
	unmapped: UnmappedHandling;
	onlyStageChanges: boolean;
}

export type MappedItem =
	| { kind: 'mapped'; stage: Stage; rule: string; transition: Transition | null }
	| { kind: 'unmapped'; status: string | null }
	| { kind: 'skip' };

interface StatusCarrier {
	status?: unknown;
	statusCode?: unknown;
	change?: { previous?: { status?: unknown } | null } | null;
}

function describe(rule: StatusRule): string {
	return `${rule.match} "${rule.value}" -> ${rule.stage}`;
}

/** Builds the mapper once per run; it classifies one order (or any item with a status) at a time. */
export function createStatusMapper(settings: StatusMapSettings): (item: StatusCarrier) => MappedItem {
	const rules = compileRules(settings.usePreset ? [...settings.rules, ...PRESET_RULES] : settings.rules);
	return (item) => {
		const status = typeof item.status === 'string' ? item.status : item.status == null ? null : String(item.status);
		const code = typeof item.statusCode === 'string' ? item.statusCode : null;
		const rule = findStage(rules, status, code);
		if (!rule && settings.unmapped !== 'other') return { kind: 'unmapped', status };
		const stage: Stage = rule?.stage ?? 'other';
		const previous = item.change?.previous;
		const previousStatus = previous === undefined ? undefined : previous === null ? null : typeof previous.status === 'string' ? previous.status : null;
		const transition = transitionOf(rules, previousStatus, status, stage);
		if (settings.onlyStageChanges && !transition?.stageChanged) return { kind: 'skip' };
		return { kind: 'mapped', stage, rule: rule ? describe(rule) : 'no rule matched -> other', transition };
	};
}
