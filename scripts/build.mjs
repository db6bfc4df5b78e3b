// Builds dist/: each node and credential bundled on its own with esbuild, so the libraries the pack needs
// (libphonenumber-js with its min metadata, from its ESM build) ship inside dist and package.json keeps no
// runtime dependencies. n8n-workflow and luxon come from n8n at run time.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url)));
const entries = [...pkg.n8n.nodes, ...pkg.n8n.credentials].map((out) => out.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
	entryPoints: entries,
	outbase: '.',
	outdir: 'dist',
	bundle: true,
	platform: 'node',
	format: 'cjs',
	target: 'node20',
	mainFields: ['module', 'main'],
	external: ['n8n-workflow', 'luxon'],
	logLevel: 'warning',
	legalComments: 'none',
});
console.log(`built ${entries.length} entry points into dist/`);
