import { join } from 'path';
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeType } from 'n8n-workflow';
import { fakeExecuteFunctions } from '../faults/fakeContext';
import { problemItems } from '../../nodes/shared/itemErrors';
import type { Touch } from '../../nodes/shared/contracts';
import { newLead } from '../../nodes/LeadQueue/lead';
import { order, touch } from '../helpers/records';

/**
 * The shared way of per-item errors, through the real nodes' execute(): fakeContext's IExecuteFunctions (parameters
 * with the description's defaults, Continue On Fail), with input items per input and an execution id.
 */
type Modules = {
	Attribution: typeof import('../../nodes/Attribution/Attribution.node');
	OrderMatcher: typeof import('../../nodes/OrderMatcher/OrderMatcher.node');
	LeadQueue: typeof import('../../nodes/LeadQueue/LeadQueue.node');
};
// Node's resolution (ts-node) would take "X.node" for the X.node.json beside it: name the file.
const load = <K extends keyof Modules>(name: K): Modules[K] => require(join(__dirname, '..', '..', 'nodes', name, `${name}.node.ts`)) as Modules[K];
const { Attribution } = load('Attribution');
const { OrderMatcher } = load('OrderMatcher');
const { LeadQueue } = load('LeadQueue');

function context(type: INodeType, inputs: IDataObject[][], parameters: Record<string, unknown>, continueOnFail: boolean): IExecuteFunctions {
	const node = { id: 'item-errors', name: type.description.displayName, type: `n8n-nodes-sales-analytics.${type.description.name}`, typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
	const ctx = fakeExecuteFunctions({ parameters, credential: {}, staticData: {}, continueOnFail }, { type, node, credentials: [] });
	return Object.assign(ctx, {
		getInputData: (input = 0): INodeExecutionData[] => (inputs[input] ?? []).map((json) => ({ json })),
		getExecutionId: () => 'exec-1',
		evaluateExpression: () => 0,
	});
}

async function run(type: INodeType, inputs: IDataObject[][], parameters: Record<string, unknown>, continueOnFail: boolean): Promise<INodeExecutionData[][]> {
	return (await type.execute?.call(context(type, inputs, parameters, continueOnFail))) as INodeExecutionData[][];
}

/** What a run threw, to compare message, item index and description. */
async function thrown(promise: Promise<unknown>): Promise<{ message: string; itemIndex: unknown; description: unknown }> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(NodeOperationError);
	const failure = error as NodeOperationError;
	return { message: failure.message, itemIndex: failure.context.itemIndex, description: failure.description };
}

const utm = (source: string, medium: string) => ({ source, medium, campaign: null, content: null, term: null });
const at = (day: number) => `2024-03-${String(day).padStart(2, '0')}T10:00:00+03:00`;
const tp = (touchId: string, day: number, channel: Touch['channel'] | null) => ({ ...touch(touchId, at(day)), channel }) as unknown as IDataObject;
const dealItem = (orderId: string, total: unknown, touches: IDataObject[] | undefined) => {
	const deal = { ...order(orderId, at(20)), stage: null, total, touches, match: { method: 'phone', keys: [], reason: '' } } as unknown as IDataObject;
	if (touches === undefined) delete deal.touches;
	return deal;
};

describe('problemItems', () => {
	const problems = [
		{ itemIndex: 2, message: 'Item 2: total is missing', description: 'Give a total.' },
		{ itemIndex: 5, message: 'Item 5: touches is missing', description: 'Give touches.' },
	];
	const ctx = (continueOnFail: boolean) => context(new Attribution(), [], {}, continueOnFail);

	it('without Continue On Fail throws the first problem with its item index and how to fix it', async () => {
		expect(await thrown(Promise.resolve().then(() => problemItems(ctx(false), problems)))).toEqual({ message: 'Item 2: total is missing', itemIndex: 2, description: 'Give a total.' });
		expect(problemItems(ctx(false), [])).toEqual([]);
	});

	it('with it gives one error item per problem, paired to its item on its input, carrying the error for the error output', () => {
		const items = problemItems(ctx(true), problems, 1);
		expect(items.map(({ json, pairedItem }) => ({ json, pairedItem }))).toEqual([
			{ json: { error: 'Item 2: total is missing', description: 'Give a total.', itemIndex: 2 }, pairedItem: { item: 2, input: 1 } },
			{ json: { error: 'Item 5: touches is missing', description: 'Give touches.', itemIndex: 5 }, pairedItem: { item: 5, input: 1 } },
		]);
		expect(items[1].error).toBeInstanceOf(NodeOperationError);
		expect(items[1].error?.context.itemIndex).toBe(5);
	});
});

describe('Attribution: bad deals are per-item errors, the good ones are credited as before', () => {
	const deals = [
		dealItem('o1', 1000, [tp('t1', 1, utm('yandex', 'cpc')), tp('t2', 5, utm('google', 'cpc'))]),
		dealItem('o2', '1234.56', [tp('t3', 6, utm('vk', 'social'))]),
		dealItem('o3', '1\u00a0234,56', [tp('t4', 7, utm('google', 'cpc'))]),
		dealItem('o4', null, [tp('t5', 8, utm('google', 'cpc'))]),
		dealItem('o5', 'abc', [tp('t6', 9, utm('google', 'cpc'))]),
		dealItem('o1', 1000, [tp('t1', 1, utm('yandex', 'cpc')), tp('t2', 5, utm('google', 'cpc'))]),
		dealItem('o6', 700, undefined),
		dealItem('o7', 500, [tp('t7', 10, null), tp('t8', 11, utm('google', 'cpc'))]),
		dealItem('o3', 99, [tp('t4', 7, utm('google', 'cpc'))]),
	];
	const parameters = { models: ['last', 'linear'], options: { callStats: false } };
	const o1 = ['orderId "o1" is given again at item 5 (the same record): only this first copy is used'];
	const o3 = ['orderId "o3" is given again at item 8 with other values: only this first copy is used'];
	const o7 = ['touch "t7" has no channel: credited to (not set) / (not set)'];
	// Last: the whole deal to its last touch. Linear: split evenly, 1000 -> 500 + 500, 500 -> 250 + 250.
	const credits: Array<[string, string, string, string, number, number, string[] | undefined]> = [
		['last', 'o1', 't1', 'yandex / cpc', 0, 0, o1],
		['last', 'o1', 't2', 'google / cpc', 1000, 0, o1],
		['last', 'o2', 't3', 'vk / social', 1234.56, 1, undefined],
		['last', 'o3', 't4', 'google / cpc', 1234.56, 2, o3],
		['last', 'o7', 't7', '(not set) / (not set)', 0, 7, o7],
		['last', 'o7', 't8', 'google / cpc', 500, 7, o7],
		['linear', 'o1', 't1', 'yandex / cpc', 500, 0, o1],
		['linear', 'o1', 't2', 'google / cpc', 500, 0, o1],
		['linear', 'o2', 't3', 'vk / social', 1234.56, 1, undefined],
		['linear', 'o3', 't4', 'google / cpc', 1234.56, 2, o3],
		['linear', 'o7', 't7', '(not set) / (not set)', 250, 7, o7],
		['linear', 'o7', 't8', 'google / cpc', 250, 7, o7],
	];
	const creditRows = (items: INodeExecutionData[]) =>
		items.filter((item) => item.json.model !== undefined).map(({ json, pairedItem }) => [json.model, json.orderId, json.touchId, json.channel, json.revenue, (pairedItem as { item: number }).item, json.warnings]);
	const hint = "Connect the Order Matcher's first output, or give items with orderId, total (a number or an amount as text), and touches: an array of {touchId, at, channel}.";

	it('with Continue On Fail: credits the good deals to the cent, one error item per bad deal, the repeat said on the kept deal only', async () => {
		const [out, rows] = await run(new Attribution(), [deals], parameters, true);
		expect(creditRows(out)).toEqual(credits);
		expect(out.filter((item) => item.json.error !== undefined).map(({ json, pairedItem }) => [json.itemIndex, json.error, pairedItem])).toEqual([
			[3, 'Item 3 (orderId "o4"): total is missing', { item: 3, input: 0 }],
			[4, 'Item 4 (orderId "o5"): total "abc" is not a number', { item: 4, input: 0 }],
			[6, 'Item 6 (orderId "o6"): touches is missing', { item: 6, input: 0 }],
			[8, 'Item 8: orderId "o3" was already given at item 2; this copy differs from it and is left out', { item: 8, input: 0 }],
		]);
		expect(out.find((item) => item.json.itemIndex === 3)?.json.description).toBe(hint);
		// The same deal given again (item 5) is no item of its own: a credits table downstream gets only credits.
		expect(out.filter((item) => item.json.model === undefined && item.json.error === undefined)).toEqual([]);
		expect(out).toHaveLength(12 + 4);
		// Last click: google 1000 (o1) + 1234.56 (o3) + 500 (o7) over 3 orders, vk 1234.56; yandex and (not set) nothing.
		const last = rows.filter((row) => row.json.model === 'last').map(({ json }) => [json.channel, json.orders, json.revenue]);
		expect(last).toEqual([
			['google / cpc', 3, 2734.56],
			['vk / social', 1, 1234.56],
			['(not set) / (not set)', 0, 0],
			['yandex / cpc', 0, 0],
		]);
	});

	it('the good deals alone give the same credits', async () => {
		const good = [dealItem('o1', 1000, deals[0].touches as IDataObject[]), dealItem('o2', 1234.56, deals[1].touches as IDataObject[]), dealItem('o3', 1234.56, deals[2].touches as IDataObject[]), deals[7]];
		const [out] = await run(new Attribution(), [good], parameters, false);
		const withoutWarnings = credits.map(([model, orderId, touchId, channel, revenue, item, warnings]) => [model, orderId, touchId, channel, revenue, [0, 1, 2, 3][[0, 1, 2, 7].indexOf(item)], orderId === 'o7' ? warnings : undefined]);
		expect(creditRows(out)).toEqual(withoutWarnings);
	});

	it('without Continue On Fail: stops at the first bad deal, naming its item, order and field', async () => {
		expect(await thrown(run(new Attribution(), [deals], parameters, false))).toEqual({ message: 'Item 3 (orderId "o4"): total is missing', itemIndex: 3, description: hint });
	});

	it('checks the touches without an order too, on their own input', async () => {
		const [out] = await run(new Attribution(), [deals.slice(0, 1), [{ touchId: 't9', at: at(2), channel: utm('vk', 'social') }, { at: at(2) }]], parameters, true);
		expect(out.filter((item) => item.json.error !== undefined).map(({ json, pairedItem }) => [json.error, pairedItem])).toEqual([['Item 1: touchId is missing', { item: 1, input: 1 }]]);
	});

	it('refuses a half-life that is no number of days', async () => {
		expect((await thrown(run(new Attribution(), [deals.slice(0, 1)], { ...parameters, options: { halfLifeDays: 'abc' } }, false))).message).toBe(
			'Time Decay Half-Life (Days) "abc" is not a number: use a number from 0.01 to 3650',
		);
	});
});

describe('Order Matcher: repeated orders and bad windows', () => {
	const phone = { phones: ['+79123456789'] };
	const touches = [touch('t1', '2024-03-04T12:00:00+03:00', phone), touch('t2', '2020-03-04T12:00:00+03:00', phone)] as unknown as IDataObject[];
	const orders = [order('o1', '2024-03-05T12:00:00+03:00', phone, { total: 1 }), order('o1', '2024-03-05T12:00:00+03:00', phone, { total: 2 }), order('o2', '2024-03-06T12:00:00+03:00', { emails: ['a@b.ru'] })] as unknown as IDataObject[];
	const repeated = 'Item 1: orderId "o1" was already given at item 0; this copy differs from it and is left out';

	it('with Continue On Fail: keeps the first copy with a warning, the other copy is an error item paired to it', async () => {
		const [deals, withoutTouch, withoutOrder] = await run(new OrderMatcher(), [touches, orders], {}, true);
		expect(deals.map(({ json, pairedItem }) => [json.orderId ?? null, json.total ?? null, json.warnings ?? null, json.error ?? null, pairedItem])).toEqual([
			['o1', 1, ['orderId "o1" is given again at item 1 with other values: only this first copy is used'], null, [{ item: 0, input: 1 }, { item: 0, input: 0 }]],
			[null, null, null, repeated, { item: 1, input: 1 }],
		]);
		expect(withoutTouch.map(({ json, pairedItem }) => [json.orderId, pairedItem])).toEqual([['o2', { item: 2, input: 1 }]]);
		// t2 is four years before o1: outside the default 30-day window.
		expect(withoutOrder.map(({ json }) => [json.touchId, json.unmatchedReason])).toEqual([['t2', "earlier than the lookback window before the customer's next order"]]);
	});

	it('without Continue On Fail: stops at the repeated order, naming its item', async () => {
		const failure = await thrown(run(new OrderMatcher(), [touches, orders], {}, false));
		expect([failure.message, failure.itemIndex]).toEqual([repeated, 1]);
	});

	it.each([
		[{ lookbackDays: 'abc' }, 'Lookback Window (Days) "abc" is not a number: use a number from 0 to 3650'],
		[{ lookbackDays: -1 }, 'Lookback Window (Days) -1 is too small: use a number from 0 to 3650'],
		[{ lookbackDays: 100000 }, 'Lookback Window (Days) 100000 is too large: use a number from 0 to 3650'],
		[{ graceHours: -2 }, 'Grace After Order (Hours) -2 is too small: use a number from 0 to 720'],
		[{ options: { maxValuesPerKind: 2.5 } }, 'Max Values per Person 2.5 is not a whole number: use a whole number from 1 to 1000'],
	])('refuses %j with a message naming the parameter, the value and the range', async (parameters, message) => {
		expect((await thrown(run(new OrderMatcher(), [touches, orders.slice(2)], parameters, false))).message).toBe(message);
		const [[item]] = await run(new OrderMatcher(), [touches, orders.slice(2)], parameters, true);
		expect(item.json.error).toBe(message);
	});

	it('reads a window written as text, and t2 four years early stays out of it', async () => {
		const [deals] = await run(new OrderMatcher(), [touches, orders.slice(0, 1)], { lookbackDays: '30' }, false);
		expect(deals.map(({ json }) => [json.orderId, (json.touches as Touch[]).map((t) => t.touchId)])).toEqual([['o1', ['t1']]]);
	});
});

describe('Order Matcher: touches read from their stored JSON text (Touches as JSON Text In)', () => {
	const phone = { phones: ['+79123456789'] };
	const t1 = touch('t1', '2024-03-04T12:00:00+03:00', phone);
	const t3 = touch('t3', '2024-03-05T11:00:00+03:00', phone);
	// Rows as the touch intake stores them in the Data Table: a few columns beside the whole touch as JSON text.
	const row = (id: number, touchId: string, text: unknown) => ({ id, touchId, at: '2024-03-04T12:00:00+03:00', phones: '+79123456789', touch: text });
	const rows = [row(1, 't1', JSON.stringify(t1)), row(2, 't2', '{"touchId": "t2", "at": '), row(3, 't3', JSON.stringify(t3)), row(4, 't4', null), row(5, 't5', '[1, 2]'), row(6, 't6', 'x'.repeat(100_001))] as unknown as IDataObject[];
	const orders = [order('o1', '2024-03-05T12:00:00+03:00', phone, { total: 1 })] as unknown as IDataObject[];
	const hint = 'Point Touches as JSON Text In at the column where the touch intake stores the whole touch (touch), or leave it empty when touches come from Touchpoint itself.';

	it('links the readable touches and makes each unreadable row an error item of its own, paired to it', async () => {
		const [deals] = await run(new OrderMatcher(), [rows, orders], { options: { touchJsonField: 'touch' } }, true);
		// The deal carries the touches themselves (not the rows), paired to rows 0 and 2 of the touch input.
		expect(deals.map(({ json, pairedItem }) => [json.orderId ?? null, ((json.touches as Touch[] | undefined) ?? []).map((t) => [t.touchId, (t as unknown as IDataObject).id ?? null]), json.error ?? null, pairedItem])).toEqual([
			['o1', [['t1', null], ['t3', null]], null, [{ item: 0, input: 1 }, { item: 0, input: 0 }, { item: 2, input: 0 }]],
			[null, [], `Item 1 (touchId "t2"): touch is not JSON (${jsonError('{"touchId": "t2", "at": ')})`, { item: 1, input: 0 }],
			[null, [], 'Item 3 (touchId "t4"): touch is null, not JSON text', { item: 3, input: 0 }],
			[null, [], 'Item 4 (touchId "t5"): touch is JSON but not an object', { item: 4, input: 0 }],
			[null, [], 'Item 5 (touchId "t6"): touch is 100001 characters long, over 100000', { item: 5, input: 0 }],
		]);
		expect(deals.filter(({ json }) => json.error !== undefined).every(({ json }) => json.description === hint)).toBe(true);
	});

	it('without Continue On Fail: stops at the first unreadable row, naming its item and the field', async () => {
		const failure = await thrown(run(new OrderMatcher(), [rows, orders], { options: { touchJsonField: 'touch' } }, false));
		expect([failure.itemIndex, failure.message.startsWith('Item 1 (touchId "t2"): touch is not JSON (')]).toEqual([1, true]);
	});

	it('a missing field is said as missing; left empty, the option reads the items themselves', async () => {
		const [missing] = await run(new OrderMatcher(), [[{ touchId: 't9' }], orders], { options: { touchJsonField: 'touchJson' } }, true);
		expect(missing.map(({ json }) => json.error ?? json.orderId)).toEqual(['Item 0 (touchId "t9"): touchJson is missing']);
		const [plain] = await run(new OrderMatcher(), [[t1 as unknown as IDataObject], orders], { options: { touchJsonField: '' } }, true);
		expect(plain.map(({ json }) => [json.orderId, (json.touches as Touch[]).map((t) => t.touchId)])).toEqual([['o1', ['t1']]]);
	});
});

/** The message JSON.parse gives for `text` in this Node version. */
function jsonError(text: string): string {
	try {
		JSON.parse(text);
	} catch (error) {
		return (error as Error).message.slice(0, 120);
	}
	throw new Error(`${text} parsed`);
}

describe('Lead Queue: a corrupt stored row is its own error, the queue goes on', () => {
	const row = (id: number, lead: string) => ({ id, leadId: `L${id}`, state: 'waiting', lead });
	const stored = (leadId: string, weightKg: number) => JSON.stringify(newLead({ leadId, createdAt: '2024-06-03T09:00:00+03:00', from: 'Москва', to: 'Казань', weightKg, phones: ['+79123456789'] }));
	const rows = [row(1, stored('L1', 500)), row(2, '{"leadId": "L2", "weightKg": 9'), row(3, stored('L3', 9000))];
	const ruleSets = JSON.stringify([{ name: 'all day', schedule: { from: '00:00', to: '00:00', zone: 'Europe/Moscow' }, tiers: [{ name: 'heaviest', sort: 'heaviest' }] }]);
	const parameters = { rules: 'custom', ruleSets, managerId: 'anna', managers: 'anna', options: { now: '2024-06-03T10:00:00+03:00', timeZone: 'Europe/Moscow' } };
	const corrupt = /^Item 1 \(row 2, leadId "L2"\): lead does not parse as JSON \(.+\)$/;

	it.each([true, false])('take next hands out the best good lead and names the skipped row in its answer (Continue On Fail %s)', async (continueOnFail) => {
		const [[taken, ...rest]] = await run(new LeadQueue(), [rows], { ...parameters, operation: 'takeNext' }, continueOnFail);
		expect(rest).toEqual([]);
		expect(taken.json).toMatchObject({ outcome: 'assigned', message: 'Lead L3 goes to anna; 1 lead is still waiting', claimToken: 'anna:exec-1', waitingLeft: 1 });
		expect(taken.json.lead).toMatchObject({ leadId: 'L3', weightKg: 9000, state: 'assigned', assignedTo: 'anna', assignedAt: '2024-06-03T10:00:00+03:00' });
		const skipped = taken.json.skippedRows as Array<{ itemIndex: number; message: string; description: string }>;
		expect(skipped).toHaveLength(1);
		expect(skipped[0].itemIndex).toBe(1);
		expect(skipped[0].message).toMatch(corrupt);
		expect(skipped[0].description).toBe('Correct the stored lead (its lead column holds the lead as JSON) or delete the row in the leads table.');
	});

	it('rank with Continue On Fail ranks the good leads and reports the row', async () => {
		const [out] = await run(new LeadQueue(), [rows], { ...parameters, operation: 'rank' }, true);
		expect(out.map(({ json, pairedItem }) => [json.leadId ?? null, json.rank ?? null, pairedItem])).toEqual([
			['L3', 1, { item: 2 }],
			['L1', 2, { item: 0 }],
			[null, null, { item: 1, input: 0 }],
		]);
	});

	it('rank without Continue On Fail stops at the row, naming it', async () => {
		const failure = await thrown(run(new LeadQueue(), [rows], { ...parameters, operation: 'rank' }, false));
		expect(failure.message).toMatch(corrupt);
		expect(failure.itemIndex).toBe(1);
	});

	it('reports a stored lead that breaks the contract with its field', async () => {
		const [out] = await run(new LeadQueue(), [[row(1, stored('L1', 500)), { id: 4, lead: JSON.stringify({ leadId: 'L4', state: 'sleeping' }) }]], { ...parameters, operation: 'rank' }, true);
		expect(out.map(({ json }) => json.leadId ?? json.error)).toEqual(['L1', 'Item 1 (row 4): state is "sleeping", not one of waiting, assigned, closed, rejected']);
	});

	it.each([
		[{ operation: 'expire', expireAfterHours: -5 }, 'After (Hours) -5 is too small: use a number from 0 to 8760'],
		[{ operation: 'expire', expireUnderKg: 'heavy' }, 'Close Leads Under (Kg) "heavy" is not a number: use a number from 0 to 1000000'],
		[{ operation: 'qualify', minWeightKg: -1 }, 'Minimum Weight (Kg) -1 is too small: use a number from 0 to 1000000, or nothing'],
	])('refuses %j', async (operation, message) => {
		expect((await thrown(run(new LeadQueue(), [rows.slice(0, 1)], { ...parameters, ...operation }, false))).message).toBe(message);
	});
});
