import { HOSTILE_FEEDS } from './hostileFeeds';
import { FaultSuite, faultTable, type FaultResult } from './runFaults';

/**
 * Issue 7, hostile and broken feeds: every case of hostileFeeds.ts through the real CRM XML Import node over HTTP
 * (see runFaults.ts). Each must fail with its clear error (or, for duplicate ids, import with a warning), emit
 * nothing, leave the incremental mark unmoved and keep the credential out of the message; after it, a clean run
 * must lose and duplicate nothing. The table of `npx ts-node --transpile-only test/faults/run.ts` is printed too.
 */
const suite = new FaultSuite();
const results: FaultResult[] = [];

beforeAll(async () => {
	await suite.start();
}, 60000);

afterAll(async () => {
	await suite.stop();
	if (results.length > 0) process.stdout.write(`\n${faultTable(results)}\n`);
});

describe('hostile feeds (CRM XML Import, URL source, incremental mode)', () => {
	it('has at least 20 kinds of fault', () => {
		expect(HOSTILE_FEEDS.length).toBeGreaterThanOrEqual(20);
		expect(new Set(HOSTILE_FEEDS.map((feed) => feed.name)).size).toBe(HOSTILE_FEEDS.length);
	});

	const title = (feed: (typeof HOSTILE_FEEDS)[number]) =>
		feed.outcome === 'imports'
			? `${feed.name}: imports each order once, with a warning; nothing lost or duplicated after`
			: `${feed.name}: clear error, nothing emitted, mark unmoved, no secret; nothing lost or duplicated after`;

	it.each(HOSTILE_FEEDS.map((feed) => [title(feed), feed] as const))(
		'%s',
		async (_title, feed) => {
			const result = await suite.run(feed, 2);
			results.push(result);
			expect({ problems: result.problems, lost: result.lost, duplicated: result.duplicated }).toEqual({ problems: [], lost: 0, duplicated: 0 });
			expect(result.survived).toBe(result.tries);
		},
		120000,
	);
});
