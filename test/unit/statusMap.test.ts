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
