/**
 * The Sales Report benchmark: a year of generated deals (100,000 by default, 1-6 touches each, one of 40,000 people
 * each by phone), the dashboard of its last month (every figure: channels, campaigns, customers over the whole year,
 * orders without a source, the month before) and its HTML page, against what the weekly template did before the
 * Sales Report: the Attribution node's source report over every stored deal with its three models (Last Non-Direct,
 * Linear, Markov). Both run alternately on the same deals, three times each; the fastest of each counts.
 * Usage: npx ts-node --transpile-only test/bench/salesReportBench.ts [--deals 100000]
 */
import { sourceReport } from '../../nodes/Attribution/sourceReport';
import { DEFAULT_DIRECT_SOURCES } from '../../nodes/Attribution/channels';
import { dashboardPage } from '../../nodes/SalesReport/dashboardPage';
import { reportPeriods } from '../../nodes/SalesReport/period';
import { salesFigures } from '../../nodes/SalesReport/salesFigures';
import { generateDeals } from './attributionBench';
import { printFigures } from './figures';

const at = process.argv.indexOf('--deals');
const count = at > 0 ? Number(process.argv[at + 1]) : 100_000;
const PEOPLE = 40_000;
const deals = generateDeals(count, 42).map((deal, d) => ({
	...deal,
	customer: { ...deal.customer, phones: [`+7916${String((d * 7919) % PEOPLE).padStart(7, '0')}`] },
}));
const ZONE = 'Europe/Moscow';
const periods = reportPeriods('custom', '2025-01-01T00:00:00Z', ZONE, { start: '2024-12-01', end: '2024-12-31' });

function dashboard(): number {
	const figures = salesFigures(deals, [], {
		model: 'lastNonDirect',
		levels: ['source', 'medium', 'campaign'],
		periods,
		timeZone: ZONE,
		lapsedAfterDays: 180,
		spend: [],
		directSources: DEFAULT_DIRECT_SOURCES,
		halfLifeDays: 7,
		positionWeights: { first: 0.4, middle: 0.2, last: 0.4 },
		title: 'Sales report',
		now: '2025-01-01T00:00:00Z',
	});
	return dashboardPage(figures.dashboard).length;
}

function oldWeekly(): number {
	return sourceReport(deals, [], { models: ['lastNonDirect', 'linear', 'markov'], stages: ['won'], callStatsTimeZone: null }).rows.length;
}

const timed = (work: () => number): number => {
	const started = performance.now();
	work();
	return performance.now() - started;
};

const runs: Array<[number, number]> = [];
for (let round = 0; round < 3; round++) runs.push([timed(dashboard), timed(oldWeekly)]);
const best = [Math.min(...runs.map((run) => run[0])), Math.min(...runs.map((run) => run[1]))];
const ratio = best[0] / best[1];
console.log(`Sales Report: ${count} deals of 2024, ${PEOPLE} people; the dashboard of December (customers over the year), Node ${process.version}`);
console.log('| round | dashboard + page, ms | old weekly template (Attribution, 3 models, all deals), ms |');
console.log('|---|---:|---:|');
runs.forEach(([page, old], round) => console.log(`| ${round + 1} | ${page.toFixed(0)} | ${old.toFixed(0)} |`));
console.log(`Fastest: ${best[0].toFixed(0)} / ${best[1].toFixed(0)} ms = ${ratio.toFixed(2)}x the old template's step (target <= 1x): ${ratio <= 1 ? 'MET' : 'MISSED'}`);
console.log(`Peak RSS ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`);
printFigures([
	{
		bench: 'Sales Report',
		figure: `dashboard and page of one month, ${count} deals of history`,
		value: best[0] / 1000,
		unit: 's',
		baseline: `the weekly template's Attribution step before (3 models, all deals) ${(best[1] / 1000).toFixed(2)} s`,
		ratio: `${ratio.toFixed(2)}x`,
		target: '<= 1x the old step',
		met: ratio <= 1,
	},
]);
