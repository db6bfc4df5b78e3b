import type { FaultPlan, FaultSpec } from '../helpers/standins/faultPlan';
import { PUSH_DESTINATIONS, type DestinationName } from './pushDestinations';

/**
 * Services failing (issue 7), for every Revenue Push destination: each case is a fault the destination's stand-in
 * injects on the faulty run, after letting the first request through (so some deals are accepted before the fault).
 * A fault within the retry budget must be survived (every deal sent in that run); one outlasting it must fail the run
 * with a report that names the destination and the reason, after which the rerun delivers exactly the rest.
 * "Processed, then ..." faults are the classic duplicate: the service did its work and the client never heard.
 */
export interface ServiceFault {
	/** "<destination>: <fault>" */
	name: string;
	destination: DestinationName;
	fault: string;
	inject(plan: FaultPlan): void;
	outcome: 'survives' | 'fails';
	/** What the failed run's report must give as the reason. */
	reason?: RegExp;
}

interface FaultKind {
	fault: string;
	/** The faults after the first request, in order. */
	faults: Array<[count: number, spec: FaultSpec]>;
	outcome: ServiceFault['outcome'];
	reason?: RegExp;
	only?: DestinationName[];
}

/** More faults in a row than the suite's retry budget (4 attempts) can absorb. */
const OUTAGE = 12;

const FAULT_KINDS: FaultKind[] = [
	{ fault: 'timeout (socket held)', faults: [[1, 'timeout']], outcome: 'survives' },
	{ fault: '500 burst', faults: [[2, 500]], outcome: 'survives' },
	{ fault: '429 burst with Retry-After', faults: [[2, { kind: 'status', status: 429, retryAfter: '1' }]], outcome: 'survives' },
	{ fault: "420 burst (Metrica's quota answer)", faults: [[2, { kind: 'status', status: 420, body: { errors: [{ error_type: 'quota_requests_by_ip', message: 'Too many requests' }], code: 420, message: 'Too many requests' } }]], outcome: 'survives', only: ['metrica'] },
	{ fault: '503 burst', faults: [[2, 503]], outcome: 'survives' },
	{ fault: 'reset before the answer', faults: [[1, 'reset']], outcome: 'survives' },
	{ fault: 'drop mid-body (200 started)', faults: [[1, 'drop']], outcome: 'survives' },
	{ fault: 'processed, then reset', faults: [[1, { kind: 'lostAnswer', after: 'reset' }]], outcome: 'survives' },
	{ fault: 'processed, then cut mid-body', faults: [[1, { kind: 'lostAnswer', after: 'drop' }]], outcome: 'survives' },
	{ fault: 'processed, then no answer (timeout)', faults: [[1, { kind: 'lostAnswer', after: 'hold' }]], outcome: 'survives' },
	{ fault: '503 outlasting the retry budget', faults: [[OUTAGE, 503]], outcome: 'fails', reason: /HTTP 503/ },
	{ fault: 'timeouts outlasting the retry budget', faults: [[OUTAGE, 'timeout']], outcome: 'fails', reason: /network error|timeout/i },
	{ fault: 'processed, answers lost past the retry budget', faults: [[OUTAGE, { kind: 'lostAnswer', after: 'reset' }]], outcome: 'fails', reason: /network error/i },
	// A proxy's 502 page that repeats the request: the credential comes back in the answer the report quotes.
	{ fault: '502 pages echoing the credential, past the retry budget', faults: [[OUTAGE, { kind: 'echo', status: 502 }]], outcome: 'fails', reason: /HTTP 502/ },
];

/** The Ad Spend platforms read in the table: Yandex Direct's report, Google Ads' searchStream, VK Ads' lists and statistics. */
export type SourceName = 'directSpend' | 'googleAdsSpend' | 'vkAdsSpend';

export const SOURCE_NAMES: readonly SourceName[] = ['directSpend', 'googleAdsSpend', 'vkAdsSpend'];

/**
 * A read under the same faults (issue 21): every row once, none lost, none doubled; a fault the retries absorb gives
 * exactly the hand-expected rows, one that outlasts them fails the node with nothing output (no part of a report).
 */
export interface SourceFault {
	/** "<source>: <fault>" */
	name: string;
	source: SourceName;
	fault: string;
	inject(plan: FaultPlan): void;
	outcome: ServiceFault['outcome'];
	reason?: RegExp;
}

/**
 * The requests let through before the fault, so it hits a read half done: Direct's Clients.get (the fault is on the
 * report), none for Google's one searchStream, VK's user and first page of ad plans (the fault is on the second page).
 */
const PASS_BEFORE: Record<SourceName, number> = { directSpend: 1, googleAdsSpend: 0, vkAdsSpend: 2 };

/** Each fault of FAULT_KINDS as `name`'s cases, the faults after `pass` requests let through. */
function faultCases(name: string, pass: number, only: (kind: FaultKind) => boolean) {
	return FAULT_KINDS.filter(only).map((kind) => ({
		name: `${name}: ${kind.fault}`,
		fault: kind.fault,
		inject: (plan: FaultPlan) => {
			if (pass > 0) plan.next(pass, 'pass');
			for (const [count, spec] of kind.faults) plan.next(count, spec);
		},
		outcome: kind.outcome,
		reason: kind.reason,
	}));
}

export const SOURCE_FAULTS: SourceFault[] = SOURCE_NAMES.flatMap((source) => faultCases(source, PASS_BEFORE[source], (kind) => !kind.only).map((fault) => ({ ...fault, source })));

export const SERVICE_FAULTS: ServiceFault[] = PUSH_DESTINATIONS.flatMap((destination) =>
	faultCases(destination.name, 1, (kind) => !kind.only || kind.only.includes(destination.name)).map((fault) => ({ ...fault, destination: destination.name })),
);
