import type { CountryCode } from 'libphonenumber-js/min';
import { InputDataError } from '../shared/errors';
import { DEFAULT_PHONE_COUNTRIES } from '../shared/phone';
import { isValidZone, parseDateTime } from '../shared/time';
import type { TrackingTable } from './trackingNumbers';

/** What the parsers need besides the payload. */
export interface ParseContext {
	/** IANA zone in which times without an offset (Asterisk CDR, Zadarma, Ringostat) are read. */
	timeZone: string;
	/** Countries tried, in order, for numbers written without a country code. */
	countries: CountryCode[];
	/** An answered call shorter than this (billable seconds) is 'short'. */
	shortCallSec: number;
	/** A call from a number that already called less than this many hours before is 'repeat'. */
	repeatWindowHours: number;
	/** Tracking number (E.164) -> the ad channel it is placed on; see trackingNumbers.ts. */
	trackingNumbers: TrackingTable;
	/** The kind of a site form / cart payload that does not say `type: cart|form` itself. */
	formKind: 'form' | 'cart';
	/** Keep the payload of each event in `raw`. */
	keepRaw: boolean;
	/**
	 * When the webhook item arrived (ISO 8601). Used as the time of live events that carry none of their own
	 * (a Jivo chat_accepted, a form without a date), with a warning; without it such events are errors. It dates
	 * the touch only: the touchId never depends on it, so that a redelivery keeps its id (see touchBuilder).
	 */
	receivedAt: string | null;
	/**
	 * Where timeZone came from, for the note each touch with a naive time carries: the node's Time Zone option, the
	 * workflow's time zone, or n8n's instance default (GENERIC_TIMEZONE, else America/New_York) when neither is set.
	 */
	timeZoneFrom: TimeZoneOrigin;
	/**
	 * The area code a local city number (6 or 7 digits, as a PBX's trunk writes it) is dialled with, as written by the
	 * user ("495", "8495", "+7495", "44"): the code and the number are read together as one phone. null: not set.
	 */
	cityCode: string | null;
}

export type TimeZoneOrigin = 'node' | 'workflow' | 'instance';

/** The Short Call Under (Seconds) option's default. */
export const DEFAULT_SHORT_CALL_SEC = 10;
/** The Repeat Call Window (Hours) option's default. */
export const DEFAULT_REPEAT_WINDOW_HOURS = 24;

/** Where the zone naive times are read in comes from: the node's option when set, else the workflow's, else n8n's default. */
export function timeZoneOrigin(nodeOption: unknown, workflowZone: string | undefined): TimeZoneOrigin {
	if (typeof nodeOption === 'string' && nodeOption.trim() !== '') return 'node';
	return workflowZone ? 'workflow' : 'instance';
}

export type ParseOptions = Partial<ParseContext> & Pick<ParseContext, 'timeZone'>;

/** A ParseContext with the defaults: RU then UA, short call under 10 s, repeat window 24 h, no tracking numbers. */
export function createParseContext(options: ParseOptions): ParseContext {
	if (!isValidZone(options.timeZone)) {
		throw new InputDataError(`time zone "${options.timeZone}" is not a known IANA zone`, 'Use a zone name such as Europe/Moscow or Europe/Kyiv.');
	}
	const receivedAt = options.receivedAt ? parseDateTime(options.receivedAt, options.timeZone) : null;
	if (options.receivedAt && receivedAt === null) {
		throw new InputDataError(`arrival time "${options.receivedAt}" is not a date`, 'Pass the time the webhook arrived as ISO 8601.');
	}
	return {
		timeZone: options.timeZone,
		countries: options.countries && options.countries.length > 0 ? options.countries : [...DEFAULT_PHONE_COUNTRIES],
		shortCallSec: options.shortCallSec ?? DEFAULT_SHORT_CALL_SEC,
		repeatWindowHours: options.repeatWindowHours ?? DEFAULT_REPEAT_WINDOW_HOURS,
		trackingNumbers: options.trackingNumbers ?? new Map(),
		formKind: options.formKind ?? 'form',
		keepRaw: options.keepRaw ?? false,
		receivedAt,
		timeZoneFrom: options.timeZoneFrom ?? 'node',
		cityCode: cityCodeOf(options.cityCode),
	};
}

// Linear: anchored, one optional character then one class.
const CITY_CODE = /^\+?\d{1,6}$/;

/** The City Code option, spaces, brackets and dashes dropped ("(495)" → "495"); empty is null; anything else is refused. */
function cityCodeOf(value: string | null | undefined): string | null {
	const written = (value ?? '').trim();
	if (written === '') return null;
	const code = written.replace(/[\s()-]/g, '');
	if (!CITY_CODE.test(code)) {
		throw new InputDataError(`city code "${written.slice(0, 40)}" is not an area code`, 'Write the code local numbers are dialled with, e.g. 495 (Moscow), 812 (St Petersburg), +38044 (Kyiv).');
	}
	return code;
}

/** The context one parser runs in: the node's settings plus how its source was chosen, for error messages. */
export interface SourceContext extends ParseContext {
	/** e.g. 'source "binotel", detected automatically' */
	assumed: string;
}
