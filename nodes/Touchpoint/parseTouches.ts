import type { Touch } from '../shared/contracts';
import { InputDataError } from '../shared/errors';
import { assignOutcomes } from './callOutcome';
import type { ParseContext } from './context';
import { isRecord } from './fields';
import { normalisePayload } from './payload';
import type { SourceChoice } from './sourceNames';
import { SOURCES, detectSource, sourceNamed } from './sources';

export interface ParseResult {
	/** The payload's touches, in the payload's order, outcomes set within the payload. */
	touches: Touch[];
	/** Why events in the payload were passed over (a Zadarma NOTIFY_START, an outgoing call), one line each. */
	skipped: string[];
}

/**
 * Turns one payload (a webhook body or item, a Master.csv text, an array of either) into canonical touches.
 * `source` names the sender or is 'auto' to recognise it (each element of an array on its own).
 * Throws InputDataError when the source cannot be recognised or an event cannot make a whole touch
 * (no time, nothing to identify it); no touch is half-filled.
 */
export function parseTouches(payload: unknown, source: SourceChoice, ctx: ParseContext): ParseResult {
	const data = normalisePayload(payload);
	if (Array.isArray(data)) {
		const results = data.map((element) => parseTouches(element, source, ctx));
		return {
			touches: assignOutcomes(results.flatMap((result) => result.touches), ctx),
			skipped: results.flatMap((result) => result.skipped),
		};
	}
	const parser = source === 'auto' ? detectSource(data) : sourceNamed(source);
	if (!parser) throw unrecognised(data);
	const assumed = `source "${parser.name}", ${source === 'auto' ? 'detected automatically' : 'chosen in the node'}`;
	const result = parser.parse(data, { ...ctx, assumed });
	return { touches: assignOutcomes(result.touches, ctx), skipped: result.skipped };
}

function unrecognised(data: unknown): InputDataError {
	const shape = isRecord(data)
		? `an object with ${Object.keys(data).slice(0, 12).join(', ') || 'no fields'}`
		: typeof data === 'string'
			? `text starting "${data.slice(0, 40)}"`
			: String(data);
	return new InputDataError(
		`cannot tell which system sent this payload (auto-detection): it is ${shape}, and none of these was found: ${SOURCES.map((source) => source.marker).join('; ')}`,
		'Choose the source in the node instead of auto-detection, or check that the webhook passes the body as the sender sent it.',
	);
}

/** One input item as the node read it: its payload, or why it could not be read (a binary field that is missing). */
export type ItemPayload = { payload: unknown } | { error: InputDataError };

/** What one input item gave. */
export interface ItemResult {
	/** The item's touches, in the payload's order (a Master.csv gives several); none when the item failed. */
	touches: Touch[];
	/** Why events in the item were passed over (a Zadarma NOTIFY_START, an outgoing call), one line each. */
	skipped: string[];
	/** Why the item gave nothing: it could not be read, or an event in it cannot make a whole touch. */
	error: InputDataError | null;
}

/**
 * Parses a batch of payloads (the node's input items) into one result per item, in input order: an item that fails
 * gives its error and no touch, the others go on; outcomes, 'repeat' included, are then set over the whole batch.
 * An error that is not an InputDataError (a fault of the code, not of the input) is thrown.
 */
export function parseTouchBatch(items: ItemPayload[], source: SourceChoice, ctx: ParseContext): ItemResult[] {
	const results = items.map((item) => parseItem(item, source, ctx));
	const touches = assignOutcomes(results.flatMap((result) => result.touches), ctx);
	let next = 0;
	return results.map((result) => ({ ...result, touches: touches.slice(next, (next += result.touches.length)) }));
}

function parseItem(item: ItemPayload, source: SourceChoice, ctx: ParseContext): ItemResult {
	if ('error' in item) return { touches: [], skipped: [], error: item.error };
	const outcome = attempt(() => parseTouches(item.payload, source, ctx));
	if ('result' in outcome) return { ...outcome.result, error: null };
	if (outcome.error instanceof InputDataError) return { touches: [], skipped: [], error: outcome.error };
	throw outcome.error;
}

function attempt(run: () => ParseResult): { result: ParseResult } | { error: unknown } {
	try {
		return { result: run() };
	} catch (error) {
		return { error };
	}
}
