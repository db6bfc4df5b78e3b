import { spawnSync } from 'child_process';
import { join } from 'path';
import { intakePosts, type IntakePost } from '../load/intakePayloads';
import { rowsPerKey } from '../load/n8nProbe';
import { N8N_VERSION, packPack, RealN8n, template } from './realN8n';

/**
 * The touch intake template at n8n's Data Table size cap (N8N_DATA_TABLES_MAX_SIZE_BYTES), in a real n8n started with
 * a 1 MiB cap. n8n 2.40.7 checks the cap before every Data Table write (insert, update, upsert; not delete): when
 * all Data Tables together already take the cap or more, the write throws "Data table size limit exceeded: <n>MB
 * used, limit is <m>MB" and writes nothing; the size is SQLite's pages of the data tables (dbstat), cached 5 s but
 * recomputed after every write of the instance. The template's Store Touch does not continue on error and its
 * webhook answers with the last node, so n8n answers such a delivery 500 and the execution fails with that message.
 *
 * Checked here: every delivery answered 2xx has its touches stored, every touch not stored was answered 500, a batch
 * that crosses the cap half way is answered 500 with its first touches stored, every failed execution names the size
 * limit; after the cap is raised (n8n restarted) the senders' retries store everything once, nothing doubled; with
 * the cap back and old rows deleted through n8n's Data Table node, a retry is stored again.
 */
const WORKFLOW_ID = 'saTouchIntake';
const PRUNE_ID = 'dtCapPrune';
const MIB = 1024 * 1024;
const CAP = MIB;
const RAISED = 4 * MIB;
/** Deliveries refused one after another before the test stops posting: the cap is reached. */
const REFUSALS = 4;
/** The batch that crosses the cap: this many JSON deliveries posted as one array. */
const BATCH = 40;
/** n8n's message (packages/cli/src/modules/data-table/data-table-size-validator.service.ts), for the 1 MiB cap. */
const SIZE_ERROR = 'Data table size limit exceeded:';
const SIZE_ERROR_LIMIT = 'limit is 1MB';

/** The environment of every n8n start of this suite: mutated to restart with another cap. */
const env: NodeJS.ProcessEnv = { N8N_DATA_TABLES_MAX_SIZE_BYTES: String(CAP) };
let n8n: RealN8n;

function sqlite<T>(script: string, ...args: string[]): T {
	const db = join(n8n.userFolder, '.n8n', 'database.sqlite');
	const run = spawnSync('python3', ['-c', `import json, sqlite3, sys\ndb = sqlite3.connect(sys.argv[1], timeout=60)\n${script}`, db, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
	if (run.status !== 0) throw new Error(`reading n8n's database failed: ${run.stderr}`);
	return JSON.parse(run.stdout) as T;
}

/**
 * What n8n counts against the cap: the pages of every Data Table's SQLite table, by the query of n8n 2.40.7's
 * DataTableRepository.getDataTableSizeQuery for SQLite.
 */
function dataTableBytes(): number {
	return sqlite<number>(`print(db.execute("""
WITH data_table_names(name) AS (SELECT name FROM sqlite_schema WHERE type = 'table' AND name GLOB 'data_table_user_*')
SELECT coalesce(sum((SELECT sum(pgsize) FROM dbstat WHERE name = t.name)), 0) FROM data_table_names AS t""").fetchone()[0])`);
}

/** The stored data of each failed execution of the workflow, as n8n serialised it. */
function failedExecutionData(workflowId: string): string[] {
	return sqlite<string[]>(
		`print(json.dumps([r[0] for r in db.execute("select d.data from execution_data d join execution_entity e on e.id = d.executionId where e.workflowId = ? and e.status = 'error' order by e.id", (sys.argv[2],))]))`,
		workflowId,
	);
}

interface Delivery {
	body: string;
	contentType: string;
	touchIds: string[];
	status: number;
	answer: string;
}

async function deliver(post: Pick<IntakePost, 'body' | 'contentType' | 'touchIds'>): Promise<Delivery> {
	const run = await n8n.callWebhook('touches', post.body, post.contentType);
	return { body: post.body, contentType: post.contentType, touchIds: post.touchIds, status: run.status, answer: run.body };
}

const ok = (delivery: Delivery) => delivery.status >= 200 && delivery.status < 300;

async function restartWithCap(bytes: number): Promise<void> {
	await n8n.stop();
	env.N8N_DATA_TABLES_MAX_SIZE_BYTES = String(bytes);
	await n8n.start();
}

/** A workflow that deletes the touches up to a row id (POST {"upTo": n}), as a user prunes old rows with the Data Table node. */
const pruneWorkflow = {
	id: PRUNE_ID,
	name: 'Prune touches (test)',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{ id: 'c0a1e5d2-0000-4000-8000-000000000001', name: 'Prune', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], parameters: { httpMethod: 'POST', path: 'prune-touches', responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} }, webhookId: 'c0a1e5d2-0000-4000-8000-0000000000aa' },
		{
			id: 'c0a1e5d2-0000-4000-8000-000000000002',
			name: 'Delete Old Touches',
			type: 'n8n-nodes-base.dataTable',
			typeVersion: 1.1,
			position: [220, 0],
			parameters: {
				resource: 'row',
				operation: 'deleteRows',
				dataTableId: { __rl: true, mode: 'name', value: 'touches' },
				matchType: 'allConditions',
				filters: { conditions: [{ keyName: 'id', condition: 'lte', keyValue: '={{ $json.body.upTo }}' }] },
				options: {},
			},
		},
	],
	connections: { Prune: { main: [[{ node: 'Delete Old Touches', type: 'main', index: 0 }]] } },
	pinData: {},
};

const posts = intakePosts(4_000, 41);
/** Single deliveries come from here on, in the senders' mix; batches take the JSON ones from the start. */
const SINGLES_FROM = 3_000;
const used = new Set<number>();

/** The next `count` deliveries from `from` on not sent yet (only JSON ones, which a sender can post as one array, when `json`). */
function take(count: number, json: boolean, from = 0): IntakePost[] {
	const taken: IntakePost[] = [];
	for (let i = from; i < posts.length && taken.length < count; i++) {
		if (used.has(i) || (json && posts[i].contentType !== 'application/json')) continue;
		used.add(i);
		taken.push(posts[i]);
	}
	if (taken.length < count) throw new Error(`only ${taken.length} of ${count} deliveries left`);
	return taken;
}

/** Deliveries posted as one JSON array, as a site posting in bulk does: their touches in order, one execution. */
function batchOf(items: IntakePost[]): Pick<IntakePost, 'body' | 'contentType' | 'touchIds'> {
	return { body: `[${items.map((post) => post.body).join(',')}]`, contentType: 'application/json', touchIds: items.flatMap((post) => post.touchIds) };
}

/** Rows of the touches table that still fit under the cap, at the bytes a row takes so far. */
function roomLeft(): number {
	const bytes = dataTableBytes();
	const rows = rowsPerKey(n8n.userFolder, 'touches', 'touchId').size;
	return Math.floor((CAP - bytes) / (rows === 0 ? 1024 : bytes / rows));
}

const deliveries: Delivery[] = [];
let crossing: Delivery;
let bytesAtCap = 0;
let rowsAtCap = 0;
let bytesBeforeCrossing = 0;

async function deliverOrThrow(post: Pick<IntakePost, 'body' | 'contentType' | 'touchIds'>): Promise<void> {
	const delivery = await deliver(post);
	deliveries.push(delivery);
	if (!ok(delivery)) throw new Error(`refused before the cap: ${delivery.status} ${delivery.answer}`);
}

beforeAll(async () => {
	n8n = new RealN8n(packPack(), env);
	n8n.importWorkflow(template('touch-intake.json'));
	n8n.importWorkflow(pruneWorkflow);
	n8n.publish(WORKFLOW_ID);
	n8n.publish(PRUNE_ID);
	await n8n.start();

	// Filled fast in batches of up to 100 touches (one execution each) to about 40 rows short of the cap, then one
	// delivery at a time in the senders' mix (form-encoded ones too) to about 8 rows short, then the batch that
	// crosses the cap, then single deliveries until REFUSALS in a row are refused.
	for (let room = roomLeft(); room > 40; room = roomLeft()) await deliverOrThrow(batchOf(take(Math.min(100, room - 40), true)));
	while (roomLeft() > 8) await deliverOrThrow(take(1, false, SINGLES_FROM)[0]);
	bytesBeforeCrossing = dataTableBytes();
	crossing = await deliver(batchOf(take(BATCH, true)));
	for (let refused = 0; refused < REFUSALS; ) {
		const delivery = await deliver(take(1, false, SINGLES_FROM)[0]);
		deliveries.push(delivery);
		refused = ok(delivery) ? 0 : refused + 1;
	}
	await n8n.waitForExecutions(WORKFLOW_ID, deliveries.length + 1);
	bytesAtCap = dataTableBytes();
	rowsAtCap = rowsPerKey(n8n.userFolder, 'touches', 'touchId').size;
	console.log(
		`Data Table cap ${CAP} bytes: ${rowsAtCap} touches stored take ${bytesAtCap} bytes (${(bytesAtCap / rowsAtCap).toFixed(0)} bytes a touch, ` +
			`${Math.floor(MIB / (bytesAtCap / rowsAtCap))} touches per MiB); ${deliveries.filter(ok).length} deliveries answered 2xx, ` +
			`the crossing batch ${crossing.status}, ${deliveries.filter((d) => !ok(d)).length} refused`,
	);
}, 600_000);

afterAll(async () => {
	await n8n?.stop();
});

describe(`touch intake template at the Data Table size cap in real n8n ${N8N_VERSION}`, () => {
	it('stores every touch it answers 2xx for, answers 500 for every touch it does not store', () => {
		const stored = rowsPerKey(n8n.userFolder, 'touches', 'touchId');
		for (const delivery of deliveries) {
			for (const id of delivery.touchIds) {
				expect([id, delivery.status, stored.get(id) ?? 0]).toEqual([id, delivery.status, ok(delivery) ? 1 : 0]);
			}
		}
		for (const refused of [...deliveries.filter((delivery) => !ok(delivery)), crossing]) {
			expect([refused.status, JSON.parse(refused.answer)]).toEqual([500, { message: 'Error in workflow' }]);
		}
		// The single deliveries after the cap were all refused: nothing got in once the tables were full.
		expect(deliveries.slice(-REFUSALS).every((delivery) => !ok(delivery))).toBe(true);
		// Stored before the cap: batches, and single deliveries of every content type the senders use.
		const stored2xx = deliveries.filter(ok);
		expect(stored2xx.some((delivery) => delivery.touchIds.length > 1)).toBe(true);
		expect(new Set(stored2xx.filter((delivery) => delivery.touchIds.length === 1).map((delivery) => delivery.contentType))).toEqual(new Set(['application/json', 'application/x-www-form-urlencoded']));
		// Every row is a touch of a delivery sent here: nothing extra.
		const sent = new Set([...deliveries, crossing].flatMap((delivery) => delivery.touchIds));
		expect([...stored.keys()].filter((id) => !sent.has(id))).toEqual([]);
	});

	it('stores the batch that crosses the cap up to the cap and answers it 500, so the sender sends it again', () => {
		const stored = rowsPerKey(n8n.userFolder, 'touches', 'touchId');
		const kept = crossing.touchIds.filter((id) => stored.has(id));
		expect(crossing.touchIds).toHaveLength(BATCH);
		expect(crossing.status).toBe(500);
		// n8n writes item by item, each after the check: the first touches are in, the rest are not.
		expect(kept.length).toBeGreaterThan(0);
		expect(kept.length).toBeLessThan(BATCH);
		expect(kept).toEqual(crossing.touchIds.slice(0, kept.length));
		// The check lets a write through while the tables are under the cap: the last one may end past it.
		expect(bytesBeforeCrossing).toBeLessThan(CAP);
		expect(bytesAtCap).toBeGreaterThanOrEqual(CAP);
	});

	it('fails each refused execution with n8n\'s size-limit error', () => {
		const statuses = n8n.executions(WORKFLOW_ID).map((run) => run.status);
		const refused = deliveries.filter((delivery) => !ok(delivery)).length + 1;
		expect(statuses.filter((status) => status === 'error')).toHaveLength(refused);
		expect(statuses.filter((status) => status === 'success')).toHaveLength(deliveries.filter(ok).length);
		const failed = failedExecutionData(WORKFLOW_ID);
		expect(failed).toHaveLength(refused);
		for (const data of failed) {
			expect(data).toContain(SIZE_ERROR);
			expect(data).toContain(SIZE_ERROR_LIMIT);
			expect(data).toContain('Store Touch');
		}
	});

	it('stores every retried delivery once after the cap is raised, the batch\'s stored touches not doubled', async () => {
		await restartWithCap(RAISED);
		const retries = [...deliveries.filter((delivery) => !ok(delivery)), crossing];
		for (const retry of retries) {
			const again = await deliver(retry);
			expect([again.status, again.status === 200 ? '' : again.answer]).toEqual([200, '']);
		}
		const stored = rowsPerKey(n8n.userFolder, 'touches', 'touchId');
		const sent = [...new Set([...deliveries, crossing].flatMap((delivery) => delivery.touchIds))];
		expect(sent.filter((id) => stored.get(id) !== 1)).toEqual([]);
		expect(stored.size).toBe(sent.length);
	});

	it('with the cap back at 1 MiB refuses again, and stores a retry once old rows are deleted through n8n', async () => {
		await restartWithCap(CAP);
		const [late] = take(1, false, SINGLES_FROM);
		const refused = await deliver(late);
		expect(refused.status).toBe(500);
		expect(rowsPerKey(n8n.userFolder, 'touches', 'touchId').has(late.touchIds[0])).toBe(false);

		const full = dataTableBytes();
		expect(full).toBeGreaterThanOrEqual(CAP);
		const prune = await n8n.callWebhook('prune-touches', { upTo: 200 });
		expect(prune.status).toBe(200);
		const bytes = dataTableBytes();
		expect(bytes).toBeLessThan(CAP);

		const retried = await deliver(late);
		expect([retried.status, retried.status === 200 ? '' : retried.answer]).toEqual([200, '']);
		const stored = rowsPerKey(n8n.userFolder, 'touches', 'touchId');
		expect(late.touchIds.map((id) => stored.get(id))).toEqual(late.touchIds.map(() => 1));
		console.log(`deleting the 200 oldest rows brought the tables from ${full} to ${bytes} bytes`);
	});
});
