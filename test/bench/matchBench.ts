/**
 * The Order Matcher benchmark: generated orders and touches (messy phones, shared e-mails, repeat buyers) matched
 * with the node's defaults at 10 % and 100 % of the size, against the naive Code-node loop (for each order scan all
 * touches), measured on a sample of orders and scaled, and against the matcher of the pack's version 0.1 (checked out
 * of git: no item checks, no shared-value detection) at full size, the two interleaved twice in the same run. Then issue 16's corpus (an office line on 5 % of the calls and
 * 20 orders, placeholder e-mails, the client id of the shop's office computer) at a moderate size: precision and
 * recall of the links against the true person of every record, and the time detection of shared values costs.
 * Usage: ts-node test/bench/matchBench.ts [--orders 100000] [--touches 1000000] [--quality-orders 10000]
 * [--quality-touches 100000] [--repeats 15]
 */
import { execSync, spawnSync } from 'child_process';
import { existsSync, mkdirSync } from 'fs';
import { join, resolve } from 'path';
import { printFigures } from './figures';

const ROOT = resolve(__dirname, '..', '..');
const arg = (name: string, fallback: number) => {
	const at = process.argv.indexOf(name);
	return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const orders = arg('--orders', 100_000);
const touches = arg('--touches', 1_000_000);
const qualityOrders = arg('--quality-orders', 10_000);
const qualityTouches = arg('--quality-touches', 100_000);
const repeats = arg('--repeats', 15);

interface Score {
	links: number;
	precision: number;
	recall: number;
	wrong: number;
	wrongInCouples: number;
}

interface Figure {
	ms: number;
	dataMb: number;
	peakMb: number;
	deals?: number;
	unmatchedOrders?: number;
	unmatchedTouches?: number;
	links?: number;
	sampledOrders?: number;
	version1_1?: Score;
	version1?: Score;
	version1Listed?: Score;
	shared?: string[];
	personalDetected?: string[];
	on?: { medianMs: number; minMs: number };
	off?: { medianMs: number; minMs: number };
	step?: { medianMs: number; minMs: number };
	pairedCost?: number;
	pairedCpuCost?: number;
}

function run(...args: Array<string | number>): Figure {
	const child = spawnSync(process.execPath, ['--max-old-space-size=8192', '--expose-gc', '-r', 'ts-node/register/transpile-only', join(__dirname, 'matchPaths.ts'), ...args.map(String)], { cwd: ROOT, encoding: 'utf8' });
	if (child.status !== 0) throw new Error(child.stderr);
	return JSON.parse(child.stdout.trim().split('\n').pop() as string) as Figure;
}

/** The last commit of version 0.1's matcher: the next one (68b7699) checks items one by one. */
const V0_1_COMMIT = 'ee9b192';

/** Version 0.1's `nodes`, checked out once into .tmp (git archive: the working tree and the index are not touched). */
function versionZeroOne(): string {
	const folder = join(ROOT, '.tmp', `match-0.1-${V0_1_COMMIT}`);
	if (!existsSync(join(folder, 'nodes'))) {
		mkdirSync(folder, { recursive: true });
		execSync(`git archive ${V0_1_COMMIT} nodes | tar -x -C "${folder}"`, { cwd: ROOT });
	}
	return folder;
}

const small = run('node', orders / 10, touches / 10);
// Today's matcher and 0.1's, interleaved, so that both see the same machine; the faster of each pair of runs counts.
const v01Folder = versionZeroOne();
const fulls: Figure[] = [];
const olds: Figure[] = [];
for (let i = 0; i < 2; i++) {
	fulls.push(run('node', orders, touches));
	olds.push(run('v0.1', orders, touches, v01Folder));
}
const fastest = (figures: Figure[]) => figures.reduce((best, figure) => (figure.ms < best.ms ? figure : best));
const full = fastest(fulls);
const old = fastest(olds);
const sample = Math.min(500, orders);
const naive = run('naive', orders, touches, sample);
const naiveFullMs = (naive.ms * orders) / sample;
const growth = full.ms / small.ms;
console.log(`Order Matcher: ${orders} orders x ${touches} touches, Node ${process.version}`);
console.log('| run | time, s | peak RSS, MB | RSS of the data, MB | deals | orders without touch | touches without order |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const [label, f] of [['10 %', small], ['100 %', full]] as const) {
	console.log(`| ${label} | ${(f.ms / 1000).toFixed(2)} | ${f.peakMb.toFixed(0)} | ${f.dataMb.toFixed(0)} | ${f.deals} | ${f.unmatchedOrders} | ${f.unmatchedTouches} |`);
}
console.log(`| naive loop, ${sample} orders measured, scaled | ${(naiveFullMs / 1000).toFixed(0)} (est.) | ${naive.peakMb.toFixed(0)} | ${naive.dataMb.toFixed(0)} | | | |`);
console.log(`Growth 10 % -> 100 %: ${growth.toFixed(1)}x (target <= 12x): ${growth <= 12 ? 'MET' : 'MISSED'}`);
console.log(`Full size: ${(full.ms / 1000).toFixed(2)} s (target <= 5 s): ${full.ms <= 5000 ? 'MET' : 'MISSED'}; ${(naiveFullMs / full.ms).toFixed(0)}x faster than the naive loop`);
const pairs = fulls.map((figure, i) => `${(figure.ms / 1000).toFixed(2)} / ${(olds[i].ms / 1000).toFixed(2)} s`).join(', ');
console.log(`Against 0.1's matcher (${V0_1_COMMIT}), same corpus, interleaved: today / 0.1 ${pairs}; fastest ${(full.ms / 1000).toFixed(2)} / ${(old.ms / 1000).toFixed(2)} s = ${(full.ms / old.ms).toFixed(2)}x 0.1's time (peak RSS ${full.peakMb.toFixed(0)} / ${old.peakMb.toFixed(0)} MB)`);

const quality = run('quality', qualityOrders, qualityTouches, repeats);
const percent = (share: number) => `${(share * 100).toFixed(2)} %`;
console.log(`\nShared values (issue 16): ${qualityOrders} orders x ${qualityTouches} touches, links scored against the true person of every record`);
console.log('| settings | links | precision | recall | wrong links | of them inside a couple (a shared e-mail of two people) |');
console.log('|---|---:|---:|---:|---:|---:|');
const scores = [
	['defaults of version 1.1 (detection on)', quality.version1_1],
	['defaults of version 1 (detection off)', quality.version1],
	['version 1, the shared values listed in Blocked Values', quality.version1Listed],
] as const;
for (const [label, score] of scores) {
	const s = score as Score;
	console.log(`| ${label} | ${s.links} | ${percent(s.precision)} | ${percent(s.recall)} | ${s.wrong} | ${s.wrongInCouples} |`);
}
console.log(`Found shared: ${(quality.shared ?? []).join('; ')}`);
console.log(`Personal values found shared (wrongly): ${(quality.personalDetected ?? []).length}`);
const on = quality.on as { medianMs: number; minMs: number };
const off = quality.off as { medianMs: number; minMs: number };
const step = quality.step as { medianMs: number; minMs: number };
const cost = quality.pairedCost as number;
const cpuCost = quality.pairedCpuCost as number;
console.log(`Detection on / off, ${repeats} pairs, interleaved (which goes first turns each pair, the heap collected before each run): fastest ${on.minMs.toFixed(0)} / ${off.minMs.toFixed(0)} ms, median ${on.medianMs.toFixed(0)} / ${off.medianMs.toFixed(0)} ms; median of the paired ratios on / off - 1: ${percent(cost)} of the wall time, ${percent(cpuCost)} of the CPU time (target <= 10 %)`);
console.log(`The detection step alone: median ${step.medianMs.toFixed(1)} ms, fastest ${step.minMs.toFixed(1)} ms = ${percent(step.medianMs / off.medianMs)} of the median run without it`);
const defaults = quality.version1_1 as Score;
printFigures([
	{ bench: 'Order Matcher', figure: `${orders} orders x ${touches} touches`, value: full.ms / 1000, unit: 's', baseline: `naive loop ~${(naiveFullMs / 1000).toFixed(0)} s (sampled); 0.1's code in the same run ${(old.ms / 1000).toFixed(2)} s`, ratio: `${(naiveFullMs / full.ms).toFixed(0)}x faster; ${(full.ms / old.ms).toFixed(2)}x 0.1's time`, target: '<= 5 s', met: full.ms <= 5000 },
	{ bench: 'Order Matcher', figure: 'growth 10 % -> 100 %', value: growth, unit: 'x', baseline: `10 % in ${(small.ms / 1000).toFixed(2)} s`, ratio: null, target: '<= 12x', met: growth <= 12 },
	{ bench: 'Order Matcher', figure: `precision with shared values, defaults (${qualityOrders} x ${qualityTouches})`, value: defaults.precision * 100, unit: '%', baseline: `version 1 defaults ${percent((quality.version1 as Score).precision)}`, ratio: null, target: '>= 99.5 %', met: defaults.precision >= 0.995 },
	{ bench: 'Order Matcher', figure: `recall with shared values, defaults (${qualityOrders} x ${qualityTouches})`, value: defaults.recall * 100, unit: '%', baseline: null, ratio: null, target: '>= 98 %', met: defaults.recall >= 0.98 },
	{ bench: 'Order Matcher', figure: `time of shared-value detection (median of ${repeats} paired runs on / off, wall time)`, value: cost * 100, unit: '%', baseline: `detection off ${off.medianMs.toFixed(0)} ms; of the CPU time ${percent(cpuCost)}; the step alone ${step.medianMs.toFixed(1)} ms`, ratio: null, target: '<= 10 %', met: cost <= 0.1 && cpuCost <= 0.1 },
]);
