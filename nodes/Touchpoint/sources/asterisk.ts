import { emptyUtm, type Touch } from '../../shared/contracts';
import { InputDataError } from '../../shared/errors';
import { parsePhone } from '../../shared/phone';
import type { SourceContext } from '../context';
import { parseCsv, type CsvRow } from '../csv';
import { isRecord, seconds } from '../fields';
import { buildTouch } from '../touchBuilder';
import type { TouchSource } from './types';

/** One Master.csv line: a leg of a call. */
interface CdrLeg {
	line: number;
	src: string;
	dst: string;
	dcontext: string;
	channel: string;
	dstchannel: string;
	lastapp: string;
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
/** A local city number, as trunks write it without the area code: 7 digits always, 6 digits on a call from the PSTN. */
const CITY_NUMBER = /^\d{6,7}$/;
/** Contexts calls from the PSTN enter (FreePBX's from-pstn / from-trunk, the from-external of many dialplans), and their variants. */
const PSTN_CONTEXTS = ['from-pstn', 'from-trunk', 'from-external'];
/** Channel technologies of SIP/IAX trunks; a channel of one whose peer is named "...trunk..." is a trunk. */
const TRUNK_TECHNOLOGIES = ['SIP', 'PJSIP', 'IAX2'];
/** Applications that connect the caller to a person: an ANSWERED leg of one with billsec > 0 was answered by a person. */
const PERSON_APPS = ['DIAL', 'QUEUE', 'APPDIAL', 'APPQUEUE'];
/**
 * The unique suffix Asterisk gives a channel's name: "-" and hex digits ("-0000002a"; DAHDI's "-1"), ";1" on a Local
 * channel's half. Linear: hex digits and "-" are disjoint, so each "-" starts one bounded attempt.
 */
const CHANNEL_SUFFIX = /-[0-9a-f]+(?:;\d)?$/i;
/** Applications the PBX answers with itself (IVR, announcements, voice mail): a call answered only by them is missed. */
const PBX_APPS = ['PLAYBACK', 'BACKGROUND', 'HANGUP', 'READ', 'WAITEXTEN', 'ANSWER', 'WAIT', 'VOICEMAIL', 'MUSICONHOLD', 'SAYDIGITS', 'SAYNUMBER', 'PLAYTONES', 'CONGESTION', 'BUSY', 'PROGRESS', 'RINGING'];

/**
 * Asterisk cdr_csv's Master.csv, as text: the payload itself, or the `data` field of an item (Extract From File's
 * "Text" operation), or the one string field of an item that holds Master.csv text. Columns: accountcode, src, dst,
 * dcontext, clid, channel, dstchannel, lastapp, lastdata, start, answer, end, duration, billsec, disposition, amaflags
 * (16), then uniqueid if loguniqueid=yes, userfield if loguserfield=yes, then peeraccount, linkedid, sequence if
 * newcdrcolumns=yes: 16 to 21 columns, told apart per line by their count (a single extra column is the uniqueid when
 * it looks like "1709636531.123", else the userfield).
 * - Legs that share a linkedid (else the "<epoch>.<seq>" core of their uniqueid) are one call; the time is the earliest
 *   start (naive, read in ctx.timeZone: set it to UTC when cdr.conf has usegmtime=yes), the caller the earliest leg's
 *   src, the tracking number the first dst that is a phone number (the DID dialled; later legs ring extensions).
 *   Legs without any id are calls of their own.
 * - Answered means a person answered: a leg whose lastapp is Dial or Queue (AppDial, AppQueue) is ANSWERED with
 *   billsec > 0; durationSec is the longest such billsec. A call the PBX alone answered (Playback, Background, Read,
 *   Hangup ... : an IVR, an announcement, voice mail) while the agents' legs went NO ANSWER is missed, durationSec 0,
 *   with a warning naming what answered. A call ANSWERED only by an application of neither kind has answered null
 *   and a warning: the reader does not guess who answered.
 * - The operator is the endpoint in the dstchannel (column 7) of the leg that durationSec comes from
 *   ("SIP/101-0000002a" → "SIP/101"), on a call no person answered that of the first leg that has one (the phone
 *   that rang first). Master.csv has no tags.
 * - A call is from the PSTN when its first leg's dcontext starts with from-pstn, from-trunk or from-external, or its
 *   channel is a SIP / PJSIP / IAX2 trunk (its peer's name holds "trunk": "SIP/rt-trunk-00000020"). A caller of
 *   1 to 6 digits is an extension (the call is outgoing or internal, and skipped), except a 6-digit caller on a call
 *   from the PSTN; a caller of 6 or 7 digits there is a local city number: with ctx.cityCode it becomes a full number
 *   (495 + 1234567 → +74951234567), without it the call stays, with a warning that its caller cannot be matched to a
 *   phone. A DID written as a local number (the first leg's dst, 6 or 7 digits, on a PSTN call) is read the same way,
 *   so that it finds the tracking-number table's row.
 * - touchId "asterisk:<linkedid or uniqueid core>", for a leg without either a hash of what it says (see
 *   touchBuilder: start, caller, number dialled, billsec, answered). Dispositions: ANSWERED, NO ANSWER, BUSY, FAILED
 *   (CONGESTION).
 * Errors carry the line of the leg: a line with another column count, a start that is not a time.
 */
export const asteriskSource: TouchSource = {
	name: 'asterisk',
	marker: 'Master.csv text (Asterisk CDR), as the payload or in a `data` field',
	detect: (payload) => cdrText(payload) !== null,
	parse(payload, ctx) {
		const text = typeof payload === 'string' ? payload : cdrText(payload);
		if (text === null) {
			const shape = isRecord(payload) ? `an item with ${Object.keys(payload).slice(0, 12).join(', ') || 'no fields'}, none of them Master.csv text` : 'not text';
			throw new InputDataError(
				`Asterisk CDR is read from Master.csv text, and this payload is ${shape} (${ctx.assumed})`,
				'Read Master.csv with Read/Write Files from Disk and set Read Payload From to Binary File; or pass it through Extract From File with the operation "Extract From Text File" (its data field holds the text). Extract From File\'s CSV operation splits the lines into rows, which this node does not read.',
			);
		}
		const legs = parseCsv(text).map(legOf);
		const touches: Touch[] = [];
		const skipped: string[] = [];
		for (const call of groupCalls(legs)) {
			const first = call[0];
			const pstn = fromPstn(first);
			if (EXTENSION.test(first.src) && !(pstn && CITY_NUMBER.test(first.src))) {
				skipped.push(`Master.csv line ${first.line}: call from extension ${first.src} is outgoing or internal; only incoming calls are touches`);
			} else touches.push(touchOf(call, pstn, ctx));
		}
		return { touches, skipped };
	},
};

/** The Master.csv text of a payload: itself, its `data` field, or its one string field, when that looks like cdr_csv lines. */
function cdrText(payload: unknown): string | null {
	if (typeof payload === 'string') return asCdr(payload);
	if (!isRecord(payload)) return null;
	if (typeof payload.data === 'string') return asCdr(payload.data);
	const texts = Object.values(payload).filter((value): value is string => typeof value === 'string');
	return texts.length === 1 ? asCdr(texts[0]) : null;
}

/** The text without its byte order mark when its first line has 16 to 21 columns and a start time in the 10th, else null. */
function asCdr(value: string): string | null {
	const text = value.charCodeAt(0) === 0xfeff ? value.slice(1) : value;
	const [first] = parseCsv(text, 1);
	const cdr = first !== undefined && first.fields.length >= BASE_COLUMNS && first.fields.length <= MAX_COLUMNS && NAIVE_TIME.test(first.fields[9].trim());
	return cdr ? text : null;
}

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
		dcontext: fields[3].trim(),
		channel: fields[5].trim(),
		dstchannel: fields[6].trim(),
		lastapp: fields[7].trim(),
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
	// (?<!\d): a match starts only where a run of digits starts, so a long run without a dot is read once (linear).
	return leg.linkedid || /(?<!\d)\d+\.\d+/.exec(leg.uniqueid)?.[0] || null;
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

/** Whether a leg came in from the PSTN: by its dialplan context, or by its channel being a trunk's. */
function fromPstn(leg: CdrLeg): boolean {
	const context = leg.dcontext.toLowerCase();
	if (PSTN_CONTEXTS.some((prefix) => context.startsWith(prefix))) return true;
	const slash = leg.channel.indexOf('/');
	if (slash < 0 || !TRUNK_TECHNOLOGIES.includes(leg.channel.slice(0, slash).toUpperCase())) return false;
	const dash = leg.channel.lastIndexOf('-');
	return leg.channel.slice(slash + 1, dash > slash ? dash : undefined).toLowerCase().includes('trunk');
}

function touchOf(call: CdrLeg[], pstn: boolean, ctx: SourceContext): Touch {
	const first = call[0];
	const warnings: string[] = [];
	const billsecs = call.map((leg) => seconds(leg.billsec, `billsec on line ${leg.line}`, warnings) ?? 0);
	const { answered, durationSec, by } = whoAnswered(call, billsecs, warnings);
	const cityCaller = CITY_NUMBER.test(first.src) && (pstn || first.src.length === 7);
	const caller = cityCaller ? localNumber(first.src, 'caller', ctx, warnings) : first.src;
	const dialled = call.map((leg) => leg.dst).find((dst) => parsePhone(dst, ctx.countries) !== null);
	const localDid = dialled === undefined && pstn && CITY_NUMBER.test(first.dst);
	const draft = {
		kind: 'call' as const,
		id: callId(first),
		time: first.start,
		timeField: 'start (column 10)',
		phones: [caller],
		says: { message: caller === null ? first.src : null },
		keepUnmatched: caller === null,
		emails: [],
		channel: emptyUtm(),
		trackingNumber: localDid ? localNumber(first.dst, 'tracking number (the DID dialled)', ctx, warnings) : (dialled ?? null),
		durationSec,
		answered,
		operator: endpoint((by ?? call.find((leg) => leg.dstchannel !== ''))?.dstchannel ?? ''),
		warnings,
		raw: call.map((leg) => leg.fields),
	};
	return buildTouch('asterisk', draft, ctx, first.line);
}

/** A channel's name without its unique suffix: the endpoint ("SIP/101-0000002a" → "SIP/101"); '' stays ''. */
function endpoint(channel: string): string {
	return channel.replace(CHANNEL_SUFFIX, '');
}

/**
 * Whether a person answered the call (see asteriskSource): true with the longest billsec of a person's legs and that
 * leg (`by`); false with 0 when none did (a warning names the PBX application that answered, if one did); null when
 * a leg was ANSWERED by an application the reader does not know.
 */
function whoAnswered(call: CdrLeg[], billsecs: number[], warnings: string[]): { answered: boolean | null; durationSec: number | null; by?: CdrLeg } {
	const answeredLegs = call.map((leg, i) => ({ leg, billsec: billsecs[i], app: leg.lastapp.toUpperCase() })).filter(({ leg }) => leg.disposition === 'ANSWERED');
	const person = answeredLegs.filter(({ app, billsec }) => PERSON_APPS.includes(app) && billsec > 0);
	if (person.length > 0) {
		const longest = person.reduce((best, leg) => (leg.billsec > best.billsec ? leg : best));
		return { answered: true, durationSec: longest.billsec, by: longest.leg };
	}
	const unknown = answeredLegs.find(({ app }) => !PERSON_APPS.includes(app) && !PBX_APPS.includes(app));
	if (unknown) {
		warnings.push(
			`cannot tell whether a person answered: line ${unknown.leg.line} is ANSWERED by "${unknown.leg.lastapp.slice(0, 40)}", neither Dial / Queue (a person) nor an IVR or voice-mail application`,
		);
		return { answered: null, durationSec: null };
	}
	const byPbx = answeredLegs.find(({ app }) => PBX_APPS.includes(app));
	if (byPbx) warnings.push(`answered only by the PBX (${byPbx.leg.lastapp} on line ${byPbx.leg.line}, ${byPbx.billsec} s); no person answered, so the call is missed`);
	else if (answeredLegs.length > 0) warnings.push(`line ${answeredLegs[0].leg.line} is ANSWERED with 0 billable seconds; no person talked, so the call is missed`);
	return { answered: false, durationSec: 0 };
}

/**
 * A local city number as a full phone: the City Code and the number read together (495 + 1234567), in the first of
 * the phone countries only (a city code written with its country code, +38044, names its own), so that a number
 * the code does not complete is never taken for another country's. Without the code, or when the two make no valid
 * number, null and a warning: the call stays, its number cannot be matched.
 */
function localNumber(digits: string, what: string, ctx: SourceContext, warnings: string[]): string | null {
	if (ctx.cityCode === null) {
		warnings.push(`${what} "${digits}" is a local city number without its area code: it cannot be matched to a full (E.164) phone; set the node's City Code option (e.g. 495) to read it`);
		return null;
	}
	const phone = parsePhone(`${ctx.cityCode}${digits}`, ctx.countries.slice(0, 1));
	if (phone === null) warnings.push(`${what} "${digits}" with city code ${ctx.cityCode} is not a valid phone number`);
	return phone;
}
