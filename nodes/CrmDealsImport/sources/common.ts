import { isLoopback } from '../../shared/loopback';
import { InputDataError } from '../../shared/errors';
import { quote } from '../../shared/validation';
import type { RawOrderFields } from '../../CrmXmlImport/orderBuilder';

/** Pages one run reads at most: a CRM (or something posing as one) that always says "there is more" must not read forever. */
export const MAX_PAGES = 10_000;


/** The account's origin ("https://shop.amocrm.ru"), https only (http on this machine, for tests). */
export function accountOrigin(url: string, service: string, example: string): string {
	const parsed = URL.canParse(url.trim()) ? new URL(url.trim()) : null;
	if (parsed === null) throw new InputDataError(`The ${service} account address "${url.slice(0, 80)}" is not a URL`, `Write the account address in the credential, e.g. ${example}`);
	if (parsed.protocol !== 'https:' && !isLoopback(`${parsed.origin}/`)) throw new InputDataError(`The ${service} account address "${parsed.origin}" is not https`, `${service} answers only over https, e.g. ${example}`);
	return parsed.origin;
}

/** The Order's fields a source fills in, empty. */
export function emptyFields(orderId: string): RawOrderFields {
	return { orderId, number: null, date: null, time: null, updatedAt: null, status: null, total: null, currency: null, customerName: null, phones: [], emails: [], gaClientId: null, ymClientId: null, utm: {}, items: [], warnings: [] };
}

/** A CRM's id: a positive whole number, as a number or as digits. */
export function readId(value: unknown): string | null {
	if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? String(value) : null;
	return typeof value === 'string' && /^\d{1,18}$/.test(value) && Number(value) > 0 ? value : null;
}

/** Why a deal has no usable id, for its error item. */
export function idProblem(value: unknown, what: string): string {
	return value === undefined || value === null || value === '' ? `the ${what} has no id` : `the ${what}'s id ${quote(value)} is not an id`;
}

/** A text value of a field as the CRM sent it: strings and numbers as text, anything else null. */
export function text(value: unknown): string | null {
	if (typeof value === 'string') return value.trim() || null;
	return typeof value === 'number' && Number.isFinite(value) ? String(value) : null;
}

export function asArray(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [];
}

export function asRecord(value: unknown): Record<string, unknown> {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Splits ids into runs of at most `size`. */
export function chunks<T>(list: T[], size: number): T[][] {
	const runs: T[][] = [];
	for (let i = 0; i < list.length; i += size) runs.push(list.slice(i, i + size));
	return runs;
}
