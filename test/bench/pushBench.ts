/**
 * Revenue Push against the local stand-ins over real HTTP: 10,000 won deals to GA4 (target <= 10 s, no duplicate
 * transaction) and 2,000 to amoCRM at its 7 requests per second (time against the limit's floor, no 429).
 * Usage: ts-node test/bench/pushBench.ts
 */
import { pushRevenue, type PushRun, type SentLedger } from '../../nodes/RevenuePush/pushRevenue';
import type { DestinationSettings } from '../../nodes/RevenuePush/destinations';
import { DEFAULT_GA4_OPTIONS } from '../../nodes/RevenuePush/destinations/ga4';
import { AMOCRM_BATCH_SIZE } from '../../nodes/RevenuePush/destinations/amocrm';
import { AmoCrmServer } from '../helpers/standins/amocrmServer';
import { fetchSend } from '../helpers/standins/fetchSend';
import { Ga4Server } from '../helpers/standins/ga4Server';
import { manyDeals } from '../helpers/standins/revenueDeals';
import { printFigures } from './figures';

const ledger = (): SentLedger => {
	const recorded = new Set<string>();
	return { unsent: async (keys) => keys.filter((key) => !recorded.has(key)), record: async (keys) => keys.forEach((key) => recorded.add(key)) };
};

function run(settings: DestinationSettings): PushRun {
	return {
		settings,
		mode: 'won',
		defaultCurrency: 'RUB',
		timeZone: 'Europe/Moscow',
		retry: { maxAttempts: 5, maxTotalMs: 60_000 },
		secrets: [],
		send: fetchSend(10_000),
		sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
		now: () => Date.now(),
	};
}

async function main(): Promise<void> {
	const ga4 = await new Ga4Server().start();
	const amo = await new AmoCrmServer({ token: 'bench' }).start();
	try {
		const recent = new Date().toISOString();
		let started = performance.now();
		const sent = await pushRevenue(manyDeals(10_000, recent), run({ destination: 'ga4', ga4: { ...DEFAULT_GA4_OPTIONS, measurementId: 'G-BENCH1234', apiSecret: 'bench', endpoint: ga4.url, now: Date.now() } }), ledger());
		const gaMs = performance.now() - started;
		const ids = ga4.received.filter((r) => r.path === '/mp/collect').flatMap((r) => (r.body as { events: Array<{ params: { transaction_id: string } }> }).events.map((e) => e.params.transaction_id));
		const duplicates = ids.length - new Set(ids).size;
		started = performance.now();
		const leads = await pushRevenue(manyDeals(2_000, recent), run({ destination: 'amocrm', amocrm: { baseUrl: amo.url, token: 'bench', leadId: { from: 'orderId' }, customFields: [], writePrice: true } }), ledger());
		const amoMs = performance.now() - started;
		const requests = Math.ceil(2000 / AMOCRM_BATCH_SIZE);
		const floorMs = ((requests - 7) / 7) * 1000;
		console.log(`Revenue Push to local stand-ins over HTTP, Node ${process.version}`);
		console.log('| destination | deals | sent | requests | time, s | target | result |\n|---|---:|---:|---:|---:|---|---|');
		console.log(`| GA4 /mp/collect | 10000 | ${sent.filter((o) => o.status === 'sent').length} | ${ga4.received.length} | ${(gaMs / 1000).toFixed(2)} | <= 10 s, 0 duplicates (${duplicates}) | ${gaMs <= 10_000 && duplicates === 0 ? 'MET' : 'MISSED'} |`);
		console.log(`| amoCRM PATCH /leads | 2000 | ${leads.filter((o) => o.status === 'sent').length} | ${amo.received.length} | ${(amoMs / 1000).toFixed(2)} | near the 7/s floor (${(floorMs / 1000).toFixed(2)} s), 0 over-limit (${amo.violations.length}) | ${amo.violations.length === 0 ? 'MET' : 'MISSED'} |`);
		printFigures([
			{ bench: 'Revenue Push', figure: '10,000 deals to GA4', value: gaMs / 1000, unit: 's', baseline: null, ratio: `${duplicates} duplicates`, target: '<= 10 s, 0 duplicates', met: gaMs <= 10_000 && duplicates === 0 },
			{ bench: 'Revenue Push', figure: '2,000 deals to amoCRM at 7/s', value: amoMs / 1000, unit: 's', baseline: `floor ${(floorMs / 1000).toFixed(2)} s`, ratio: `${(amoMs / floorMs).toFixed(2)}x the floor`, target: 'no second over 7 requests', met: amo.violations.length === 0 },
		]);
	} finally {
		await ga4.close();
		await amo.close();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
