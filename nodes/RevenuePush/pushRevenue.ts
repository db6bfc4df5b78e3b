import type { Deal } from '../shared/contracts';
import { redactSecrets } from '../shared/errors';
import { heldKeyOf, planDestination, screenTransactions, type DestinationSettings } from './destinations';
import { receiptChecker } from './ledger/receipts';
import { buildTransactions, type PushMode } from './ledger/transactions';
import { deliver, type HttpResult, type Outcome, type RetryPolicy } from './transport/deliver';
import { RateLimiter } from './transport/rateLimiter';
import type { PushRequest, Rejection } from './transport/request';

/**
 * What was already sent, kept across runs (n8n's de-duplication store in the node: ledger/ledger.ts). `unsent` is asked once
 * per run, before anything is sent (`lookOnly` when the run records nothing); `record` is called with exactly the
 * versions a service accepted, after it accepted them and before the next request; `finish` once the requests are
 * done (or given up).
 */
export interface SentLedger {
	unsent(versionKeys: string[], options?: { lookOnly?: boolean }): Promise<string[]>;
	record(versionKeys: string[]): Promise<void>;
	finish?(): Promise<void>;
}

export interface PushRun {
	settings: DestinationSettings;
	mode: PushMode;
	defaultCurrency: string | null;
	timeZone: string;
	retry: RetryPolicy;
	/** Strings that must never appear in a report: tokens, secrets, webhook codes. */
	secrets: string[];
	send(request: PushRequest): Promise<HttpResult>;
	sleep(ms: number): Promise<void>;
	now(): number;
}

export type PushStatus = 'sent' | 'alreadySent' | 'skipped' | 'failed' | 'validated';

export interface DealOutcome {
	orderId: string;
	destination: string;
	status: PushStatus;
	versionKey: string | null;
	reason: string | null;
	attempts: number;
	/** Remarks on a deal that was sent: its date moved into the service's window, a visit too old to link. */
	notes: string[];
	/** The service's reference for the request that carried the deal, e.g. a Metrica upload id and status. */
	receipt: string | null;
}

/**
 * Pushes the revenue of the deals to one destination, each revenue version once: versions already in the ledger
 * are not sent, and the versions a request carried are recorded as soon as the service accepted that request, before
 * the next one goes out. A request that fails after its retries leaves its versions unrecorded, so the next run sends
 * them (nothing lost); a run killed half way has recorded everything accepted before the kill, so a crash between one
 * request's acceptance and its recording is the only window in which a version can be sent twice.
 *
 * A request whose answer was lost (a timeout, a connection broken after sending) may have been taken: it is retried
 * where a second copy is harmless (a CRM field set again, a GA4 purchase with the same transaction_id and client,
 * a Metrica CRM order with the same id, a webhook with the same Idempotency-Key), and first checked against the
 * service's own list where it is not (Metrica's offline conversions, by the upload's comment), in the run and in
 * the next run.
 */
export async function pushRevenue(deals: Deal[], run: PushRun, ledger: SentLedger): Promise<DealOutcome[]> {
	const destination = run.settings.destination;
	const built = buildTransactions(deals, { destination, mode: run.mode, defaultCurrency: run.defaultCurrency, timeZone: run.timeZone, now: run.now() });
	const outcomes = new Map<string, DealOutcome>();
	const notes = new Map<string, string[]>();
	const set = (orderId: string, outcome: Pick<DealOutcome, 'status' | 'versionKey' | 'reason' | 'attempts'> & { receipt?: string }) =>
		outcomes.set(orderId, {
			orderId,
			destination,
			...outcome,
			reason: outcome.reason === null ? null : redactSecrets(outcome.reason, run.secrets),
			notes: notes.get(orderId) ?? [],
			receipt: outcome.receipt ?? null,
		});
	for (const skipped of built.skipped) set(skipped.orderId, { status: 'skipped', versionKey: null, reason: skipped.reason, attempts: 0 });
	// Deals the destination cannot take as they are (no client id, ...) are reported and never looked up: the ledger
	// is asked only about versions that can be sent, so a deal refused run after run costs it nothing.
	const screened = screenTransactions(run.settings, built.transactions);
	const keyOf = new Map(built.transactions.map((transaction) => [transaction.orderId, transaction.versionKey]));
	const report = (rejections: Rejection[]) => {
		for (const rejected of rejections) set(rejected.orderId, { status: 'skipped', versionKey: keyOf.get(rejected.orderId) ?? null, reason: rejected.reason, attempts: 0 });
	};
	report(screened.rejected);
	const refusedIds = new Set(screened.rejected.map((rejected) => rejected.orderId));
	const sendable = built.transactions.filter((transaction) => !refusedIds.has(transaction.orderId));
	// Looked up with the versions: whether the service already holds a deal (Google Ads: a conversion to restate).
	const heldKeys = sendable.flatMap((transaction) => {
		const key = heldKeyOf(run.settings, transaction);
		return key === null ? [] : [[transaction.orderId, key] as const];
	});
	const fresh = new Set(await ledger.unsent([...sendable.map((transaction) => transaction.versionKey), ...heldKeys.map(([, key]) => key)], { lookOnly: !screened.records }));
	for (const transaction of sendable) {
		if (!fresh.has(transaction.versionKey)) set(transaction.orderId, { status: 'alreadySent', versionKey: transaction.versionKey, reason: null, attempts: 0 });
	}
	const held = new Set(heldKeys.filter(([, key]) => !fresh.has(key)).map(([orderId]) => orderId));
	const plan = planDestination(run.settings, sendable.filter((transaction) => fresh.has(transaction.versionKey)), held);
	for (const note of plan.notes) notes.set(note.orderId, [...(notes.get(note.orderId) ?? []), note.reason]);
	report(plan.rejected);
	const limiter = plan.limit ? new RateLimiter(plan.limit, { now: run.now, sleep: run.sleep }) : undefined;
	const settled = async (outcome: Outcome<PushRequest>) => {
		if (outcome.state === 'failed') {
			for (const orderId of outcome.request.orderIds) set(orderId, { status: 'failed', versionKey: keyOf.get(orderId) ?? null, reason: outcome.reason, attempts: outcome.attempts });
			return;
		}
		const result = plan.accepted(outcome.request, outcome.response);
		const refused = new Map(result.rejected.map((rejection) => [rejection.orderId, rejection.reason]));
		for (const orderId of outcome.request.orderIds) {
			const versionKey = keyOf.get(orderId) ?? null;
			const reason = refused.get(orderId);
			if (reason !== undefined) set(orderId, { status: 'failed', versionKey, reason, attempts: outcome.attempts });
			else set(orderId, { status: plan.records ? 'sent' : 'validated', versionKey, reason: null, attempts: outcome.attempts, receipt: result.receipt });
		}
		if (plan.records && result.versionKeys.length > 0) await ledger.record(result.versionKeys);
	};
	const alreadyTaken = plan.receipts ? receiptChecker(plan.receipts, run.send, limiter) : undefined;
	try {
		await deliver(plan.requests, run.send, { retry: run.retry, limiter, sleep: run.sleep, now: run.now, errorText: plan.errorText, retryable: plan.retryable, retryAfter: plan.retryAfter, settled, alreadyTaken });
	} finally {
		await ledger.finish?.();
	}
	return deals.map((deal) => outcomes.get(deal.orderId) ?? unsentOutcome(deal.orderId, destination, 'skipped', 'not a deal this push handles'));
}

/** The outcome of a deal that was not sent: skipped, or failed with the run. */
export function unsentOutcome(orderId: string, destination: string, status: 'skipped' | 'failed', reason: string): DealOutcome {
	return { orderId, destination, status, versionKey: null, reason, attempts: 0, notes: [], receipt: null };
}
