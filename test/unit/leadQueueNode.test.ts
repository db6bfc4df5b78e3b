import { join } from 'path';
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type WorkflowExecuteMode } from 'n8n-workflow';
import { fakeExecuteFunctions } from '../faults/fakeContext';
import { newLead } from '../../nodes/LeadQueue/lead';

/**
 * Lead Queue through its real execute() (router and operation files): every operation pairs its items, keeps input
 * order where the order is not the answer, and turns a bad item into an error of its own.
 */
// Node's resolution (ts-node) would take "LeadQueue.node" for the LeadQueue.node.json beside it: name the file.
const { LeadQueue } = require(join(__dirname, '..', '..', 'nodes', 'LeadQueue', 'LeadQueue.node.ts')) as typeof import('../../nodes/LeadQueue/LeadQueue.node');

const NOW = '2024-06-05T12:00:00+03:00';

async function run(input: IDataObject[], parameters: Record<string, unknown>, continueOnFail: boolean, mode?: WorkflowExecuteMode, workflowId = 'fake-workflow'): Promise<INodeExecutionData[][]> {
	const type = new LeadQueue();
	const node = { id: 'lead-queue-node', name: 'Lead Queue', type: 'n8n-nodes-sales-analytics.leadQueue', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
	const ctx = fakeExecuteFunctions(
		{ parameters: { options: { now: NOW, timeZone: 'Europe/Moscow' }, ...parameters }, credential: {}, staticData: {}, continueOnFail, input: input.map((json) => ({ json })), mode },
		{ type, node, credentials: [] },
	);
	Object.assign(ctx, { getExecutionId: () => 'exec-1', evaluateExpression: () => 0, getWorkflow: () => ({ id: workflowId, active: true }) });
	return type.execute.call(ctx as IExecuteFunctions);
}

async function failure(promise: Promise<unknown>): Promise<NodeOperationError> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(NodeOperationError);
	return error as NodeOperationError;
}

const view = (items: INodeExecutionData[]) => items.map(({ json, pairedItem }) => [json.leadId ?? json.error ?? json.outcome, pairedItem]);

/** A row of the leads table: the lead as JSON beside the columns a claim or an expiry updates. */
const row = (id: number, lead: string, extra: IDataObject = {}) => ({ id, leadId: `L${id}`, state: 'waiting', lead, ...extra });
// Created 3 June 09:00 Moscow: on 5 June 12:00 Moscow it has waited 51 h, past the 48 h limit.
const stored = (leadId: string, weightKg: number) => JSON.stringify(newLead({ leadId, createdAt: '2024-06-03T09:00:00+03:00', from: 'Москва', to: 'Казань', weightKg, phones: ['+79123456789'] }));
const CORRUPT = '{"leadId": "L2"';

describe('Lead Queue Expire: closed leads and bad rows, each paired to its item, in input order', () => {
	// L1 150 kg and L4 100 kg are under 200 kg and waited 51 h: closed; L3 9000 kg stays; row 2 does not parse.
	const rows = [row(1, stored('L1', 150)), row(2, CORRUPT), row(3, stored('L3', 9000)), row(4, stored('L4', 100))];

	it('with Continue On Fail', async () => {
		const [out] = await run(rows, { operation: 'expire' }, true);
		expect(view(out)).toEqual([
			['L1', { item: 0 }],
			[expect.stringMatching(/^Item 1 \(row 2, leadId "L2"\): lead does not parse as JSON/), { item: 1, input: 0 }],
			['L4', { item: 3 }],
		]);
		expect(out[0].json).toMatchObject({ state: 'closed', closedReason: 'closed, not realised', closedAt: '2024-06-05T12:00:00+03:00', reason: 'waited 51 h (limit 48 h), under 200 kg' });
	});

	it('without Continue On Fail the run stops at the row, naming it', async () => {
		const error = await failure(run(rows, { operation: 'expire' }, false));
		expect(error.message).toMatch(/^Item 1 \(row 2, leadId "L2"\)/);
		expect(error.context.itemIndex).toBe(1);
	});
});

describe('Lead Queue Qualify: an entry of a webhook body that is no lead is an error of its item', () => {
	const lead = (leadId: string) => ({ leadId, createdAt: '2024-06-05T10:00:00+03:00', from: 'Москва', to: 'Омск', weight: '1,5 т', phone: '8 (912) 345-67-89' });
	const input = [{ headers: {}, body: [lead('A'), null, 'x', lead('B')] }, lead('C')];

	it('with Continue On Fail the other leads go on, in input order', async () => {
		const [accepted, rejected] = await run(input, { operation: 'qualify' }, true);
		expect(view(accepted)).toEqual([
			['A', { item: 0 }],
			['B', { item: 0 }],
			['Item 0: body[1] is not a lead object (it is null); body[2] is not a lead object (it is "x")', { item: 0, input: 0 }],
			['C', { item: 1 }],
		]);
		expect(accepted[0].json).toMatchObject({ weightKg: 1500, phones: ['+79123456789'], state: 'waiting' });
		expect(rejected).toEqual([]);
	});

	it('without Continue On Fail the run stops at the item', async () => {
		const error = await failure(run(input, { operation: 'qualify' }, false));
		expect(error.message).toBe('Item 0: body[1] is not a lead object (it is null); body[2] is not a lead object (it is "x")');
		expect(error.context.itemIndex).toBe(0);
	});
});

describe('Lead Queue Confirm Claim', () => {
	const claimed = (id: number, token: string, lead = stored(`L${id}`, 500)) => row(id, lead, { state: 'assigned', assignedTo: 'anna', claimToken: token });

	it('Won: the lead of the row that carries this claim, paired to that row', async () => {
		const [won, lost] = await run([claimed(1, 'boris:exec-9'), claimed(2, 'anna:exec-1')], { operation: 'confirmClaim', managerId: 'anna' }, false);
		expect(view(won)).toEqual([['L2', { item: 1 }]]);
		expect(won[0].json).toMatchObject({ state: 'assigned', assignedTo: 'anna', claimToken: 'anna:exec-1' });
		expect(lost).toEqual([]);
	});

	it('Lost: the token, paired to every item', async () => {
		const [won, lost] = await run([claimed(1, 'boris:exec-9'), claimed(2, 'boris:exec-9')], { operation: 'confirmClaim', managerId: 'anna' }, false);
		expect(won).toEqual([]);
		expect(lost).toEqual([{ json: { outcome: 'lost', claimToken: 'anna:exec-1' }, pairedItem: [{ item: 0 }, { item: 1 }] }]);
	});

	it('a won row whose lead does not read is an error of its item', async () => {
		const [won, lost] = await run([claimed(1, 'boris:exec-9'), claimed(2, 'anna:exec-1', CORRUPT)], { operation: 'confirmClaim', managerId: 'anna' }, true);
		expect(view(won)).toEqual([[expect.stringMatching(/^Item 1 \(row 2, leadId "L2"\): lead does not parse as JSON/), { item: 1, input: 0 }]]);
		expect(lost).toEqual([]);
	});
});

describe('Lead Queue: a setting that does not work fails the whole run', () => {
	const rows = [row(1, stored('L1', 500)), row(3, stored('L3', 9000))];

	it('with Continue On Fail as one error item paired to every item', async () => {
		const out = await run(rows, { operation: 'rank', options: { now: NOW, timeZone: 'Mars/Olympus' } }, true);
		expect(out).toEqual([[{ json: { error: '"Mars/Olympus" is not a time zone', description: 'Use an IANA name such as Europe/Moscow or Europe/Kyiv.' }, pairedItem: [{ item: 0 }, { item: 1 }] }]]);
	});

	it('without it the run stops', async () => {
		expect((await failure(run(rows, { operation: 'rank', rules: 'custom', ruleSets: '[]' }, false))).message).toBe('Rule Sets (JSON) has no rule set');
	});
});

describe('Lead Queue Take Next: one item per candidate, each paired to every row', () => {
	// 5 June 12:00 Moscow, day rules: 9 t and 3 t are heavy loads (heaviest first), 150 kg comes last.
	const rows = [row(1, stored('L1', 150)), row(3, stored('L3', 9000)), row(4, stored('L4', 3000))];
	const paired = [{ item: 0 }, { item: 1 }, { item: 2 }];

	it('the best lead only by default', async () => {
		const [out] = await run(rows, { operation: 'takeNext', managerId: 'anna', managers: 'anna' }, false);
		expect(out.map(({ json, pairedItem }) => [json.outcome, (json.lead as IDataObject).leadId, json.claimToken, pairedItem])).toEqual([['assigned', 'L3', 'anna:exec-1', paired]]);
	});

	it('Candidates 3: the best, then the other two, in the order to claim them', async () => {
		const [out] = await run(rows, { operation: 'takeNext', managerId: 'anna', managers: 'anna', candidates: 3 }, false);
		expect(out.map(({ json, pairedItem }) => [json.outcome, json.claimToken, json.waitingLeft, pairedItem])).toEqual(Array(3).fill(['assigned', 'anna:exec-1', 2, paired]));
		const leads = out.map(({ json }) => (json.lead as IDataObject).leadId);
		expect([leads[0], [...leads.slice(1)].sort()]).toEqual(['L3', ['L1', 'L4']]);
		expect(out[0].json.message).toBe('Lead L3 goes to anna; 2 leads are still waiting');
	});

	it('presses of a live workflow one after another aim first at L3, L4, L1, then L3 again; editor runs always at L3; another workflow has its own notes', async () => {
		// Each press notes its first lead for 10 s (claimsInFlight): the next ones aim elsewhere first; here no claim
		// follows, so once every lead is noted the order is the rank again. An editor run neither reads nor notes.
		const take = async (mode: WorkflowExecuteMode, workflowId?: string) => {
			const [[first]] = await run(rows, { operation: 'takeNext', managerId: 'anna', managers: 'anna' }, false, mode, workflowId);
			return (first.json.lead as IDataObject).leadId;
		};
		expect([await take('manual'), await take('webhook'), await take('manual'), await take('webhook'), await take('webhook'), await take('webhook')]).toEqual(['L3', 'L3', 'L3', 'L4', 'L1', 'L3']);
		// Another workflow's presses keep their own notes: its first press aims at L3, its second at L4.
		expect([await take('webhook', 'other-workflow'), await take('webhook', 'other-workflow')]).toEqual(['L3', 'L4']);
	});

	it('does not note a lead id of 251 characters (its key passes the 240 of the notes): every press aims at it first', async () => {
		const long = `L${'9'.repeat(250)}`;
		const longRows = [row(1, stored('L1', 150)), { ...row(3, stored(long, 9000)), leadId: long }];
		const take = async () => {
			const [[first]] = await run(longRows, { operation: 'takeNext', managerId: 'anna', managers: 'anna' }, false, 'webhook', 'long-ids');
			return (first.json.lead as IDataObject).leadId;
		};
		expect([await take(), await take()]).toEqual([long, long]);
	});

	it('refuses a count of candidates it cannot use', async () => {
		const error = await failure(run(rows, { operation: 'takeNext', managerId: 'anna', managers: 'anna', candidates: 0 }, false));
		expect(error.message).toMatch(/Candidates/);
	});
});
