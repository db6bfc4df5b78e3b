import { faultTable, type FaultResult } from './runFaults';
import { PUSH_OPTIONS, READ_OPTIONS, serviceFaultResults, sourceFaultResults } from './runServiceFaults';
import { SERVICE_FAULTS, SOURCE_FAULTS } from './serviceFaults';

/**
 * Issue 7, services failing: every case of serviceFaults.ts (each push destination x timeouts, 500 / 429 / 503
 * bursts, resets and cut answers before and after the service did its work, faults outlasting the retry budget)
 * through the real Revenue Push node over HTTP (see runServiceFaults.ts), twice: Continue On Fail off, then on.
 * Each must survive or fail as the case says, report a failure with the destination and the reason and no secret,
 * keep to the retry budget, and after the rerun have lost and duplicated nothing. Issue 21 adds the Ad Spend platforms
 * as sources (Direct's report, Google Ads' searchStream, VK Ads' lists and statistics) under the same faults, through
 * the real Ad Spend node: every row once, or the read fails whole. The destinations and sources run side by side, all
 * in beforeAll; each case's row is asserted on its own. The table is printed as `test/faults/run.ts` prints it.
 */
const TRIES = 2;
const results = new Map<string, FaultResult>();

beforeAll(async () => {
	const [pushes, reads] = await Promise.all([serviceFaultResults(TRIES), sourceFaultResults(TRIES)]);
	for (const result of [...pushes, ...reads]) results.set(result.fault, result);
}, 600_000);

afterAll(() => {
	if (results.size > 0) process.stdout.write(`\n${faultTable([...results.values()])}\n`);
});

describe('services failing (Revenue Push to GA4, Metrica, amoCRM, Bitrix24 and a webhook)', () => {
	it('has every fault kind for every destination, Metrica\'s 420 besides', () => {
		const byDestination = new Map<string, string[]>();
		for (const fault of SERVICE_FAULTS) byDestination.set(fault.destination, [...(byDestination.get(fault.destination) ?? []), fault.fault]);
		expect([...byDestination.keys()].sort()).toEqual(['amocrm', 'bitrix24', 'ga4', 'googleAds', 'metrica', 'webhook']);
		const common = byDestination.get('ga4') ?? [];
		expect(common.length).toBeGreaterThanOrEqual(12);
		for (const [destination, faults] of byDestination) expect(faults.filter((fault) => !common.includes(fault))).toEqual(destination === 'metrica' ? ["420 burst (Metrica's quota answer)"] : []);
		expect(PUSH_OPTIONS.maxAttempts).toBeGreaterThan(1);
	});

	it.each(SERVICE_FAULTS.map((fault) => [`${fault.name}: ${fault.outcome === 'survives' ? 'survived within the retry budget' : 'fails with a clear report, the rerun delivers the rest'}; nothing lost or counted twice`, fault] as const))(
		'%s',
		(_title, fault) => {
			const result = results.get(fault.name);
			expect(result).toBeDefined();
			expect({ problems: result?.problems, lost: result?.lost, duplicated: result?.duplicated }).toEqual({ problems: [], lost: 0, duplicated: 0 });
			expect(result?.survived).toBe(TRIES);
		},
	);
});

describe('services failing while read (Ad Spend from Yandex Direct, Google Ads and VK Ads)', () => {
	it('has every fault kind but Metrica\'s own for every source, and a timeout short enough to be retried', () => {
		const bySource = new Map<string, string[]>();
		for (const fault of SOURCE_FAULTS) bySource.set(fault.source, [...(bySource.get(fault.source) ?? []), fault.fault]);
		expect([...bySource.keys()]).toEqual(['directSpend', 'googleAdsSpend', 'vkAdsSpend']);
		const common = SERVICE_FAULTS.filter((fault) => fault.destination === 'ga4').map((fault) => fault.fault);
		for (const faults of bySource.values()) expect(faults).toEqual(common);
		// Within the node's minute of retries, 4 attempts of 1 s each fit.
		expect(READ_OPTIONS.timeoutSec * 4).toBeLessThan(60);
	});

	it.each(SOURCE_FAULTS.map((fault) => [`${fault.name}: ${fault.outcome === 'survives' ? 'survived within the retry budget, every row once' : 'fails whole with a clear report and no rows, the rerun reads every row once'}`, fault] as const))(
		'%s',
		(_title, fault) => {
			const result = results.get(fault.name);
			expect(result).toBeDefined();
			expect({ problems: result?.problems, lost: result?.lost, duplicated: result?.duplicated }).toEqual({ problems: [], lost: 0, duplicated: 0 });
			expect(result?.survived).toBe(TRIES);
		},
	);
});
