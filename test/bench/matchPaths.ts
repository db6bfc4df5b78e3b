/**
 * One matcher run of the benchmark, in its own process so that its peak memory is its own.
 * Usage: matchPaths.ts <node|v0.1|naive|quality> <orders> <touches> [naiveSampleOrders | qualityRepeats | v0.1's folder].
 * Prints one JSON line.
 * - node: the matcher with the node's defaults (version 1.1: shared values detected) on the plain corpus;
 * - v0.1: the matcher of the pack's version 0.1 (no item checks, no shared-value detection), from the folder its
 *   `nodes` were checked out into (see matchBench.ts), on the same corpus;
 * - naive: the Code-node loop on a sample of orders;
 * - quality: the issue-16 corpus (hub phone, placeholder e-mails, the office computer's client id), links scored
 *   against the true person of every record, with the defaults of version 1.1 and of version 1 and with the hubs
 *   listed in Blocked Values; then the matcher timed with detection on and off, interleaved.
 */
import { join } from 'path';
import { IdentityGraph } from '../../nodes/OrderMatcher/identityGraph';
import { KeyReader } from '../../nodes/OrderMatcher/identityKeys';
import { DEFAULT_MATCH_OPTIONS, matchOrders, type MatchOptions, type MatchResult } from '../../nodes/OrderMatcher/matchOrders';
import { detectSharedValues } from '../../nodes/OrderMatcher/sharedValues';
import { matchData, OFFICE_GA, OFFICE_PHONE, PLACEHOLDER_EMAILS, type MatchData } from '../fixtures/matchData';

/** What a user writes in a Code node: for each order, scan every touch comparing the last 10 digits and e-mails. */
function naiveMatch(orders: MatchData['orders'], touches: MatchData['touches']): number {
	const digits = (phone: string) => phone.replace(/\D/g, '').slice(-10);
	let links = 0;
	for (const order of orders) {
		const at = Date.parse(order.createdAt as string);
		const phones = order.customer.phones.map(digits);
		const emails = order.customer.emails.map((e) => e.toLowerCase());
		for (const t of touches) {
			const tAt = Date.parse(t.at);
			if (tAt > at + 2 * 3_600_000 || tAt < at - 30 * 86_400_000) continue;
			if (t.phones.some((p) => phones.includes(digits(p))) || t.emails.some((e) => emails.includes(e.toLowerCase())) || (t.gaClientId !== null && t.gaClientId === order.customer.gaClientId)) links++;
		}
	}
	return links;
}

/** The node's defaults in version 1.1 (and the matcher's own, version 1, with detection off). */
const VERSION_1_1: Partial<MatchOptions> = { timeZone: 'Europe/Moscow', detectSharedValues: true };
const VERSION_1: Partial<MatchOptions> = { timeZone: 'Europe/Moscow', detectSharedValues: false };

type Truth = NonNullable<MatchData['truth']>;

/**
 * The oracle, from the generator's truth alone (no matcher code): per touch, the order it truly belongs to (its
 * person's next order inside the window, as the issue defines a link; -1: none), and whether a matcher could know:
 * the touch reaches that order through values that only that person uses (a value held by records of two people is
 * no evidence).
 */
function oracle(data: MatchData, truth: Truth): { trueOrder: Int32Array; knowable: Uint8Array } {
	const orderAt = data.orders.map((order) => Date.parse(order.createdAt as string));
	const byPerson = new Map<number, number[]>();
	truth.orderPerson.forEach((person, o) => {
		const list = byPerson.get(person);
		if (list) list.push(o);
		else byPerson.set(person, [o]);
	});
	for (const list of byPerson.values()) list.sort((a, b) => orderAt[a] - orderAt[b] || a - b);
	const lookback = DEFAULT_MATCH_OPTIONS.lookbackDays * 86_400_000;
	const grace = DEFAULT_MATCH_OPTIONS.graceHours * 3_600_000;
	const trueOrder = new Int32Array(data.touches.length).fill(-1);
	data.touches.forEach((touch, t) => {
		const at = Date.parse(touch.at);
		const next = (byPerson.get(truth.touchPerson[t]) ?? []).find((o) => orderAt[o] + grace >= at);
		if (next !== undefined && at >= orderAt[next] - lookback) trueOrder[t] = next;
	});
	// Records: orders 0..O-1, then touches. A value is personal when all its records are one person's.
	const keysOf = (record: number) => (record < data.orders.length ? truth.orderKeys[record] : truth.touchKeys[record - data.orders.length]);
	const personOf = (record: number) => (record < data.orders.length ? truth.orderPerson[record] : truth.touchPerson[record - data.orders.length]);
	const records = data.orders.length + data.touches.length;
	const owner = new Map<string, number>();
	for (let r = 0; r < records; r++) for (const key of keysOf(r)) owner.set(key, owner.has(key) && owner.get(key) !== personOf(r) ? -1 : personOf(r));
	const parent = Int32Array.from({ length: records }, (_, r) => r);
	const find = (r: number): number => {
		while (parent[r] !== r) r = parent[r] = parent[parent[r]];
		return r;
	};
	const firstHolder = new Map<string, number>();
	for (let r = 0; r < records; r++) {
		for (const key of keysOf(r)) {
			if (owner.get(key) === -1) continue;
			const first = firstHolder.get(key);
			if (first === undefined) firstHolder.set(key, r);
			else parent[find(r)] = find(first);
		}
	}
	const knowable = new Uint8Array(data.touches.length);
	for (let t = 0; t < data.touches.length; t++) knowable[t] = trueOrder[t] !== -1 && find(data.orders.length + t) === find(trueOrder[t]) ? 1 : 0;
	return { trueOrder, knowable };
}

/**
 * Precision (links to the true order / links made) and recall (knowable true links made / knowable true links), and
 * how many wrong links join the two people of a couple (their shared e-mail, which no rule can tell from the data).
 */
function score(result: MatchResult, truth: { trueOrder: Int32Array; knowable: Uint8Array }, people: Truth): { links: number; precision: number; recall: number; wrong: number; wrongInCouples: number } {
	let links = 0;
	let right = 0;
	let found = 0;
	let wrongInCouples = 0;
	for (const deal of result.deals) {
		const o = Number(deal.orderId.slice(1));
		for (const touch of deal.touches) {
			const t = Number(touch.touchId.slice(1));
			links++;
			if (truth.trueOrder[t] === o) right++;
			if (truth.trueOrder[t] === o && truth.knowable[t]) found++;
			if (truth.trueOrder[t] !== o && people.couple(people.touchPerson[t], people.orderPerson[o])) wrongInCouples++;
		}
	}
	let knowable = 0;
	for (const flag of truth.knowable) knowable += flag;
	return { links, precision: right / links, recall: found / knowable, wrong: links - right, wrongInCouples };
}

function timed(run: () => void): number {
	const started = process.hrtime.bigint();
	run();
	return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * The process's CPU time (user + system, ms) of `run`: unlike wall time it does not count the moments other
 * processes of a shared machine hold the cores, so paired runs compare the work itself.
 */
function cpuTimed(run: () => void): number {
	const started = process.cpuUsage();
	run();
	const used = process.cpuUsage(started);
	return (used.user + used.system) / 1000;
}

/**
 * The detection step alone, as matchOrders runs it (the graph built the same way, then settled), so that its cost is
 * not lost in the noise of whole runs on a shared machine.
 */
function detectionStepMs(data: MatchData): number {
	const graph = new IdentityGraph(data.orders.length + data.touches.length);
	const keys = new KeyReader(DEFAULT_MATCH_OPTIONS.countries, graph.addValue);
	for (const record of [...data.orders, ...data.touches]) {
		keys.read(record);
		graph.endRecord();
	}
	const at = [...data.orders.map((order) => Date.parse(order.createdAt as string)), ...data.touches.map((touch) => Date.parse(touch.at))];
	graph.settle(new Set(), new Set());
	return timed(() => detectSharedValues(graph, { orderCount: data.orders.length, at: (record) => at[record], nameOf: (order) => data.orders[order].customer.name }));
}

/** The median and the fastest of timed runs: on a shared machine the fastest is the least disturbed. */
function spread(values: number[]): { medianMs: number; minMs: number } {
	const sorted = [...values].sort((a, b) => a - b);
	return { medianMs: sorted[Math.floor(sorted.length / 2)], minMs: sorted[0] };
}

function quality(orders: number, touches: number, repeats: number): Record<string, unknown> {
	const data = matchData(orders, touches, 7, true);
	const people = data.truth as Truth;
	const truth = oracle(data, people);
	const defaults = matchOrders(data.orders, data.touches, VERSION_1_1);
	const hubs = [`+7${OFFICE_PHONE}`, ...PLACEHOLDER_EMAILS, OFFICE_GA];
	const personal = defaults.sharedValues.filter((shared) => !hubs.includes(shared.value) && shared.value !== 'no@mail.ru');
	const scores = {
		version1_1: score(defaults, truth, people),
		version1: score(matchOrders(data.orders, data.touches, VERSION_1), truth, people),
		version1Listed: score(matchOrders(data.orders, data.touches, { ...VERSION_1, blockedValues: hubs }), truth, people),
	};
	// Detection on and off, interleaved, so that both see the same machine; which goes first turns each pair, and the
	// heap is collected before each run (with --expose-gc), so that neither pays for the garbage the other left.
	const on: number[] = [];
	const off: number[] = [];
	const onCpu: number[] = [];
	const offCpu: number[] = [];
	const step: number[] = [];
	const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
	const both = (wall: number[], cpu: number[], options: Partial<MatchOptions>) => () => cpu.push(cpuTimed(() => wall.push(timed(() => matchOrders(data.orders, data.touches, options)))));
	const runOn = both(on, onCpu, VERSION_1_1);
	const runOff = both(off, offCpu, VERSION_1);
	for (let i = 0; i < repeats; i++) {
		for (const runOne of i % 2 === 0 ? [runOff, runOn] : [runOn, runOff]) {
			collect();
			runOne();
		}
		collect();
		step.push(detectionStepMs(data));
	}
	return {
		...scores,
		shared: defaults.sharedValues.map((shared) => `${shared.key}: ${shared.evidence}`),
		personalDetected: personal.map((shared) => `${shared.key}: ${shared.evidence}`),
		on: spread(on),
		off: spread(off),
		step: spread(step),
		/** Per pair of runs, on / off - 1: drift of the machine cancels within a pair. */
		pairedCost: spread(on.map((ms, i) => ms / off[i] - 1)).medianMs,
		/** The same of the CPU time the runs used (what other processes do not move). */
		pairedCpuCost: spread(onCpu.map((ms, i) => ms / offCpu[i] - 1)).medianMs,
		onCpu: spread(onCpu),
		offCpu: spread(offCpu),
	};
}

const [path, orderArg, touchArg, extraArg] = process.argv.slice(2);
let summary: Record<string, unknown>;
let ms = 0;
let dataMb = 0;
if (path === 'quality') {
	summary = quality(Number(orderArg), Number(touchArg), Number(extraArg ?? 5));
} else {
	const data = matchData(Number(orderArg), Number(touchArg));
	dataMb = process.memoryUsage().rss / 1048576;
	const started = process.hrtime.bigint();
	if (path === 'node' || path === 'v0.1') {
		const match = path === 'node' ? matchOrders : (require(join(extraArg, 'nodes', 'OrderMatcher', 'matchOrders')) as { matchOrders: typeof matchOrders }).matchOrders;
		const result = match(data.orders, data.touches, VERSION_1_1);
		summary = { deals: result.deals.length, unmatchedOrders: result.unmatchedOrders.records.length, unmatchedTouches: result.unmatchedTouches.records.length, blocked: result.blockedValues.length, shared: result.sharedValues?.length ?? 0 };
	} else {
		const sample = Number(extraArg);
		summary = { links: naiveMatch(data.orders.slice(0, sample), data.touches), sampledOrders: sample };
	}
	ms = Number(process.hrtime.bigint() - started) / 1e6;
}
process.stdout.write(JSON.stringify({ path, ms, dataMb, peakMb: process.resourceUsage().maxRSS / 1024, ...summary }) + '\n');
