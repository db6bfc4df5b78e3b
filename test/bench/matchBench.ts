/**
 * The Order Matcher benchmark: generated orders and touches (messy phones, shared e-mails, repeat buyers) matched
 * at 10 % and 100 % of the size, against the naive Code-node loop (for each order scan all touches), measured on a
 * sample of orders and scaled. Usage: ts-node test/bench/matchBench.ts [--orders 100000] [--touches 1000000]
 */
import { spawnSync } from 'child_process';
import { join, resolve } from 'path';
import { printFigures } from './figures';

const ROOT = resolve(__dirname, '..', '..');
const arg = (name: string, fallback: number) => {
	const at = process.argv.indexOf(name);
	return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const orders = arg('--orders', 100_000);
const touches = arg('--touches', 1_000_000);

interface Figure {
	ms: number;
	dataMb: number;
	peakMb: number;
	deals?: number;
	unmatchedOrders?: number;
	unmatchedTouches?: number;
	links?: number;
	sampledOrders?: number;
}

function run(...args: Array<string | number>): Figure {
	const child = spawnSync(process.execPath, ['--max-old-space-size=8192', '-r', 'ts-node/register/transpile-only', join(__dirname, 'matchPaths.ts'), ...args.map(String)], { cwd: ROOT, encoding: 'utf8' });
	if (child.status !== 0) throw new Error(child.stderr);
	return JSON.parse(child.stdout.trim().split('\n').pop() as string) as Figure;
}

const small = run('node', orders / 10, touches / 10);
const full = run('node', orders, touches);
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
printFigures([
	{ bench: 'Order Matcher', figure: `${orders} orders x ${touches} touches`, value: full.ms / 1000, unit: 's', baseline: `naive loop ~${(naiveFullMs / 1000).toFixed(0)} s (sampled)`, ratio: `${(naiveFullMs / full.ms).toFixed(0)}x faster`, target: '<= 5 s', met: full.ms <= 5000 },
	{ bench: 'Order Matcher', figure: 'growth 10 % -> 100 %', value: growth, unit: 'x', baseline: `10 % in ${(small.ms / 1000).toFixed(2)} s`, ratio: null, target: '<= 12x', met: growth <= 12 },
]);
