import type { CountryCode } from 'libphonenumber-js/min';
import type { MatchKey, Order, Touch } from '../shared/contracts';
import { normaliseEmail } from '../shared/email';
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
	/** The phone values of the record being read that are not phones, as written. */
	private rejected = NONE;

	constructor(
		private readonly countries: CountryCode[],
		private readonly visit: KeyVisitor,
	) {}

	/** Visits a record's identity values; returns its phone values that are not phones, as written (reported, never matched). */
	read(record: Order | Touch): string[] {
		const person = 'customer' in record && record.customer ? record.customer : (record as Partial<Touch>);
		const ga = cleanId(person.gaClientId);
		if (ga) this.visit(GA, ga);
		const ym = cleanId(person.ymClientId);
		if (ym) this.visit(YM, ym);
		this.rejected = NONE;
		forEachString(person.phones, this.readPhone);
		forEachString(person.emails, this.readEmail);
		return this.rejected;
	}

	private readonly readPhone = (written: string): void => readPhones(written, this.countries, this.visitPhone, this.reject);

	private readonly visitPhone = (phone: string): void => this.visit(PHONE, phone);

	private readonly reject = (written: string): void => {
		if (this.rejected === NONE) this.rejected = [];
		this.rejected.push(written);
	};

	private readonly readEmail = (written: string): void => {
		const email = normaliseEmail(written);
		if (email !== null) this.visit(EMAIL_KIND, email);
	};
}

/** Each non-blank string of a field that holds one string or a list (no array is built per record). */
function forEachString(value: unknown, use: (text: string) => void): void {
	if (typeof value === 'string') {
		if (value.trim() !== '') use(value);
		return;
	}
	if (!Array.isArray(value)) return;
	for (const entry of value) {
		if (typeof entry === 'string' && entry.trim() !== '') use(entry);
	}
}

function cleanId(value: unknown): string | null {
	if (typeof value === 'number') return String(value);
	if (typeof value !== 'string') return null;
	const text = value.trim();
	return text === '' ? null : text;
}
