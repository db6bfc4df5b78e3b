/**
 * The hostile-feed fault suite as a script: every case of hostileFeeds.ts through the real CRM XML Import node,
 * then one markdown table (fault | tries | survived | lost | duplicated | error). Exits 1 when any case lost or
 * duplicated an order or did not survive every try.
 *
 *   npx ts-node --transpile-only test/faults/run.ts [--tries N] [--verbose] [name filter]
 *
 * --verbose also prints each fault's whole message and description and its slowest faulty run (to stderr).
 */
import { HOSTILE_FEEDS } from './hostileFeeds';
import { FaultSuite, faultTable, type FaultResult } from './runFaults';

async function main(): Promise<number> {
	const args = process.argv.slice(2);
	const triesAt = args.indexOf('--tries');
	const tries = triesAt === -1 ? 2 : Number(args.splice(triesAt, 2)[1]);
	const verboseAt = args.indexOf('--verbose');
	if (verboseAt !== -1) args.splice(verboseAt, 1);
	const filter = args.join(' ').toLowerCase();
	const cases = HOSTILE_FEEDS.filter((feed) => feed.name.toLowerCase().includes(filter));
	const suite = new FaultSuite();
	await suite.start();
	const results: FaultResult[] = [];
	try {
		for (const feed of cases) {
			const result = await suite.run(feed, tries);
			results.push(result);
			for (const problem of result.problems) process.stderr.write(`${feed.name}: ${problem}\n`);
			if (verboseAt !== -1) process.stderr.write(`${feed.name} (${(result.slowestMs / 1000).toFixed(1)} s): ${result.detail}\n`);
		}
	} finally {
		await suite.stop();
	}
	process.stdout.write(faultTable(results) + '\n');
	const bad = results.filter((r) => r.survived < r.tries || r.lost > 0 || r.duplicated > 0);
	process.stdout.write(`\n${results.length} faults, ${results.length - bad.length} survived every try${bad.length ? `; FAILED: ${bad.map((r) => r.fault).join(', ')}` : ''}\n`);
	return bad.length > 0 ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		process.exit(2);
	},
);
