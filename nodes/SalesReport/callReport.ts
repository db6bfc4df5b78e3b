import { DateTime } from 'luxon';
import { channelKey } from '../Attribution/channels';
import type { Touch } from '../shared/contracts';
import { InputDataError } from '../shared/errors';
import { excerpt } from '../shared/textLimits';
import { isValidZone, toEpochMs } from '../shared/time';
import { inPeriod } from './period';

// Linear: one class, global.
const SPACES = /\s+/g;

/** What a call was about, from the call tracker's tags. */
export type CallCategory = 'order' | 'consultation' | 'out of stock' | 'wrong number' | 'non-target' | 'broken call' | 'lost call' | 'uncategorised';

export const CALL_CATEGORIES: readonly CallCategory[] = ['order', 'consultation', 'out of stock', 'wrong number', 'non-target', 'broken call', 'lost call', 'uncategorised'];

/** One row of a tag table: a tag text, matched as a whole phrase (case, outer and repeated spaces aside), and its category. */
export interface TagCategory {
	tag: string;
	category: CallCategory;
}

/** Tag texts call trackers and their users commonly write, in Russian, Ukrainian and English. */
export const DEFAULT_TAG_CATEGORIES: ReadonlyArray<TagCategory> = [
	...rows('order', ['Заказ', 'Оформил заказ', 'Оформлен заказ', 'Продажа', 'Покупка', 'Замовлення', 'Оформив замовлення', 'Продаж', 'Order', 'Sale', 'Purchase']),
	...rows('consultation', ['Консультация', 'Вопрос', 'Консультація', 'Питання', 'Consultation', 'Question', 'Inquiry']),
	...rows('out of stock', ['Нет в наличии', 'Нет на складе', 'Немає в наявності', 'Out of stock']),
	...rows('wrong number', ['Ошиблись номером', 'Ошибочный звонок', 'Помилилися номером', 'Wrong number']),
	...rows('non-target', ['Нецелевой', 'Нецелевой звонок', 'Спам', 'Реклама', 'Нецільовий', 'Нецільовий дзвінок', 'Non-target', 'Spam']),
	...rows('broken call', ['Обрыв', 'Обрыв связи', 'Сорвался', 'Сорвался звонок', 'Обрив', "Обрив зв'язку", 'Broken call', 'Dropped call']),
	...rows('lost call', ['Пропущенный', 'Потерянный', 'Пропущений', 'Втрачений', 'Missed call', 'Lost call']),
];

function rows(category: CallCategory, tags: string[]): TagCategory[] {
	return tags.map((tag) => ({ tag, category }));
}

const DEFAULT_TABLE = tagTable(DEFAULT_TAG_CATEGORIES, 'the default tag table');

export interface CallCategoryOptions {
	/** The user's tags → categories; looked up before the defaults. */
	tagCategories?: ReadonlyArray<TagCategory>;
	/** The channel a call is counted under; "source / medium" (channelKey) unless given. */
	channelOf?: (touch: Touch) => string;
}

export type CallCategoryRow = { channel: string; calls: number } & Record<CallCategory, number>;

/**
 * Calls per channel and category, most calls first. A call's category: the first of its tags (in the order the sender
 * gave them) that the user's table maps, else the first the default table maps; without one, 'lost call' when it was
 * missed (see isMissed) and 'uncategorised' otherwise (also when the sender does not say whether it was answered): an
 * untagged answered call is never taken for an order. Tags match as whole phrases: "не заказ" is not "заказ".
 * A touch sent twice (the same touchId) counts once.
 */
export function callCategories(touches: readonly Touch[], options: CallCategoryOptions = {}): CallCategoryRow[] {
	const userTable = tagTable(options.tagCategories ?? [], 'the tag table');
	const channelOf = options.channelOf ?? ((touch: Touch) => channelKey(touch.channel));
	const byChannel = new Map<string, CallCategoryRow>();
	for (const touch of uniqueCalls(touches)) {
		const channel = channelOf(touch);
		let row = byChannel.get(channel);
		if (row === undefined) {
			row = { channel, calls: 0, ...zeroes() };
			byChannel.set(channel, row);
		}
		row.calls++;
		row[categoryOf(touch, userTable)]++;
	}
	return [...byChannel.values()].sort((a, b) => b.calls - a.calls || a.channel.localeCompare(b.channel));
}

function zeroes(): Record<CallCategory, number> {
	return Object.fromEntries(CALL_CATEGORIES.map((category) => [category, 0])) as Record<CallCategory, number>;
}

function categoryOf(touch: Touch, userTable: ReadonlyMap<string, CallCategory>): CallCategory {
	const phrases = Array.isArray(touch.tags) ? touch.tags.filter((tag): tag is string => typeof tag === 'string').map(phrase) : [];
	for (const table of [userTable, DEFAULT_TABLE]) {
		for (const key of phrases) {
			const category = table.get(key);
			if (category !== undefined) return category;
		}
	}
	return isMissed(touch) ? 'lost call' : 'uncategorised';
}

/** A table's rows by phrase; the first row of a phrase wins. A row without a tag or with an unknown category is refused. */
function tagTable(table: ReadonlyArray<TagCategory>, what: string): Map<string, CallCategory> {
	const map = new Map<string, CallCategory>();
	table.forEach((row, index) => {
		const key = typeof row?.tag === 'string' ? phrase(row.tag) : '';
		if (key === '') throw new InputDataError(`Row ${index + 1} of ${what} has no tag`, 'Each row needs the tag as the call tracker writes it, e.g. "Заказ".');
		if (!CALL_CATEGORIES.includes(row.category)) {
			throw new InputDataError(
				`Row ${index + 1} of ${what} ("${excerpt(row.tag)}"): "${excerpt(String(row.category))}" is not a call category`,
				`Use one of: ${CALL_CATEGORIES.join(', ')}.`,
			);
		}
		if (!map.has(key)) map.set(key, row.category);
	});
	return map;
}

/** A tag as it is compared: lower-case, trimmed, runs of spaces as one. */
function phrase(tag: string): string {
	return tag.trim().replace(SPACES, ' ').toLowerCase();
}

/**
 * A call nobody answered: outcome 'missed', or 'repeat' (the caller called again within the repeat window, which
 * hides the call's own outcome) with answered false.
 */
function isMissed(touch: Touch): boolean {
	return touch.outcome === 'missed' || (touch.outcome === 'repeat' && touch.answered === false);
}

function isAnswered(touch: Touch): boolean {
	return touch.answered === true || touch.outcome === 'answered';
}

/** The call touches, the first of each touchId: a webhook delivered twice is one call. */
function uniqueCalls(touches: readonly Touch[]): Touch[] {
	const seen = new Set<string>();
	const calls: Touch[] = [];
	for (const touch of touches) {
		if (touch.kind !== 'call' || seen.has(touch.touchId)) continue;
		seen.add(touch.touchId);
		calls.push(touch);
	}
	return calls;
}

/** The operator of calls whose sender does not name one. */
export const UNKNOWN_OPERATOR = '(unknown)';

export interface MissedCallOptions {
	/** IANA zone of the hours (and of a time written without an offset). */
	timeZone: string;
	/** A missed call counts as called back when the same phone had an answered call at most this many minutes later. */
	callbackMinutes: number;
	/** Only missed calls in this span (epoch ms, end excluded) are counted; later calls still count as call-backs. */
	period?: { startMs: number; endMs: number };
}

export interface MissedByOperator {
	operator: string;
	missed: number;
	calledBack: number;
	/** Missed calls without the caller's number: they cannot be called back (counted in missed, never in calledBack). */
	withoutPhone: number;
	/** calledBack / missed. */
	calledBackShare: number;
	/** The median of minutesToCallback of the operator's called-back calls; null when none was. */
	medianCallbackMinutes: number | null;
}

export interface MissedCall {
	touchId: string;
	at: string;
	/** The caller's number (the touch's first phone); null when the sender gave none: then it cannot be called back. */
	phone: string | null;
	operator: string | null;
	/** The time of the answered call that followed, as that touch gives it; null when none did in time. */
	calledBackAt: string | null;
	/** Minutes from the missed call to that call, to 2 decimals; null when not called back. */
	minutesToCallback: number | null;
}

export interface MissedCallReport {
	/** Most missed calls first. */
	byOperator: MissedByOperator[];
	/** Hours 0-23 on the clock of timeZone (daylight saving applied per call), every hour present. */
	byHour: Array<{ hour: number; missed: number; calledBack: number }>;
	/** Every missed call, in time order. */
	calls: MissedCall[];
}

const MINUTE_MS = 60_000;

/**
 * Missed calls (see isMissed) per operator and hour, and whether each was called back: the first call after it (a
 * later instant) with the same phone (the touches' first phone) that was answered (answered true or outcome
 * 'answered'), at most callbackMinutes after it, incoming or outgoing. The pack's senders make touches of incoming
 * calls only (outgoing ones are skipped, they are not touches the customer made), so from them "called back" means
 * the customer got through on a later call; an outgoing call that another node passes in as a call touch counts too.
 * Several missed calls are all called back by one later answered call. A touch sent twice (the same touchId) counts
 * once. Sorting the calls makes it O(n log n); the rest is linear.
 */
export function missedCalls(touches: readonly Touch[], options: MissedCallOptions): MissedCallReport {
	const { timeZone, callbackMinutes } = options;
	if (!isValidZone(timeZone)) throw new InputDataError(`"${timeZone}" is not a time zone`, 'Use an IANA name such as Europe/Moscow.');
	if (!Number.isFinite(callbackMinutes) || callbackMinutes < 0) {
		throw new InputDataError(`The call-back window must be a number of minutes of 0 or more, not ${callbackMinutes}`);
	}
	const windowMs = callbackMinutes * MINUTE_MS;
	const timed = uniqueCalls(touches).map((touch) => {
		const ms = toEpochMs(touch.at, timeZone);
		if (Number.isNaN(ms)) throw new InputDataError(`Touch ${touch.touchId}: "${excerpt(String(touch.at))}" is not a time`);
		return { touch, ms, phone: Array.isArray(touch.phones) && typeof touch.phones[0] === 'string' ? touch.phones[0] : null };
	});
	// stable: equal instants keep the input order
	timed.sort((a, b) => a.ms - b.ms);
	const callbacks = nextAnsweredCalls(timed);

	const hourOf = hoursOn(timeZone);
	const operators = new Map<string, { missed: number; calledBack: number; withoutPhone: number; minutes: number[] }>();
	const byHour = Array.from({ length: 24 }, (_, hour) => ({ hour, missed: 0, calledBack: 0 }));
	const calls: MissedCall[] = [];
	timed.forEach(({ touch, ms, phone }, index) => {
		if (!isMissed(touch) || (options.period && !inPeriod(ms, options.period))) return;
		const next = callbacks[index];
		const callback = next !== undefined && next.ms - ms <= windowMs ? next : null;
		const minutes = callback === null ? null : (callback.ms - ms) / MINUTE_MS;
		const operator = typeof touch.operator === 'string' && touch.operator.trim() !== '' ? touch.operator.trim() : null;
		const key = operator ?? UNKNOWN_OPERATOR;
		let row = operators.get(key);
		if (row === undefined) {
			row = { missed: 0, calledBack: 0, withoutPhone: 0, minutes: [] };
			operators.set(key, row);
		}
		const hour = byHour[hourOf(ms)];
		row.missed++;
		hour.missed++;
		if (phone === null) row.withoutPhone++;
		if (minutes !== null) {
			row.calledBack++;
			row.minutes.push(minutes);
			hour.calledBack++;
		}
		calls.push({
			touchId: touch.touchId,
			at: touch.at,
			phone,
			operator,
			calledBackAt: callback === null ? null : callback.touch.at,
			minutesToCallback: minutes === null ? null : round2(minutes),
		});
	});
	const byOperator = [...operators].map(([operator, row]) => ({
		operator,
		missed: row.missed,
		calledBack: row.calledBack,
		withoutPhone: row.withoutPhone,
		calledBackShare: row.calledBack / row.missed,
		medianCallbackMinutes: row.minutes.length === 0 ? null : round2(median(row.minutes)),
	}));
	byOperator.sort((a, b) => b.missed - a.missed || a.operator.localeCompare(b.operator));
	return { byOperator, byHour, calls };
}

const SLOT_MS = 15 * MINUTE_MS;

/**
 * The hour (0-23) of an instant on the clock of `zone`, remembered per quarter hour: every zone's offset has been a
 * whole number of quarter hours since 1972 and changes on a quarter hour, so all instants of one quarter hour share
 * their hour (luxon, at tens of microseconds a call, is asked once per quarter hour instead of once per call).
 */
function hoursOn(zone: string): (ms: number) => number {
	const hours = new Map<number, number>();
	return (ms) => {
		const slot = Math.floor(ms / SLOT_MS);
		let hour = hours.get(slot);
		if (hour === undefined) {
			hour = DateTime.fromMillis(slot * SLOT_MS, { zone }).hour;
			hours.set(slot, hour);
		}
		return hour;
	};
}

interface TimedCall {
	touch: Touch;
	ms: number;
	phone: string | null;
}

/**
 * For each call (in time order), the first answered call with its phone at a later instant, if any: one pass from the
 * latest call back, calls at one instant looked up before any of them is recorded.
 */
function nextAnsweredCalls(timed: readonly TimedCall[]): Array<TimedCall | undefined> {
	const next = new Array<TimedCall | undefined>(timed.length);
	const answeredAfter = new Map<string, TimedCall>();
	for (let end = timed.length - 1; end >= 0; ) {
		let start = end;
		while (start > 0 && timed[start - 1].ms === timed[end].ms) start--;
		for (let i = start; i <= end; i++) {
			const phone = timed[i].phone;
			if (phone !== null) next[i] = answeredAfter.get(phone);
		}
		// backwards, so that of two answered calls of one phone at one instant the first given is kept
		for (let i = end; i >= start; i--) {
			const call = timed[i];
			if (call.phone !== null && isAnswered(call.touch)) answeredAfter.set(call.phone, call);
		}
		end = start - 1;
	}
	return next;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function round2(value: number): number {
	return Math.round(value * 100) / 100;
}
