import { createStatusMapper } from '../../nodes/CrmStatusMap/mapStatuses';
import { createClassifier } from '../../nodes/CrmStatusMap/statusRules';

const preset = createClassifier([], true);
const stageOf = (status: string, code: string | null = null) => preset(status, code).stage;

describe('status rules', () => {
	it.each([
		['Принят, ожидается оплата', 'new'],
		['Оплачен, формируется к отправке', 'won'],
		['Выполнен', 'won'],
		['Отменен', 'lost'],
		['Отменён', 'lost'],
		['Новый', 'new'],
		['В обработке', 'in_progress'],
		['Отгружен', 'in_progress'],
		['Первичный контакт', 'new'],
		['Переговоры', 'in_progress'],
		['Успешно реализовано', 'won'],
		['Закрыто и не реализовано', 'lost'],
		['Closed - won', 'won'],
		['Closed - lost', 'lost'],
		['Incoming leads', 'new'],
	])('the preset maps "%s" to %s', (status, stage) => {
		expect(stageOf(status)).toBe(stage);
	});

	it('falls back to the Bitrix letter code', () => {
		expect(stageOf('Собственный статус магазина', 'F')).toBe('won');
		expect(stageOf('Something custom', null)).toBeNull();
	});

	it('matches exact, case/space/ё-insensitive, pattern and code rules in order', () => {
		const classify = createClassifier(
			[
				{ match: 'exact', value: 'Ждёт звонка', stage: 'new' },
				{ match: 'insensitive', value: '  отдан   В ДОСТАВКУ ', stage: 'in_progress' },
				{ match: 'pattern', value: '^возврат', stage: 'lost' },
				{ match: 'code', value: 'x', stage: 'other' },
			],
			false,
		);
		expect(classify('Ждёт звонка', null).stage).toBe('new');
		expect(classify('ждёт звонка', null).stage).toBeNull();
		expect(classify('Отдан в доставку', null).stage).toBe('in_progress');
		expect(classify('Возврат товара', null).stage).toBe('lost');
		expect(classify('any', 'X').stage).toBe('other');
	});

	it('refuses a broken pattern and an unknown stage with the rule number', () => {
		expect(() => createClassifier([{ match: 'pattern', value: '(', stage: 'won' }], true)).toThrow(/Rule 1: "\(" is not a valid regular expression/);
		expect(() => createClassifier([{ match: 'exact', value: 'a', stage: 'paid' as never }], true)).toThrow(/Rule 1 maps to "paid"/);
	});
});

describe('createStatusMapper', () => {
	const base = { rules: [], usePreset: true, onlyStageChanges: false };

	it('handles unmapped statuses as the user chose', () => {
		expect(createStatusMapper({ ...base, unmapped: 'error' })({ status: 'Странный' })).toEqual({ kind: 'unmapped', status: 'Странный', reason: 'matches no rule' });
		expect(createStatusMapper({ ...base, unmapped: 'other' })({ status: 'Странный' })).toMatchObject({ kind: 'mapped', stage: 'other' });
	});

	it('reports transitions from the import change info', () => {
		const map = createStatusMapper({ ...base, unmapped: 'other' });
		expect(map({ status: 'Выполнен', change: { previous: { status: 'Принят, ожидается оплата' } } })).toMatchObject({
			stage: 'won',
			transition: { from: 'new', to: 'won', fromStatus: 'Принят, ожидается оплата', toStatus: 'Выполнен', stageChanged: true },
		});
		expect(map({ status: 'Выполнен', change: { previous: null } })).toMatchObject({ transition: { from: null, to: 'won', stageChanged: true } });
		expect(map({ status: 'Выполнен' })).toMatchObject({ transition: null });
	});

	it('outputs only stage changes when asked', () => {
		const map = createStatusMapper({ ...base, unmapped: 'other', onlyStageChanges: true });
		expect(map({ status: 'Выполнен', change: { previous: { status: 'Доставлен' } } })).toEqual({ kind: 'skip' });
		expect(map({ status: 'Отменен', change: { previous: { status: 'Доставлен' } } })).toMatchObject({ stage: 'lost' });
		expect(map({ status: 'Отменен' })).toEqual({ kind: 'skip' });
	});
});

describe('CRM deal codes (CRM Deals Import)', () => {
	it('maps amoCRM 142 / 143 whatever the status is called (the same ids in every pipeline)', () => {
		expect(preset('Оплачено клиентом', '142')).toEqual({ stage: 'won', rule: 'preset code "142" (amoCRM) -> won' });
		expect(preset('Отвалился', '143')).toEqual({ stage: 'lost', rule: 'preset code "143" (amoCRM) -> lost' });
		// Any other status id says nothing by itself.
		expect(stageOf('Свой этап', '41234567')).toBeNull();
	});

	it('maps Bitrix24 stage semantics, which a bare letter would confuse with 1C-Bitrix codes', () => {
		expect(stageOf('Оплата получена', 'bitrix24:S')).toBe('won');
		expect(stageOf('Клиент ушёл к конкурентам', 'bitrix24:F')).toBe('lost');
		expect(stageOf('Ждём документы', 'bitrix24:P')).toBe('in_progress');
		// The same letter bare is 1C-Bitrix's "Выполнен": won.
		expect(stageOf('Ждём документы', 'F')).toBe('won');
	});

	it('lets the stage name speak first, and keeps a negated name from being won by a code', () => {
		// NEW has semantic P, but its name is the new stage.
		expect(stageOf('Новая', 'bitrix24:P')).toBe('new');
		expect(stageOf('Клиент не оплатил', '142')).toBeNull();
	});
});

describe('CRM Status Map node: errors the n8n way', () => {
	// Required here, not imported at the top: this block is appended to the file by its own change.
	const { join } = require('path') as typeof import('path');
	const { NodeOperationError } = require('n8n-workflow') as typeof import('n8n-workflow');
	const { executeNode } = require('../faults/fakeContext') as typeof import('../faults/fakeContext');
	type NodeOperationError = import('n8n-workflow').NodeOperationError;
	type IDataObject = import('n8n-workflow').IDataObject;
	type NodeModule = typeof import('../../nodes/CrmStatusMap/CrmStatusMap.node');
	// Node's resolution (ts-node) would take "CrmStatusMap.node" for the CrmStatusMap.node.json beside it: name the file.
	const { CrmStatusMap } = require(join(__dirname, '..', '..', 'nodes', 'CrmStatusMap', 'CrmStatusMap.node.ts')) as NodeModule;
	const NODE: import('../faults/fakeContext').NodeUnderTest = {
		type: new CrmStatusMap(),
		node: { id: 'status-map', name: 'CRM Status Map', type: 'n8n-nodes-sales-analytics.crmStatusMap', typeVersion: 1, position: [0, 0], parameters: {} },
		credentials: [],
	};
	const run = (input: IDataObject[], continueOnFail: boolean, parameters: Record<string, unknown> = {}) =>
		executeNode(NODE, { parameters, credential: {}, staticData: {}, continueOnFail, input: input.map((json) => ({ json })) });

	const orders: IDataObject[] = [
		{ orderId: 'a', status: 'Выполнен', statusCode: null },
		{ hello: 'not an order' },
		{ orderId: 'c', status: { name: 'Выполнен' } },
		{ orderId: 'd', status: 'Странный статус' },
		{ orderId: 'e', status: 'Отменен', change: { previous: 'Новый' } },
		{ orderId: 'f', status: 'Отменен' },
	];

	it('with Continue On Fail: each bad item is an error item at its place, paired to it, and the good items go on', async () => {
		const { items, error } = await run(orders, true);
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.orderId ?? null, item.json.stage ?? null, item.json.error ?? null, item.json.itemIndex ?? null, item.pairedItem])).toEqual([
			['a', 'won', null, null, { item: 0 }],
			[null, null, 'Item 1: status is missing', 1, { item: 1, input: 0 }],
			[null, null, 'Item 2 (orderId "c"): status is {"name":"Выполнен"}, not text', 2, { item: 2, input: 0 }],
			[null, null, 'The status "Странный статус" of item 3 matches no rule', 3, { item: 3, input: 0 }],
			[null, null, 'Item 4 (orderId "e"): change.previous is "Новый", not an object', 4, { item: 4, input: 0 }],
			['f', 'lost', null, null, { item: 5 }],
		]);
		// The error items carry the error too, so "continue (using error output)" routes them as n8n's own nodes do.
		expect(items.filter((item) => item.json.error !== undefined).every((item) => item.error instanceof NodeOperationError)).toBe(true);
		expect(items[1].json.description).toMatch(/CRM XML Import/);
	});

	it('without Continue On Fail: the first bad item stops the run with its index, what is wrong and how to fix it', async () => {
		const { items, error } = await run(orders, false);
		expect(items).toEqual([]);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect([error?.message, (error as NodeOperationError).context.itemIndex]).toEqual(['Item 1: status is missing', 1]);
		expect(error?.description).toMatch(/Connect it after one of them, or set "status" on each item/);
		const unmapped = await run([orders[0], orders[3]], false);
		expect([unmapped.error?.message, (unmapped.error as NodeOperationError).context.itemIndex]).toEqual(['The status "Странный статус" of item 1 matches no rule', 1]);
		expect(unmapped.error?.description).toMatch(/Add a rule for this status/);
	});

	it('a rules table that cannot be used fails the node, naming the parameter and the rule, Continue On Fail or not', async () => {
		const rules = { 'rules.rule': [{ match: 'exact', value: 'Ждёт', stage: 'new' }, { match: 'pattern', value: '(', stage: 'won' }] };
		for (const continueOnFail of [false, true]) {
			const { items, error } = await run([orders[0]], continueOnFail, rules);
			expect(items).toEqual([]);
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error?.message).toMatch(/^Parameter "Rules": Rule 2: "\(" is not a valid regular expression/);
			expect(error?.description).toBe('Fix the pattern, or use the Case-Insensitive match type for plain text.');
		}
		const refused = await run([orders[0]], false, { 'rules.rule': [{ match: 'pattern', value: '(a+)+$', stage: 'won' }] });
		expect(refused.error?.message).toMatch(/^Parameter "Rules": Rule 1: "\(a\+\)\+\$" is refused/);
	});

	it('reads a number as its text, in the status and in the status code', async () => {
		const rules = [{ match: 'exact', value: '5', stage: 'in_progress' }, { match: 'code', value: '77', stage: 'lost' }];
		const { items } = await run([{ orderId: 'n', status: 5 }, { orderId: 'm', status: 'Свой этап', statusCode: 77 }], false, { 'rules.rule': rules });
		expect(items.map((item) => [item.json.stage, item.json.stageRule])).toEqual([
			['in_progress', 'exact "5" -> in_progress'],
			['lost', 'code "77" -> lost'],
		]);
	});
});
