import { InputDataError } from '../../shared/errors';
import { isoInZone } from '../clock';
import { bracketQuery } from '../../RevenuePush/destinations/bracketQuery';
import { accountOrigin, asArray, asRecord, MAX_PAGES, readId, text } from '../../CrmDealsImport/sources/common';
import { AMO_PAGE_SIZE } from '../../CrmDealsImport/sources/amocrm';
import { jsonObject, type Read } from '../../CrmDealsImport/transport/reader';
import type { Utm } from '../../shared/contracts';
import type { Lead } from '../lead';
import { crmLead, crmLeadName, fieldValue, QUEUE_FIELDS, utmEntries, type QueueCrm, type QueueField, type QueueFieldIds } from './queue';

/*
 * amoCRM / Kommo API v4, as checked in its documentation (amocrm.ru/developers/content/crm_platform/leads-api,
 * amocrm.com/developers/content/api_v4/leads-2, kommo.com/developers/content/api_v4/api-filtration):
 * - POST /api/v4/leads/complex takes an array of leads, each with name, pipeline_id, status_id, created_at (unix s),
 *   custom_fields_values [{ field_id | field_code, values: [{ value }] }] and _embedded.contacts (one contact:
 *   first_name, custom_fields_values with field_code PHONE, enum_code WORK); it answers an array of { id, contact_id,
 *   request_id }. The tracking fields (UTM_SOURCE …) are taken by field_code in every account.
 * - GET /api/v4/leads?query=… searches the leads' field values ("Search query (will perform a search by custom fields
 *   values)"): how a run finds the lead an earlier run created for the same lead id.
 * - GET /api/v4/leads?filter[statuses][0][pipeline_id]=P&filter[statuses][0][status_id]=S&limit=250&page=N: the leads
 *   in one status, hal+json with _links.next, 204 No Content past the last page.
 * - PATCH /api/v4/leads [{ id, responsible_user_id, pipeline_id, status_id, loss_reason_id }]: 143 is the lost status
 *   of every pipeline (142 won); pipeline_id goes with them, since they are the same in every pipeline.
 * - POST /api/v4/leads/notes [{ entity_id, note_type: "common", params: { text } }]: the reason a lead was closed.
 * - 7 requests a second (the reader's AMOCRM_RATE); the card of lead N is {account}/leads/detail/N.
 */

/** amoCRM's "Закрыто и не реализовано" (closed, lost), the same id in every pipeline. */
export const AMO_LOST_STATUS = 143;

export interface AmoPlace {
	pipelineId: number;
	statusId: number;
}

export interface AmoQueueSettings {
	/** The account address, e.g. https://shop.amocrm.ru. */
	baseUrl: string;
	/** Where waiting leads are: the queue pipeline and status (Put, Load; Close needs the pipeline). */
	queue?: AmoPlace;
	/** Where a taken lead goes (Assign in CRM). */
	work?: AmoPlace;
	/** The lost status (143 unless the account closes leads elsewhere) and an optional loss reason id. */
	lostStatusId?: number;
	lossReasonId?: number | null;
	/** Custom field ids (numbers as text) of the queue fields. */
	fields: QueueFieldIds;
	/** The office's zone, for createdAt. */
	zone: string;
}

const UTM_CODES: Record<keyof Utm, string> = { source: 'UTM_SOURCE', medium: 'UTM_MEDIUM', campaign: 'UTM_CAMPAIGN', content: 'UTM_CONTENT', term: 'UTM_TERM' };

type FieldValue = { field_id: number; values: Array<{ value: string | number }> } | { field_code: string; values: Array<{ value: string | number }> };

/** A custom field id of the settings, as amoCRM's number. */
function fieldId(fields: QueueFieldIds, field: QueueField): number | null {
	const id = fields[field];
	return id === undefined ? null : Number(readId(id) ?? NaN);
}

/** The body of POST /api/v4/leads/complex for one lead: the lead in the queue status with its fields and contact. */
export function amoCreateBody(lead: Lead, settings: { queue: AmoPlace; fields: QueueFieldIds }): unknown[] {
	const values: FieldValue[] = [];
	for (const field of QUEUE_FIELDS) {
		const id = fieldId(settings.fields, field);
		const value = fieldValue(lead, field);
		if (id !== null && value !== null) values.push({ field_id: id, values: [{ value }] });
	}
	for (const [key, value] of utmEntries(lead.channel)) values.push({ field_code: UTM_CODES[key], values: [{ value }] });
	const created = Date.parse(lead.createdAt);
	const contact =
		lead.name !== null || lead.phones.length > 0
			? [{ ...(lead.name === null ? {} : { first_name: lead.name }), ...(lead.phones.length === 0 ? {} : { custom_fields_values: [{ field_code: 'PHONE', values: lead.phones.map((value) => ({ value, enum_code: 'WORK' })) }] }) }]
			: [];
	return [
		{
			name: crmLeadName(lead),
			pipeline_id: settings.queue.pipelineId,
			status_id: settings.queue.statusId,
			...(Number.isNaN(created) ? {} : { created_at: Math.floor(created / 1000) }),
			...(values.length > 0 ? { custom_fields_values: values } : {}),
			...(contact.length > 0 ? { _embedded: { contacts: contact } } : {}),
			request_id: lead.leadId,
		},
	];
}

/** The value of a custom field of an amoCRM entity by its id, or by its code; the first value. */
function valueOf(entity: Record<string, unknown>, match: (field: Record<string, unknown>) => boolean): unknown {
	const field = asArray(entity.custom_fields_values).map(asRecord).find(match);
	return field === undefined ? undefined : asRecord(asArray(field.values)[0]).value;
}

/** One lead of GET /api/v4/leads as a Lead of the queue, or its problem. */
export function amoQueueLead(raw: unknown, settings: Pick<AmoQueueSettings, 'fields' | 'zone' | 'baseUrl'>): ReturnType<typeof crmLead> {
	const entity = asRecord(raw);
	const id = readId(entity.id);
	if (id === null) return { crmLeadId: text(entity.id), problem: `a lead of the queue has no usable id (${JSON.stringify(entity.id ?? null)})` };
	const created = entity.created_at;
	if (typeof created !== 'number' || !Number.isSafeInteger(created)) return { crmLeadId: id, problem: `CRM lead ${id}: created_at ${JSON.stringify(created ?? null)} is not a unix time` };
	const values: Partial<Record<QueueField, unknown>> = {};
	for (const field of QUEUE_FIELDS) {
		const wanted = fieldId(settings.fields, field);
		if (wanted !== null) values[field] = valueOf(entity, (entry) => entry.field_id === wanted);
	}
	const utm: Utm = { source: null, medium: null, campaign: null, content: null, term: null };
	for (const [key, code] of Object.entries(UTM_CODES) as Array<[keyof Utm, string]>) utm[key] = text(valueOf(entity, (entry) => entry.field_code === code));
	const channel = Object.values(utm).some((value) => value !== null) ? utm : null;
	const origin = accountOrigin(settings.baseUrl, 'amoCRM', 'https://yourcompany.amocrm.ru');
	return crmLead({ crmLeadId: id, createdAt: isoInZone(created * 1000, settings.zone), values, channel, cardUrl: amoCardUrl(origin, id), prefix: 'amo' });
}

export function amoCardUrl(origin: string, id: string): string {
	return `${origin}/leads/detail/${id}`;
}

/** The URL of one page of the queue status's leads. */
export function amoQueueUrl(origin: string, queue: AmoPlace, page: number): string {
	return `${origin}/api/v4/leads?${bracketQuery({ filter: { statuses: [{ pipeline_id: queue.pipelineId, status_id: queue.statusId }] }, limit: AMO_PAGE_SIZE, page })}`;
}

/** The lead queue in amoCRM / Kommo. */
export function amoQueue(read: Read, settings: AmoQueueSettings): QueueCrm {
	const origin = accountOrigin(settings.baseUrl, 'amoCRM', 'https://yourcompany.amocrm.ru');
	const get = async (url: string, what: string) => jsonObject(await read({ method: 'GET', url }), 'amoCRM', what);
	const patch = async (body: unknown[], what: string) => await read({ method: 'PATCH', url: `${origin}/api/v4/leads`, body: JSON.stringify(body) }).then((result) => jsonObject(result, 'amoCRM', what));
	const leadIdField = fieldId(settings.fields, 'leadId');
	const queue = (): AmoPlace => {
		if (settings.queue === undefined) throw new InputDataError('The queue pipeline or status is not set', 'Set Queue Pipeline ID and Queue Status ID (amoCRM: Leads → the pipeline → the status → its id in the address or the API).');
		return settings.queue;
	};
	/** The lead an earlier run created for this lead id: found by the search, kept only when its lead id field says so exactly. */
	const existing = async (leadId: string): Promise<string | null> => {
		if (leadIdField === null) return null;
		const body = await get(`${origin}/api/v4/leads?${bracketQuery({ query: leadId, limit: AMO_PAGE_SIZE })}`, `the search for lead ${leadId}`);
		const found = asArray(asRecord(body?._embedded).leads).map(asRecord).find((entry) => text(valueOf(entry, (field) => field.field_id === leadIdField)) === leadId);
		return found === undefined ? null : readId(found.id);
	};
	return {
		async put(lead) {
			if (leadIdField === null) throw new InputDataError('Lead ID Field is empty', 'Set the id of the amoCRM lead field that keeps the lead id: a run that is retried finds the lead it created there instead of creating it again.');
			let found: string | null = null;
			const result = await read({
				method: 'POST',
				url: `${origin}/api/v4/leads/complex`,
				body: JSON.stringify(amoCreateBody(lead, { queue: queue(), fields: settings.fields })),
				alreadyDone: async () => {
					found = await existing(lead.leadId);
					return found === null ? { state: 'absent' } : { state: 'taken', response: { status: 200, headers: {}, body: [{ id: Number(found) }] } };
				},
			});
			const created = readId(asRecord(asArray(result.body)[0]).id);
			if (created === null) throw new InputDataError(`amoCRM answered the creation of lead ${lead.leadId} without the new lead's id`, 'Check the account address in the credential.');
			return { crmLeadId: created, created: found === null };
		},
		async load() {
			const leads: unknown[] = [];
			for (let page = 1; ; page++) {
				if (page > MAX_PAGES) throw new InputDataError(`amoCRM still had queue leads after ${MAX_PAGES} pages`, 'Close or move the leads that do not belong in the queue status.');
				const body = await get(amoQueueUrl(origin, queue(), page), `page ${page} of the queue`);
				if (body === null) break;
				leads.push(...asArray(asRecord(body._embedded).leads));
				if (!asRecord(body._links).next) break;
			}
			return leads.map((lead) => amoQueueLead(lead, settings));
		},
		async assign(crmLeadId, userId) {
			if (settings.work === undefined) throw new InputDataError('No working status is set', 'Set Working Pipeline ID and Working Status ID.');
			await patch([{ id: Number(crmLeadId), responsible_user_id: Number(userId), pipeline_id: settings.work.pipelineId, status_id: settings.work.statusId }], `the assignment of lead ${crmLeadId}`);
		},
		async close(crmLeadId, reason) {
			const lossReason = settings.lossReasonId ? { loss_reason_id: settings.lossReasonId } : {};
			await patch([{ id: Number(crmLeadId), pipeline_id: queue().pipelineId, status_id: settings.lostStatusId ?? AMO_LOST_STATUS, ...lossReason }], `the closing of lead ${crmLeadId}`);
			await read({ method: 'POST', url: `${origin}/api/v4/leads/notes`, body: JSON.stringify([{ entity_id: Number(crmLeadId), note_type: 'common', params: { text: reason } }]) });
		},
		cardUrl: (crmLeadId) => amoCardUrl(origin, crmLeadId),
	};
}
