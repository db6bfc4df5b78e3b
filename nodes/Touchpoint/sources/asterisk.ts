import { emptyUtm, type Touch } from '../../shared/contracts';
import { InputDataError } from '../../shared/errors';
import { parsePhone } from '../../shared/phone';
import type { SourceContext } from '../context';
import { parseCsv, type CsvRow } from '../csv';
import { seconds } from '../fields';
import { buildTouch } from '../touchBuilder';
import type { TouchSource } from './types';

/** One Master.csv line: a leg of a call. */
interface CdrLeg {
	line: number;
	src: string;
	dst: string;
	start: string;
	billsec: string;
	disposition: string;
	uniqueid: string;
	linkedid: string;
	fields: string[];
}

const BASE_COLUMNS = 16;
const NEW_COLUMNS = 3;
/** The base, uniqueid and userfield, and the three newcdrcolumns. */
const MAX_COLUMNS = BASE_COLUMNS + 2 + NEW_COLUMNS;
const NAIVE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
/** An internal extension ("101"): a leg that starts from one is an outgoing or internal call. */
const EXTENSION = /^\d{1,6}$/;

/**
 * Asterisk cdr_csv's Master.csv, as text. Columns: accountcode, src, dst, dcontext, clid, channel, dstchannel,
 * lastapp, lastdata, start, answer, end, duration, billsec, disposition, amaflags (16), then uniqueid if
 * loguniqueid=yes, userfield if loguserfield=yes, then peeraccount, linkedid, sequence if newcdrcolumns=yes:
 * 16 to 21 columns, told apart per line by their count (a single extra column is the uniqueid when it looks like
 * "1709636531.123", else the userfield).
 * - Legs that share a linkedid (else the "<epoch>.<seq>" core of their uniqueid) are one call: answered when any leg
 *   is ANSWERED, durationSec the longest billsec, time the earliest start (naive, read in ctx.timeZone: set it to UTC
 *   when cdr.conf has usegmtime=yes), the caller the earliest leg's src, the tracking number the first dst that is
 *   a phone number (the DID dialled; later legs ring extensions). Legs without any id are calls of their own.
 * - touchId "asterisk:<linkedid or uniqueid core>", for a leg without either a hash of what it says (see
 *   touchBuilder: start, caller, number dialled, billsec, answered); a call whose earliest src is an extension
 *   (1-6 digits) is outgoing or internal and skipped. Dispositions: ANSWERED, NO ANSWER, BUSY, FAILED (CONGESTION) — all but the first missed.
 * Errors carry the line of the leg: a line with another column count, a start that is not a time.
 */
export const asteriskSource: TouchSource = {
	name: 'asterisk',
	marker: 'Master.csv text (Asterisk CDR)',
	detect(payload) {
		if (typeof payload !== 'string') return false;
		const [first] = parseCsv(payload, 1);
		return first !== undefined && first.fields.length >= BASE_COLUMNS && first.fields.length <= MAX_COLUMNS && NAIVE_TIME.test(first.fields[9]);
	},
	parse(payload, ctx) {
		if (typeof payload !== 'string') {
			throw new InputDataError(`Asterisk CDR is read from Master.csv text, and this payload is not text (${ctx.assumed})`, 'Read the file into text first (Extract From File, Text File) and pass that text.');
		}
		const legs = parseCsv(payload).map(legOf);
		const touches: Touch[] = [];
		const skipped: string[] = [];
		for (const call of groupCalls(legs)) {
			const first = call[0];
			if (EXTENSION.test(first.src)) skipped.push(`Master.csv line ${first.line}: call from extension ${first.src} is outgoing or internal; only incoming calls are touches`);
			else touches.push(touchOf(call, ctx));
		}
		return { touches, skipped };
	},
};

function legOf(row: CsvRow): CdrLeg {
	const { fields, line } = row;
	const count = fields.length;
	if (count < BASE_COLUMNS || count > MAX_COLUMNS) {
		throw new InputDataError(
			`Master.csv line has ${count} columns; cdr_csv writes 16 to 21`,
			'Pass the Master.csv text as Asterisk writes it (cdr_csv); a custom CDR format (cdr_custom) is not read.',
			line,
			1,
		);
	}
	const extra = fields.slice(BASE_COLUMNS, count >= BASE_COLUMNS + NEW_COLUMNS ? count - NEW_COLUMNS : count);
	const uniqueid = extra.length === 2 || /^(?:.+-)?\d+\.\d+$/.test(extra[0] ?? '') ? extra[0] : '';
	return {
		line,
		src: fields[1].trim(),
		dst: fields[2].trim(),
		start: fields[9].trim(),
		billsec: fields[13],
		disposition: fields[14].trim().toUpperCase(),
		uniqueid: uniqueid.trim(),
		linkedid: count >= BASE_COLUMNS + NEW_COLUMNS ? fields[count - 2].trim() : '',
		fields,
	};
}

/** The call a leg belongs to: its linkedid, else the "<epoch>.<seq>" core of its uniqueid ("pbx1-1709636531.123"). */
function callId(leg: CdrLeg): string | null {
	return leg.linkedid || /\d+\.\d+/.exec(leg.uniqueid)?.[0] || null;
}

/** The legs grouped into calls, each call's legs by start time (the text sorts as the time does). */
function groupCalls(legs: CdrLeg[]): CdrLeg[][] {
	const calls = new Map<string, CdrLeg[]>();
	for (const leg of legs) {
		const key = callId(leg) ?? `line ${leg.line}`;
		const call = calls.get(key);
		if (call) call.push(leg);
		else calls.set(key, [leg]);
	}
	return [...calls.values()].map((call) => call.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0)));
}

function touchOf(call: CdrLeg[], ctx: SourceContext): Touch {
	const first = call[0];
	const warnings: string[] = [];
	const billsecs = call.map((leg) => seconds(leg.billsec, `billsec on line ${leg.line}`, warnings) ?? 0);
	const draft = {
		kind: 'call' as const,
		id: callId(first),
		time: first.start,
		timeField: 'start (column 10)',
		phones: [first.src],
		emails: [],
		channel: emptyUtm(),
		trackingNumber: call.map((leg) => leg.dst).find((dst) => parsePhone(dst, ctx.countries) !== null) ?? null,
		durationSec: Math.max(...billsecs),
		answered: call.some((leg) => leg.disposition === 'ANSWERED'),
		warnings,
		raw: call.map((leg) => leg.fields),
	};
	return buildTouch('asterisk', draft, ctx, first.line);
}
