/**
 * The fault suites as a script: every case of hostileFeeds.ts through the real CRM XML Import node, then every case
 * of serviceFaults.ts through the real Revenue Push node, each as one markdown table (fault | tries | survived | lost
 * | duplicated | error [| notes]). Exits 1 when any case lost or duplicated something or did not survive every try.
 *
 *   npx ts-node --transpile-only test/faults/run.ts [--feeds | --services] [--tries N] [--verbose] [name filter]
 *
 * --feeds / --services run only that suite; --verbose also prints each fault's whole message and description and
 * its slowest faulty run (to stderr).
 */
import { HOSTILE_FEEDS } from './hostileFeeds';
import { FaultSuite, faultTable, type FaultResult } from './runFaults';
import { serviceFaultResults } from './runServiceFaults';
import { SERVICE_FAULTS } from './serviceFaults';

function takeFlag(args: string[], flag: string): boolean {
	const at = args.indexOf(flag);
	if (at !== -1) args.splice(at, 1);
	return at !== -1;
}

async function feedResults(tries: number, filter: string): Promise<FaultResult[]> {
	const cases = HOSTILE_FEEDS.filter((feed) => feed.name.toLowerCase().includes(filter));
	const suite = new FaultSuite();
	await suite.start();
	const results: FaultResult[] = [];
	try {
		for (const feed of cases) results.push(await suite.run(feed, tries));
	} finally {
		await suite.stop();
	}
	return results;
}

async function main(): Promise<number> {
	const args = process.argv.slice(2);
	const triesAt = args.indexOf('--tries');
	const tries = triesAt === -1 ? 2 : Number(args.splice(triesAt, 2)[1]);
	const verbose = takeFlag(args, '--verbose');
	const feedsOnly = takeFlag(args, '--feeds');
	const servicesOnly = takeFlag(args, '--services');
	const filter = args.join(' ').toLowerCase();
	const tables: FaultResult[][] = [];
	if (!servicesOnly) tables.push(await feedResults(tries, filter));
	if (!feedsOnly) tables.push(await serviceFaultResults(tries, SERVICE_FAULTS.filter((fault) => fault.name.toLowerCase().includes(filter))));
	const results = tables.flat();
	for (const result of results) {
		for (const problem of result.problems) process.stderr.write(`${result.fault}: ${problem}\n`);
		if (verbose) process.stderr.write(`${result.fault} (${(result.slowestMs / 1000).toFixed(1)} s): ${result.detail}\n`);
	}
	process.stdout.write(tables.filter((table) => table.length > 0).map(faultTable).join('\n\n') + '\n');
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
