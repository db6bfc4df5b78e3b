import { createHash } from 'crypto';
import { join } from 'path';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import type { Deal } from '../../nodes/shared/contracts';
import { sentEntry } from '../../nodes/RevenuePush/ledger/ledger';
import { executeNode, type NodeUnderTest } from './fakeContext';
import { ProcessedStore } from './processedStore';
import { expectedVersion, faultBatch, PUSH_DESTINATIONS, type Delivery, type PushDestination, type PushStandin } from './pushDestinations';
import { runTries, type FaultResult } from './runFaults';
import { SERVICE_FAULTS, type ServiceFault } from './serviceFaults';

/**
 * Runs the service faults of serviceFaults.ts through the real Revenue Push node's execute() (fake n8n context,
 * HTTP over real sockets to the stand-ins, n8n's de-duplication store kept between runs):
 *   1. the faulty run, over 60 won deals, with small retry budgets (PUSH_OPTIONS);
 *   2. the fault cleared, the rerun with the same deals and the same store.
 * Counted per revenue version over what the stand-in processed in both runs (see pushDestinations.ts): lost = never
 * processed, duplicated = counted twice by the service. Also checked: the faulty run survives or fails as the case
 * says; a failure is reported with the destination and the reason and no secret (tries alternate Continue On Fail
 * off and on); no request is tried more than maxAttempts times; the faulty run ends within its time budget; the
 * rerun sends exactly what the faulty run did not record, and the rest as already sent.
 */
export const PUSH_OPTIONS = { maxAttempts: 4, maxTotalSec: 5, timeoutSec: 1 };
/** Besides the retry budget: the batch's own requests and the rate limits, on a busy machine. */
const RUN_SLACK_MS = 10_000;

type NodeModule = typeof import('../../nodes/RevenuePush/RevenuePush.node');
// As for the import node: ts-node would take "RevenuePush.node" for the .node.json beside it, so name the file.
const { RevenuePush } = require(join(__dirname, '..', '..', 'nodes', 'RevenuePush', 'RevenuePush.node.ts')) as NodeModule;

function pushNode(destination: PushDestination): NodeUnderTest {
	const credential = destination.credentialType.name;
	return {
		type: new RevenuePush(),
		node: { id: 'fault-suite-push', name: 'Revenue Push', type: 'n8n-nodes-sales-analytics.revenuePush', typeVersion: 1, position: [0, 0], parameters: {}, credentials: { [credential]: { id: `fault-suite-${credential}`, name: credential } } },
		credentials: PUSH_DESTINATIONS.map((entry) => entry.credentialType),
	};
}

interface PushOutcome {
	items: INodeExecutionData[];
	error?: Error & { description?: string | null };
	ms: number;
}

async function push(destination: PushDestination, standin: PushStandin, deals: Deal[], store: ProcessedStore, continueOnFail: boolean): Promise<PushOutcome | 'hang'> {
	const limitMs = (PUSH_OPTIONS.maxTotalSec + PUSH_OPTIONS.timeoutSec) * 1000 + 60_000;
	let timer: NodeJS.Timeout | undefined;
	const hang = new Promise<'hang'>((done) => (timer = setTimeout(() => done('hang'), limitMs)));
	const started = Date.now();
	const run = executeNode(pushNode(destination), {
		parameters: { ...standin.parameters, options: PUSH_OPTIONS },
		credential: standin.credential,
		staticData: {},
		continueOnFail,
		input: deals.map((deal) => ({ json: deal as unknown as IDataObject })),
		processed: store,
	}).then((outcome) => ({ ...outcome, ms: Date.now() - started }));
	const outcome = await Promise.race([run, hang]);
	clearTimeout(timer);
	return outcome;
}

export class ServiceFaultSuite {
	async run(fault: ServiceFault, tries = 2): Promise<FaultResult> {
		return await runTries(fault.name, tries, async (continueOnFail, result) => await this.try(fault, continueOnFail, result));
	}

	private async try(fault: ServiceFault, continueOnFail: boolean, result: FaultResult): Promise<string[]> {
		const destination = PUSH_DESTINATIONS.find((entry) => entry.name === fault.destination) as PushDestination;
		const deals = faultBatch();
		const expected = new Map(deals.map((deal) => [expectedVersion(destination.name, deal), deal.orderId]));
		const standin = await destination.start(deals);
		const store = new ProcessedStore();
		const problems: string[] = [];
		try {
			fault.inject(standin.server.faults);
			const faulty = await push(destination, standin, deals, store, continueOnFail);
			const faultyRequests = standin.server.received.slice();
			standin.server.faults.clear();
			if (faulty === 'hang') return [`the faulty run did not end within ${PUSH_OPTIONS.maxTotalSec + PUSH_OPTIONS.timeoutSec + 60} s`];
			result.slowestMs = Math.max(result.slowestMs, faulty.ms);
			problems.push(...checkFaultyRun(fault, faulty, standin, deals.length, result));
			problems.push(...checkBounds(faulty.ms, faultyRequests));

			const unrecorded = new Set([...expected].filter(([version]) => !store.has(sentEntry(version))).map(([, orderId]) => orderId));
			const rerun = await push(destination, standin, deals, store, false);
			if (rerun === 'hang') return [...problems, 'the rerun did not end'];
			problems.push(...checkRerun(rerun, unrecorded));
			const missing = [...expected.keys()].filter((version) => !store.has(sentEntry(version)));
			if (missing.length > 0) problems.push(`${missing.length} versions not recorded after the rerun, e.g. ${missing[0]}`);

			const count = countDeliveries(standin.deliveries(), new Set(expected.keys()));
			result.lost += count.lost;
			result.duplicated += count.duplicated;
			if (count.unexpected.length > 0) problems.push(`the service took versions that are not the deals': ${count.unexpected.slice(0, 3).join(', ')}`);
			if (count.lost > 0) problems.push(`${count.lost} versions lost`);
			if (count.duplicated > 0) problems.push(`${count.duplicated} versions counted twice by the service`);
			if (count.absorbed > 0 && !result.notes) result.notes = `${count.absorbed} version(s) sent twice, taken once (${ABSORBED_BY[destination.name]})`;
		} finally {
			await standin.server.close();
		}
		return problems;
	}
}

/** What makes a second delivery of the same version harmless, per destination (see pushDestinations.ts). */
const ABSORBED_BY: Record<PushDestination['name'], string> = {
	ga4: "GA4 keeps one purchase per transaction_id and user",
	metrica: 'Metrica CRM orders are keyed by order id',
	amocrm: 'the same lead price set again',
	bitrix24: 'the same deal OPPORTUNITY set again',
	webhook: 'the receiver acts on an Idempotency-Key once',
};

function checkFaultyRun(fault: ServiceFault, run: PushOutcome, standin: PushStandin, dealCount: number, result: FaultResult): string[] {
	const problems: string[] = [];
	const failedItems = run.items.filter((item) => item.json.status === 'failed');
	const message = run.error?.message ?? String(failedItems[0]?.json.error ?? '');
	const description = String(run.error?.description ?? '');
	result.error ||= message.slice(0, 80);
	result.detail ||= `${message} | ${description}`;
	const shown = `${message}\n${description}\n${JSON.stringify(run.items.map((item) => item.json))}`;
	problems.push(...secretProblems(shown, standin));
	if (/\n\s+at /.test(message) || /\n\s+at /.test(description)) problems.push('stack trace in the message');
	if (fault.outcome === 'survives') {
		if (run.error) problems.push(`the faulty run failed: ${run.error.message}`);
		const sent = run.items.filter((item) => item.json.status === 'sent').length;
		if (!run.error && sent !== dealCount) problems.push(`${sent} of ${dealCount} deals sent in the faulty run`);
		return problems;
	}
	if (!message) problems.push(`the faulty run did not fail (${run.items.length} items)`);
	else if (fault.reason && !fault.reason.test(message)) problems.push(`the report gives no clear reason: ${message}`);
	// The error names the destination; with Continue On Fail, each failed deal's item carries it and its error.
	if (run.error && !message.includes(fault.destination)) problems.push(`the report does not name ${fault.destination}: ${message}`);
	if (!run.error && failedItems.some((item) => item.json.destination !== fault.destination || !item.json.error)) problems.push('a failed item without its destination or error');
	return problems;
}

/**
 * A secret in what the node showed (its error, its description, its items). Where the stand-in answered with pages
 * that echo the request, one of them must have carried a secret: else the check could not have failed.
 */
export function secretProblems(shown: string, standin: Pick<PushStandin, 'secrets' | 'server'>): string[] {
	const problems = standin.secrets.filter((secret) => shown.includes(secret)).map((secret) => `a secret is in the report (${secret.length} characters)`);
	const echoed = standin.server.received.filter((request) => request.answer !== undefined);
	if (echoed.length > 0 && !echoed.some((request) => standin.secrets.some((secret) => request.answer?.includes(secret)))) {
		problems.push("the stand-in's echoed error pages carried no secret: the redaction check proved nothing");
	}
	return problems;
}

/** Retried within bounds: no request tried more than maxAttempts times, the faulty run within its time budget. */
function checkBounds(ms: number, requests: PushStandin['server']['received']): string[] {
	const problems: string[] = [];
	const attempts = new Map<string, number>();
	for (const request of requests.filter((r) => r.method !== 'GET')) {
		const key = `${request.method} ${request.path} ${createHash('sha256').update(request.raw).digest('hex')}`;
		attempts.set(key, (attempts.get(key) ?? 0) + 1);
	}
	const most = Math.max(0, ...attempts.values());
	if (most > PUSH_OPTIONS.maxAttempts) problems.push(`a request was tried ${most} times (max attempts ${PUSH_OPTIONS.maxAttempts})`);
	const budgetMs = (PUSH_OPTIONS.maxTotalSec + PUSH_OPTIONS.timeoutSec) * 1000 + RUN_SLACK_MS;
	if (ms > budgetMs) problems.push(`the faulty run took ${(ms / 1000).toFixed(1)} s (budget ${(budgetMs / 1000).toFixed(0)} s)`);
	return problems;
}

/** The rerun sends exactly the deals the faulty run did not record, and calls the rest already sent. */
function checkRerun(run: PushOutcome, unrecorded: Set<string>): string[] {
	if (run.error) return [`the rerun failed: ${run.error.message}`];
	const problems: string[] = [];
	const sent = run.items.filter((item) => item.json.status === 'sent').map((item) => String(item.json.orderId));
	const wrong = run.items.filter((item) => item.json.status !== 'sent' && item.json.status !== 'alreadySent');
	if (wrong.length > 0) problems.push(`the rerun left ${wrong.length} deals ${String(wrong[0].json.status)}: ${String(wrong[0].json.reason ?? '')}`);
	const extra = sent.filter((orderId) => !unrecorded.has(orderId));
	const missed = [...unrecorded].filter((orderId) => !sent.includes(orderId));
	if (extra.length > 0) problems.push(`the rerun sent ${extra.length} deals the faulty run had recorded`);
	if (missed.length > 0) problems.push(`the rerun did not send ${missed.length} deals the faulty run left unrecorded`);
	return problems;
}

function countDeliveries(deliveries: Delivery[], expected: Set<string>): { lost: number; duplicated: number; absorbed: number; unexpected: string[] } {
	const byVersion = new Map<string, { times: number; keys: Set<string> }>();
	for (const delivery of deliveries) {
		const entry = byVersion.get(delivery.versionKey) ?? { times: 0, keys: new Set<string>() };
		entry.times++;
		entry.keys.add(delivery.dedupKey);
		byVersion.set(delivery.versionKey, entry);
	}
	const entries = [...byVersion.values()];
	return {
		lost: [...expected].filter((version) => !byVersion.has(version)).length,
		duplicated: entries.filter((entry) => entry.keys.size > 1).length,
		absorbed: entries.filter((entry) => entry.keys.size === 1 && entry.times > 1).length,
		unexpected: [...byVersion.keys()].filter((version) => !expected.has(version)),
	};
}

/**
 * Every case, `tries` times each; the destinations run side by side (each its own stand-ins and store), the cases of
 * one destination one after another. Results come in SERVICE_FAULTS order.
 */
export async function serviceFaultResults(tries = 2, cases: ServiceFault[] = SERVICE_FAULTS): Promise<FaultResult[]> {
	const suite = new ServiceFaultSuite();
	const results = new Map<string, FaultResult>();
	await Promise.all(
		PUSH_DESTINATIONS.map(async (destination) => {
			for (const fault of cases.filter((entry) => entry.destination === destination.name)) results.set(fault.name, await suite.run(fault, tries));
		}),
	);
	return cases.map((fault) => results.get(fault.name) as FaultResult);
}
