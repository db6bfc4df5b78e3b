import type { INodeExecutionData } from 'n8n-workflow';
import { join } from 'path';
import type { Deal, Touch } from '../../nodes/shared/contracts';
import { executeNode, type NodeRun, type NodeUnderTest } from '../faults/fakeContext';
import { order, touch } from '../helpers/records';

type NodeModule = typeof import('../../nodes/SalesReport/SalesReport.node');
const { SalesReport } = require(join(__dirname, '..', '..', 'nodes', 'SalesReport', 'SalesReport.node.ts')) as NodeModule;

const NODE: NodeUnderTest = {
	type: new SalesReport(),
	node: { id: 'sales-report', name: 'Sales Report', type: 'n8n-nodes-sales-analytics.salesReport', typeVersion: 1, position: [0, 0], parameters: {} },
	credentials: [],
};

const utm = (source: string | null, medium: string | null, campaign: string | null) => ({ source, medium, campaign, content: null, term: null });

function deal(id: string, createdAt: string, total: number, customer: Partial<Deal['customer']>, touches: Touch[]): Deal {
	return { ...order(id, createdAt, customer, { total }), touches, match: { method: 'phone', keys: [], reason: 'test' } };
}

/*
 * Moscow time, the week 2026-11-23..29 against 11-16..22. Person 1 (+79160000001) ordered B1 in the week before
 * (yandex call), then A1 (yandex call) and A3 (a form without utm: direct); person 2 (b@example.com) A2 after a
 * google form and a google chat whose campaign is written "Search Brand" and "search%20brand" (one campaign).
 * Item 2 is not a deal. U1, without a touch, has no contact data.
 */
const P1 = { phones: ['+79160000001'] };
const DEALS = [
	deal('A1', '2026-11-24T12:00:00+03:00', 1000, P1, [touch('c1', '2026-11-24T10:00:00+03:00', { phones: P1.phones, channel: utm('yandex', 'cpc', 'brand') })]),
	deal('A2', '2026-11-25T12:00:00+03:00', 3000, { emails: ['b@example.com'] }, [
		touch('f2', '2026-11-20T10:00:00+03:00', { kind: 'form', channel: utm('google', 'cpc', 'Search Brand') }),
		touch('h2', '2026-11-25T10:00:00+03:00', { kind: 'chat', channel: utm('google', 'cpc', 'search%20brand') }),
	]),
	{ foo: 1 },
	deal('A3', '2026-11-26T12:00:00+03:00', 500, P1, [touch('f3', '2026-11-26T09:00:00+03:00', { kind: 'form', channel: utm(null, null, null) })]),
	deal('B1', '2026-11-18T12:00:00+03:00', 2000, P1, [touch('c0', '2026-11-18T10:00:00+03:00', { channel: utm('yandex', 'cpc', 'brand') })]),
];
const UNMATCHED = [{ ...order('U1', '2026-11-27T12:00:00+03:00', {}, { total: 700 }), unmatchedReason: 'the order has no phone, e-mail or client id' }];

function run(operation: string, continueOnFail = true): NodeRun {
	return {
		parameters: { operation, period: 'custom', periodStart: '2026-11-23', periodEnd: '2026-11-29', options: { timeZone: 'Europe/Moscow' } },
		credential: {},
		staticData: {},
		continueOnFail,
		input: DEALS.map((json) => ({ json: json as never })),
		moreInputs: [UNMATCHED.map((json) => ({ json: json as never }))],
	};
}

const rowsOf = (items: INodeExecutionData[], table: string) => items.filter((item) => item.json.table === table).map((item) => item.json);
/** Every row comes from all six input items: five on Deals, one on Orders Without Touch. */
const ALL_INPUTS = [0, 1, 2, 3, 4].map((item) => ({ item, input: 0 })).concat([{ item: 0, input: 1 }]);

describe('Sales Report node', () => {
	it('Campaign Breakdown: campaigns, orders without a source and the week before, as worked out by hand', async () => {
		const { items, error } = await executeNode(NODE, run('campaigns'));
		expect(error).toBeUndefined();
		// Last non-direct: A2 to its chat (google / cpc / search brand), A1 to its call, A3 to its only (direct) form.
		// 4500.00 in the week: shares 3000/4500, 1000/4500, 500/4500. A1 came by phone, A2 by chat, A3 by form.
		expect(rowsOf(items, 'campaigns').map((row) => [row.name, row.orders, row.revenue, row.revenueShare, (row.phone as { orders: number }).orders, (row.online as { orders: number }).orders])).toEqual([
			['google / cpc / search brand', 1, 3000, 3000 / 4500, 0, 1],
			['yandex / cpc / brand', 1, 1000, 1000 / 4500, 1, 0],
			['(direct) / (none) / (none)', 1, 500, 500 / 4500, 0, 1],
		]);
		// U1: 1 of 4 orders in the week, 700 of 5200.00.
		expect(rowsOf(items, 'unattributed')).toEqual([{ table: 'unattributed', reason: 'no contact data', currency: 'RUB', orders: 1, revenue: 700, orderShare: 0.25, revenueShare: 700 / 5200 }]);
		// The week before: B1 only, yandex / cpc 2000.00. This week 3 orders, 4500.00: +200 % and +125 %.
		expect(rowsOf(items, 'comparison').map((row) => [row.name, row.orders, row.revenue])).toEqual([
			['google / cpc', { current: 1, previous: 0, change: null }, { current: 3000, previous: 0, change: null }],
			['yandex / cpc', { current: 1, previous: 1, change: 0 }, { current: 1000, previous: 2000, change: -0.5 }],
			['(direct) / (none)', { current: 1, previous: 0, change: null }, { current: 500, previous: 0, change: null }],
			['(all)', { current: 3, previous: 1, change: 2 }, { current: 4500, previous: 2000, change: 1.25 }],
		]);
		expect(items.filter((item) => item.json.table !== undefined).every((item) => JSON.stringify(item.pairedItem) === JSON.stringify(ALL_INPUTS))).toBe(true);
		// The item that is not a deal: one error item with its index, after the rows.
		const errors = items.filter((item) => item.json.error !== undefined);
		expect(errors.map((item) => [item.json.itemIndex, item.pairedItem])).toEqual([[2, { item: 2, input: 0 }]]);
		expect(items[items.length - 1]).toBe(errors[0]);
	});

	it('Customer Segments: person 1 returns 6 days after B1, person 2 is new; repeat sales per channel', async () => {
		const { items } = await executeNode(NODE, run('customers'));
		const all = rowsOf(items, 'segments').filter((row) => row.channel === '(all)');
		expect(all.map((row) => [row.segment, row.customers, row.orders, row.revenue, row.ordersPerCustomer, row.revenuePerCustomer])).toEqual([
			['new', 1, 1, 3000, 1, 3000],
			['returning', 1, 2, 1500, 2, 1500], // 1500.00 over one customer
		]);
		// A1 and A3 follow B1, person 1's first order ever: both are repeat sales of their channels.
		expect(rowsOf(items, 'repeatSales').map((row) => [row.channel, row.orders, row.revenue, row.repeatOrders, row.repeatRevenue, row.repeatRevenueShare])).toEqual([
			['google / cpc', 1, 3000, 0, 0, 0],
			['yandex / cpc', 1, 1000, 1, 1000, 1],
			['(direct) / (none)', 1, 500, 1, 500, 1],
		]);
	});

	it('Build Dashboard Page: one item with the page as text and as an HTML file', async () => {
		const { items } = await executeNode(NODE, run('dashboard'));
		expect(items).toHaveLength(2);
		const [page] = items;
		expect([page.json.title, page.json.period, page.json.previousPeriod, page.json.fileName]).toEqual(['Sales report', { start: '2026-11-23', end: '2026-11-29' }, { start: '2026-11-16', end: '2026-11-22' }, 'sales-report.html']);
		expect(page.binary?.data.mimeType).toBe('text/html');
		expect(Buffer.from(page.binary?.data.data ?? '', 'base64').toString('utf8')).toBe(page.json.html);
		expect(String(page.json.html)).toContain('<td>google / cpc</td>');
	});

	it('without Continue On Fail the item that is not a deal stops the node, named by its index', async () => {
		const { error } = await executeNode(NODE, run('campaigns', false));
		expect(error?.message).toMatch(/^Item 2/);
	});

	it('a period that cannot be read is one error, with the hint', async () => {
		const bad = run('campaigns');
		bad.parameters.periodStart = '2026-11-31';
		const { items } = await executeNode(NODE, bad);
		expect(items.map((item) => item.json)).toEqual([{ error: 'Period Start "2026-11-31" is not a date', description: 'Write it as YYYY-MM-DD, e.g. 2026-11-30.' }]);
	});

	/*
	 * Calls, Moscow time, the week 2026-11-23..29, call-back window 30 minutes. m1 (yandex, Анна) missed at 10:00 on
	 * 11-24, a1 the same phone answered at 10:20, tagged "Оформил заказ" (an order by the user's table); m2 (google, no
	 * operator) missed at 23:50 on Sunday 11-29, answered again at 00:10 on Monday (a2: after the week, still a
	 * call-back, 20 minutes); m0 missed on 11-22, before the week; a form is not a call; a1 comes again inside a deal
	 * (counted once); the last item's time cannot be read.
	 */
	it('Call Report: categories per channel, missed calls by operator and hour with call-backs, as worked out by hand', async () => {
		const call = (id: string, at: string, phone: string, answered: boolean, fields: Partial<Touch> = {}) =>
			touch(id, at, { phones: [phone], answered, outcome: answered ? 'answered' : 'missed', ...fields });
		const a1 = call('a1', '2026-11-24T10:20:00+03:00', '+79160000001', true, { channel: utm('yandex', 'cpc', null), operator: 'Анна', tags: ['Оформил заказ'] });
		const touches = [
			call('m1', '2026-11-24T10:00:00+03:00', '+79160000001', false, { channel: utm('yandex', 'cpc', null), operator: 'Анна' }),
			a1,
			call('m2', '2026-11-29T23:50:00+03:00', '+79160000002', false, { channel: utm('google', 'cpc', null) }),
			call('a2', '2026-11-30T00:10:00+03:00', '+79160000002', true, { channel: utm('google', 'cpc', null) }),
			call('m0', '2026-11-22T12:00:00+03:00', '+79160000003', false),
			touch('f1', '2026-11-25T12:00:00+03:00', { kind: 'form' }),
			{ ...order('A1', '2026-11-24T11:00:00+03:00'), touches: [a1] },
			{ touchId: 'bad', at: 'yesterday', channel: null },
		];
		const calls = run('calls');
		calls.input = touches.map((json) => ({ json: json as never }));
		calls.parameters.tagCategories = JSON.stringify([{ tag: 'оформил заказ', category: 'order' }]);
		const { items, error } = await executeNode(NODE, calls);
		expect(error).toBeUndefined();
		const categories = rowsOf(items, 'callCategories').map((row) => [row.channel, row.calls, row.order, row['lost call'], row.uncategorised]);
		expect(categories).toEqual([
			['yandex / cpc', 2, 1, 1, 0],
			['google / cpc', 1, 0, 1, 0],
		]);
		expect(rowsOf(items, 'missedByOperator').map((row) => [row.operator, row.missed, row.calledBack, row.withoutPhone, row.calledBackShare, row.medianCallbackMinutes])).toEqual([
			['(unknown)', 1, 1, 0, 1, 20],
			['Анна', 1, 1, 0, 1, 20],
		]);
		expect(rowsOf(items, 'missedByHour').filter((row) => Number(row.missed) > 0).map((row) => [row.hour, row.missed, row.calledBack])).toEqual([
			[10, 1, 1],
			[23, 1, 1],
		]);
		expect(rowsOf(items, 'missedCalls').map((row) => [row.touchId, row.calledBackAt, row.minutesToCallback])).toEqual([
			['m1', '2026-11-24T10:20:00+03:00', 20],
			['m2', '2026-11-30T00:10:00+03:00', 20],
		]);
		expect(items.filter((item) => item.json.error !== undefined).map((item) => [item.json.itemIndex, String(item.json.error)])).toEqual([[7, expect.stringContaining('at')]]);
	});
});
