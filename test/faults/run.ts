/**
 * The fault suites as one script and one table (fault | tries | survived | lost | duplicated | error [| notes]):
 * every case of hostileFeeds.ts through the real CRM XML Import node, every case of serviceFaults.ts through the
 * real Revenue Push node, the messy-data kinds of messyData.ts through the real Touchpoint and Order Matcher, and,
 * with --load N, N touches posted to the touch intake template in a real n8n by 20 clients (test/load; needs
 * `npm run build` and the cached n8n), and the 1 MB hostile values of hostileText.ts through the real Touchpoint,
 * Order Matcher and Lead Queue qualify. Exits 1 when any case lost or duplicated something, did not survive
 * every try or came out otherwise than it must.
 *
 *   npx ts-node --transpile-only test/faults/run.ts [--feeds | --services | --messy | --hostile] [--load N] [--tries N] [--verbose] [name filter]
 *
 * --feeds / --services / --messy / --hostile run only that suite; --verbose also prints each fault's whole message and
 * description and its slowest faulty run (to stderr).
 */
import { defaultDeadlineSec, loadFaultResults, runIntakeLoad } from '../load/intakeLoad';
import { HOSTILE_FEEDS } from './hostileFeeds';
import { hostileTextResults } from './hostileText';
import { messyDataResults } from './messyData';
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
	const loadAt = args.indexOf('--load');
	const loadCount = loadAt === -1 ? 0 : Number(args.splice(loadAt, 2)[1]);
	const verbose = takeFlag(args, '--verbose');
	const only = ['--feeds', '--services', '--messy', '--hostile'].filter((flag) => takeFlag(args, flag));
	const runs = (flag: string) => only.length === 0 || only.includes(flag);
	const filter = args.join(' ').toLowerCase();
	const results: FaultResult[] = [];
	if (runs('--feeds')) results.push(...(await feedResults(tries, filter)));
	if (runs('--services')) results.push(...(await serviceFaultResults(tries, SERVICE_FAULTS.filter((fault) => fault.name.toLowerCase().includes(filter)))));
	if (runs('--messy')) results.push(...(await messyDataResults()).filter((result) => result.fault.toLowerCase().includes(filter)));
	if (runs('--hostile')) results.push(...(await hostileTextResults()).filter((result) => result.fault.toLowerCase().includes(filter)));
	if (loadCount > 0) results.push(...loadFaultResults(await runIntakeLoad({ count: loadCount, clients: 20, redeliverShare: 0.02, deadlineSec: defaultDeadlineSec(loadCount), seed: 7 })));
	for (const result of results) {
		for (const problem of result.problems) process.stderr.write(`${result.fault}: ${problem}\n`);
		if (verbose) process.stderr.write(`${result.fault} (${(result.slowestMs / 1000).toFixed(1)} s): ${result.detail}\n`);
	}
	process.stdout.write(faultTable(results) + '\n');
	const bad = results.filter((r) => r.survived < r.tries || r.lost > 0 || r.duplicated > 0 || r.problems.length > 0);
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
