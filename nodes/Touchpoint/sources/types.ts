import type { Touch } from '../../shared/contracts';
import type { SourceContext } from '../context';
import type { SourceName } from '../sourceNames';

/** What one payload gave: its touches, and why events in it that are not touches were passed over. */
export interface SourceResult {
	touches: Touch[];
	skipped: string[];
}

/** A system Touchpoint reads: how to recognise its payloads and how to turn one into touches. */
export interface TouchSource {
	name: SourceName;
	/** For the "unrecognised" message: what marks this source's payloads. */
	marker: string;
	/** true when the (normalised) payload looks like this source's. */
	detect(payload: unknown): boolean;
	/** Touches from a normalised payload; throws InputDataError for an event it cannot turn into a touch. */
	parse(payload: unknown, ctx: SourceContext): SourceResult;
}

export function skip(reason: string): SourceResult {
	return { touches: [], skipped: [reason] };
}

export function one(touch: Touch): SourceResult {
	return { touches: [touch], skipped: [] };
}
