#!/usr/bin/env node
/**
 * The offline part of n8n's community-package scan (@n8n/scan-community-package): its ESLint leg over the source
 * (package.json, nodes/, credentials/) and over the packed tarball's compiled .js and package.json, exactly as its
 * analyzePackageByName runs them after download. Also checks that the tarball holds only dist/, the SQL schemas of
 * sql/, README, LICENSE and package.json. Usage: node scripts/scan-package.mjs <scanner dir> <unpacked tarball dir> <tarball file list>
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { pathToFileURL } from 'url';

const [scannerDir, unpacked, fileList] = process.argv.slice(2);
const root = join(import.meta.dirname, '..');
const scanner = await import(pathToFileURL(join(scannerDir, 'node_modules/@n8n/scan-community-package/scanner/scanner.mjs')).href);

const files = readFileSync(fileList, 'utf8').split('\n').filter(Boolean);
const stray = files.filter((file) => !/^(dist\/|sql\/postgres\/[a-z-]+\.sql$|README\.md$|LICENSE$|package\.json$)/.test(file));
const legs = [
	['source (nodes, credentials, package.json)', await scanner.analyzePackage(root, scanner.SOURCE_FILE_PATTERNS)],
	['packed tarball (compiled .js, package.json)', await scanner.analyzePackage(unpacked, ['**/*.js', 'package.json'])],
];
let failed = stray.length > 0;
console.log(`Tarball: ${files.length} files${stray.length > 0 ? `; NOT EXPECTED: ${stray.join(', ')}` : ', only dist/, sql/, README.md, LICENSE and package.json'}`);
for (const [name, result] of legs) {
	const ok = result.passed && result.message !== 'No files found to analyze';
	failed ||= !ok;
	console.log(`@n8n/scan-community-package lint of the ${name}: ${ok ? 'passed, 0 errors' : `FAILED: ${result.message ?? ''}`}`);
	if (result.details) console.log(result.details);
}
process.exitCode = failed ? 1 : 0;
