import { isDeepStrictEqual } from 'util';
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { runNode } from './fakeContext';
import { FaultServer } from './faultServer';
import { AUTH, baselineFeed, FEED_PATH, FEED_QUERY, nextFeed, type HostileFeed } from './hostileFeeds';

/**
 * Runs hostile feeds through the real CRM XML Import node (incremental mode, static data kept between runs as n8n
 * keeps it), over HTTP from a local server:
 *   1. a clean run on the baseline export (40 orders): the mark is set;
 *   2. the faulty run: it must fail with the case's error, naming where, emit nothing, leave the mark as it was, and
 *      keep the credential out of the message and description (tries alternate Continue On Fail off and on);
 *   3. the fault removed, a run on the next export (5 orders changed, 5 new).
 * Lost / duplicated compare what runs 2 and 3 emitted, per order id, with what one clean run on the next export
 * emits from the same mark; a mark that ends different from the clean one counts its differing orders as lost.
 */

export interface FaultResult {
	fault: string;
	tries: number;
	survived: number;
	lost: number;
	duplicated: number;
	/** The first error message seen (or the first reason a try did not survive). */
	error: string;
	/** Why tries did not survive, one line each. */
	problems: string[];
	/** The first faulty run's whole message and description, and how long the slowest faulty run took. */
	detail: string;
	slowestMs: number;
	/** Worth saying beside the figures, e.g. versions a service took twice but counted once; printed when any row has one. */
	notes?: string;
}

const BASE_PARAMETERS = {
	source: 'url',
	url: '',
	authentication: 'crmFeedApi',
	format: 'commerceml',
	statusRequisite: 'Статус заказа',
	emit: 'incremental',
};
const BASE_OPTIONS = { timeZone: 'Europe/Moscow', timeoutSec: 30 };
const CREDENTIAL: ICredentialDataDecryptedObject = { authType: 'basic', user: AUTH.user, password: AUTH.password };

interface Reference {
	baselineState: IDataObject;
	/** Order ids the clean next run emits from the baseline mark, and the mark it leaves. */
	emitted: string[];
	state: IDataObject;
}

export class FaultSuite {
	readonly server = new FaultServer(AUTH);
	private reference?: Reference;
	private readonly url: () => string = () => this.server.url(FEED_PATH + FEED_QUERY);
	private readonly feeds = { baseline: Buffer.from(baselineFeed()), next: Buffer.from(nextFeed()) };

	async start(): Promise<void> {
		await this.server.start();
		const staticData: IDataObject = {};
		await this.clean(staticData, this.feeds.baseline, 40);
		const baselineState = structuredClone(staticData);
		const next = await this.clean(staticData, this.feeds.next, 10);
		this.reference = { baselineState, emitted: idsOf(next), state: structuredClone(staticData) };
	}

	async stop(): Promise<void> {
		await this.server.stop();
	}

	/** A clean run that must emit `expected` orders. */
	private async clean(staticData: IDataObject, feed: Buffer, expected: number): Promise<INodeExecutionData[]> {
		this.server.serve(FEED_PATH, { kind: 'body', body: feed });
		const run = await runNode({ parameters: { ...BASE_PARAMETERS, url: this.url(), options: BASE_OPTIONS }, credential: CREDENTIAL, staticData, continueOnFail: false });
		if (run.error || run.items.length !== expected) {
			throw new Error(`the clean feed did not import: ${run.error?.message ?? `${run.items.length} items, expected ${expected}`}`);
		}
		return run.items;
	}

	async run(feed: HostileFeed, tries = 2): Promise<FaultResult> {
		return await runTries(feed.name, tries, async (continueOnFail, result) => await this.try(feed, continueOnFail, result));
	}

	private async try(feed: HostileFeed, continueOnFail: boolean, result: FaultResult): Promise<string[]> {
		const reference = this.reference as Reference;
		const problems: string[] = [];
		const staticData = structuredClone(reference.baselineState);
		const before = structuredClone(staticData);
		const credential = { ...CREDENTIAL, ...feed.credential };
		const options = { ...BASE_OPTIONS, ...feed.options };
		const imports = feed.outcome === 'imports';

		// 2. the faulty run, with a watchdog: a hang is a failure too.
		this.server.serve(FEED_PATH, feed.serve());
		const limitMs = (Number(options.timeoutSec) + 20) * 1000;
		let timer: NodeJS.Timeout | undefined;
		const hang = new Promise<'hang'>((done) => (timer = setTimeout(() => done('hang'), limitMs)));
		const started = Date.now();
		const faulty = await Promise.race([runNode({ parameters: { ...BASE_PARAMETERS, url: this.url(), options }, credential, staticData, continueOnFail }), hang]);
		clearTimeout(timer);
		result.slowestMs = Math.max(result.slowestMs, Date.now() - started);
		this.server.dropConnections();
		const faultyItems: INodeExecutionData[] = [];
		if (faulty === 'hang') {
			problems.push(`no answer after ${Math.round((Date.now() - started) / 1000)} s (hang)`);
		} else {
			const errorItems = faulty.items.filter((item) => item.json.error !== undefined);
			faultyItems.push(...faulty.items.filter((item) => item.json.error === undefined));
			const message = faulty.error?.message ?? String(errorItems[0]?.json.error ?? '');
			const description = String(faulty.error?.description ?? errorItems[0]?.json.description ?? '');
			result.error ||= message.slice(0, 80);
			result.detail ||= `${message} | ${description}`;
			if (imports) {
				if (message) problems.push(`failed: ${message}`);
				const warned = faultyItems.filter((item) => (item.json.warnings as string[]).some((w) => feed.warning?.test(w)));
				if (warned.length === 0) problems.push('imported without the warning');
				result.error ||= `imported; warning: ${String((warned[0]?.json.warnings as string[] | undefined)?.find((w) => feed.warning?.test(w)) ?? '')}`.slice(0, 80);
			} else {
				if (!message) problems.push(`did not fail (${faulty.items.length} items)`);
				else {
					if (!feed.error.test(message)) problems.push(`unclear error: ${message}`);
					if (feed.where && !feed.where.test(message)) problems.push(`error does not say where: ${message}`);
					if (/\n\s+at /.test(message) || /\n\s+at /.test(description)) problems.push('stack trace in the message');
				}
				if (continueOnFail && errorItems.length !== 1) problems.push(`${errorItems.length} error items`);
				if (faultyItems.length > 0) problems.push(`${faultyItems.length} orders emitted`);
				if (!isDeepStrictEqual(staticData, before)) problems.push('the incremental mark moved');
			}
			const secrets = [AUTH.password, AUTH.token, String(credential.password ?? ''), String(credential.token ?? '')].filter((s) => s.length > 0);
			for (const secret of secrets) {
				if (message.includes(secret) || description.includes(secret)) problems.push('a secret is in the message');
			}
			if (feed.mustNotSay && (feed.mustNotSay.test(message) || feed.mustNotSay.test(description))) problems.push(`says what it must not: ${message}`);
		}

		// 3. the fault removed: the next export, from wherever the faulty run left the mark.
		this.server.serve(FEED_PATH, { kind: 'body', body: this.feeds.next });
		const recovery = await runNode({ parameters: { ...BASE_PARAMETERS, url: this.url(), options: BASE_OPTIONS }, credential: CREDENTIAL, staticData, continueOnFail: false });
		if (recovery.error) problems.push(`the clean run after the fault failed: ${recovery.error.message}`);

		const counts = new Map<string, number>();
		for (const id of [...idsOf(faultyItems), ...idsOf(recovery.items)]) counts.set(id, (counts.get(id) ?? 0) + 1);
		const expected = new Map(reference.emitted.map((id) => [id, 1]));
		for (const [id, want] of expected) result.lost += Math.max(0, want - (counts.get(id) ?? 0));
		for (const [id, got] of counts) result.duplicated += Math.max(0, got - (expected.get(id) ?? 0));
		const marks = new Set([...Object.keys(staticData), ...Object.keys(reference.state)]);
		const keys = [...marks].filter((key) => !isDeepStrictEqual(staticData[key], reference.state[key]));
		for (const key of keys) {
			const mine = (staticData[key] ?? {}) as Record<string, string>;
			const theirs = (reference.state[key] ?? {}) as Record<string, string>;
			for (const id of new Set([...Object.keys(mine), ...Object.keys(theirs)])) if (mine[id] !== theirs[id]) result.lost++;
		}
		return problems;
	}
}

function idsOf(items: INodeExecutionData[]): string[] {
	return items.map((item) => String(item.json.orderId));
}

/**
 * A fault's row: `tries` tries, Continue On Fail off on the odd ones and on on the even ones; a try survives when
 * `tryOnce` finds no problem. The first problem is the row's error unless the try set one.
 */
export async function runTries(fault: string, tries: number, tryOnce: (continueOnFail: boolean, result: FaultResult) => Promise<string[]>): Promise<FaultResult> {
	const result: FaultResult = { fault, tries, survived: 0, lost: 0, duplicated: 0, error: '', problems: [], detail: '', slowestMs: 0 };
	for (let t = 0; t < tries; t++) {
		const problems = await tryOnce(t % 2 === 1, result);
		if (problems.length === 0) result.survived++;
		else result.problems.push(...problems.map((p) => `try ${t + 1}: ${p}`));
	}
	if (!result.error && result.problems.length > 0) result.error = result.problems[0];
	return result;
}

/** The markdown table: fault | tries | survived | lost | duplicated | error (first 80 characters) [| notes]. */
export function faultTable(results: FaultResult[]): string {
	const cell = (text: string) => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|');
	const notes = results.some((r) => r.notes);
	const lines = [`| fault | tries | survived | lost | duplicated | error |${notes ? ' notes |' : ''}`, `| --- | ---: | ---: | ---: | ---: | --- |${notes ? ' --- |' : ''}`];
	for (const r of results) lines.push(`| ${cell(r.fault)} | ${r.tries} | ${r.survived} | ${r.lost} | ${r.duplicated} | ${cell(r.error.slice(0, 80))} |${notes ? ` ${cell(r.notes ?? '')} |` : ''}`);
	return lines.join('\n');
}
