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

export interface ItemError {
	/** Index of the payload in the batch. */
	item: number;
	error: InputDataError;
}

export interface BatchResult {
	/** All touches of the batch, item by item; 'repeat' is decided across the whole batch in time order. */
	touches: Touch[];
	/** For each touch, the index of the payload it came from (n8n's pairedItem). */
	items: number[];
	skipped: Array<{ item: number; reason: string }>;
	errors: ItemError[];
}

/**
 * Parses a batch of payloads (the node's input items): an item that fails gives an ItemError and adds nothing,
 * the others go on; outcomes, 'repeat' included, are then set over the whole batch.
 */
export function parseTouchBatch(payloads: unknown[], source: SourceChoice, ctx: ParseContext): BatchResult {
	const touches: Touch[] = [];
	const items: number[] = [];
	const skipped: BatchResult['skipped'] = [];
	const errors: ItemError[] = [];
	payloads.forEach((payload, item) => {
		const outcome = attempt(() => parseTouches(payload, source, ctx));
		if ('result' in outcome) {
			touches.push(...outcome.result.touches);
			items.push(...outcome.result.touches.map(() => item));
			skipped.push(...outcome.result.skipped.map((reason) => ({ item, reason })));
		} else if (outcome.error instanceof InputDataError) errors.push({ item, error: outcome.error });
		else throw outcome.error;
	});
	return { touches: assignOutcomes(touches, ctx), items, skipped, errors };
}

function attempt(run: () => ParseResult): { result: ParseResult } | { error: unknown } {
	try {
		return { result: run() };
	} catch (error) {
		return { error };
	}
}
