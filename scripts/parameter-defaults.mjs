#!/usr/bin/env node
/**
 * Records the parameter contract of node versions that are not recorded yet (issue 17; see docs/parameters.md).
 *
 *   node scripts/parameter-defaults.mjs                  print the contract of every unrecorded node version
 *   node scripts/parameter-defaults.mjs --add            add them to test/fixtures/parameterDefaults.json
 *   node scripts/parameter-defaults.mjs --add salesReport  add the unrecorded versions of that node only
 *
 * A recorded version is never rewritten: when one no longer matches the code, the tool lists why and writes nothing.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const file = join(root, 'test', 'fixtures', 'parameterDefaults.json');
const require = createRequire(import.meta.url);
require('ts-node').register({ project: join(root, 'tsconfig.json'), transpileOnly: true });
const { currentContract, loadNodeDescriptions, planAdd } = require('../test/helpers/parameterContract.ts');

const args = process.argv.slice(2);
const add = args.includes('--add');
const only = args.filter((arg) => arg !== '--add');
const unknownFlags = only.filter((arg) => arg.startsWith('-'));
if (unknownFlags.length > 0) {
	console.error(`Unknown option ${unknownFlags.join(', ')}; the only option is --add`);
	process.exit(2);
}

const recorded = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
const plan = planAdd(recorded, currentContract(loadNodeDescriptions(root)), only);
if (plan.refused.length > 0) {
	console.error(`Refused, nothing written. ${plan.refused.join('\n- ')}`);
	process.exit(1);
}
const added = Object.values(plan.added).flatMap((node) => node.versions.map((v) => `${node.displayName} v${v.version}`));
if (added.length === 0) {
	console.error(`Every version of ${only.length > 0 ? only.join(', ') : 'every node'} is recorded already; nothing to add.`);
} else if (add) {
	writeFileSync(file, `${JSON.stringify(plan.contract, null, '\t')}\n`);
	console.error(`Recorded ${added.join(', ')} in test/fixtures/parameterDefaults.json.`);
} else {
	console.log(JSON.stringify(plan.added, null, '\t'));
	console.error(`Not recorded yet: ${added.join(', ')}. Run with --add to record.`);
}
