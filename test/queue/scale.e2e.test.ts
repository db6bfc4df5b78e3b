import { ShopYear, touchIdOf, type ShopSize } from '../bench/shopYear';
import { DataTableShop, firstOfEachKind, PostgresShop } from '../bench/scaleRuns';
import { N8N_VERSION, packPack } from '../e2e/realN8n';

/**
 * The scale benchmark's flow (test/bench/scaleBench.ts) at CI size, for correctness only (issue 18, item 5): a
 * generated year of a shop (test/bench/shopYear.ts: 4,000 touches, 400 orders, then 40 new or changed) stored in bulk,
 * synced with the feed of every order, then with the feed of the new and changed ones; on Postgres in queue mode
 * (main + 2 workers) and on Data Tables (a plain `n8n start`). The generator is the oracle: every order's own touches
 * are the ones its buyer made in the 30 days before it, and no other touch shares a phone, an e-mail or a client id
 * with an order, so each deal must link exactly its order's own touches; what the Postgres sync reads by key is
 * counted from the generator too (ShopYear.keyRead). The changed orders sit in the year's last quarter.
 */
const SIZE: ShopSize = { touches: 4_000, orders: 400, changed: 40, changedSpan: 0.25 };
const shop = new ShopYear(SIZE);
const own = shop.ownTouches();
const probes = firstOfEachKind(shop.touches());
const skip = new Set(probes.map(touchIdOf));
const tarball = packPack();
const quiet = () => undefined;

/** Values that occur more than once. */
function repeated(values: string[]): string[] {
	const seen = new Set<string>();
	return [...new Set(values.filter((value) => seen.has(value) || !seen.add(value)))];
}

/** The first of `pairs` whose touches differ from the order's own (none: []). */
function wrongTouches(pairs: Iterable<[string, string[]]>): Array<[string, string[]]> {
	return [...pairs].filter(([id, touches]) => JSON.stringify(touches) !== JSON.stringify(own.get(id))).slice(0, 3);
}

/** The orders of the year's feed, and with the new ones after. */
const yearIds = [...own.keys()].slice(0, SIZE.orders).sort();
const allIds = [...own.keys()].sort();
const changedIds = shop.changedIds().sort();

describe(`a year of a shop at CI size on Postgres in queue mode, real n8n ${N8N_VERSION}`, () => {
	const run = new PostgresShop(shop, quiet, tarball);

	beforeAll(() => run.start(), 300_000);
	afterAll(() => run.stop(), 120_000);

	it('touches stored in bulk are the rows the intake writes: a form, a call and a chat posted to it, and COPY of the same, column by column', async () => {
		const pairs = await run.intakeRows(probes);
		expect(pairs.map((pair) => pair.intake.split('|')[0]).sort()).toEqual(probes.map(touchIdOf).sort());
		for (const pair of pairs) expect(pair.bulk).toBe(pair.intake);
		await run.bulkLoad(skip);
		expect(run.count('touches')).toBe(SIZE.touches);
	}, 120_000);

	it('full sync: every order of the feed a deal once, each with exactly its own touches; credits only of won deals with touches, each model crediting its total', async () => {
		run.serve(shop.fullFeed());
		const sync = await run.sync('full');
		expect([sync.httpStatus, sync.status]).toEqual([200, 'success']);
		const deals = run.dealTouches();
		expect([...deals.keys()].sort()).toEqual(yearIds);
		expect(wrongTouches(deals)).toEqual([]);
		expect(run.count('credits')).toBeGreaterThan(0);
		const wrong = run.queue.db.rows(`select d.order_id, d.stage, c.model, c.revenue from sales_analytics.deals d
			left join (select order_id, model, sum(revenue) as revenue from sales_analytics.credits group by 1, 2) c using (order_id)
			where (d.stage = 'won' and d.touches > 0) is distinct from coalesce(c.revenue = d.total, false) limit 5`);
		expect(wrong).toEqual([]);
	}, 300_000);

	it('incremental sync: exactly the new and changed orders change, each with its own touches; it reads by key only what the generator says it can reach', async () => {
		const before = run.dealVersions();
		run.serve(shop.changedFeed());
		const sync = await run.sync('incremental');
		expect([sync.httpStatus, sync.status]).toEqual([200, 'success']);
		const after = run.dealVersions();
		expect([...after].filter(([id, at]) => before.get(id) !== at).map(([id]) => id).sort()).toEqual(changedIds);
		expect(repeated([...after.keys()])).toEqual([]);
		expect([...after.keys()].sort()).toEqual(allIds);
		expect(wrongTouches(run.dealTouches())).toEqual([]);
		const read = run.lastKeyRead();
		expect(read).toEqual(shop.keyRead());
		expect(read.touches).toBeLessThan(SIZE.touches / 10);
	}, 300_000);
});

describe(`a year of a shop at CI size on Data Tables, real n8n ${N8N_VERSION}`, () => {
	const run = new DataTableShop(shop, quiet, tarball);

	beforeAll(() => run.start(), 300_000);
	afterAll(() => run.stop(), 120_000);

	it("touches stored through n8n's Data Table API are the rows the intake writes", async () => {
		const pairs = await run.intakeRows(probes);
		expect(pairs.map((pair) => pair.intake.touchId)).toEqual(probes.map(touchIdOf));
		for (const pair of pairs) expect(pair.bulk).toEqual(pair.intake);
		const loaded = await run.bulkLoad(shop.touches(), skip);
		expect(loaded).toEqual({ rows: SIZE.touches - probes.length, seconds: expect.any(Number), refused: null });
		expect(run.count('touches')).toBe(SIZE.touches);
	}, 120_000);

	it('full sync: every order a deal once, each with exactly its own touches', async () => {
		run.serve(shop.fullFeed());
		const sync = await run.sync('full');
		expect([sync.httpStatus, sync.status]).toEqual([200, 'success']);
		const rows = run.dealRows();
		expect(repeated(rows.map((row) => row.orderId))).toEqual([]);
		expect(rows.map((row) => row.orderId).sort()).toEqual(yearIds);
		expect(wrongTouches(rows.map((row) => [row.orderId, row.touchIds]))).toEqual([]);
	}, 300_000);

	it('the feed of every order with the new and changed ones: each order once, exactly the changed ones with another status, each with its own touches', async () => {
		const statuses = new Map(run.dealRows().map((row) => [row.orderId, row.status]));
		run.serve(shop.changedFeed(true));
		const sync = await run.sync('incremental');
		expect([sync.httpStatus, sync.status]).toEqual([200, 'success']);
		const rows = run.dealRows();
		expect(repeated(rows.map((row) => row.orderId))).toEqual([]);
		expect(rows.map((row) => row.orderId).sort()).toEqual(allIds);
		const changed = rows.filter((row) => statuses.has(row.orderId) && statuses.get(row.orderId) !== row.status).map((row) => row.orderId);
		expect(changed.sort()).toEqual(shop.changedIndexes.map((index) => shop.orderId(index)).sort());
		expect(wrongTouches(rows.map((row) => [row.orderId, row.touchIds]))).toEqual([]);
	}, 300_000);
});
