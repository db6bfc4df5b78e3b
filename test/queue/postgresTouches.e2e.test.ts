import { readFileSync, rmSync } from 'fs';
import { join } from 'path';
import { parseTouches } from '../../nodes/Touchpoint/parseTouches';
import { N8N_VERSION, packPack, RealN8n, ROOT, template } from '../e2e/realN8n';
import { fixtureJson, testContext } from '../fixtures/touches/load';
import { intakePosts, type IntakePost } from '../load/intakePayloads';
import { Postgres } from './queueN8n';

/**
 * The touch intake's Postgres variant (workflows/touch-intake-postgres.json) in one real n8n (its own SQLite: Postgres
 * here is the shop's storage, a throw-away cluster of Debian's postgresql with the pack's sql/postgres/schema.sql
 * loaded). Checked: the schema loads twice to the same catalog; a call and a form land in the columns worked out by
 * hand; the senders' mix, redeliveries one after another and both at once, gives every touchId the Touchpoint parser
 * gives exactly once; no header is 403 with nothing stored; Postgres stopped is a 5xx answer and a failed execution
 * naming the refused connection; Postgres back, the resend is stored once.
 */
const WORKFLOW_ID = 'saTouchIntakePg';
const PATH = 'touches-pg';
const SCHEMA = readFileSync(join(ROOT, 'sql/postgres/schema.sql'), 'utf8');

/** The Zadarma call of test/fixtures/touches and the template's own sample form. */
const CALL = fixtureJson('zadarma-notify-end.json') as Record<string, string>;
const FORM = { type: 'form', name: 'Иван', phone: '8 (912) 345-67-89', email: 'ivan@example.ru', utm_source: 'yandex', utm_medium: 'cpc', utm_campaign: 'brand', _ga: 'GA1.1.123456789.1700000000', date: '2024-03-05T12:00:00+03:00' };
const MIXED = 36;

let db: Postgres;
let n8n: RealN8n;

/** touchIds the Touchpoint node makes of a JSON body (its own parser, Moscow time as the template's settings). */
function touchIdsOf(payload: object): string[] {
	return parseTouches(JSON.stringify(payload), 'auto', testContext({ receivedAt: new Date().toISOString() })).touches.map((touch) => touch.touchId);
}

interface Row {
	touch_id: string;
	at: string;
	kind: string;
	system: string | null;
	phones: string[];
	emails: string[];
	ga_client_id: string | null;
	utm_source: string | null;
	utm_medium: string | null;
	utm_campaign: string | null;
	outcome: string | null;
	touch_id_in_touch: string;
}

/** Stored rows, `at` in UTC. */
function stored(where = 'true'): Row[] {
	return db.rows<Row>(
		`select touch_id, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at, kind, system, phones, emails, ga_client_id, utm_source, utm_medium, utm_campaign, outcome, touch->>'touchId' as touch_id_in_touch from sales_analytics.touches where ${where} order by touch_id`,
	);
}

function storedIds(): string[] {
	return stored().map((row) => row.touch_id);
}

/** The touches table's catalog: its columns and types, its indexes with their definitions (the order sync's tables: test/queue/postgresOrderSync.e2e.test.ts). */
function catalog(): object {
	return {
		columns: db.rows(`select table_name, column_name, data_type, is_nullable from information_schema.columns where table_schema = 'sales_analytics' and table_name = 'touches' order by table_name, ordinal_position`),
		indexes: db.rows(`select indexname, indexdef from pg_indexes where schemaname = 'sales_analytics' and tablename = 'touches' order by indexname`),
	};
}

/** Posts a payload as JSON with the webhook's header. */
async function post(payload: object): Promise<{ status: number; body: string }> {
	return n8n.callWebhook(PATH, payload);
}

/** The touchIds a 2xx answer names. */
function answered(body: string): string[] {
	return (JSON.parse(body) as Array<{ touchId: string }>).map((row) => row.touchId).sort();
}

beforeAll(async () => {
	db = new Postgres();
	await db.start();
	n8n = new RealN8n(packPack());
}, 300_000);

afterAll(async () => {
	await n8n?.stop();
	await db?.stop();
	if (n8n) rmSync(n8n.userFolder, { recursive: true, force: true });
}, 120_000);

describe(`touch intake into Postgres in real n8n ${N8N_VERSION}`, () => {
	it('schema.sql loads twice to the same catalog: the touches table and its three indexes', () => {
		db.psql(SCHEMA);
		const once = catalog();
		db.psql(SCHEMA);
		expect(catalog()).toEqual(once);
		// A GIN index made before fastupdate was turned off (Postgres' default is on) is altered by loading it again.
		db.psql('alter index sales_analytics.touches_match_keys set (fastupdate = on)');
		db.psql(SCHEMA);
		expect(catalog()).toEqual(once);
		const column = (name: string, type: string, nullable: 'YES' | 'NO') => ({ table_name: 'touches', column_name: name, data_type: type, is_nullable: nullable });
		expect(once).toEqual({
			columns: [
				column('touch_id', 'text', 'NO'),
				column('at', 'timestamp with time zone', 'NO'),
				column('kind', 'text', 'NO'),
				column('system', 'text', 'YES'),
				column('phones', 'ARRAY', 'NO'),
				column('emails', 'ARRAY', 'NO'),
				column('ga_client_id', 'text', 'YES'),
				column('utm_source', 'text', 'YES'),
				column('utm_medium', 'text', 'YES'),
				column('utm_campaign', 'text', 'YES'),
				column('outcome', 'text', 'YES'),
				column('touch', 'jsonb', 'NO'),
				column('stored_at', 'timestamp with time zone', 'NO'),
				column('match_keys', 'ARRAY', 'YES'),
			],
			indexes: [
				{ indexname: 'touches_at_touch_id', indexdef: 'CREATE INDEX touches_at_touch_id ON sales_analytics.touches USING btree (at, touch_id)' },
				{ indexname: 'touches_match_keys', indexdef: "CREATE INDEX touches_match_keys ON sales_analytics.touches USING gin (match_keys) WITH (fastupdate=off)" },
				{ indexname: 'touches_pkey', indexdef: 'CREATE UNIQUE INDEX touches_pkey ON sales_analytics.touches USING btree (touch_id)' },
			],
		});
	});

	it('the template sets up the same schema at publish and start: its set-up query is schema.sql as shipped', () => {
		const workflow = template('touch-intake-postgres.json') as { nodes: Array<{ name: string; parameters: { query?: string } }> };
		expect(workflow.nodes.find((node) => node.name === 'Touches Schema')?.parameters.query).toBe(SCHEMA);
	});

	it('starts: the template published with its credential pointed at the cluster, its set-up at start green', async () => {
		n8n.importCredentials([{ id: 'saPostgres', name: 'Sales analytics Postgres', type: 'postgres', data: { host: '127.0.0.1', port: db.port, database: db.database, user: db.user, password: '', ssl: 'disable', allowUnauthorizedCerts: false, maxConnections: 20 } }]);
		n8n.importWorkflow(template('touch-intake-postgres.json'));
		n8n.publish(WORKFLOW_ID);
		await n8n.start();
		expect(storedIds()).toEqual([]);
	}, 240_000);

	it('stores a call and a form in the columns worked out by hand, and answers their touchIds', async () => {
		const call = await post(CALL);
		const form = await post(FORM);
		const formId = touchIdsOf(FORM)[0];
		expect([call.status, answered(call.body)]).toEqual([200, ['zadarma:in_4a5d3a7b8c9d0e1f2a3b4c5d6e7f8091']]);
		expect([form.status, answered(form.body)]).toEqual([200, [formId]]);
		// The call: 14:02:11 Moscow (UTC+3, no offset given) is 11:02:11 UTC; caller 79161234567 in E.164; 7 s talked is
		// under the 10 s of a short call; Zadarma's webhook carries no e-mail, client id or utm.
		// The form: 12:00 +03:00 is 09:00 UTC; 8 (912) 345-67-89 is +79123456789; the _ga cookie GA1.1.<id> gives <id>.
		expect(stored()).toEqual([
			{ touch_id: formId, at: '2024-03-05T09:00:00Z', kind: 'form', system: 'form', phones: ['+79123456789'], emails: ['ivan@example.ru'], ga_client_id: '123456789.1700000000', utm_source: 'yandex', utm_medium: 'cpc', utm_campaign: 'brand', outcome: null, touch_id_in_touch: formId },
			{ touch_id: 'zadarma:in_4a5d3a7b8c9d0e1f2a3b4c5d6e7f8091', at: '2024-03-05T11:02:11Z', kind: 'call', system: 'zadarma', phones: ['+79161234567'], emails: [], ga_client_id: null, utm_source: null, utm_medium: null, utm_campaign: null, outcome: 'short', touch_id_in_touch: 'zadarma:in_4a5d3a7b8c9d0e1f2a3b4c5d6e7f8091' },
		]);
	}, 120_000);

	it("stores every touchId of the senders' mix exactly once, redelivered one after another and both at once", async () => {
		const before = storedIds();
		const posts = intakePosts(MIXED, 23);
		const answers: Array<{ post: IntakePost; status: number; body: string }> = [];
		const send = async (p: IntakePost) => answers.push({ post: p, ...(await n8n.callWebhook(PATH, p.body, p.contentType)) });
		// Four senders at a time; every sixth payload twice at once, every sixth from the third again afterwards.
		for (let i = 0; i < posts.length; i += 4) {
			await Promise.all(posts.slice(i, i + 4).flatMap((p, k) => ((i + k) % 6 === 0 ? [send(p), send(p)] : [send(p)])));
		}
		for (let i = 3; i < posts.length; i += 6) await send(posts[i]);
		expect(answers.filter((a) => a.status !== 200 || answered(a.body).join() !== [...a.post.touchIds].sort().join()).map((a) => `${a.post.sender}: ${a.status} ${a.body.slice(0, 200)}`)).toEqual([]);
		expect(answers.length).toBe(MIXED + 6 + 6);
		const expected = [...new Set(posts.flatMap((p) => p.touchIds))];
		const rows = stored().filter((row) => !before.includes(row.touch_id));
		expect(rows.map((row) => row.touch_id).sort()).toEqual(expected.sort());
		expect(rows.every((row) => row.touch_id_in_touch === row.touch_id)).toBe(true);
	}, 180_000);

	it('answers 403 to a request without the header and stores nothing', async () => {
		const before = storedIds();
		const refused = await n8n.callWebhook(PATH, { ...FORM, phone: '+7 999 000-00-01' }, undefined, {});
		expect(refused.status).toBe(403);
		expect(storedIds()).toEqual(before);
	});

	it('with Postgres stopped answers 5xx and fails the execution naming the refused connection; started again, the resend is stored once', async () => {
		const before = storedIds();
		const fresh = { ...FORM, phone: '+7 999 000-00-02', date: '2026-12-01T10:00:00+03:00' };
		const [freshId] = touchIdsOf(fresh);
		const runs = n8n.executions(WORKFLOW_ID).length;
		db.halt();
		const refused = await post(fresh);
		// n8n's answer when the node that answers (the last) fails: the sender sees an error and retries.
		expect([refused.status, refused.body]).toEqual([500, '{"message":"Error in workflow"}']);
		await n8n.waitForExecutions(WORKFLOW_ID, runs + 1);
		expect(n8n.executions(WORKFLOW_ID)[0].status).toBe('error');
		expect(n8n.lastExecutionData(WORKFLOW_ID)).toContain('Connection refused');
		db.resume();
		const resent = await post(fresh);
		expect([resent.status, answered(resent.body)]).toEqual([200, [freshId]]);
		const again = await post(fresh);
		expect([again.status, answered(again.body)]).toEqual([200, [freshId]]);
		expect(storedIds()).toEqual([...before, freshId].sort());
	}, 120_000);
});
