/**
 * The attribution benchmark: deterministic generated deals (100,000 by default, 1-6 touches each over 30 channels)
 * plus as many non-converting journeys, through every model one at a time and then all in one call. Prints time per
 * model, the total, then the channel report over all the credits, peak RSS, and checks that every deal's credits
 * add up to its revenue to the cent.
 * Usage: npx ts-node --transpile-only test/bench/attributionBench.ts [--deals 100000] [--journeys 100000]
 */
import { ATTRIBUTION_MODELS, attributeDeals, type AttributionModel, type AttributionOptions } from '../../nodes/Attribution/attribute';
import { channelReport } from '../../nodes/Attribution/report';
import { countTouchesByChannel } from '../../nodes/Attribution/touchCounts';
import type { Credit, Deal, Touch } from '../../nodes/shared/contracts';
import { emptyUtm } from '../../nodes/shared/contracts';
import { touch } from '../helpers/records';
import { prng as mulberry32 } from '../helpers/prng';
import { printFigures } from './figures';


const SOURCES: Array<[string | null, string | null]> = [
	[null, null],
	['direct', null],
	['shop.example.com', 'referral'],
	...['google', 'yandex'].flatMap((source) => ['cpc', 'organic', 'display'].map((medium): [string, string] => [source, medium])),
	...['facebook', 'vk', 'instagram', 'telegram', 'tiktok', 'ok'].flatMap((source) => ['cpc', 'social'].map((medium): [string, string] => [source, medium])),
	['email', 'newsletter'],
	['email', 'trigger'],
	['avito', 'referral'],
	['2gis', 'referral'],
	['zen', 'social'],
	['youtube', 'video'],
	['partner', 'affiliate'],
	['sms', 'sms'],
	['calltracking', 'offline'],
];

const START = Date.UTC(2024, 0, 1);
const DAY = 86_400_000;

function iso(ms: number): string {
	return `${new Date(ms + 3 * 3_600_000).toISOString().slice(0, 19)}+03:00`;
}

/** A touch with every contract field; tests name only what they care about. */
export function makeTouch(fields: Partial<Touch> & Pick<Touch, 'touchId' | 'at'>): Touch {
	return touch(fields.touchId, fields.at, { kind: 'visit', source: 'ga4', ...fields });
}

/** A deal with every contract field. */
export function makeDeal(fields: Partial<Deal> & Pick<Deal, 'orderId' | 'touches'>): Deal {
	return {
		number: null,
		createdAt: null,
		updatedAt: null,
		status: null,
		statusCode: null,
		stage: 'won',
		total: null,
		currency: 'RUB',
		customer: { name: null, phones: [], emails: [], gaClientId: null, ymClientId: null },
		utm: emptyUtm(),
		items: [],
		warnings: [],
		match: { method: 'phone', keys: [], reason: 'generated' },
		...fields,
	};
}

function randomTouch(touchId: string, at: number, random: () => number): Touch {
	const [source, medium] = SOURCES[Math.floor(random() * SOURCES.length)];
	const call = random() < 0.3;
	if (!call) return makeTouch({ touchId, at: iso(at), channel: { ...emptyUtm(), source, medium } });
	const answered = random() < 0.8;
	return makeTouch({
		touchId,
		at: iso(at),
		kind: 'call',
		channel: { ...emptyUtm(), source, medium },
		durationSec: answered ? Math.floor(random() * 300) : 0,
		answered,
		outcome: answered ? 'answered' : 'missed',
		source: 'asterisk',
	});
}

/** Touch times before `at`, oldest first, up to 30 days back. */
function touchTimes(count: number, at: number, random: () => number): number[] {
	return Array.from({ length: count }, () => at - Math.floor(random() * 30 * DAY)).sort((a, b) => a - b);
}

/** Deals with 1-6 touches (3.5 on average), totals up to 100,000.00 with cents, 1 % without a total. */
export function generateDeals(count: number, seed: number): Deal[] {
	const random = mulberry32(seed);
	return Array.from({ length: count }, (_, d) => {
		const at = START + Math.floor(random() * 365 * DAY);
		const touches = touchTimes(1 + Math.floor(random() * 6), at, random).map((time, k) => randomTouch(`t${d}-${k}`, time, random));
		const total = random() < 0.01 ? null : Math.floor(random() * 10_000_000) / 100;
		return makeDeal({ orderId: `o${d}`, number: String(d), createdAt: iso(at), status: 'Выполнен', total, touches });
	});
}

/** Journeys of people who did not order: 1-4 touches each. */
export function generateJourneys(count: number, seed: number): Touch[][] {
	const random = mulberry32(seed);
	return Array.from({ length: count }, (_, p) => {
		const at = START + Math.floor(random() * 365 * DAY);
		return touchTimes(1 + Math.floor(random() * 4), at, random).map((time, k) => randomTouch(`n${p}-${k}`, time, random));
	});
}

/** Order ids whose credits under some model do not add up to the deal's revenue in cents. */
export function unbalancedDeals(deals: readonly Deal[], credits: readonly Credit[]): string[] {
	const credited = new Map<string, number>();
	for (const credit of credits) {
		const key = `${credit.model}\u0000${credit.orderId}`;
		credited.set(key, (credited.get(key) ?? 0) + Math.round(credit.revenue * 100));
	}
	const revenue = new Map(deals.map((deal) => [deal.orderId, deal.total === null ? 0 : Math.round(deal.total * 100)]));
	return [...credited].filter(([key, cents]) => revenue.get(key.split('\u0000')[1]) !== cents).map(([key]) => key);
}

function main(): void {
	const argument = (name: string, fallback: number): number => {
		const at = process.argv.indexOf(name);
		return at > 0 ? Number(process.argv[at + 1]) : fallback;
	};
	const dealCount = argument('--deals', 100_000);
	const journeyCount = argument('--journeys', 100_000);
	const deals = generateDeals(dealCount, 42);
	const journeys = generateJourneys(journeyCount, 43);
	const touches = deals.reduce((sum, deal) => sum + deal.touches.length, 0);
	const inputRss = process.memoryUsage().rss;
	let peakRss = inputRss;
	const sample = (): void => {
		peakRss = Math.max(peakRss, process.memoryUsage().rss);
	};
	const timed = <T>(work: () => T): { ms: number; value: T } => {
		const started = performance.now();
		const value = work();
		const ms = performance.now() - started;
		sample();
		return { ms, value };
	};
	const run = (models: AttributionModel[]): { ms: number; credits: Credit[] } => {
		const options: AttributionOptions = { models, nonConvertingTouches: journeys };
		const { ms, value } = timed(() => attributeDeals(deals, options));
		return { ms, credits: value.credits };
	};
	console.log(`${dealCount} deals, ${touches} touches (${(touches / dealCount).toFixed(2)} per deal), ${journeyCount} non-converting journeys, ${SOURCES.length} channels; Node ${process.version}`);
	console.log('| model | time, ms | credits |');
	console.log('|---|---:|---:|');
	// Warm-up on a slice: the first call pays for compiling the code paths. The all-models call runs before the
	// one-model calls so that it does not also pay for collecting their garbage.
	attributeDeals(deals.slice(0, 2000), { models: [...ATTRIBUTION_MODELS], nonConvertingTouches: journeys.slice(0, 2000) });
	const all = run([...ATTRIBUTION_MODELS]);
	for (const model of ATTRIBUTION_MODELS) {
		const { ms, credits } = run([model]);
		console.log(`| ${model} | ${ms.toFixed(0)} | ${credits.length} |`);
	}
	console.log(`| all ${ATTRIBUTION_MODELS.length} models in one call | ${all.ms.toFixed(0)} | ${all.credits.length} |`);
	printFigures([{ bench: 'Attribution', figure: `all ${ATTRIBUTION_MODELS.length} models over ${dealCount} deals`, value: all.ms / 1000, unit: 's', baseline: null, ratio: null, target: '<= 2 s', met: all.ms <= 2000 }]);
	const report = timed(() => {
		const touchesByChannel = countTouchesByChannel(deals, { nonConvertingTouches: journeys });
		return channelReport(all.credits, { touchesByChannel });
	});
	console.log(`| channel report (touch counts + ${report.value.length} rows from all credits) | ${report.ms.toFixed(0)} | |`);
	const unbalanced = unbalancedDeals(deals, all.credits);
	console.log(`Credits add up to revenue to the cent: ${unbalanced.length === 0 ? 'every deal, every model' : `NOT for ${unbalanced.length} (e.g. ${unbalanced[0]})`}`);
	sample();
	const mb = (bytes: number): string => (bytes / 1048576).toFixed(0);
	console.log(`Peak RSS: sampled ${mb(peakRss)} MB, process maximum ${mb(process.resourceUsage().maxRSS * 1024)} MB; the generated input alone ${mb(inputRss)} MB`);
	if (unbalanced.length > 0 || all.ms > 2000) process.exitCode = 1;
}

if (require.main === module) main();
