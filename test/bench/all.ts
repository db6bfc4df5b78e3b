/**
 * `npm run bench`: every benchmark, one after another, each in its own process, then one table of every figure
 * beside its baseline and target. Pass --quick for smaller sizes (the import at 20,000 orders, the matcher at
 * 20,000 x 200,000, the intake load at 300 touches); the take-a-lead benchmark and the touch intake load (2,000
 * touches from 20 clients; the 50,000 is `test/load/intakeLoad.ts --count 50000`, about two hours here) run
 * when the pinned n8n is installed (scripts/install-n8n.sh) and the pack is built.
 */
import { spawnSync } from 'child_process';
import { existsSync } from 'fs';
import { cpus } from 'os';
import { join, resolve } from 'path';
import type { Figure } from './figures';

const ROOT = resolve(__dirname, '..', '..');
const quick = process.argv.includes('--quick');
const pins = require(join(ROOT, 'test/e2e/n8n-version.json')) as { default: string };
const n8nInstalled = existsSync(join(ROOT, '.cache', `n8n-${pins.default}`, '.installed'));

const benches: Array<{ script: string; args: string[]; needs?: boolean }> = [
	{ script: 'importBench.ts', args: ['--orders', quick ? '20000' : '100000'] },
	{ script: 'matchBench.ts', args: quick ? ['--orders', '20000', '--touches', '200000'] : [] },
	{ script: 'attributionBench.ts', args: [] },
	{ script: 'salesReportBench.ts', args: quick ? ['--deals', '20000'] : [] },
	{ script: 'leadRankBench.ts', args: [] },
	{ script: 'pushBench.ts', args: [] },
	{ script: 'ledgerBench.ts', args: quick ? ['--sizes', '0,30000'] : [] },
	{ script: 'takeLeadBench.ts', args: ['--rounds', quick ? '3' : '10'], needs: n8nInstalled },
	{ script: 'crmTakeLeadBench.ts', args: ['--rounds', quick ? '2' : '5'], needs: n8nInstalled },
	{ script: '../load/intakeLoad.ts', args: ['--count', quick ? '300' : '2000'], needs: n8nInstalled },
	// A year of a shop (issue 18): also needs Postgres and Redis (scripts/install-queue-env.sh); see docs/benchmarks.md for the sizes that finish here.
	// 10x the history as 10x as long at the same pace, (a) on restarted processes; the year stored in feeds of 10,000 orders, and the
	// Data Tables at the largest size their order sync was measured to hold.
	{
		script: 'scaleBench.ts',
		args: [...(quick ? ['--touches', '20000', '--orders', '2000', '--changed', '100', '--dt-touches', '20000'] : ['--store-in', '10000', '--dt-touches', '100000']), '--same-pace', '--restart-before-a'],
		needs: n8nInstalled,
	},
];

const figures: Figure[] = [];
for (const bench of benches) {
	if (bench.needs === false) {
		console.log(`\n== ${bench.script}: skipped (n8n ${pins.default} is not installed; run scripts/install-n8n.sh and npm run build)`);
		continue;
	}
	console.log(`\n== ${bench.script} ${bench.args.join(' ')}`);
	const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, bench.script), ...bench.args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
	const lines = run.stdout.split('\n');
	console.log(lines.filter((line) => !line.startsWith('FIGURES ')).join('\n').trim());
	if (run.status !== 0) console.log(`FAILED (exit ${run.status}): ${run.stderr.slice(-2000)}`);
	for (const line of lines) if (line.startsWith('FIGURES ')) figures.push(...(JSON.parse(line.slice(8)) as Figure[]));
}

console.log(`\nAll benchmarks: ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, Node ${process.version}${quick ? ' (--quick sizes)' : ''}`);
console.log('| benchmark | figure | value | baseline | ratio | target | result |\n|---|---|---:|---|---|---|---|');
for (const f of figures) {
	const value = f.value >= 100 ? f.value.toFixed(0) : f.value.toFixed(2);
	console.log(`| ${f.bench} | ${f.figure} | ${value} ${f.unit} | ${f.baseline ?? ''} | ${f.ratio ?? ''} | ${f.target} | ${f.met ? 'MET' : 'MISSED'} |`);
}
console.log(`${figures.filter((f) => f.met).length} of ${figures.length} targets met`);
