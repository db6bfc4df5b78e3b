import { InputDataError } from '../../shared/errors';
import { quote } from '../../shared/validation';
import { AMOCRM_RATE } from '../../RevenuePush/transport/rateLimiter';
import { amoProblemText } from '../../RevenuePush/destinations/amocrm';
import { bracketQuery } from '../../RevenuePush/destinations/bracketQuery';
import type { ChangeMark, DealRecord } from '../deals';
import { jsonObject, type Read } from '../transport/reader';
import { accountOrigin, asArray, asRecord, chunks, emptyFields, idProblem, MAX_PAGES, readId, text } from './common';

/*
 * amoCRM / Kommo API v4 (https://www.amocrm.ru/developers/content/crm_platform/leads-api,
 * https://developers.kommo.com/reference/leads-list): GET /api/v4/leads takes `with=contacts`, `page` and `limit`
 * (at most 250) and `filter[updated_at][from]` (unix seconds); it answers application/hal+json
 * { _page, _links: { self, next }, _embedded: { leads: [...] } }, and 204 No Content for a page past the last. A lead
 * carries id, name, price (an integer), status_id, pipeline_id, created_at / updated_at (unix seconds),
 * custom_fields_values [{ field_id, field_name, field_code, field_type, values: [{ value, enum_code }] }] and, with
 * contacts, _embedded.contacts [{ id, is_main }]. Contacts (GET /api/v4/contacts?filter[id][0]=…, PHP's indexed form
 * of filter[id][]) keep phones and e-mails in the fields with field_code PHONE and EMAIL. Statuses are named in GET /api/v4/leads/pipelines
 * (_embedded.pipelines[]._embedded.statuses[]); 142 and 143 are the won and lost statuses of every pipeline. The
 * account's currency is GET /api/v4/account's `currency`. 7 requests a second at most (AMOCRM_RATE).
 */

export const AMO_PAGE_SIZE = 250;
/** Contacts asked for by id in one request: 100 ids keep the URL near 3,000 characters. */
export const AMO_CONTACTS_PER_REQUEST = 100;
export const AMO_LIMIT = AMOCRM_RATE;

/** Tracking-data fields (field_code; the same words as field_name also count) and what they fill in. */
const TRACKING: Record<string, 'source' | 'medium' | 'campaign' | 'content' | 'term' | 'ga' | 'ym'> = {
	UTM_SOURCE: 'source',
	UTM_MEDIUM: 'medium',
	UTM_CAMPAIGN: 'campaign',
	UTM_CONTENT: 'content',
	UTM_TERM: 'term',
	GCLIENTID: 'ga',
	_GA: 'ga',
	_YM_UID: 'ym',
};

export const amoErrorText = (result: { body: unknown }) => amoProblemText(result.body);

interface Contact {
	name: string | null;
	phones: string[];
	emails: string[];
}

/** The values of the custom fields, by field code (or name), upper case: "PHONE" -> ["+7 916 …", …]. */
function fieldValues(entity: Record<string, unknown>): Map<string, string[]> {
	const fields = new Map<string, string[]>();
	for (const field of asArray(entity.custom_fields_values)) {
		const { field_code: code, field_name: name, values } = asRecord(field);
		const key = (text(code) ?? text(name) ?? '').toUpperCase();
		if (key === '') continue;
		const written = asArray(values).map((value) => text(asRecord(value).value)).filter((value): value is string => value !== null);
		fields.set(key, [...(fields.get(key) ?? []), ...written]);
	}
	return fields;
}

function readContact(entity: Record<string, unknown>): Contact {
	const fields = fieldValues(entity);
	const name = text(entity.name) ?? ([text(entity.first_name), text(entity.last_name)].filter((part) => part !== null).join(' ') || null);
	return { name, phones: fields.get('PHONE') ?? [], emails: fields.get('EMAIL') ?? [] };
}

/** "pipeline:status" -> the status's name; "*:142" and "*:143" for a pipeline the list does not name. */
export function statusNames(body: Record<string, unknown> | null): Map<string, string> {
	const names = new Map<string, string>();
	for (const pipeline of asArray(asRecord(body?._embedded).pipelines)) {
		const { id: pipelineId, _embedded: embedded } = asRecord(pipeline);
		for (const status of asArray(asRecord(embedded).statuses)) {
			const { id, name } = asRecord(status);
			const label = text(name);
			if (label === null || readId(id) === null) continue;
			names.set(`${String(pipelineId)}:${String(id)}`, label);
			if (id === 142 || id === 143) names.set(`*:${String(id)}`, label);
		}
	}
	return names;
}

/** One lead as the Order's fields, with its contacts' phones and e-mails; or why the contract cannot take it. */
export function amoLeadRecord(lead: unknown, names: Map<string, string>, contacts: Map<string, Record<string, unknown>>, currency: string | null): DealRecord {
	const entity = asRecord(lead);
	const id = readId(entity.id);
	const updated = typeof entity.updated_at === 'number' && Number.isSafeInteger(entity.updated_at) ? entity.updated_at : null;
	const changed: ChangeMark | null = updated === null ? null : { ms: updated * 1000, text: String(updated) };
	const linked = asArray(asRecord(entity._embedded).contacts).map(asRecord);
	const raw = { lead, contacts: linked.map((link) => contacts.get(String(link.id)) ?? null) };
	if (id === null) return { id: text(entity.id), read: { problem: idProblem(entity.id, 'lead') }, raw, changed };
	const price = entity.price;
	if (price !== undefined && price !== null && !(typeof price === 'number' && Number.isFinite(price))) {
		return { id, read: { problem: `the price ${quote(price)} of lead ${id} is not a number` }, raw, changed };
	}
	const fields = emptyFields(id);
	const warnings = fields.warnings as string[];
	fields.date = text(entity.created_at);
	fields.updatedAt = text(entity.updated_at);
	fields.total = price === undefined || price === null ? null : String(price);
	fields.currency = currency;
	for (const [code, values] of fieldValues(entity)) {
		const target = TRACKING[code];
		if (target === undefined || values.length === 0) continue;
		if (target === 'ga') fields.gaClientId = values[0];
		else if (target === 'ym') fields.ymClientId = values[0];
		else fields.utm[target] = values[0];
	}
	// The main contact names the customer; every contact's phones and e-mails are the customer's.
	const main = linked.find((link) => link.is_main === true) ?? linked[0];
	for (const link of linked) {
		const found = contacts.get(String(link.id));
		if (!found) {
			warnings.push(`contact ${quote(link.id)} of the lead was not found`);
			continue;
		}
		const contact = readContact(found);
		if (link === main) fields.customerName = contact.name;
		fields.phones.push(...contact.phones);
		fields.emails.push(...contact.emails);
	}
	const statusId = readId(entity.status_id);
	const status = statusId === null ? null : (names.get(`${String(entity.pipeline_id)}:${statusId}`) ?? names.get(`*:${statusId}`) ?? null);
	if (statusId === null) warnings.push(`status ${quote(entity.status_id)} is not a status id`);
	else if (status === null) warnings.push(`status ${statusId} of pipeline ${quote(entity.pipeline_id)} is not among the account's pipelines`);
	return { id, read: { fields, status, statusCode: statusId }, raw, changed };
}

/** The URL of one page of leads, changed at or after `since` (unix seconds) when given. */
export function leadsUrl(origin: string, page: number, since: string | null): string {
	return `${origin}/api/v4/leads?with=contacts&limit=${AMO_PAGE_SIZE}&page=${page}${since === null ? '' : `&filter[updated_at][from]=${encodeURIComponent(since)}`}`;
}

/**
 * Reads the account's leads (all, or those changed at or after `since`) page by page, then their contacts, the
 * pipelines' status names and the account's currency; one record per lead, in the CRM's order.
 */
export async function readAmoDeals(read: Read, baseUrl: string, since: ChangeMark | null): Promise<DealRecord[]> {
	const origin = accountOrigin(baseUrl, 'amoCRM', 'https://yourcompany.amocrm.ru');
	const get = async (url: string, what: string) => jsonObject(await read({ method: 'GET', url }), 'amoCRM', what);
	const account = await get(`${origin}/api/v4/account`, 'the account');
	const names = statusNames(await get(`${origin}/api/v4/leads/pipelines`, 'the pipelines'));
	const leads: unknown[] = [];
	for (let page = 1; ; page++) {
		if (page > MAX_PAGES) throw new InputDataError(`amoCRM still had leads after ${MAX_PAGES} pages of ${AMO_PAGE_SIZE}`, 'Use "Changed Since Last Run" so that each run reads only what changed.');
		const body = await get(leadsUrl(origin, page, since?.text ?? null), `page ${page} of the leads`);
		if (body === null) break;
		const found = asRecord(body._embedded).leads;
		if (!Array.isArray(found)) throw new InputDataError(`amoCRM answered page ${page} of the leads without _embedded.leads`, 'Check the account address in the credential.');
		leads.push(...found);
		if (!asRecord(body._links).next) break;
	}
	const contactIds = [...new Set(leads.flatMap((lead) => asArray(asRecord(asRecord(lead)._embedded).contacts).map((link) => readId(asRecord(link).id)).filter((id): id is string => id !== null)))];
	const contacts = new Map<string, Record<string, unknown>>();
	for (const ids of chunks(contactIds, AMO_CONTACTS_PER_REQUEST)) {
		const body = await get(`${origin}/api/v4/contacts?${bracketQuery({ limit: AMO_PAGE_SIZE, filter: { id: ids } })}`, 'the contacts');
		for (const contact of asArray(asRecord(body?._embedded).contacts)) contacts.set(String(asRecord(contact).id), asRecord(contact));
	}
	const currency = text(account?.currency);
	return leads.map((lead) => amoLeadRecord(lead, names, contacts, currency));
}
