import type { CountryCode } from 'libphonenumber-js/min';
import type { MatchKey, Order, Touch } from '../shared/contracts';
import { readEmails } from '../shared/email';
import { readPhones } from '../shared/phone';

/** The identity keys that make two records one person. orderRef links a touch to one order only. */
export type IdentityKind = Exclude<MatchKey, 'orderRef'>;

/** Strongest first: the order a link is explained in. */
export const KEY_STRENGTH: MatchKey[] = ['orderRef', 'gaClientId', 'ymClientId', 'phone', 'email'];

/** Identity kinds by index, as the graph stores them. */
export const IDENTITY_KINDS: IdentityKind[] = ['gaClientId', 'ymClientId', 'phone', 'email'];
const GA = 0;
const YM = 1;
const PHONE = 2;
const EMAIL_KIND = 3;

export interface IdentityKey {
	kind: IdentityKind;
	value: string;
}

/** Receives each normalised identity value of a record: kind index into IDENTITY_KINDS, and the value. */
export type KeyVisitor = (kind: number, value: string) => void;

const NONE: string[] = [];

/**
 * Normalises records' identity values (E.164 phones, lower-case e-mails, trimmed client ids) and hands each to
 * `visit`, without building arrays or closures per record: a million touches stay cheap.
 */
export class KeyReader {
	/** What the record being read holds in its phones and e-mails that is not one, each said in words. */
	private rejected = NONE;

	constructor(
		private readonly countries: CountryCode[],
		private readonly visit: KeyVisitor,
	) {}

	/** Visits a record's identity values; returns why each of its phone and e-mail values that is not one is not (reported, never matched). */
	read(record: Order | Touch): string[] {
		const person = 'customer' in record && record.customer ? record.customer : (record as Partial<Touch>);
		const ga = cleanId(person.gaClientId);
		if (ga) this.visit(GA, ga);
		const ym = cleanId(person.ymClientId);
		if (ym) this.visit(YM, ym);
		this.rejected = NONE;
		forEachText(person.phones, this.readPhone, this.rejectPhone);
		forEachText(person.emails, this.readEmail, this.rejectEmail);
		return this.rejected;
	}

	private readonly readPhone = (written: string): void => readPhones(written, this.countries, this.visitPhone, this.rejectPhone);

	private readonly visitPhone = (phone: string): void => this.visit(PHONE, phone);

	private readonly readEmail = (written: string): void => readEmails(written, this.visitEmail, this.rejectEmail);

	private readonly visitEmail = (email: string): void => this.visit(EMAIL_KIND, email);

	private readonly rejectPhone = (written: string): void => this.reject(`"${written}" is not a phone number`);

	private readonly rejectEmail = (written: string): void => this.reject(`"${written}" is not an e-mail address`);

	private reject(why: string): void {
		if (this.rejected === NONE) this.rejected = [];
		this.rejected.push(why);
	}
}

/**
 * Each non-blank text of a field that holds one value or a list (no array is built per record): strings, and numbers
 * as written (a phone kept as a JSON number); any other value (an object, true) goes to `reject` as JSON.
 */
function forEachText(value: unknown, use: (text: string) => void, reject: (written: string) => void): void {
	if (!Array.isArray(value)) {
		if (value !== null && value !== undefined) useText(value, use, reject);
		return;
	}
	for (const entry of value) {
		if (entry !== null && entry !== undefined) useText(entry, use, reject);
	}
}

function useText(value: unknown, use: (text: string) => void, reject: (written: string) => void): void {
	if (typeof value === 'string') {
		if (value.trim() !== '') use(value);
	} else if (typeof value === 'number' && Number.isFinite(value)) use(String(value));
	else reject(JSON.stringify(value) ?? String(value));
}

function cleanId(value: unknown): string | null {
	if (typeof value === 'number') return String(value);
	if (typeof value !== 'string') return null;
	const text = value.trim();
	return text === '' ? null : text;
}
