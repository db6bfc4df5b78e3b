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

export const SERVICE_FAULTS: ServiceFault[] = PUSH_DESTINATIONS.flatMap((destination) =>
	FAULT_KINDS.filter((kind) => !kind.only || kind.only.includes(destination.name)).map((kind) => ({
		name: `${destination.name}: ${kind.fault}`,
		destination: destination.name,
		fault: kind.fault,
		inject: (plan: FaultPlan) => {
			plan.next(1, 'pass');
			for (const [count, spec] of kind.faults) plan.next(count, spec);
		},
		outcome: kind.outcome,
		reason: kind.reason,
	})),
);
