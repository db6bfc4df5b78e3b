import { STAGES, type Stage } from '../shared/contracts';
import { InputDataError } from '../shared/errors';
import { cannotBeWon } from './statusGuard';
import { BITRIX_STATUS_CODES, DEAL_STATUS_CODES, presetPhrase } from './statusPhrases';

/**
 * Raw CRM statuses -> pipeline stages: the user's rules in order (the first that matches wins), then, if asked,
 * the preset (the whole-phrase table of statusPhrases.ts, then the 1C-Bitrix letter codes and the CRM deal codes).
 * - exact: the status as written;
 * - insensitive: ignoring case, "ё"/"е", and runs of spaces;
 * - pattern: a regular expression (case-insensitive);
 * - code: the bracketed code a Bitrix status carries ("[F] Выполнен" -> "F"), as the import splits it off.
 * The won guard (statusGuard.ts) keeps a negated, partial or reversed status ("Не оплачен", "Unpaid", "Частично
 * оплачен", "Refunded") from being won through a pattern rule or the preset; exact, insensitive and code rules are
 * the user's word and are trusted as written.
 */
export type MatchType = 'exact' | 'insensitive' | 'pattern' | 'code';

export interface StatusRule {
	match: MatchType;
	value: string;
	stage: Stage;
}

interface CompiledRule extends StatusRule {
	test: (status: string | null, code: string | null) => boolean;
}

/** Statuses longer than this are not classified (no rule is tried), so that a user's pattern runs over short texts only. */
export const MAX_STATUS_LENGTH = 200;

/** A stage and the rule that gave it, or no stage and why. */
export type Classification = { stage: Stage; rule: string } | { stage: null; reason: string };

export type Classifier = (status: string | null, code: string | null) => Classification;

function normaliseStatus(text: string): string {
	return text.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}

function compileRules(rules: StatusRule[]): CompiledRule[] {
	return rules.map((rule, index) => {
		if (!STAGES.includes(rule.stage)) {
			throw new InputDataError(`Rule ${index + 1} maps to "${rule.stage}", which is not a stage`, `Use one of: ${STAGES.join(', ')}.`);
		}
		switch (rule.match) {
			case 'exact':
				return { ...rule, test: (status) => status === rule.value };
			case 'insensitive': {
				const value = normaliseStatus(rule.value);
				return { ...rule, test: (status) => status !== null && normaliseStatus(status) === value };
			}
			case 'code':
				return { ...rule, test: (_status, code) => code !== null && code.toLowerCase() === rule.value.trim().toLowerCase() };
			case 'pattern': {
				const risk = repeatedGroupRisk(rule.value);
				if (risk) throw new InputDataError(`Rule ${index + 1}: "${rule.value}" is refused: ${risk}`, 'Repeat single characters or character classes, not groups that hold repetitions or alternatives.');
				const pattern = safeRegExp(rule.value);
				if (typeof pattern === 'string') {
					throw new InputDataError(`Rule ${index + 1}: "${rule.value}" is not a valid regular expression (${pattern})`, 'Fix the pattern, or use the Case-Insensitive match type for plain text.');
				}
				return { ...rule, test: (status) => status !== null && pattern.test(status) };
			}
			default:
				throw new InputDataError(`Rule ${index + 1} has an unknown match type "${String(rule.match)}"`, 'Use exact, insensitive, pattern or code.');
		}
	});
}

/** The compiled pattern, or the reason it does not compile. */
function safeRegExp(source: string): RegExp | string {
	try {
		return new RegExp(source, 'i');
	} catch (error) {
		return (error as Error).message;
	}
}

/**
 * Why a pattern may take exponential time on a short text, or null: a group repeated by "*", "+" or "{…}" that holds
 * a repetition or alternatives ("(a+)+", "(\w+\s?)*", "(a|ab)*"). One pass over the pattern; escapes and character
 * classes are skipped. Patterns without such a group take at worst polynomial time, which the status length cap bounds.
 */
function repeatedGroupRisk(source: string): string | null {
	const open: Array<{ risky: boolean }> = [];
	let closed: { risky: boolean } | null = null;
	for (let i = 0; i < source.length; i++) {
		const ch = source[i];
		const group = closed;
		closed = null;
		if (ch === '\\') {
			i++;
		} else if (ch === '[') {
			i++;
			while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
		} else if (ch === '(') {
			open.push({ risky: false });
		} else if (ch === ')') {
			closed = open.pop() ?? null;
			if (closed?.risky && open.length > 0) open[open.length - 1].risky = true;
		} else if (ch === '|') {
			if (open.length > 0) open[open.length - 1].risky = true;
		} else if (ch === '*' || ch === '+' || ch === '{') {
			if (group?.risky) return 'a repeated group holds a repetition or alternatives, which can take exponential time';
			if (open.length > 0) open[open.length - 1].risky = true;
		}
	}
	return null;
}

function describe(rule: StatusRule): string {
	return `${rule.match} "${rule.value}" -> ${rule.stage}`;
}

/**
 * Builds the classifier once per run. A status over MAX_STATUS_LENGTH characters gets no stage; a won from a
 * pattern rule, a preset phrase or a preset code counts only if the won guard lets the text be won, and a refused
 * rule is passed over as if it did not match.
 */
export function createClassifier(rules: StatusRule[], usePreset: boolean): Classifier {
	const compiled = compileRules(rules);
	return (status, code) => {
		if (status !== null && status.length > MAX_STATUS_LENGTH) {
			return { stage: null, reason: `is longer than ${MAX_STATUS_LENGTH} characters (${status.length}), so no rule is tried` };
		}
		let guarded: boolean | undefined;
		const admits = (stage: Stage) => stage !== 'won' || !(guarded ??= status !== null && cannotBeWon(status));
		for (const rule of compiled) {
			if (rule.test(status, code) && (rule.match !== 'pattern' || admits(rule.stage))) return { stage: rule.stage, rule: describe(rule) };
		}
		if (usePreset) {
			const entry = status === null ? undefined : presetPhrase(status);
			if (entry && admits(entry.stage)) return { stage: entry.stage, rule: `preset "${entry.phrase}" (${entry.crms.join(', ')}) -> ${entry.stage}` };
			const key = code === null ? '' : code.trim().toUpperCase();
			const codeStage = BITRIX_STATUS_CODES.get(key);
			if (codeStage && admits(codeStage)) return { stage: codeStage, rule: `preset code "${code}" (1C-Bitrix) -> ${codeStage}` };
			const dealCode = DEAL_STATUS_CODES.get(key);
			if (dealCode && admits(dealCode.stage)) return { stage: dealCode.stage, rule: `preset code "${code}" (${dealCode.crm}) -> ${dealCode.stage}` };
		}
		return { stage: null, reason: 'matches no rule' };
	};
}

export interface Transition {
	from: Stage | null;
	to: Stage;
	fromStatus: string | null;
	toStatus: string | null;
	stageChanged: boolean;
}

/** The stage move of an order whose previous status is known (the import's incremental change info). */
export function transitionOf(classify: Classifier, previousStatus: string | null | undefined, status: string | null, stage: Stage): Transition | null {
	if (previousStatus === undefined) return null;
	const from = previousStatus === null ? null : (classify(previousStatus, null).stage ?? 'other');
	return { from, to: stage, fromStatus: previousStatus, toStatus: status, stageChanged: from !== stage };
}
