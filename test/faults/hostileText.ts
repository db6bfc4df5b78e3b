/**
 * Issue 15, hostile text: 1 MB values (runs of spaces, dots, commas, digits, brackets, "+", "-", "@", letters among
 * digits, the tester's "1" + spaces + "z") through the real nodes' execute(): the Touchpoint (a site form payload
 * carrying the value, beside a good payload; a Master.csv text), the Order Matcher (an order carrying it, beside a
 * good order and its touch) and Lead Queue qualify (a lead carrying it, beside a good lead). One FaultResult row per
 * value kind, parser and node:
 * - survived: the node answered, within NODE_BOUND_MS (after a warm-up run), without throwing;
 * - lost: the good item did not come out right, or the hostile value was not refused per item (a warning on its
 *   touch or order, an error item, a rejected lead);
 * - duplicated: something was read out of the hostile value (a phone, an address, an accepted lead);
 * - error: how it was refused (the length and the cap, when the parser gives them); notes: length and time.
 * `npx ts-node --transpile-only test/faults/run.ts --hostile` prints the table.
 */
import { join } from 'path';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { fakeExecuteFunctions } from './fakeContext';
import { runOrderMatcher, runTouchpoint } from './messyNodes';
import type { FaultResult } from './runFaults';

type LeadQueueModule = typeof import('../../nodes/LeadQueue/LeadQueue.node');
// Node's resolution (ts-node) would take "X.node" for the X.node.json beside it: name the file.
const { LeadQueue } = require(join(__dirname, '..', '..', 'nodes', 'LeadQueue', 'LeadQueue.node.ts')) as LeadQueueModule;

/** How long one run of a node over a hostile item and a good one may take. */
export const NODE_BOUND_MS = 500;
const MB = 1 << 20;
const AT = '2024-06-03T10:15:00+03:00';
const GOOD_PHONE = '+79123456789';

/** `pattern` repeated to exactly a megabyte. */
function fill(pattern: string): string {
	return pattern.repeat(Math.ceil(MB / pattern.length)).slice(0, MB);
}

/** What a node made of the hostile item and the good one. */
interface Outcome {
	/** How the hostile value was refused (a warning, an error item's message, a reason); null when it was not. */
	refusal: string | null;
	/** What was read out of the hostile value (phones, addresses, an accepted lead): must be nothing. */
	invented: string[];
	/** Whether the good item came out right. */
	goodOk: boolean;
}

export interface HostileTextCase {
	kind: string;
	parser: string;
	node: 'Touchpoint' | 'Order Matcher' | 'Lead Queue qualify';
	value: string;
	/** Whether the refusal must give the value's length and its cap (false where the node words it itself). */
	saysCap: boolean;
	run: (value: string) => Promise<Outcome>;
}

const GOOD_FORM: IDataObject = { phone: '8 (912) 345-67-89', tranid: 'good-1', created_at: AT, utm_source: 'hostile' };

/** A form payload with the hostile value in `field` through the Touchpoint, beside a good payload. */
function throughForm(field: string): (value: string) => Promise<Outcome> {
	return async (value) => {
		const items = await runTouchpoint([{ tranid: 'hostile-1', created_at: AT, utm_source: 'hostile', [field]: value }, GOOD_FORM], { timeZone: 'Europe/Moscow' });
		return touchOutcome(items, field === 'email' ? 'emails' : 'phones');
	};
}

/** A Master.csv text (in a Webhook item's body) through the Touchpoint, beside a good form payload. */
async function throughMasterCsv(value: string): Promise<Outcome> {
	const items = await runTouchpoint([{ headers: {}, body: value }, GOOD_FORM], { timeZone: 'Europe/Moscow' });
	return touchOutcome(items, 'phones');
}

function touchOutcome(items: INodeExecutionData[], read: 'phones' | 'emails'): Outcome {
	const of = (item: number) => items.filter((entry) => (entry.pairedItem as { item: number }).item === item).map((entry) => entry.json);
	const [hostile] = of(0);
	const [good] = of(1);
	const warnings = (hostile?.warnings as string[] | undefined) ?? [];
	const refusal = typeof hostile?.error === 'string' ? hostile.error : (warnings.find((w) => CAP_NOTE.test(w)) ?? warnings[0] ?? null);
	const invented = hostile && typeof hostile.error !== 'string' ? [...((hostile[read] as string[]) ?? [])] : [];
	return { refusal, invented, goodOk: good !== undefined && JSON.stringify(good.phones) === JSON.stringify([GOOD_PHONE]) };
}

/** An order with the hostile value as its only phone or e-mail through the Order Matcher, beside a good order and its touch. */
function throughOrder(field: 'phones' | 'emails'): (value: string) => Promise<Outcome> {
	return async (value) => {
		const order = (orderId: string, customer: IDataObject): IDataObject => ({
			orderId,
			number: orderId,
			createdAt: '2024-06-04T10:00:00+03:00',
			status: 'Выполнен',
			stage: 'won',
			total: 1000,
			currency: 'RUB',
			warnings: [],
			customer: { name: null, phones: [], emails: [], gaClientId: null, ymClientId: null, ...customer },
		});
		const touches = (await runTouchpoint([GOOD_FORM], { timeZone: 'Europe/Moscow' })).map((item) => item.json);
		const out = await runOrderMatcher(touches, [order('hostile', { [field]: [value] }), order('good', { phones: [GOOD_PHONE] })], { timeZone: 'Europe/Moscow' });
		const all = [...out.deals, ...out.ordersWithoutTouch].map((item) => item.json);
		const hostile = all.find((json) => json.orderId === 'hostile');
		const good = out.deals.find((item) => item.json.orderId === 'good');
		const warning = ((hostile?.warnings as string[] | undefined) ?? []).find((w) => / is not an? (phone number|e-mail address): not used to match$/.test(w));
		const linked = out.deals.filter((item) => item.json.orderId === 'hostile').map(() => 'the hostile order was linked to a touch');
		return { refusal: warning ?? null, invented: linked, goodOk: good !== undefined && (good.json.touches as IDataObject[]).length === 1 };
	};
}

/**
 * A lead with the hostile value in `field` through Lead Queue qualify, beside a good lead. A volume is checked only
 * when it is required (qualify.ts passes an unreadable volume over otherwise), so the volume case requires it.
 */
function throughQualify(field: 'phone' | 'weight' | 'volume'): (value: string) => Promise<Outcome> {
	return async (value) => {
		const requiredFields = field === 'volume' ? ['phones', 'from', 'to', 'volumeM3'] : ['phones', 'from', 'to'];
		const good = { leadId: 'good', createdAt: AT, from: 'Москва', to: 'Омск', weight: '1,5 т', volume: '12 м3', phone: '8 (912) 345-67-89' };
		const node = new LeadQueue();
		const ctx = fakeExecuteFunctions(
			{
				parameters: { operation: 'qualify', minWeightKg: 100, blacklist: '', requiredFields, options: {} },
				credential: {},
				staticData: {},
				continueOnFail: true,
				input: [{ json: { ...good, leadId: 'hostile', [field]: value } }, { json: good }],
			},
			{ type: node, node: { id: 'hostile-text-lead-queue', name: 'Lead Queue', type: 'n8n-nodes-sales-analytics.leadQueue', typeVersion: 1, position: [0, 0], parameters: {} }, credentials: [] },
		);
		const [accepted, rejected] = await node.execute.call(ctx);
		const hostile = rejected.find((item) => item.json.leadId === 'hostile');
		return {
			refusal: hostile ? String(hostile.json.reason) : null,
			invented: accepted.filter((item) => item.json.leadId === 'hostile').map(() => 'the hostile lead was accepted'),
			goodOk: accepted.some((item) => item.json.leadId === 'good'),
		};
	};
}

const phoneValues: Array<[string, string]> = [
	['"1" + 1 MB of spaces + "z"', `1${' '.repeat(MB)}z`],
	['"8 (9" repeated', fill('8 (9')],
	['digits', fill('9')],
	['"(((("', fill('(')],
	['"+"', fill('+')],
	['"-"', fill('-')],
	['letters among digits', fill('1a')],
];
const emailValues: Array<[string, string]> = [
	['dots', fill('.')],
	['"a@" + dots', `a@${fill('.')}`],
	['commas', fill(',')],
	['"@"', fill('@')],
	['" или " repeated', fill(' или ')],
];

export const HOSTILE_TEXT_CASES: HostileTextCase[] = [
	...phoneValues.map(([kind, value]): HostileTextCase => ({ kind: `phone: ${kind}`, parser: 'parsePhones', node: 'Touchpoint', value, saysCap: true, run: throughForm('phone') })),
	...emailValues.map(([kind, value]): HostileTextCase => ({ kind: `e-mail: ${kind}`, parser: 'parseEmails', node: 'Touchpoint', value, saysCap: true, run: throughForm('email') })),
	{ kind: 'form cookie header: "_ga=…; " repeated', parser: 'parseCookieHeader', node: 'Touchpoint', value: fill('_ga=GA1.1.1.1; '), saysCap: true, run: throughForm('cookie') },
	{ kind: 'form page address: "&utm_source=" repeated', parser: 'utmFromUrl', node: 'Touchpoint', value: `https://site.ru/?${fill('&utm_source=')}`, saysCap: true, run: throughForm('page_url') },
	// The Touchpoint words these two refusals itself (touchBuilder.ts), quoting the whole value, without the cap.
	{ kind: 'form _ga cookie: "GA1.1." + "1." repeated', parser: 'gaClientIdFromCookie', node: 'Touchpoint', value: `GA1.1.${fill('1.')}`, saysCap: false, run: throughForm('_ga') },
	{ kind: 'form time: digits', parser: 'parseDateTime', node: 'Touchpoint', value: fill('9'), saysCap: false, run: throughForm('created_at') },
	{ kind: 'Master.csv: one row of "1,"', parser: 'parseCsv', node: 'Touchpoint', value: fill('1,'), saysCap: true, run: throughMasterCsv },
	{ kind: 'order e-mail: 200,000 characters ("a@" + dots + "a")', parser: 'readEmails', node: 'Order Matcher', value: `a@${'.'.repeat(199_997)}a`, saysCap: true, run: throughOrder('emails') },
	{ kind: 'order e-mail: dots', parser: 'readEmails', node: 'Order Matcher', value: fill('.'), saysCap: true, run: throughOrder('emails') },
	{ kind: 'order phone: "1" + 1 MB of spaces + "z"', parser: 'readPhones', node: 'Order Matcher', value: `1${' '.repeat(MB)}z`, saysCap: true, run: throughOrder('phones') },
	{ kind: 'lead phone: "1" + 1 MB of spaces + "z"', parser: 'parsePhones', node: 'Lead Queue qualify', value: `1${' '.repeat(MB)}z`, saysCap: true, run: throughQualify('phone') },
	{ kind: 'lead phone: "8 (9" repeated', parser: 'parsePhones', node: 'Lead Queue qualify', value: fill('8 (9'), saysCap: true, run: throughQualify('phone') },
	{ kind: 'lead weight: "1" + 1 MB of spaces + "z"', parser: 'parseWeightKg', node: 'Lead Queue qualify', value: `1${' '.repeat(MB)}z`, saysCap: true, run: throughQualify('weight') },
	{ kind: 'lead weight: digit groups "1 000 "', parser: 'parseWeightKg', node: 'Lead Queue qualify', value: fill('1 000 '), saysCap: true, run: throughQualify('weight') },
	{ kind: 'lead volume: "2,5 м3 " repeated', parser: 'parseVolumeM3', node: 'Lead Queue qualify', value: fill('2,5 м3 '), saysCap: true, run: throughQualify('volume') },
];

/**
 * "1048578 characters, over the 200-character cap of a phone field": what a capped refusal says. Linear on a message
 * that quotes a megabyte of digits: a try starts only where a run of digits starts.
 */
const CAP_NOTE = /(?<!\d)(\d+) characters, over the (\d+)-character cap of [^)"»:]+/;

/** One case through its node: a warm-up run, then the timed run, judged as the header says. */
export async function runHostileTextCase(c: HostileTextCase): Promise<FaultResult> {
	const result: FaultResult = { fault: `${c.kind} → ${c.parser} (${c.node})`, tries: 1, survived: 0, lost: 0, duplicated: 0, error: '', problems: [], detail: '', slowestMs: 0 };
	let outcome: Outcome;
	try {
		await c.run(c.value);
		const started = process.hrtime.bigint();
		outcome = await c.run(c.value);
		result.slowestMs = Number(process.hrtime.bigint() - started) / 1e6;
	} catch (error) {
		result.problems.push(`the node threw: ${(error as Error).message.slice(0, 200)}`);
		result.error = result.problems[0];
		return result;
	}
	if (result.slowestMs >= NODE_BOUND_MS) result.problems.push(`answered in ${result.slowestMs.toFixed(0)} ms, over the ${NODE_BOUND_MS} ms bound`);
	else result.survived = 1;
	const cap = outcome.refusal === null ? null : CAP_NOTE.exec(outcome.refusal);
	if (outcome.refusal === null) result.problems.push('the hostile value was not refused');
	// The Touchpoint trims a field before reading it: the length given is the trimmed one there.
	else if (c.saysCap && (cap === null || ![c.value.length, c.value.trim().length].includes(Number(cap[1])))) {
		result.problems.push(`the refusal does not give the length ${c.value.length} and the cap: ${outcome.refusal.slice(0, 200)}`);
	}
	if (!outcome.goodOk) result.problems.push('the good item beside it did not come out right');
	if (outcome.refusal === null || (c.saysCap && cap === null) || !outcome.goodOk) result.lost = 1;
	if (outcome.invented.length > 0) {
		result.duplicated = 1;
		result.problems.push(`read out of the hostile value: ${outcome.invented.join(', ').slice(0, 200)}`);
	}
	result.error = cap !== null ? `refused: ${cap[0]}` : outcome.refusal === null ? (result.problems[0] ?? '') : `refused: ${brief(outcome.refusal)}`;
	result.notes = `${c.value.length} characters, ${result.slowestMs.toFixed(1)} ms`;
	result.detail = outcome.refusal?.slice(0, 300) ?? '';
	return result;
}

/** A long message as its start and its end, which says what became of the value. */
function brief(text: string): string {
	return text.length <= 70 ? text : `${text.slice(0, 16)}…${text.slice(-50)}`;
}

/** Every case, one row each. */
export async function hostileTextResults(): Promise<FaultResult[]> {
	const results: FaultResult[] = [];
	for (const c of HOSTILE_TEXT_CASES) results.push(await runHostileTextCase(c));
	return results;
}
