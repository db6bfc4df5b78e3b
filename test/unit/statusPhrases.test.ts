import { join } from 'path';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { createStatusMapper, type UnmappedHandling } from '../../nodes/CrmStatusMap/mapStatuses';
import { cannotBeWon } from '../../nodes/CrmStatusMap/statusGuard';
import { buildPhraseIndex, presetKey, STATUS_PHRASES } from '../../nodes/CrmStatusMap/statusPhrases';
import { createClassifier, MAX_STATUS_LENGTH } from '../../nodes/CrmStatusMap/statusRules';
import { fakeExecuteFunctions, type NodeUnderTest } from '../faults/fakeContext';
import { STATUS_TEXTS } from '../fixtures/statusTexts';

type NodeModule = typeof import('../../nodes/CrmStatusMap/CrmStatusMap.node');
// Node's resolution (ts-node) would take "CrmStatusMap.node" for the CrmStatusMap.node.json beside it: name the file.
const { CrmStatusMap } = require(join(__dirname, '..', '..', 'nodes', 'CrmStatusMap', 'CrmStatusMap.node.ts')) as NodeModule;

const STATUS_MAP: NodeUnderTest = {
	type: new CrmStatusMap(),
	node: { id: 'status-map', name: 'CRM Status Map', type: 'n8n-nodes-sales-analytics.crmStatusMap', typeVersion: 1, position: [0, 0], parameters: {} },
	credentials: [],
};

const preset = createClassifier([], true);
const stageOf = (text: string, code: string | null = null) => preset(text, code).stage;

/** The real node's execute() over the fixture's statuses: all its outputs. */
async function runNode(parameters: Record<string, unknown>, input: INodeExecutionData[], continueOnFail = false): Promise<INodeExecutionData[][]> {
	const context = fakeExecuteFunctions({ parameters, credential: {}, staticData: {}, continueOnFail, input }, STATUS_MAP);
	return (await STATUS_MAP.type.execute!.call(context)) as INodeExecutionData[][];
}

const fixtureItems = (): INodeExecutionData[] => STATUS_TEXTS.map(({ text, code }) => ({ json: { status: text, statusCode: code ?? null } }));

describe('the status table fixture', () => {
	it('holds at least 150 real statuses from every CRM of the preset', () => {
		expect(STATUS_TEXTS.length).toBeGreaterThanOrEqual(150);
		const crms = new Set(STATUS_TEXTS.map((entry) => entry.crm));
		for (const crm of ['1C-Bitrix', '1C', 'amoCRM', 'Kommo', 'Bitrix24', 'RetailCRM', 'InSales', 'OpenCart', 'WooCommerce', 'Shopify', 'Tilda']) expect(crms).toContain(crm);
	});

	it('holds every negated text the tester found mapped to won, and the Ukrainian and English ones', () => {
		const texts = new Set(STATUS_TEXTS.map((entry) => entry.text));
		const tester = ['Не выполнен', 'Невыполнен', 'Неоплачен', 'Не доставлен', 'Не получен', 'Частично оплачен', 'Оплачен частично', 'Unpaid', 'Not paid', 'Not completed', 'Partially paid'];
		for (const text of [...tester, 'Не оплачено', 'Частково оплачено', 'Не виконано', 'Payment failed', 'Not delivered', 'Unfulfilled']) expect(texts).toContain(text);
	});
});

describe('the preset over real statuses', () => {
	it.each(STATUS_TEXTS.map((entry) => [entry.crm, entry.text, entry.code ?? null, entry.stage] as const))('%s "%s" (code %s) -> %s', (_crm, text, code, stage) => {
		expect(stageOf(text, code)).toBe(stage);
	});

	it('maps none of the fixture texts that negate, are partial or reverse to won, and flags exactly those', () => {
		for (const { text, negated } of STATUS_TEXTS) {
			expect([text, cannotBeWon(text)]).toEqual([text, negated === true]);
			if (negated) expect([text, stageOf(text, 'F')]).not.toEqual([text, 'won']);
		}
	});

	it('never gives won to a won phrase of the table once negated or made partial, even with the Bitrix code F', () => {
		const wonPhrases = STATUS_PHRASES.flatMap((crm) => crm.phrases.won ?? []);
		expect(wonPhrases.length).toBeGreaterThan(20);
		const forms = (phrase: string) => [`Не ${phrase}`, `не${phrase.toLowerCase()}`, `Not ${phrase}`, `un${phrase}`, `Non-${phrase}`, `Частично ${phrase}`, `${phrase} частково`, `Partially ${phrase}`, `${phrase}, ошибка`, `${phrase} failed`, `${phrase} - declined`];
		for (const phrase of wonPhrases) {
			for (const text of forms(phrase)) {
				expect([text, cannotBeWon(text)]).toEqual([text, true]);
				expect([text, stageOf(text, 'F')]).not.toEqual([text, 'won']);
			}
		}
	});

	it('does not guess from part of a longer status: the old substring matches are unmapped now', () => {
		// The old preset matched "выполнен", "оплачен", "paid", "completed" anywhere in the text.
		for (const text of ['Выполнен частично по договору', 'Оплачен наличными курьеру', 'Paid by card', 'Completed with errors', 'Заказ выполнен', 'Отгружен, оплачен']) {
			expect([text, stageOf(text)]).toEqual([text, null]);
		}
	});

	it('compares whole texts after normalising case, ё, spaces, separators, a final "." and the Bitrix24 pipeline prefix', () => {
		expect(presetKey('  Closed  -  WON. ')).toBe('closed won');
		expect(presetKey('ready_for\tself—pickup')).toBe('ready for self pickup');
		expect(presetKey('C12:FINAL_INVOICE')).toBe('final invoice');
		expect(presetKey('complete')).toBe('complete');
		expect(presetKey('Отменён...')).toBe('отменен');
		expect(stageOf('ВЫПОЛНЕН')).toBe('won');
		expect(stageOf('Выполнен!')).toBeNull();
		expect(stageOf('Выполнен, спасибо')).toBeNull();
	});

	it('uses the Bitrix letter code only for a text the table does not know, and not for a negated one', () => {
		expect(preset('Собственный статус', 'F')).toEqual({ stage: 'won', rule: 'preset code "F" (1C-Bitrix) -> won' });
		expect(stageOf('Собственный статус', 'P')).toBe('in_progress');
		expect(stageOf('Собственный статус', 'N')).toBe('new');
		expect(stageOf('Не завершён', 'F')).toBeNull();
		expect(stageOf('Отменен', 'F')).toBe('lost');
		expect(stageOf('Собственный статус', 'X')).toBeNull();
		expect(stageOf('Собственный статус', 'constructor')).toBeNull();
		expect(preset(null, 'F').stage).toBe('won');
	});

	it('names the phrase and the CRMs that decided', () => {
		expect(preset('выполнен', 'F')).toEqual({ stage: 'won', rule: 'preset "Выполнен" (1C-Bitrix, 1C, RetailCRM, WooCommerce) -> won' });
		expect(preset('Странный', null)).toEqual({ stage: null, reason: 'matches no rule' });
	});
});

describe('the phrase table', () => {
	it('puts no phrase at two stages, and refuses a table that does', () => {
		expect(() => buildPhraseIndex(STATUS_PHRASES)).not.toThrow();
		expect(() => buildPhraseIndex([{ crm: 'A', phrases: { won: ['Paid'] } }, { crm: 'B', phrases: { new: ['PAID.'] } }])).toThrow('The preset puts "PAID." (B) at new and "Paid" (A) at won');
	});

	it('has no won phrase that the guard flags', () => {
		for (const crm of STATUS_PHRASES) for (const phrase of crm.phrases.won ?? []) expect([phrase, cannotBeWon(phrase)]).toEqual([phrase, false]);
	});

	it('holds 212 distinct phrases', () => {
		const index = buildPhraseIndex(STATUS_PHRASES);
		const counts = new Map<string, number>();
		for (const entry of index.values()) counts.set(entry.stage, (counts.get(entry.stage) ?? 0) + 1);
		// The distinct keys of statusPhrases.ts, tallied outside this code (a separate script over the file's text), plus
		// the three 1C flag names added by hand: Не проведен (new), Проведен (in_progress), Помечен на удаление (lost).
		expect(Object.fromEntries(counts)).toEqual({ new: 43, in_progress: 82, won: 22, lost: 60, other: 5 });
	});
});

describe('user rules and the guard', () => {
	it('passes over a pattern rule to won for a negated text, and lets the preset or the next rule decide', () => {
		const classify = createClassifier(
			[
				{ match: 'pattern', value: 'оплач|paid|выполн|complet', stage: 'won' },
				{ match: 'pattern', value: 'отгруж', stage: 'in_progress' },
			],
			true,
		);
		expect(classify('Оплачен полностью', null)).toEqual({ stage: 'won', rule: 'pattern "оплач|paid|выполн|complet" -> won' });
		expect(classify('Не оплачен', null).stage).toBe('new');
		expect(classify('Unpaid', null).stage).toBe('new');
		expect(classify('Частично оплачен', null).stage).toBe('in_progress');
		expect(classify('Не выполнен', null).stage).toBe('lost');
		expect(classify('Оплачен, не отгружен', null)).toEqual({ stage: 'in_progress', rule: 'pattern "отгруж" -> in_progress' });
		expect(classify('Not completed yet', null)).toEqual({ stage: null, reason: 'matches no rule' });
	});

	it('trusts exact, case-insensitive and code rules as written, and pattern rules to other stages', () => {
		const classify = createClassifier(
			[
				{ match: 'insensitive', value: 'не оплачен', stage: 'won' },
				{ match: 'exact', value: 'Unpaid', stage: 'won' },
				{ match: 'code', value: 'x', stage: 'won' },
				{ match: 'pattern', value: '^не ', stage: 'lost' },
			],
			false,
		);
		expect(classify('Не  оплачен', null).stage).toBe('won');
		expect(classify('Unpaid', null).stage).toBe('won');
		expect(classify('Не получен', 'X').stage).toBe('won');
		expect(classify('Не получен', null).stage).toBe('lost');
	});

	it('refuses a pattern that repeats a group holding a repetition or alternatives', () => {
		for (const pattern of ['(a+)+$', '(\\w+\\s?)*x', '(a|ab)*c', '((a)b*){2,}', '(?:x|y)+']) {
			expect(() => createClassifier([{ match: 'pattern', value: pattern, stage: 'won' }], false)).toThrow(/^Rule 1: ".*" is refused: a repeated group holds a repetition or alternatives/);
		}
		for (const pattern of ['^(оплачен|paid)$', '[(a+)]+', '\\(a+\\)+', '(ab)+', 'a+b*', '(a+)?']) {
			expect(() => createClassifier([{ match: 'pattern', value: pattern, stage: 'won' }], false)).not.toThrow();
		}
	});

	it('does not classify a status over the length cap, and still a status at the cap', () => {
		const classify = createClassifier([{ match: 'pattern', value: 'a', stage: 'new' }], true);
		expect(classify('a'.repeat(MAX_STATUS_LENGTH), null).stage).toBe('new');
		expect(classify('a'.repeat(MAX_STATUS_LENGTH + 1), null)).toEqual({ stage: null, reason: 'is longer than 200 characters (201), so no rule is tried' });
	});

	it('scans a hostile status for negations in linear time', () => {
		const long = `${'оплачен '.repeat(125_000)}x`;
		const started = Date.now();
		expect(cannotBeWon(long)).toBe(false);
		expect(cannotBeWon(`${long} не`)).toBe(true);
		expect(Date.now() - started).toBeLessThan(2000);
	});
});

describe('unmapped statuses in the three modes', () => {
	const map = (unmapped: UnmappedHandling) => createStatusMapper({ rules: [], usePreset: true, unmapped, onlyStageChanges: false });

	it('reports an unknown status as unmapped (error and second output) or passes it as other', () => {
		for (const text of ['Странный статус', 'Оплачен частично курьеру', 'Paid?']) {
			expect(map('error')({ status: text })).toEqual({ kind: 'unmapped', status: text, reason: 'matches no rule' });
			expect(map('output')({ status: text })).toEqual({ kind: 'unmapped', status: text, reason: 'matches no rule' });
			expect(map('other')({ status: text })).toEqual({ kind: 'mapped', stage: 'other', rule: 'the status matches no rule -> other', transition: null });
		}
	});

	it('reports a status over the cap with the reason', () => {
		const long = 'x'.repeat(5000);
		expect(map('error')({ status: long })).toEqual({ kind: 'unmapped', status: long, reason: 'is longer than 200 characters (5000), so no rule is tried' });
		expect(map('other')({ status: long })).toMatchObject({ stage: 'other', rule: 'the status is longer than 200 characters (5000), so no rule is tried -> other' });
	});
});

describe('the real node over the fixture', () => {
	it('sends every fixture status to its stage, the unknown ones to the second output', async () => {
		const [mapped, unmapped] = await runNode({ unmapped: 'output' }, fixtureItems());
		const expectedMapped = STATUS_TEXTS.filter((entry) => entry.stage !== null);
		expect(mapped.map((item) => [item.json.status, item.json.stage])).toEqual(expectedMapped.map((entry) => [entry.text, entry.stage]));
		expect(mapped.map((item) => item.pairedItem)).toEqual(STATUS_TEXTS.flatMap((entry, index) => (entry.stage === null ? [] : [{ item: index }])));
		expect(unmapped.map((item) => item.json.status)).toEqual(STATUS_TEXTS.filter((entry) => entry.stage === null).map((entry) => entry.text));
		expect(mapped.filter((item) => item.json.stage === 'won').every((item) => !cannotBeWon(item.json.status as string))).toBe(true);
	});

	it('passes unknown statuses as other', async () => {
		const [mapped] = await runNode({ unmapped: 'other' }, fixtureItems());
		expect(mapped.map((item) => item.json.stage)).toEqual(STATUS_TEXTS.map((entry) => entry.stage ?? 'other'));
	});

	it('fails on the first unknown status with its index, or reports it per item with Continue On Fail', async () => {
		const input = [{ json: { status: 'Оплачен' } }, { json: { status: 'Не доставлен' } }, { json: { status: 'x'.repeat(300) } }];
		await expect(runNode({ unmapped: 'error' }, input)).rejects.toThrow('The status "Не доставлен" of item 1 matches no rule');
		const [items] = await runNode({ unmapped: 'error' }, input, true);
		// Each error item says what to do and which input item it stands for, as every node of the pack does.
		const HINT = 'Add a rule for this status, or choose "Pass as Other" or "Send to a Second Output" under Unmapped Statuses.';
		expect(items.map((item) => item.json as IDataObject)).toEqual([
			expect.objectContaining({ status: 'Оплачен', stage: 'won' }),
			{ error: 'The status "Не доставлен" of item 1 matches no rule', description: HINT, itemIndex: 1 },
			{ error: `The status "${'x'.repeat(80)}…" of item 2 is longer than 200 characters (300), so no rule is tried`, description: HINT, itemIndex: 2 },
		]);
	});

	it('lets a user pattern rule to won pass over a negated status in the node too', async () => {
		const rules = { rule: [{ match: 'pattern', value: 'оплач', stage: 'won' }] };
		const [mapped] = await runNode({ 'rules.rule': rules.rule, unmapped: 'other' }, [{ json: { status: 'Оплачен картой' } }, { json: { status: 'Не оплачен' } }, { json: { status: 'Неоплачен картой' } }]);
		expect(mapped.map((item) => [item.json.stage, item.json.stageRule])).toEqual([
			['won', 'pattern "оплач" -> won'],
			['new', 'preset "Не оплачен" (common words) -> new'],
			['other', 'the status matches no rule -> other'],
		]);
	});
});
