import type { SourceName } from '../sourceNames';
import { asteriskSource } from './asterisk';
import { binotelSource } from './binotel';
import { callibriSource } from './callibri';
import { calltouchSource } from './calltouch';
import { formSource } from './form';
import { jivoSource } from './jivo';
import { mangoSource } from './mango';
import { ringostatSource } from './ringostat';
import type { TouchSource } from './types';
import { uisSource } from './uis';
import { umnicoSource } from './umnico';
import { wazzupSource } from './wazzup';
import { zadarmaSource } from './zadarma';

/** In detection order: the most specific markers first, the site form (which takes any known field) last. */
export const SOURCES: TouchSource[] = [
	binotelSource,
	zadarmaSource,
	mangoSource,
	jivoSource,
	wazzupSource,
	umnicoSource,
	callibriSource,
	ringostatSource,
	calltouchSource,
	uisSource,
	asteriskSource,
	formSource,
];

export function sourceNamed(name: SourceName): TouchSource {
	const source = SOURCES.find((candidate) => candidate.name === name);
	if (!source) throw new Error(`no parser for source "${name}"`);
	return source;
}

export function detectSource(payload: unknown): TouchSource | null {
	return SOURCES.find((source) => source.detect(payload)) ?? null;
}
