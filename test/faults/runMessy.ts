/**
 * The messy-data fault suite as a script (issue 7): generated phones, e-mails and times through the real Touchpoint
 * and Order Matcher nodes (see messyData.ts), printed as the fault suite's markdown table. Exits 1 when a value was
 * lost or duplicated, a node crashed, or any case did not come out as expected.
 *
 *   npx ts-node --transpile-only test/faults/runMessy.ts [--verbose]
 *
 * --verbose also prints the first problems of each row (to stderr).
 */
import { messyDataResults } from './messyData';
import { faultTable } from './runFaults';

async function main(): Promise<number> {
	const verbose = process.argv.includes('--verbose');
	const started = Date.now();
	const results = await messyDataResults();
	for (const result of results) {
		if (verbose && result.detail) process.stderr.write(`${result.fault}:\n${result.detail}\n`);
	}
	process.stdout.write(faultTable(results) + '\n');
	const bad = results.filter((r) => r.survived < r.tries || r.lost > 0 || r.duplicated > 0 || r.problems.length > 0);
	const tries = results.reduce((sum, r) => sum + r.tries, 0);
	process.stdout.write(`\n${results.length} kinds, ${tries} values in ${((Date.now() - started) / 1000).toFixed(1)} s${bad.length ? `; FAILED: ${bad.map((r) => r.fault).join(', ')}` : '; every value as expected'}\n`);
	return bad.length > 0 ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		process.exit(2);
	},
);
