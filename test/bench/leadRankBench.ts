/**
 * The Lead Queue ranking benchmark: 10,000 generated waiting leads (seeded, so every run ranks the same queue) ranked
 * with the logistics preset at a day and a night time. Prints the median of 20 timed runs after a warm-up.
 * Usage: ts-node --transpile-only test/bench/leadRankBench.ts [--leads 10000] [--runs 20]
 */
import { cpus, loadavg } from 'os';
import { performance } from 'perf_hooks';

import { newLead, type Lead } from '../../nodes/LeadQueue/lead';
import { EXAMPLE_EASTERN_CITIES, LOGISTICS_RULE_SETS } from '../../nodes/LeadQueue/presets';
import { rankLeads } from '../../nodes/LeadQueue/rank';
import { prng } from '../helpers/prng';
import { printFigures } from './figures';

const arg = (name: string, fallback: number) => {
	const at = process.argv.indexOf(name);
	return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const LEADS = arg('--leads', 10_000);
const RUNS = arg('--runs', 20);
const WARM_UP = 30;
const TARGET_MS = 20;


const WESTERN = ['Москва', 'Санкт-Петербург', 'Казань', 'Нижний Новгород', 'Екатеринбург', 'Самара', 'Ростов-на-Дону', 'Краснодар', 'Воронеж', 'Пермь', 'Уфа', 'Челябинск', 'Тюмень', 'Минск, Беларусь', 'Алматы, Казахстан'];
const EASTERN = [...EXAMPLE_EASTERN_CITIES];

function generate(count: number): Lead[] {
	const random = prng(20240603);
	const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)];
	/** The ways people write a city: as is, upper case, "г. X", "X, Россия", hyphens as spaces, "ё" kept. */
	const write = (city: string) => {
		const variant = random();
		if (variant < 0.5) return city;
		if (variant < 0.6) return city.toUpperCase();
		if (variant < 0.75) return `г. ${city}`;
		if (variant < 0.9) return `${city}, Россия`;
		return city.replace(/-/g, ' ').toLowerCase();
	};
	const place = () => write(random() < 0.4 ? pick(EASTERN) : pick(WESTERN));
	const start = Date.parse('2024-05-31T00:00:00Z');
	const leads: Lead[] = [];
	for (let i = 0; i < count; i++) {
		const createdAt = new Date(start + Math.floor(random() * 3 * 86_400) * 1000).toISOString();
		const leadId = `L${String(i).padStart(6, '0')}`;
		if (random() < 0.1) {
			leads.push(newLead({ leadId, createdAt, form: 'callback', name: 'Клиент', phones: ['+79120000000'] }));
			continue;
		}
		const band = random();
		// Mostly 100 kg – 20 t, some heavier, and round weights so that ties happen.
		const weightKg = band < 0.3 ? 100 + Math.floor(random() * 200) : band < 0.9 ? Math.round(300 + random() * 19_700) : band < 0.95 ? 20_000 + Math.floor(random() * 5000) : 1000 * (1 + Math.floor(random() * 20));
		leads.push(newLead({ leadId, createdAt, form: 'full', from: place(), to: place(), weightKg, phones: ['+79120000000'], name: 'Клиент' }));
	}
	return leads;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const leads = generate(LEADS);
const lists = { eastern: EXAMPLE_EASTERN_CITIES };
const moments = [
	['day', '2024-06-03T07:00:00Z', '10:00 Moscow'],
	['night', '2024-06-03T19:00:00Z', '22:00 Moscow'],
] as const;

console.log(`Lead Queue ranking: ${LEADS} waiting leads, logistics preset, median of ${RUNS} runs after ${WARM_UP} warm-up runs, Node ${process.version}`);
// Wall-clock times: on a busy machine they are high; the load says how busy it was.
console.log(`Machine: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' / ')}`);
console.log('| time | rule set | median, ms | min, ms | max, ms | leads per tier | target | result |');
console.log('|---|---|---:|---:|---:|---|---:|---|');
let allMet = true;
for (const [label, now, local] of moments) {
	for (let i = 0; i < WARM_UP; i++) rankLeads(leads, LOGISTICS_RULE_SETS, lists, now);
	const times: number[] = [];
	let result = rankLeads(leads, LOGISTICS_RULE_SETS, lists, now);
	for (let i = 0; i < RUNS; i++) {
		const started = performance.now();
		result = rankLeads(leads, LOGISTICS_RULE_SETS, lists, now);
		times.push(performance.now() - started);
	}
	const perTier = new Map<string, number>();
	for (const lead of result.ranked) perTier.set(String(lead.tier), (perTier.get(String(lead.tier)) ?? 0) + 1);
	const tiers = [...perTier.entries()].map(([tier, n]) => `${tier}: ${n}`).join(', ');
	const figure = median(times);
	const met = figure <= TARGET_MS;
	allMet &&= met;
	console.log(`| ${label} (${local}) | ${result.ruleSet} | ${figure.toFixed(2)} | ${Math.min(...times).toFixed(2)} | ${Math.max(...times).toFixed(2)} | ${tiers} | <= ${TARGET_MS} ms | ${met ? 'MET' : 'MISSED'} |`);
	printFigures([{ bench: 'Lead Queue', figure: `rank ${LEADS} leads, ${label}`, value: figure, unit: 'ms', baseline: null, ratio: null, target: `<= ${TARGET_MS} ms`, met }]);
}
console.log(`Ranking ${LEADS} leads (target <= ${TARGET_MS} ms at both times): ${allMet ? 'MET' : 'MISSED'}`);
