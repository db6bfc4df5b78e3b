import { parseEmails } from '../shared/email';
import type { Touch, TouchKind, Utm } from '../shared/contracts';
import { gaClientIdFromCookie, gaSessionIdFromCookie, ymClientIdFromCookie } from '../shared/cookies';
import { GOOGLE_CLICK_IDS, googleClickId } from '../shared/googleClickId';
import { InputDataError } from '../shared/errors';
import { canonicalJson, sha256Hex } from '../shared/hash';
import { parsePhone, parsePhones } from '../shared/phone';
import { excerpt, MAX_EVENT_ID, overCap } from '../shared/textLimits';
import { parseDateTime } from '../shared/time';
import { callOutcome } from './callOutcome';
import type { SourceContext, TimeZoneOrigin } from './context';
import { text } from './fields';
import { SOURCE_TITLES, type SourceName } from './sourceNames';
import { channelOf } from './trackingNumbers';

/** What a source parser read from one event, values as sent; buildTouch normalises and checks them. */
export interface TouchDraft {
	kind: TouchKind;
	/** The source's own id of the event (call id, chat id), if it has one: the touchId is built from it. */
	id: string | null;
	/** The event time as sent: ISO, naive local text, unix seconds or milliseconds. */
	time: unknown;
	/** Where the time is looked for, named as the sender names it, for the error message. */
	timeField: string;
	/** Live events may take ctx.receivedAt when they carry no time. */
	mayUseArrivalTime?: boolean;
	/**
	 * What else the event says that tells it from another, for the touchId of an event without an id of its own:
	 * the form's id or name, the page it was sent from, the message written (for a call kept without anything to match
	 * it by, the caller's number as written). Not kept in the touch.
	 */
	says?: { form?: unknown; page?: unknown; message?: unknown };
	/**
	 * Keep the touch even when nothing identifies it (a call from a local number the node cannot complete): it still
	 * counts in call statistics; a warning the parser added says why it cannot be matched.
	 */
	keepUnmatched?: boolean;
	phones: unknown[];
	emails: unknown[];
	gaClientId?: unknown;
	gaSessionId?: unknown;
	ymClientId?: unknown;
	yclid?: unknown;
	/** Google Ads click ids as sent (see googleClickId). Not part of the touchId. */
	gclid?: unknown;
	gbraid?: unknown;
	wbraid?: unknown;
	orderRef?: unknown;
	channel: Utm;
	trackingNumber?: unknown;
	durationSec?: number | null;
	answered?: boolean | null;
	/** The call's tags as sent (texts; see callDetails.ts for the shapes senders give them in). Not part of the touchId. */
	tags?: unknown[];
	/** Who answered or was called, as sent. Not part of the touchId. */
	operator?: unknown;
	warnings: string[];
	raw: unknown;
}

/** A touch keeps at most MAX_TAGS tags of at most MAX_TAG_CHARS characters, and an operator of at most MAX_OPERATOR_CHARS. */
const MAX_TAGS = 20;
const MAX_TAG_CHARS = 100;
const MAX_OPERATOR_CHARS = 100;

/**
 * Turns a draft into a canonical Touch, or throws an InputDataError that names the missing field and the assumed source:
 * no time, or nothing to match the touch with (no valid phone, e-mail, client id, order reference or event id).
 * Values that are present but unreadable (a phone that is not a phone) become warnings when the touch stands anyway.
 * `line` is the line of the payload text the event starts at (Master.csv).
 */
export function buildTouch(source: SourceName, draft: TouchDraft, ctx: SourceContext, line?: number): Touch {
	const warnings = [...draft.warnings];
	const fail = (message: string, hint: string): never => {
		throw new InputDataError(`${SOURCE_TITLES[source]} ${draft.kind}: ${message} (${ctx.assumed})`, hint, line, line === undefined ? undefined : 1);
	};
	const ownId = text(draft.id);
	const idTooLong = ownId === null ? null : overCap(ownId, MAX_EVENT_ID, 'an event id');
	if (idTooLong !== null) fail(`its event id ${idTooLong} is not read`, 'A sender\'s own event id is a short code; check what the sender puts in its id field.');
	const { at, own, note } = touchTime(draft, ctx, warnings, fail);

	const phones: string[] = [];
	const rejected: string[] = [];
	for (const written of draft.phones) {
		const parsed = parsePhones(text(written), ctx.countries);
		for (const phone of parsed.phones) if (!phones.includes(phone)) phones.push(phone);
		rejected.push(...parsed.rejected.map((value) => `phone "${value}" is not a phone number`));
	}
	const { emails, rejected: badEmails } = parseEmails(draft.emails.map((written) => text(written) ?? ''));
	rejected.push(...badEmails.map((part) => `e-mail "${part}" is not an e-mail address`));
	const gaClientId = checked(draft.gaClientId, gaClientIdFromCookie, 'GA client id', warnings);
	const gaSessionId = checked(draft.gaSessionId, gaSessionIdFromCookie, 'GA session id', warnings);
	const ymClientId = checked(draft.ymClientId, ymClientIdFromCookie, 'Metrica client id', warnings);
	const yclid = checked(draft.yclid, (value) => (/^\d{1,30}$/.test(value.trim()) ? value.trim() : null), 'yclid', warnings);
	const googleClicks = GOOGLE_CLICK_IDS.flatMap((name) => {
		const id = checked(draft[name], googleClickId, name, warnings);
		return id === null ? [] : [[name, id] as const];
	});
	const orderRef = cappedReference(text(draft.orderRef), warnings);
	const trackingNumber = checked(draft.trackingNumber, (value) => parsePhone(value, ctx.countries), 'tracking number', warnings);
	const tags = tagsOf(draft.tags ?? [], warnings);
	const operatorText = text(draft.operator);
	const operator = operatorText === null ? null : capped(operatorText, MAX_OPERATOR_CHARS, 'operator', warnings);

	if (phones.length === 0 && emails.length === 0 && !gaClientId && !ymClientId && !orderRef && !draft.id && !draft.keepUnmatched) {
		const unreadable = rejected.length > 0 ? ` (${rejected.join('; ')})` : '';
		fail(
			`nothing identifies it: no phone, e-mail, GA or Metrica client id, order reference or event id${unreadable}`,
			'A touch is matched to orders by these values; check that the sender passes the visitor\'s phone or e-mail, the _ga / _ym_uid cookies or an order number.',
		);
	}
	warnings.push(...rejected);
	// last, so that what is wrong with the event comes first
	if (note !== null) warnings.push(note);

	const touch: Touch = {
		touchId: '',
		kind: draft.kind,
		at,
		phones,
		emails,
		gaClientId,
		gaSessionId,
		ymClientId,
		yclid,
		...Object.fromEntries(googleClicks),
		orderRef,
		channel: channelOf(draft.channel, trackingNumber, ctx.trackingNumbers),
		trackingNumber,
		durationSec: draft.durationSec ?? null,
		answered: draft.answered ?? null,
		outcome: draft.kind === 'call' ? callOutcome(draft.answered ?? null, draft.durationSec ?? null, ctx.shortCallSec) : null,
		...(tags.length > 0 ? { tags } : {}),
		...(operator !== null ? { operator } : {}),
		source,
		warnings,
	};
	touch.touchId = touchId(touch, draft, own);
	if (ctx.keepRaw) touch.raw = draft.raw;
	return touch;
}

/**
 * The touchId: derived from what the event says, never from when it arrived, so that a webhook delivered twice, or
 * a file read again, gives the same id and a store keyed on it keeps the event once.
 * - "<source>:<the sender's own id>" when the event has one (a call id, a chat id, a form's submission id): two
 *   senders with the same number do not collide;
 * - else "<source>:#" and the first 32 hex characters (128 bits) of the SHA-256 of the event's content in canonical
 *   JSON (sorted keys; values as the touch holds them: phones E.164 and e-mails lower-case, both as sorted sets,
 *   text trimmed): kind, the event's own time as an instant (null when the event has none and `at` is the arrival
 *   time), phones, e-mails, GA client and session id, Metrica client id, yclid, order reference, the channel as the
 *   event gives it (utm; not the tracking-number table, which is a setting), tracking number, duration, answered,
 *   form, page and message text. Two forms from one phone with other utm are two touches. The consequence of leaving
 *   the arrival time out: the same content sent again on another day, without a time of its own, is the same touch
 *   as the first (the later `at` replaces the earlier in an upserting store). Such a repeat cannot be told from a
 *   redelivery, and counting a redelivery twice is the worse error.
 */
function touchId(touch: Touch, draft: TouchDraft, ownTime: boolean): string {
	const own = text(draft.id);
	if (own !== null) return `${touch.source}:${own}`;
	const says = draft.says ?? {};
	const content = {
		kind: touch.kind,
		at: ownTime ? Date.parse(touch.at) : null,
		phones: [...touch.phones].sort(),
		emails: [...touch.emails].sort(),
		gaClientId: touch.gaClientId,
		gaSessionId: touch.gaSessionId,
		ymClientId: touch.ymClientId,
		yclid: touch.yclid,
		orderRef: touch.orderRef,
		channel: draft.channel,
		trackingNumber: touch.trackingNumber,
		durationSec: touch.durationSec,
		answered: touch.answered,
		form: text(says.form),
		page: text(says.page),
		message: text(says.message),
	};
	return `${touch.source}:#${sha256Hex(canonicalJson(content)).slice(0, 32)}`;
}

/**
 * The touch's time: the event's own (own: true), else, for live events, the arrival time, the best one known; `note`
 * names the zone an own time written without an offset was read in.
 */
function touchTime(
	draft: TouchDraft,
	ctx: SourceContext,
	warnings: string[],
	fail: (message: string, hint: string) => never,
): { at: string; own: boolean; note: string | null } {
	const written = text(draft.time);
	// Calltouch writes "05/03/2024 14:02:11": day first, as in the dotted form parseDateTime knows.
	const dotted = written === null ? null : written.replace(/^(\d{2})\/(\d{2})\/(\d{4})/, '$1.$2.$3');
	const at = dotted === null ? null : parseDateTime(dotted, ctx.timeZone);
	if (dotted !== null && at !== null) {
		return { at, own: true, note: isNaiveTime(dotted, at) ? zoneNote(written as string, ctx) : null };
	}
	if (draft.mayUseArrivalTime && ctx.receivedAt !== null) {
		warnings.push(`${written === null ? 'the event carries no time' : `time "${excerpt(written)}" is not a date`}; the time the webhook arrived is used`);
		return { at: ctx.receivedAt, own: false, note: null };
	}
	return fail(
		written === null ? `no time: ${draft.timeField} is missing` : `no time: ${draft.timeField} "${excerpt(written)}" is not a date`,
		`The event time is read from ${draft.timeField}. If the payload comes from another system, choose that source instead.`,
	);
}

/** Two zones no other zone is between: a time that reads as another instant in one of them was written without an offset. */
const FAR_WEST = 'Etc/GMT+12';
const FAR_EAST = 'Etc/GMT-14';

/** Whether a time that read as `at` in the context's zone carries no offset of its own (unix times and ISO with an offset do). */
function isNaiveTime(written: string, at: string): boolean {
	const elsewhere = parseDateTime(written, at.endsWith('-12:00') ? FAR_EAST : FAR_WEST);
	return elsewhere !== null && Date.parse(elsewhere) !== Date.parse(at);
}

const ZONE_ORIGIN: Record<TimeZoneOrigin, string> = {
	node: "the node's Time Zone option",
	workflow: "the workflow's time zone",
	instance: "n8n's default zone: neither the node's Time Zone option nor the workflow's time zone is set",
};

/**
 * The note a touch whose time carries no offset gets: the zone it was read in and why that zone. When the zone is
 * n8n's fallback America/New_York because nothing was set, how to set the right one.
 */
function zoneNote(written: string, ctx: SourceContext): string {
	const note = `time "${written}" carries no offset: read in ${ctx.timeZone} (${ZONE_ORIGIN[ctx.timeZoneFrom]})`;
	if (ctx.timeZoneFrom !== 'instance' || ctx.timeZone !== 'America/New_York') return note;
	return `${note}; if the sender's clock is not New York time, set the workflow's time zone (Workflow Settings → Timezone) or this node's Time Zone option`;
}

/**
 * The sender's tags: trimmed, empty ones and repeats left out, the first MAX_TAGS kept, each cut to MAX_TAG_CHARS;
 * a warning says what was cut or left out.
 */
function tagsOf(written: readonly unknown[], warnings: string[]): string[] {
	const tags: string[] = [];
	let further = 0;
	for (const value of written) {
		const tag = text(value);
		if (tag === null) continue;
		if (tags.length === MAX_TAGS) further++;
		else {
			const kept = capped(tag, MAX_TAG_CHARS, 'tag', warnings);
			if (!tags.includes(kept)) tags.push(kept);
		}
	}
	if (further > 0) warnings.push(`${further} more tag(s) after the first ${MAX_TAGS} are left out`);
	return tags;
}

/** An order reference within MAX_EVENT_ID characters; a longer one is left out with a warning (it names no real order). */
function cappedReference(reference: string | null, warnings: string[]): string | null {
	const tooLong = reference === null ? null : overCap(reference, MAX_EVENT_ID, 'an order reference');
	if (tooLong === null) return reference;
	warnings.push(`order reference ${tooLong} is not read`);
	return null;
}

/** The text cut to `cap` characters, with a warning that names it, when it is longer. */
function capped(value: string, cap: number, what: string, warnings: string[]): string {
	if (value.length <= cap) return value;
	warnings.push(`${what} "${excerpt(value)}" has ${value.length} characters: cut to its first ${cap}`);
	return value.slice(0, cap).trimEnd();
}

function checked(value: unknown, normalise: (written: string) => string | null, what: string, warnings: string[]): string | null {
	const written = text(value);
	if (written === null) return null;
	const normalised = normalise(written);
	if (normalised === null) warnings.push(`${what} "${excerpt(written)}" is not valid`);
	return normalised;
}
