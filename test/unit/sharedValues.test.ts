import { join } from 'path';
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, INodeProperties, NodeExecutionHint } from 'n8n-workflow';
import { matchOrders, type MatchOptions, type MatchWithSharedValues, type Unmatched } from '../../nodes/OrderMatcher/matchOrders';
import { nameWords, sameName, sharedValuesHint } from '../../nodes/OrderMatcher/sharedValues';
import type { Order, Touch } from '../../nodes/shared/contracts';
import { order, touch } from '../helpers/records';

// Node's resolution (ts-node) would take "OrderMatcher.node" for the .node.json beside it: name the file.
const { OrderMatcher } = require(join(__dirname, '..', '..', 'nodes', 'OrderMatcher', 'OrderMatcher.node.ts')) as typeof import('../../nodes/OrderMatcher/OrderMatcher.node');

const OFFICE = '+74951234567';
const on: Partial<MatchOptions> = { timeZone: 'Europe/Moscow', detectSharedValues: true };
const off: Partial<MatchOptions> = { timeZone: 'Europe/Moscow', detectSharedValues: false };
const day = (d: number, hour = 12) => `2024-03-${String(d).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+03:00`;

function reasons<T extends Order | Touch>(unmatched: Unmatched<T>): Record<string, string> {
	return Object.fromEntries(unmatched.records.map((record, i) => ['orderId' in record ? record.orderId : record.touchId, unmatched.reasons[i]]));
}

/**
 * The reception desk of issue 16: 30 calls from the office line (3 a day, 1 to 10 March) and 5 orders typed with it,
 * each by another employee with her own e-mail (5 e-mails: not more than Max Values per Person, so the old guard
 * lets the line through); one employee also wrote from her own e-mail on 4 March.
 */
function reception(): { orders: Order[]; touches: Touch[] } {
	const names = ['Иван Петров', 'Мария Сидорова', 'Олег Смирнов', 'Анна Кузнецова', 'Пётр Волков'];
	const orders = names.map((name, i) => order(`o${i + 1}`, day(5 + 5 * i), { name, phones: ['8 (495) 123-45-67'], emails: [`staff${i + 1}@corp.ru`] }));
	const calls = Array.from({ length: 30 }, (_, i) => touch(`call${i}`, day(1 + Math.floor(i / 3), 10 + (i % 3)), { phones: [OFFICE] }));
	return { orders, touches: [...calls, touch('mail', day(4), { kind: 'email', emails: ['staff1@corp.ru'] })] };
}

const RECEPTION_EVIDENCE = '30 touches, 5 orders with 5 different names, 2024-03-01 to 2024-03-25';

describe('shared values found from the data', () => {
	it('an office line on 30 calls and 5 orders under 5 names is found shared and joins nobody', () => {
		const { orders, touches } = reception();
		const result = matchOrders(orders, touches, on);
		expect(result.sharedValues).toEqual([
			{ key: `phone:${OFFICE}`, kind: 'phone', value: OFFICE, touches: 30, orders: 5, names: 5, busiestOrders: 5, busiestTouchDays: 10, firstDate: '2024-03-01', lastDate: '2024-03-25', evidence: RECEPTION_EVIDENCE },
		]);
		expect(result.blockedValues).toEqual([{ key: `phone:${OFFICE}`, reason: `shared: ${RECEPTION_EVIDENCE}` }]);
		// Only the e-mail links: o1 gets the employee's own e-mail, and its match says what was not used.
		expect(result.deals.map((deal) => [deal.orderId, deal.touches.map((t) => t.touchId)])).toEqual([['o1', ['mail']]]);
		expect((result.deals[0].match as MatchWithSharedValues).sharedValues).toEqual([{ key: `phone:${OFFICE}`, reason: `not joined through it (shared: ${RECEPTION_EVIDENCE})` }]);
		const touchReasons = reasons(result.unmatchedTouches);
		expect(Object.keys(touchReasons)).toHaveLength(30);
		expect(touchReasons.call0).toBe(`its only identity values are blocked as shared; not joined through ${OFFICE} (shared: ${RECEPTION_EVIDENCE})`);
		expect(reasons(result.unmatchedOrders).o5).toBe(`no touch of this customer within 30 days before it; not joined through ${OFFICE} (shared: ${RECEPTION_EVIDENCE})`);
	});

	it('without detection (version 1) the same line joins the calls to whichever order comes next', () => {
		const { orders, touches } = reception();
		const result = matchOrders(orders, touches, off);
		expect(result.sharedValues).toEqual([]);
		expect(result.blockedValues).toEqual([]);
		// Calls of 1-5 March go to o1 (5 March 12:00), those of 6-10 March to o2 (10 March): 15 each, plus the e-mail.
		expect(result.deals.map((deal) => [deal.orderId, deal.touches.length])).toEqual([
			['o1', 16],
			['o2', 15],
		]);
		expect((result.deals[0].match as MatchWithSharedValues).sharedValues).toBeUndefined();
	});

	it('a real repeat customer (one name written six ways, 6 orders over a year, 3 calls before each) is not shared', () => {
		const names = ['Фёдор Семёнов', 'СЕМЕНОВ ФЕДОР', 'Семёнов Фёдор Иванович', 'Ф. Семенов', 'федор семенов', 'Семенов Федор'];
		const at = (month: number, d: number) => `2024-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}T12:00:00+03:00`;
		const phone = '+79161234567';
		const orders = names.map((name, i) => order(`o${i}`, at(1 + 2 * i, 15), { name, phones: [phone] }));
		const touches = names.flatMap((_, i) => [3, 7, 11].map((d) => touch(`t${i}-${d}`, at(1 + 2 * i, d), { phones: [phone] })));
		const result = matchOrders(orders, touches, on);
		expect(result.sharedValues).toEqual([]);
		expect(result.deals.map((deal) => deal.touches.length)).toEqual([3, 3, 3, 3, 3, 3]);
	});

	it('a buyer who orders every day and calls before each order is not shared: the calls keep pace with the orders', () => {
		const phone = '+79161234567';
		const orders = Array.from({ length: 20 }, (_, i) => order(`o${i}`, day(i + 1, 15), { name: 'Кафе «Ромашка» Ольга', phones: [phone] }));
		const touches = Array.from({ length: 20 }, (_, i) => touch(`t${i}`, day(i + 1, 9), { phones: [phone] }));
		const result = matchOrders(orders, touches, on);
		expect(result.sharedValues).toEqual([]);
		expect(result.deals).toHaveLength(20);
	});

	it('a courier line: touches on 20 days of March and one order in them is shared by its rate alone', () => {
		const courier = '+79035550101';
		// Only the last touch also carries an e-mail, the buyer's: the old guard sees the line with one e-mail and lets it join.
		const touches = Array.from({ length: 40 }, (_, i) => touch(`c${i}`, day(1 + Math.floor(i / 2), 9 + (i % 2)), { phones: [courier], emails: i === 39 ? ['client39@mail.ru'] : [] }));
		// The buyer gave the courier's number on her order too: 1 order against 20 days of touches in the same 30 days.
		const orders = [order('o1', day(25), { name: 'Анна Кузнецова', phones: [courier], emails: ['client39@mail.ru'] })];
		const result = matchOrders(orders, touches, on);
		expect(result.sharedValues.map((shared) => [shared.key, shared.evidence])).toEqual([
			[`phone:${courier}`, '40 touches, 1 order with 1 name, touches on 20 different days within 30 days, 2024-03-01 to 2024-03-25'],
		]);
		// Only the touch with the buyer's own e-mail is hers; the 39 others no longer reach her through the courier.
		expect(result.deals[0].touches.map((t) => t.touchId)).toEqual(['c39']);
		expect(matchOrders(orders, touches, off).deals[0].touches).toHaveLength(40);
	});

	it('12 orders within 30 days with no names are shared by their number; with one name written each time they are not', () => {
		const email = 'orders@firm.ru';
		const unnamed = Array.from({ length: 12 }, (_, i) => order(`o${i}`, day(i + 1), { emails: [email], phones: [`+7916000${String(i).padStart(4, '0')}`] }));
		expect(matchOrders(unnamed, [], on).sharedValues.map((shared) => shared.evidence)).toEqual(['0 touches, 12 orders, 12 orders within 30 days, 2024-03-01 to 2024-03-12']);
		const named = unnamed.map((o) => ({ ...o, customer: { ...o.customer, name: 'ООО Фирма, Петров' } }));
		expect(matchOrders(named, [], on).sharedValues).toEqual([]);
	});

	it('a placeholder e-mail on 3 orders under 3 names is shared, and each order still matches by its own phone', () => {
		const orders = ['Иван Петров', 'Мария Сидорова', 'Олег Смирнов'].map((name, i) => order(`o${i}`, day(10 + i), { name, emails: ['TEST@test.ru'], phones: [`+7916111000${i}`] }));
		const touches = [0, 1, 2].map((i) => touch(`t${i}`, day(5 + i), { kind: 'form', phones: [`+7916111000${i}`], emails: ['test@test.ru'] }));
		const result = matchOrders(orders, touches, on);
		expect(result.sharedValues.map((shared) => [shared.key, shared.evidence])).toEqual([['email:test@test.ru', '3 touches, 3 orders with 3 different names, 2024-03-05 to 2024-03-12']]);
		expect(result.deals.map((deal) => [deal.orderId, deal.touches.map((t) => t.touchId), deal.match.keys[0].key])).toEqual([
			['o0', ['t0'], 'phone'],
			['o1', ['t1'], 'phone'],
			['o2', ['t2'], 'phone'],
		]);
	});
});

describe('Trusted Values', () => {
	it('a trusted value is never found shared, in any written form', () => {
		const { orders, touches } = reception();
		const result = matchOrders(orders, touches, { ...on, trustedValues: ['8 495 123 45 67'] });
		expect(result.sharedValues).toEqual([]);
		expect(result.deals.map((deal) => [deal.orderId, deal.touches.length])).toEqual([
			['o1', 16],
			['o2', 15],
		]);
	});

	it('a trusted value is not blocked by Max Values per Person either; a value also listed in Blocked Values stays blocked', () => {
		const buyer = 'buyer@company.ru';
		const orders = Array.from({ length: 8 }, (_, i) => order(`o${i}`, day(5), { emails: [buyer], phones: [`+7916222000${i}`] }));
		const touches = [touch('t1', day(4), { emails: [buyer] })];
		expect(matchOrders(orders, touches, off).blockedValues).toEqual([{ key: `email:${buyer}`, reason: 'seen with 8 different phones' }]);
		const trusted = matchOrders(orders, touches, { ...off, trustedValues: [buyer] });
		expect(trusted.blockedValues).toEqual([]);
		expect(trusted.deals).toHaveLength(1);
		const both = matchOrders(orders, touches, { ...off, trustedValues: [buyer], blockedValues: [buyer] });
		expect(both.blockedValues).toEqual([{ key: `email:${buyer}`, reason: 'listed as a blocked value' }]);
	});
});

describe('names compared as one person would write them', () => {
	it('case, ё/е, word order, a patronymic and initials do not make another name; another first name or surname does', () => {
		const words = (name: string) => nameWords(name) as string[];
		expect(words('Семёнов  Фёдор-Иванович')).toEqual(['иванович', 'семенов', 'федор']);
		expect(sameName(words('Петров Иван Сергеевич'), words('иван ПЕТРОВ'))).toBe(true);
		expect(sameName(words('И. Петров'), words('Петров Иван'))).toBe(true);
		expect(sameName(words('Иван Петров'), words('Иван Сидоров'))).toBe(false);
		expect(sameName(words('Петров Иван'), words('Петрова Мария'))).toBe(false);
		expect([nameWords(''), nameWords('  -- 12 '), nameWords(42), nameWords(null)]).toEqual([null, null, null, null]);
	});

	it('a hostile name is read in its first 200 characters and 6 words, at once', () => {
		const started = Date.now();
		expect(nameWords('я '.repeat(1_000_000))).toEqual(['я', 'я', 'я', 'я', 'я', 'я']);
		expect(nameWords('ж'.repeat(1_000_000))?.[0]).toHaveLength(200);
		expect(Date.now() - started).toBeLessThan(1000);
	});
});

/** The node's execute() with just what it reads: inputs, parameters as n8n fills them, its type version, hints. */
async function runNode(typeVersion: number, options: IDataObject): Promise<{ outputs: INodeExecutionData[][]; hints: NodeExecutionHint[] }> {
	const { orders, touches } = reception();
	const hints: NodeExecutionHint[] = [];
	const node: INode = { id: 'shared', name: 'Order Matcher', type: 'n8n-nodes-sales-analytics.orderMatcher', typeVersion, position: [0, 0], parameters: {} };
	const parameters: Record<string, unknown> = { lookbackDays: 30, graceHours: 2, options: { timeZone: 'Europe/Moscow', ...options } };
	const context = {
		getInputData: (input = 0) => (input === 0 ? touches : orders).map((json) => ({ json: json as unknown as IDataObject })),
		getNodeParameter: (name: string) => parameters[name],
		getNode: () => node,
		getTimezone: () => 'Europe/Moscow',
		continueOnFail: () => false,
		addExecutionHints: (...added: NodeExecutionHint[]) => hints.push(...added),
	} as unknown as IExecuteFunctions;
	return { outputs: await new OrderMatcher().execute.call(context), hints };
}

describe('the node: versions and the hint', () => {
	it('version 1.1 is the default and detects; version 1 keeps joining through the line unless the option is set', async () => {
		const description = new OrderMatcher().description;
		expect([description.version, description.defaultVersion]).toEqual([[1, 1.1], 1.1]);
		const detect = (description.properties.find((property) => property.name === 'options')?.options as INodeProperties[]).filter((option) => option.name === 'detectSharedValues');
		expect(detect.map((option) => [option.default, option.displayOptions?.show?.['@version']])).toEqual([
			[false, [{ _cnd: { lt: 1.1 } }]],
			[true, [{ _cnd: { gte: 1.1 } }]],
		]);

		const current = await runNode(1.1, {});
		expect(current.outputs[0].map((item) => item.json.orderId)).toEqual(['o1']);
		expect(current.outputs[2]).toHaveLength(30);
		expect(current.hints).toEqual([
			{
				message: `Not joined through 1 shared value: ${OFFICE} (${RECEPTION_EVIDENCE}). If one is a real customer's, add it to Trusted Values; to stop looking, turn Detect Shared Values off.`,
				type: 'warning',
				location: 'outputPane',
			},
		]);
		const old = await runNode(1, {});
		expect(old.outputs[0].map((item) => [item.json.orderId, (item.json.touches as unknown[]).length])).toEqual([
			['o1', 16],
			['o2', 15],
		]);
		expect(old.hints).toEqual([]);
		expect((await runNode(1, { detectSharedValues: true })).outputs[0].map((item) => item.json.orderId)).toEqual(['o1']);
		expect((await runNode(1.1, { detectSharedValues: false })).outputs[0]).toHaveLength(2);
	});

	it('the hint names five values and counts the rest', () => {
		const shared = Array.from({ length: 7 }, (_, i) => ({ value: `v${i}`, evidence: `e${i}` }) as never);
		expect(sharedValuesHint(shared)).toBe(
			"Not joined through 7 shared values: v0 (e0); v1 (e1); v2 (e2); v3 (e3); v4 (e4); and 2 more (see the reasons and the deals' match.sharedValues). If one is a real customer's, add it to Trusted Values; to stop looking, turn Detect Shared Values off.",
		);
	});
});
