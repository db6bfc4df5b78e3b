/**
 * The import benchmark: a generated CommerceML feed (100,000 orders by default, about 250 MB of UTF-8) through
 * four paths, each in its own process: this pack's import (file stream -> canonical orders), the path a user
 * would build from n8n's XML node (xml2js, mergeAttrs, explicitArray false, deep copy), fast-xml-parser's
 * whole-document parse, and the floor (read, decode, find record boundaries). Prints time, peak RSS and ratios.
 * Usage: npm run bench [-- --orders 100000]
 */
import { spawnSync } from 'child_process';
import { createWriteStream, existsSync, mkdirSync, statSync } from 'fs';
import { cpus } from 'os';
import { join, resolve } from 'path';
import { commercemlFeedParts } from '../fixtures/commercemlFeed';
import { printFigures } from './figures';

const ROOT = resolve(__dirname, '..', '..');
const argOrders = process.argv.indexOf('--orders');
const orders = argOrders > 0 ? Number(process.argv[argOrders + 1]) : 100000;

async function feedFile(): Promise<string> {
	mkdirSync(join(ROOT, '.tmp'), { recursive: true });
	const file = join(ROOT, '.tmp', `bench-feed-${orders}.xml`);
	if (existsSync(file)) return file;
	const out = createWriteStream(file);
	for (const part of commercemlFeedParts({ orders, seed: 42 })) {
		if (!out.write(part)) await new Promise<void>((r) => out.once('drain', () => r()));
	}
	await new Promise<void>((r) => out.end(() => r()));
	return file;
}

interface Figure {
	path: string;
	records: number;
	ms: number;
	peakMb: number;
}

function measure(path: string, file: string): Figure {
	const run = spawnSync(process.execPath, ['--max-old-space-size=8192', '-r', 'ts-node/register/transpile-only', join(__dirname, 'importPaths.ts'), path, file], {
		cwd: ROOT,
		encoding: 'utf8',
		maxBuffer: 1 << 20,
	});
	if (run.status !== 0) throw new Error(`${path} failed: ${run.stderr}`);
	return JSON.parse(run.stdout.trim().split('\n').pop() as string) as Figure;
}

(async () => {
	const file = await feedFile();
	const sizeMb = statSync(file).size / 1048576;
	console.log(`Feed: ${orders} orders, ${sizeMb.toFixed(0)} MB UTF-8 CommerceML; ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, Node ${process.version}`);
	const labels: Record<string, string> = {
		node: 'CRM XML Import (stream -> orders)',
		builtin: "n8n XML node path (xml2js + copy)",
		fxp: 'fast-xml-parser 5, whole document',
		floor: 'floor: read + decode + find records',
	};
	const figures = ['node', 'builtin', 'fxp', 'floor'].map((path) => measure(path, file));
	const [node, builtin] = figures;
	console.log('| path | records | time, s | peak RSS, MB | time vs n8n XML node | memory / file size |');
	console.log('|---|---:|---:|---:|---:|---:|');
	for (const f of figures) {
		console.log(`| ${labels[f.path]} | ${f.records} | ${(f.ms / 1000).toFixed(2)} | ${f.peakMb.toFixed(0)} | ${(builtin.ms / f.ms).toFixed(1)}x faster | ${(f.peakMb / sizeMb).toFixed(2)} |`);
	}
	const speedup = builtin.ms / node.ms;
	const memoryRatio = node.peakMb / sizeMb;
	console.log(`Targets: >= 5x faster than the n8n XML node path: ${speedup.toFixed(1)}x ${speedup >= 5 ? 'MET' : 'MISSED'}; peak memory <= 1.5x file size: ${memoryRatio.toFixed(2)}x ${memoryRatio <= 1.5 ? 'MET' : 'MISSED'}`);
	printFigures([
		{ bench: 'CRM XML Import', figure: `${orders} orders (${sizeMb.toFixed(0)} MB) to canonical orders`, value: node.ms / 1000, unit: 's', baseline: `n8n XML node path ${(builtin.ms / 1000).toFixed(1)} s`, ratio: `${speedup.toFixed(1)}x faster`, target: '>= 5x faster', met: speedup >= 5 },
		{ bench: 'CRM XML Import', figure: 'peak RSS', value: node.peakMb, unit: 'MB', baseline: `file ${sizeMb.toFixed(0)} MB`, ratio: `${memoryRatio.toFixed(2)}x the file`, target: '<= 1.5x the file', met: memoryRatio <= 1.5 },
	]);
	if (figures.some((f) => f.records !== orders)) throw new Error('a path did not find every record');
})();
