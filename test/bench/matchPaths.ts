/**
 * One matcher run of the benchmark, in its own process so that its peak memory is its own.
 * Usage: matchPaths.ts <node|naive> <orders> <touches> [naiveSampleOrders]. Prints one JSON line.
 */
import { matchOrders } from '../../nodes/OrderMatcher/matchOrders';
import { matchData } from '../fixtures/matchData';

/** What a user writes in a Code node: for each order, scan every touch comparing the last 10 digits and e-mails. */
function naiveMatch(orders: ReturnType<typeof matchData>['orders'], touches: ReturnType<typeof matchData>['touches']): number {
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

const [path, orderArg, touchArg, sampleArg] = process.argv.slice(2);
const data = matchData(Number(orderArg), Number(touchArg));
const dataMb = process.memoryUsage().rss / 1048576;
const started = process.hrtime.bigint();
let summary: Record<string, number>;
if (path === 'node') {
	const result = matchOrders(data.orders, data.touches, { timeZone: 'Europe/Moscow' });
	summary = { deals: result.deals.length, unmatchedOrders: result.unmatchedOrders.records.length, unmatchedTouches: result.unmatchedTouches.records.length, blocked: result.blockedValues.length };
} else {
	const sample = Number(sampleArg);
	summary = { links: naiveMatch(data.orders.slice(0, sample), data.touches), sampledOrders: sample };
}
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(JSON.stringify({ path, ms, dataMb, peakMb: process.resourceUsage().maxRSS / 1024, ...summary }) + '\n');
