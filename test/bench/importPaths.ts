/**
 * One import path of the benchmark, run in its own process so that its peak memory is its own.
 * Usage: importPaths.ts <node|builtin|fxp|floor> <file>. Prints one JSON line: records, ms, peak RSS in MB.
 */
import { createReadStream, readFileSync } from 'fs';
import { importOrders } from '../../nodes/CrmXmlImport/importOrders';
import { commercemlSettings } from '../helpers/importSettings';

async function run(path: string, file: string): Promise<number> {
	switch (path) {
		case 'node':
			return (await importOrders(createReadStream(file, { highWaterMark: 1 << 20 }), commercemlSettings())).orders.length;
		case 'builtin': {
			// What n8n's own XML node does: xml2js with mergeAttrs and explicitArray false, then a deep copy.
			const { parseStringPromise } = await import('xml2js');
			const parsed = await parseStringPromise(readFileSync(file, 'utf8'), { mergeAttrs: true, explicitArray: false });
			const copy = JSON.parse(JSON.stringify(parsed)) as { КоммерческаяИнформация: { Документ: unknown[] } };
			return copy.КоммерческаяИнформация.Документ.length;
		}
		case 'fxp': {
			const { XMLParser } = await import('fast-xml-parser');
			const parsed = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(file, 'utf8')) as { КоммерческаяИнформация: { Документ: unknown[] } };
			return parsed.КоммерческаяИнформация.Документ.length;
		}
		case 'floor': {
			// Read, decode and find the record boundaries: nothing is parsed.
			const decoder = new TextDecoder('utf-8');
			let count = 0;
			let tail = '';
			for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
				const text = tail + decoder.decode(chunk as Buffer, { stream: true });
				let at = text.indexOf('</Документ>');
				let last = 0;
				while (at !== -1) {
					count++;
					last = at + 11;
					at = text.indexOf('</Документ>', last);
				}
				tail = text.slice(Math.max(last, text.length - 16));
			}
			return count;
		}
		default:
			throw new Error(`unknown path ${path}`);
	}
}

const [path, file] = process.argv.slice(2);
const started = process.hrtime.bigint();
run(path, file).then((records) => {
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	process.stdout.write(JSON.stringify({ path, records, ms, peakMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
});
