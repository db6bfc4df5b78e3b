import { InputDataError } from '../../shared/errors';
import { parseAmount } from '../../shared/money';
import { toEpochMs } from '../../shared/time';
import { quote } from '../../shared/validation';
import { bracketQuery } from '../../RevenuePush/destinations/bracketQuery';
import { BITRIX24_BATCH_SIZE, bitrixErrorText, bitrixMethodUrl, parseBitrixWebhook, type BitrixHook } from '../../RevenuePush/destinations/bitrix24';
import { BITRIX24_RATE } from '../../RevenuePush/transport/rateLimiter';
import type { ChangeMark, DealRecord } from '../deals';
import { jsonObject, type Read } from '../transport/reader';
import { isLoopback } from '../../shared/loopback';
import { asArray, asRecord, chunks, emptyFields, idProblem, MAX_PAGES, readId, text } from './common';

/*
 * Bitrix24 REST through an incoming webhook (https://apidocs.bitrix24.com/api-reference/crm/deals/crm-deal-list.html):
 * crm.deal.list takes select ("*" all standard fields, "UF_*" the custom ones; UTM_* named too), filter (a prefix on
 * the key says the operation: ">=DATE_MODIFY"), order and start; a page is always 50 deals, and the answer carries
 * `next` (the start of the next page) and `total`. A deal names its main contact in CONTACT_ID; contacts come from
 * crm.contact.list with filter "@ID" (IN), their PHONE and EMAIL multi-fields [{ VALUE, VALUE_TYPE }]. Stage names
 * and semantics (S success, F failure, P in work) come from crm.status.list (ENTITY_ID DEAL_STAGE and
 * DEAL_STAGE_<pipeline>). `batch` (https://dev.1c-bitrix.ru/rest_help/general/batch.php) runs up to 50 commands in one
 * request: { result: { result: { key: … }, result_error, result_total, result_next } }. The cloud's limit is a leaky
 * bucket of 50 requests draining 2 a second; beyond it 503 QUERY_LIMIT_EXCEEDED
 * (https://apidocs.bitrix24.com/settings/performance/limits.html), which the reader waits out and retries.
 */

export const BITRIX_PAGE_SIZE = 50;
export const BITRIX_LIMIT = BITRIX24_RATE;
export const bitrixReadErrorText = (result: { body: unknown }) => bitrixErrorText(result.body);

const UTM_FIELDS = { UTM_SOURCE: 'source', UTM_MEDIUM: 'medium', UTM_CAMPAIGN: 'campaign', UTM_CONTENT: 'content', UTM_TERM: 'term' } as const;
const SEMANTICS = new Set(['S', 'F', 'P']);

interface Stage {
	name: string | null;
	semantic: string | null;
}

/** The crm.deal.list command (every field, ordered by ID) for the page of `filter`'s deals that starts at `start`. */
export function dealListCommand(start: number, filter: Record<string, string>): string {
	return `crm.deal.list?${bracketQuery({ order: { ID: 'ASC' }, select: ['*', 'UF_*', 'UTM_*'], filter, start })}`;
}

/** The deals changed at or after `since` (every deal when null), as crm.deal.list filters them. */
const changedFilter = (since: string | null): Record<string, string> => (since === null ? {} : { '>=DATE_MODIFY': since });

export function contactListCommand(ids: string[]): string {
	return `crm.contact.list?${bracketQuery({ filter: { '@ID': ids }, select: ['ID', 'NAME', 'SECOND_NAME', 'LAST_NAME', 'PHONE', 'EMAIL'] })}`;
}

interface BatchAnswer {
	result: Record<string, unknown>;
	total: Record<string, unknown>;
}

/** One batch call: every command's result by its key; a command that failed fails the read, in Bitrix24's words. */
async function batch(read: Read, hook: BitrixHook, cmd: Record<string, string>, what: string): Promise<BatchAnswer> {
	const body = jsonObject(await read({ method: 'POST', url: bitrixMethodUrl(hook, 'batch'), body: JSON.stringify({ halt: 1, cmd }) }), 'Bitrix24', what);
	const answer = asRecord(body?.result);
	const errors = asRecord(answer.result_error);
	const failed = Object.keys(errors)[0];
	if (failed !== undefined) throw new InputDataError(`Bitrix24 refused ${what} (${failed}): ${bitrixErrorText(errors[failed])}`, 'Check that the webhook has the crm scope and that its user may read deals and contacts.');
	const result = asRecord(answer.result);
	for (const key of Object.keys(cmd)) if (!(key in result)) throw new InputDataError(`Bitrix24 did not answer ${what} (${key})`, 'Run again; the portal may be overloaded.');
	return { result, total: asRecord(answer.result_total) };
}

/** STAGE_ID -> its name and semantic, from crm.status.list. */
export function stagesOf(statuses: unknown): Map<string, Stage> {
	const stages = new Map<string, Stage>();
	for (const entry of asArray(statuses)) {
		const { ENTITY_ID: entity, STATUS_ID: id, NAME: name, SEMANTICS: semantic } = asRecord(entry);
		const entityId = text(entity) ?? '';
		if ((entityId === 'DEAL_STAGE' || entityId.startsWith('DEAL_STAGE_')) && text(id) !== null) stages.set(text(id) as string, { name: text(name), semantic: text(semantic) });
	}
	return stages;
}

function multiValues(value: unknown): string[] {
	return asArray(value).map((entry) => text(asRecord(entry).VALUE)).filter((entry): entry is string => entry !== null);
}

/** One deal as the Order's fields, with its main contact's phones and e-mails; or why the contract cannot take it. */
export function bitrixDealRecord(deal: unknown, stages: Map<string, Stage>, contacts: Map<string, Record<string, unknown>>, timeZone: string): DealRecord {
	const entity = asRecord(deal);
	const id = readId(entity.ID);
	const modified = text(entity.DATE_MODIFY);
	const changed: ChangeMark | null = modified === null ? null : { ms: toEpochMs(modified, timeZone), text: modified };
	const contactId = readId(entity.CONTACT_ID);
	const contact = contactId === null ? undefined : contacts.get(contactId);
	const raw = { deal, contact: contact ?? null };
	if (id === null) return { id: text(entity.ID), read: { problem: idProblem(entity.ID, 'deal') }, raw, changed };
	const opportunity = entity.OPPORTUNITY;
	const total = text(opportunity);
	if ((opportunity !== undefined && opportunity !== null && opportunity !== '' && total === null) || (total !== null && parseAmount(total) === null)) {
		return { id, read: { problem: `the OPPORTUNITY ${quote(opportunity)} of deal ${id} is not a number` }, raw, changed };
	}
	const fields = emptyFields(id);
	const warnings = fields.warnings as string[];
	fields.date = text(entity.DATE_CREATE);
	fields.updatedAt = modified;
	fields.total = total;
	fields.currency = text(entity.CURRENCY_ID);
	for (const [key, target] of Object.entries(UTM_FIELDS)) fields.utm[target] = text(entity[key]);
	if (contact) {
		fields.customerName = [text(contact.NAME), text(contact.SECOND_NAME), text(contact.LAST_NAME)].filter((part) => part !== null).join(' ') || null;
		fields.phones.push(...multiValues(contact.PHONE));
		fields.emails.push(...multiValues(contact.EMAIL));
	} else if (contactId !== null) warnings.push(`contact ${contactId} of the deal was not found`);
	const stageId = text(entity.STAGE_ID);
	const semantic = text(entity.STAGE_SEMANTIC_ID) ?? (stageId === null ? null : (stages.get(stageId)?.semantic ?? null));
	if (stageId !== null && !stages.has(stageId)) warnings.push(`stage ${quote(stageId)} is not among the portal's deal stages`);
	if (semantic !== null && !SEMANTICS.has(semantic)) warnings.push(`stage semantic ${quote(semantic)} is not S, F or P`);
	const status = stageId === null ? null : (stages.get(stageId)?.name ?? stageId);
	return { id, read: { fields, status, statusCode: semantic !== null && SEMANTICS.has(semantic) ? `bitrix24:${semantic}` : null }, raw, changed };
}

/** A list read's first page and what the portal said of the whole list. */
export interface FirstDealPage {
	filter: Record<string, string>;
	firstPage: unknown[];
	/** The list's `total` as Bitrix24 gave it. */
	total: unknown;
	/** What to do when the list is longer than MAX_PAGES pages. */
	tooMany: string;
}

/**
 * The deals of a crm.deal.list read after its first page: every later page of `filter`'s deals in batches of 50
 * commands, so that a list of 50 pages costs two requests of the portal's leaky bucket, not 50. In the portal's order.
 */
export async function laterDealPages(read: Read, hook: BitrixHook, { filter, firstPage, total: given, tooMany }: FirstDealPage): Promise<unknown[]> {
	const total = Number(given ?? firstPage.length);
	if (!Number.isSafeInteger(total) || total < 0) throw new InputDataError(`Bitrix24 gave ${quote(given)} as the number of deals`, 'Run again; the portal answered something that is not a deal list.');
	const starts: number[] = [];
	for (let start = BITRIX_PAGE_SIZE; start < total; start += BITRIX_PAGE_SIZE) starts.push(start);
	if (starts.length >= MAX_PAGES) throw new InputDataError(`Bitrix24 has ${total} deals to read, more than ${MAX_PAGES} pages of ${BITRIX_PAGE_SIZE}`, tooMany);
	const deals: unknown[] = [];
	for (const run of chunks(starts, BITRIX24_BATCH_SIZE)) {
		const cmd = Object.fromEntries(run.map((start) => [`d${start}`, dealListCommand(start, filter)]));
		const { result } = await batch(read, hook, cmd, `deals ${run[0] + 1} to ${Math.min(total, run[run.length - 1] + BITRIX_PAGE_SIZE)}`);
		for (const key of Object.keys(cmd)) deals.push(...asArray(result[key]));
	}
	return deals;
}

/**
 * Reads the portal's deals (all, or those changed at or after `since`), ordered by ID: the first page with the deal
 * stages in one batch, the other pages 50 to a batch, then the main contacts, 50 per command and 50 commands to a
 * batch. One record per deal, in the CRM's order.
 */
export async function readBitrixDeals(read: Read, webhookUrl: string, since: ChangeMark | null, timeZone: string): Promise<DealRecord[]> {
	const hook = parseBitrixWebhook(webhookUrl, { allowHttp: isLoopback(webhookUrl) });
	const filter = changedFilter(since?.text ?? null);
	const first = await batch(read, hook, { stages: 'crm.status.list', d0: dealListCommand(0, filter) }, 'the deal stages and the first page of deals');
	const stages = stagesOf(first.result.stages);
	const firstPage = asArray(first.result.d0);
	const later = await laterDealPages(read, hook, { filter, firstPage, total: first.total.d0, tooMany: 'Use "Changed Since Last Run" so that each run reads only what changed.' });
	const deals = [...firstPage, ...later];
	const contactIds = [...new Set(deals.map((deal) => readId(asRecord(deal).CONTACT_ID)).filter((id): id is string => id !== null))];
	const contacts = new Map<string, Record<string, unknown>>();
	for (const run of chunks(chunks(contactIds, BITRIX_PAGE_SIZE), BITRIX24_BATCH_SIZE)) {
		const cmd = Object.fromEntries(run.map((ids, index) => [`c${index}`, contactListCommand(ids)]));
		const { result } = await batch(read, hook, cmd, 'the contacts');
		for (const key of Object.keys(cmd)) for (const contact of asArray(result[key])) contacts.set(String(asRecord(contact).ID), asRecord(contact));
	}
	return deals.map((deal) => bitrixDealRecord(deal, stages, contacts, timeZone));
}
