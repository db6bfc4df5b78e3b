import { createHash } from 'crypto';
import { DateTime } from 'luxon';
import { join } from 'path';
import type { ICredentialDataDecryptedObject, ICredentialType, IDataObject, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';
import { GoogleAdsOAuth2Api } from '../../credentials/GoogleAdsOAuth2Api.credentials';
import { VkAdsApi } from '../../credentials/VkAdsApi.credentials';
import { YandexDirectApi } from '../../credentials/YandexDirectApi.credentials';
import type { Deal } from '../../nodes/shared/contracts';
import { sentEntry } from '../../nodes/RevenuePush/ledger/ledger';
import { GoogleAdsServer } from '../helpers/standins/googleAdsServer';
import type { StandinServer } from '../helpers/standins/standinServer';
import { VkAdsServer } from '../helpers/standins/vkAdsServer';
import { YandexDirectServer } from '../helpers/standins/yandexDirectServer';
import { executeNode, type NodeUnderTest } from './fakeContext';
import { ProcessedStore } from './processedStore';
import { expectedVersion, faultBatch, PUSH_DESTINATIONS, type Delivery, type PushDestination, type PushStandin } from './pushDestinations';
import { runTries, type FaultResult } from './runFaults';
import { SERVICE_FAULTS, SOURCE_FAULTS, SOURCE_NAMES, type ServiceFault, type SourceFault, type SourceName } from './serviceFaults';

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
	googleAds: 'Google Ads keeps one conversion per order id and action',
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

/** How many times one request may be tried and how long a faulty run may take; whether GETs count (a read's do). */
interface Bounds {
	maxAttempts: number;
	budgetMs: number;
	gets: boolean;
}

const PUSH_BOUNDS: Bounds = { maxAttempts: PUSH_OPTIONS.maxAttempts, budgetMs: (PUSH_OPTIONS.maxTotalSec + PUSH_OPTIONS.timeoutSec) * 1000 + RUN_SLACK_MS, gets: false };

/** Retried within bounds: no request tried more than maxAttempts times, the faulty run within its time budget. */
function checkBounds(ms: number, requests: PushStandin['server']['received'], bounds: Bounds = PUSH_BOUNDS): string[] {
	const problems: string[] = [];
	const attempts = new Map<string, number>();
	for (const request of requests.filter((r) => bounds.gets || r.method !== 'GET')) {
		const key = `${request.method} ${request.path} ${JSON.stringify(request.query)} ${createHash('sha256').update(request.raw).digest('hex')}`;
		attempts.set(key, (attempts.get(key) ?? 0) + 1);
	}
	const most = Math.max(0, ...attempts.values());
	if (most > bounds.maxAttempts) problems.push(`a request was tried ${most} times (max attempts ${bounds.maxAttempts})`);
	if (ms > bounds.budgetMs) problems.push(`the faulty run took ${(ms / 1000).toFixed(1)} s (budget ${(bounds.budgetMs / 1000).toFixed(0)} s)`);
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

/*
 * The Ad Spend platforms as sources (issue 21): the real Ad Spend node's execute() reads each stand-in under the faults
 * of SOURCE_FAULTS. A read changes nothing at the service, so the question is only what the node outputs: a fault the
 * retries absorb must give exactly the hand-expected rows; one that outlasts them must fail the node with no row
 * output (Continue On Fail: one error item), after which a clean rerun gives exactly the expected rows. lost = expected
 * rows in neither output, duplicated = rows output more than once over both (or not expected at all).
 */

/** Each answer times out after 1 s (Options → Timeout), so a held socket is retried within the node's minute. */
export const READ_OPTIONS = { timeoutSec: 1 };
/** The node's retry policy, as docs/nodes/ad-spend.md states it: up to 4 attempts within a minute. */
const READ_BOUNDS: Bounds = { maxAttempts: 4, budgetMs: 60_000 + READ_OPTIONS.timeoutSec * 1000 + RUN_SLACK_MS, gets: true };

type AdSpendModule = typeof import('../../nodes/AdSpend/AdSpend.node');
const { AdSpend } = require(join(__dirname, '..', '..', 'nodes', 'AdSpend', 'AdSpend.node.ts')) as AdSpendModule;

/**
 * n8n signs a Google request with the OAuth2 token it keeps in oauthTokenData (requestOAuth2); the fake context knows
 * only `authenticate`, so this double of the real credential class does that one step (plumbing only, as in
 * test/unit/adSpendNode.test.ts).
 */
const googleCredential: ICredentialType = Object.assign(new GoogleAdsOAuth2Api(), {
	properties: [...new GoogleAdsOAuth2Api().properties, { displayName: 'Token Data', name: 'oauthTokenData', type: 'json' as const, default: {} }],
	authenticate: async (credential: ICredentialDataDecryptedObject, options: IHttpRequestOptions) => ({
		...options,
		headers: { ...options.headers, Authorization: `Bearer ${(credential.oauthTokenData as { access_token: string }).access_token}` },
	}),
});

const SPEND_NODE: NodeUnderTest = {
	type: new AdSpend(),
	node: { id: 'fault-suite-spend', name: 'Ad Spend', type: 'n8n-nodes-sales-analytics.adSpend', typeVersion: 1, position: [0, 0], parameters: {} },
	credentials: [new YandexDirectApi(), googleCredential, new VkAdsApi()],
};

/** The two days read: VK keeps day statistics for 365 days, so the days are recent, on the fake context's clock. */
const DAY2 = DateTime.now().setZone('Europe/Moscow').startOf('day').minus({ days: 1 });
const [D1, D2] = [DAY2.minus({ days: 1 }).toISODate() as string, DAY2.toISODate() as string];
const RANGE = { dateRange: 'custom', startDate: D1, endDate: D2 };

/**
 * What every read must output, by hand: Direct's and Google's micros and VK's decimal text to the cent, half up:
 * 1234560000 / "1234.56" -> 1234.56; 987654321 / "987.654321" -> 987.65; 1000005000 / "1000.005" -> 1000.01.
 */
export const EXPECTED_READ: ReadonlyArray<[date: string, campaignId: string, cost: number]> = [
	[D1, '101', 1234.56],
	[D1, '102', 987.65],
	[D2, '101', 1000.01],
];
const MICROS: Record<number, string> = { 0: '1234560000', 1: '987654321', 2: '1000005000' };
const DECIMALS: Record<number, string> = { 0: '1234.56', 1: '987.654321', 2: '1000.005' };

interface ReadStandin {
	server: StandinServer;
	parameters: Record<string, unknown>;
	credential: ICredentialDataDecryptedObject;
	secrets: string[];
}

interface ReadSource {
	name: SourceName;
	/** How the node's errors name the platform. */
	label: string;
	start(): Promise<ReadStandin>;
}

const READ_SECRETS = { direct: 'y0_direct-read-token-2c7e', googleAccess: 'ya29.google-read-access-91d', googleDeveloper: 'google-dev-token-5b3f', vk: 'vk-ads-read-token-e8a4' };

const READ_SOURCES: ReadSource[] = [
	{
		name: 'directSpend',
		label: 'Yandex Direct',
		start: async () => {
			const rows = EXPECTED_READ.map(([date, campaignId], i) => ({ date, campaignId, campaignName: `Campaign ${campaignId}`, impressions: 100, clicks: 10, costMicros: MICROS[i] }));
			const server = await new YandexDirectServer({ token: READ_SECRETS.direct, rows }).start();
			return { server, parameters: { platform: 'yandexDirect', ...RANGE }, credential: { token: READ_SECRETS.direct, apiUrl: server.url }, secrets: [READ_SECRETS.direct] };
		},
	},
	{
		name: 'googleAdsSpend',
		label: 'Google Ads',
		start: async () => {
			const rows = EXPECTED_READ.map(([date, campaignId], i) => ({ date, campaignId, campaignName: `Campaign ${campaignId}`, costMicros: MICROS[i], clicks: 10, impressions: 100 }));
			const server = await new GoogleAdsServer({ accessToken: READ_SECRETS.googleAccess, developerToken: READ_SECRETS.googleDeveloper, customerId: '1234567890', rows, batchSize: 2 }).start();
			const credential = { developerToken: READ_SECRETS.googleDeveloper, apiUrl: server.url, oauthTokenData: { access_token: READ_SECRETS.googleAccess } } as unknown as ICredentialDataDecryptedObject;
			return { server, parameters: { platform: 'googleAds', customerId: '123-456-7890', ...RANGE }, credential, secrets: [READ_SECRETS.googleAccess, READ_SECRETS.googleDeveloper] };
		},
	},
	{
		name: 'vkAdsSpend',
		label: 'VK Ads',
		start: async () => {
			// 60 plans that spent nothing come first in id order, so plans 101 and 102 are on the second page of 50.
			const plans = [...Array.from({ length: 60 }, (_, i) => ({ id: i + 1, name: `Filler ${i + 1}` })), { id: 101, name: 'Campaign 101' }, { id: 102, name: 'Campaign 102' }];
			const stats = EXPECTED_READ.map(([date, campaignId], i) => ({ planId: Number(campaignId), date, shows: 100, clicks: 10, spent: DECIMALS[i] }));
			const server = await new VkAdsServer({ token: READ_SECRETS.vk, plans, stats }).start();
			return { server, parameters: { platform: 'vkAds', ...RANGE }, credential: { token: READ_SECRETS.vk, apiUrl: server.url }, secrets: [READ_SECRETS.vk] };
		},
	},
];

interface ReadOutcome {
	rows: IDataObject[];
	errorItems: IDataObject[];
	error?: Error & { description?: string | null };
	ms: number;
}

async function read(standin: ReadStandin, continueOnFail: boolean): Promise<ReadOutcome | 'hang'> {
	let timer: NodeJS.Timeout | undefined;
	const hang = new Promise<'hang'>((done) => (timer = setTimeout(() => done('hang'), READ_BOUNDS.budgetMs + 60_000)));
	const started = Date.now();
	const run = executeNode(SPEND_NODE, { parameters: { ...standin.parameters, options: READ_OPTIONS }, credential: standin.credential, staticData: {}, continueOnFail }).then(({ items, error }) => ({
		rows: items.filter((item) => item.json.error === undefined).map((item) => item.json),
		errorItems: items.filter((item) => item.json.error !== undefined).map((item) => item.json),
		error,
		ms: Date.now() - started,
	}));
	const outcome = await Promise.race([run, hang]);
	clearTimeout(timer);
	return outcome;
}

const rowKey = (row: IDataObject) => `${String(row.date)} ${String(row.campaignId)} ${String(row.cost)}`;

export class SourceFaultSuite {
	async run(fault: SourceFault, tries = 2): Promise<FaultResult> {
		return await runTries(fault.name, tries, async (continueOnFail, result) => await this.try(fault, continueOnFail, result));
	}

	private async try(fault: SourceFault, continueOnFail: boolean, result: FaultResult): Promise<string[]> {
		const source = READ_SOURCES.find((entry) => entry.name === fault.source) as ReadSource;
		const standin = await source.start();
		const problems: string[] = [];
		try {
			fault.inject(standin.server.faults);
			const faulty = await read(standin, continueOnFail);
			const faultyRequests = standin.server.received.slice();
			standin.server.faults.clear();
			if (faulty === 'hang') return [`the faulty run did not end within ${(READ_BOUNDS.budgetMs + 60_000) / 1000} s`];
			result.slowestMs = Math.max(result.slowestMs, faulty.ms);
			problems.push(...checkFaultyRead(fault, source.label, faulty, standin, result));
			problems.push(...checkBounds(faulty.ms, faultyRequests, READ_BOUNDS));
			const outputs = [...faulty.rows];
			if (fault.outcome === 'fails') {
				const rerun = await read(standin, false);
				if (rerun === 'hang' || rerun.error || rerun.errorItems.length > 0) problems.push(`the clean rerun did not read: ${rerun === 'hang' ? 'hang' : (rerun.error?.message ?? String(rerun.errorItems[0]?.error))}`);
				else outputs.push(...rerun.rows);
			}
			const counts = new Map<string, number>();
			for (const row of outputs) counts.set(rowKey(row), (counts.get(rowKey(row)) ?? 0) + 1);
			const expected = new Set(EXPECTED_READ.map(([date, campaignId, cost]) => rowKey({ date, campaignId, cost })));
			const lost = [...expected].filter((key) => !counts.has(key));
			const duplicated = [...counts].reduce((sum, [key, times]) => sum + (expected.has(key) ? times - 1 : times), 0);
			result.lost += lost.length;
			result.duplicated += duplicated;
			if (lost.length > 0) problems.push(`${lost.length} rows lost, e.g. ${lost[0]}`);
			if (duplicated > 0) problems.push(`${duplicated} rows output twice or not expected`);
		} finally {
			await standin.server.close();
		}
		return problems;
	}
}

function checkFaultyRead(fault: SourceFault, label: string, run: ReadOutcome, standin: ReadStandin, result: FaultResult): string[] {
	const problems: string[] = [];
	const message = run.error?.message ?? String(run.errorItems[0]?.error ?? '');
	const description = String(run.error?.description ?? run.errorItems[0]?.description ?? '');
	result.error ||= message.slice(0, 80);
	result.detail ||= `${message} | ${description}`;
	problems.push(...secretProblems(`${message}\n${description}\n${JSON.stringify([...run.rows, ...run.errorItems])}`, standin));
	if (/\n\s+at /.test(message) || /\n\s+at /.test(description)) problems.push('stack trace in the message');
	if (fault.outcome === 'survives') {
		if (message) problems.push(`the faulty read failed: ${message}`);
		return problems;
	}
	if (!message) problems.push(`the faulty read did not fail (${run.rows.length} rows)`);
	else if (fault.reason && !fault.reason.test(message)) problems.push(`the report gives no clear reason: ${message}`);
	if (message && !message.includes(label)) problems.push(`the report does not name ${label}: ${message}`);
	if (run.rows.length > 0) problems.push(`the failed read output ${run.rows.length} rows (part of a report)`);
	if (!run.error && run.errorItems.length !== 1) problems.push(`${run.errorItems.length} error items with Continue On Fail, not 1`);
	return problems;
}

/** Every source case, `tries` times each; the sources side by side, the cases of one source one after another. */
export async function sourceFaultResults(tries = 2, cases: SourceFault[] = SOURCE_FAULTS): Promise<FaultResult[]> {
	const suite = new SourceFaultSuite();
	const results = new Map<string, FaultResult>();
	await Promise.all(
		SOURCE_NAMES.map(async (source) => {
			for (const fault of cases.filter((entry) => entry.source === source)) results.set(fault.name, await suite.run(fault, tries));
		}),
	);
	return cases.map((fault) => results.get(fault.name) as FaultResult);
}
