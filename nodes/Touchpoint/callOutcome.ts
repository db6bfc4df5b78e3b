import type { CallOutcome, Touch } from '../shared/contracts';

/**
 * How one call ended, on its own: 'missed' when not answered, 'short' when answered but talked for fewer than
 * shortCallSec billable seconds, 'answered' otherwise (also when the duration is unknown). null when the source
 * does not say whether it was answered.
 */
export function callOutcome(answered: boolean | null, durationSec: number | null, shortCallSec: number): CallOutcome | null {
	if (answered === null) return null;
	if (!answered) return 'missed';
	return durationSec !== null && durationSec < shortCallSec ? 'short' : 'answered';
}

export interface OutcomeOptions {
	shortCallSec: number;
	repeatWindowHours: number;
}

/**
 * Sets every call's outcome, going through the batch in time order (stable); the touches keep their input order. The rule for 'repeat': a call whose caller number
 * (its first phone) already called in this batch at most repeatWindowHours before it, counted from that number's
 * latest earlier call (so a chain of calls each within the window are all repeats). It wins over the call's own
 * outcome whatever that is (a repeat that was answered is 'repeat'; `answered` and `durationSec` still tell how it
 * went), so that only the first call of a burst counts as a new lead. Touches with the same touchId are one event
 * sent twice (a webhook retried) and never make each other repeats. Outcomes are recomputed from `answered` and
 * `durationSec`, so running this again over a larger batch is safe. Non-call touches get null.
 */
export function assignOutcomes(touches: Touch[], options: OutcomeOptions): Touch[] {
	const windowMs = options.repeatWindowHours * 3600_000;
	const timed = touches.map((touch, index) => ({ touch, index, ms: Date.parse(touch.at) }));
	timed.sort((a, b) => a.ms - b.ms || a.index - b.index);
	const lastCall = new Map<string, { ms: number; touchId: string; repeat: boolean }>();
	const result: Touch[] = new Array<Touch>(touches.length);
	for (const { touch, index, ms } of timed) result[index] = { ...touch, outcome: outcomeInBatch(touch, ms, lastCall, options.shortCallSec, windowMs) };
	return result;
}

function outcomeInBatch(
	touch: Touch,
	ms: number,
	lastCall: Map<string, { ms: number; touchId: string; repeat: boolean }>,
	shortCallSec: number,
	windowMs: number,
): CallOutcome | null {
	if (touch.kind !== 'call') return null;
	const own = callOutcome(touch.answered, touch.durationSec, shortCallSec);
	const caller = touch.phones[0];
	if (caller === undefined) return own;
	const previous = lastCall.get(caller);
	const repeat = previous === undefined ? false : previous.touchId === touch.touchId ? previous.repeat : ms - previous.ms <= windowMs;
	if (previous?.touchId !== touch.touchId) lastCall.set(caller, { ms, touchId: touch.touchId, repeat });
	return repeat ? 'repeat' : own;
}
