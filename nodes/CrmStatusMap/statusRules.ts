import { STAGES, type Stage } from '../shared/contracts';
import { InputDataError } from '../shared/errors';

/**
 * Raw CRM statuses -> pipeline stages, by rules tried in order: the first that matches wins.
 * - exact: the status as written;
 * - insensitive: ignoring case, "ё"/"е", and runs of spaces;
 * - pattern: a regular expression (case-insensitive);
 * - code: the bracketed code a Bitrix status carries ("[F] Выполнен" -> "F"), as the import splits it off.
 */
export type MatchType = 'exact' | 'insensitive' | 'pattern' | 'code';

export interface StatusRule {
	match: MatchType;
	value: string;
	stage: Stage;
}

export interface CompiledRule extends StatusRule {
	test: (status: string | null, code: string | null) => boolean;
}

export function normaliseStatus(text: string): string {
	return text.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}

export function compileRules(rules: StatusRule[]): CompiledRule[] {
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

export function findStage(rules: CompiledRule[], status: string | null, code: string | null): CompiledRule | undefined {
	return rules.find((rule) => rule.test(status, code));
}

/**
 * The usual status names of 1C-Bitrix (with their letter codes), 1C:Управление торговлей / УНФ and amoCRM / Kommo.
 * Order matters: "ожидается оплата" is new, "оплачен" is won.
 */
export const PRESET_RULES: StatusRule[] = [
	{ match: 'pattern', value: 'ожида\\S* оплат|не оплачен|awaiting payment', stage: 'new' },
	{ match: 'pattern', value: 'отмен|отказ|отклон|не реализ|возврат|closed - lost|closed lost|cancel|refund|lost', stage: 'lost' },
	{ match: 'pattern', value: 'выполнен|успешно реализ|закрыт|доставлен|получен|оплачен|исполнен|завершен|closed - won|closed won|completed|paid|won', stage: 'won' },
	{ match: 'pattern', value: '^(нов|принят|первичн|неразобран|incoming|new)', stage: 'new' },
	{ match: 'pattern', value: 'обработ|в работе|согласова|переговор|принимают решение|собран|отгруж|передан|комплект|доставк|отправ|резерв|к выполнению|qualif|negotiat|decision|in progress|processing|shipped', stage: 'in_progress' },
	{ match: 'code', value: 'N', stage: 'new' },
	{ match: 'code', value: 'P', stage: 'in_progress' },
	{ match: 'code', value: 'F', stage: 'won' },
];

export interface Transition {
	from: Stage | null;
	to: Stage;
	fromStatus: string | null;
	toStatus: string | null;
	stageChanged: boolean;
}

/** The stage move of an order whose previous status is known (the import's incremental change info). */
export function transitionOf(rules: CompiledRule[], previousStatus: string | null | undefined, status: string | null, stage: Stage): Transition | null {
	if (previousStatus === undefined) return null;
	const from = previousStatus === null ? null : (findStage(rules, previousStatus, null)?.stage ?? 'other');
	return { from, to: stage, fromStatus: previousStatus, toStatus: status, stageChanged: from !== stage };
}
