import { InputDataError } from '../../shared/errors';
import { isLoopback } from '../../shared/loopback';
import { toEpochMs } from '../../shared/time';
import { bitrixErrorText, bitrixMethodUrl, parseBitrixWebhook } from '../../RevenuePush/destinations/bitrix24';
import { laterDealPages } from '../../CrmDealsImport/sources/bitrix24';
import { asArray, asRecord, readId, text } from '../../CrmDealsImport/sources/common';
import { jsonObject, type Read } from '../../CrmDealsImport/transport/reader';
import type { Utm } from '../../shared/contracts';
import { isoInZone } from '../clock';
import type { Lead } from '../lead';
import { crmLead, crmLeadName, fieldValue, QUEUE_FIELDS, utmEntries, type QueueCrm, type QueueField, type QueueFieldIds } from './queue';

/*
 * Bitrix24 REST through an incoming webhook, as checked in its documentation (apidocs.bitrix24.com/api-reference/crm/
 * deals/, dev.1c-bitrix.ru/rest_help/crm/cdeals/crm_deal_add.php, crm_deal_fields.php):
 * - crm.deal.add { fields: { TITLE, CATEGORY_ID (the pipeline: "direction"; fixed once the deal exists), STAGE_ID
 *   ("NEW" in the general pipeline, "C<n>:NEW" in pipeline n), ORIGINATOR_ID / ORIGIN_ID (an external system and the
 *   deal's id there), UTM_SOURCE … UTM_TERM, COMMENTS, UF_CRM_… custom fields }, params: { REGISTER_SONET_EVENT } }
 *   answers { result: <new id> }.
 * - crm.deal.list { filter: { CATEGORY_ID, STAGE_ID } | { ORIGINATOR_ID, ORIGIN_ID }, select, order, start }: pages of
 *   50 with `next` and `total`; the pages after the first are read 50 to a `batch` request (as CRM Deals Import does).
 * - crm.deal.update { id, fields: { ASSIGNED_BY_ID, STAGE_ID } }: the lost stage is "LOSE" (general pipeline) or
 *   "C<n>:LOSE"; crm.timeline.comment.add { fields: { ENTITY_ID, ENTITY_TYPE: "deal", COMMENT } } writes the reason.
 * - The leaky bucket of 50 requests draining 2 a second (the reader's BITRIX24_RATE); 503 QUERY_LIMIT_EXCEEDED beyond.
 * - The card of deal N: https://<portal>/crm/deal/details/N/.
 */

/** ORIGINATOR_ID of the deals this pack puts in the queue: with ORIGIN_ID = the lead id it finds them again. */
export const ORIGINATOR = 'n8n-sales-analytics';

export interface BitrixQueueSettings {
	webhookUrl: string;
	/** The queue's stage (STAGE_ID): "NEW" is in the general pipeline, "C3:NEW" in pipeline (CATEGORY_ID) 3. */
	queueStageId: string;
	/** The stage a taken deal goes to (Assign in CRM). */
	workStageId?: string;
	/** The lost stage: "LOSE" or "C<n>:LOSE" when not given. */
	lostStageId?: string;
	/** UF_CRM_… names of the queue fields. */
	fields: QueueFieldIds;
	zone: string;
}

const UTM_FIELDS: Record<keyof Utm, string> = { source: 'UTM_SOURCE', medium: 'UTM_MEDIUM', campaign: 'UTM_CAMPAIGN', content: 'UTM_CONTENT', term: 'UTM_TERM' };

/** The pipeline (CATEGORY_ID) a stage belongs to, as Bitrix24 writes stage ids: "C3:NEW" is in 3, "NEW" in the general one, 0. */
export function bitrixCategory(stageId: string): string {
	const colon = stageId.indexOf(':');
	const category = colon > 1 && stageId.startsWith('C') ? stageId.slice(1, colon) : '0';
	if (!/^\d{1,9}$/.test(category)) throw new InputDataError(`"${stageId.slice(0, 60)}" is not a Bitrix24 deal stage id`, 'Write the stage id as Bitrix24 shows it: NEW in the general pipeline, C3:NEW in pipeline 3.');
	return category;
}

/** The lost stage of a deal pipeline: "LOSE" in the general one (0), "C<n>:LOSE" in pipeline n. */
export function bitrixLostStage(categoryId: string): string {
	return categoryId === '0' ? 'LOSE' : `C${categoryId}:LOSE`;
}

/** crm.deal.add's fields for one lead: in the queue stage, with its fields, its UTM tags, its lead id as ORIGIN_ID. */
export function bitrixDealFields(lead: Lead, settings: Pick<BitrixQueueSettings, 'queueStageId' | 'fields'>): Record<string, string | number> {
	const fields: Record<string, string | number> = {
		TITLE: crmLeadName(lead),
		CATEGORY_ID: bitrixCategory(settings.queueStageId),
		STAGE_ID: settings.queueStageId,
		ORIGINATOR_ID: ORIGINATOR,
		ORIGIN_ID: lead.leadId,
	};
	for (const field of QUEUE_FIELDS) {
		const name = settings.fields[field];
		const value = fieldValue(lead, field);
		if (name !== undefined && value !== null) fields[name] = value;
	}
	for (const [key, value] of utmEntries(lead.channel)) fields[UTM_FIELDS[key]] = value;
	// A deal has no phone of its own (a contact does): the name and phones go in its comment, where the manager sees them.
	const contact = [lead.name, ...lead.phones].filter((part): part is string => part !== null && part !== '');
	if (contact.length > 0) fields.COMMENTS = contact.join(', ');
	return fields;
}

/** One deal of crm.deal.list as a Lead of the queue, or its problem. */
export function bitrixQueueLead(raw: unknown, settings: Pick<BitrixQueueSettings, 'fields' | 'zone'>, cardUrl: (id: string) => string): ReturnType<typeof crmLead> {
	const deal = asRecord(raw);
	const id = readId(deal.ID);
	if (id === null) return { crmLeadId: text(deal.ID), problem: `a deal of the queue has no usable ID (${JSON.stringify(deal.ID ?? null)})` };
	const created = toEpochMs(text(deal.DATE_CREATE), settings.zone);
	if (Number.isNaN(created)) return { crmLeadId: id, problem: `CRM deal ${id}: DATE_CREATE ${JSON.stringify(deal.DATE_CREATE ?? null)} is not a time` };
	const values: Partial<Record<QueueField, unknown>> = {};
	for (const field of QUEUE_FIELDS) {
		const name = settings.fields[field];
		if (name !== undefined) values[field] = deal[name];
	}
	if (values.leadId === undefined && text(deal.ORIGINATOR_ID) === ORIGINATOR) values.leadId = deal.ORIGIN_ID;
	const utm: Utm = { source: null, medium: null, campaign: null, content: null, term: null };
	for (const [key, name] of Object.entries(UTM_FIELDS) as Array<[keyof Utm, string]>) utm[key] = text(deal[name]);
	const channel = Object.values(utm).some((value) => value !== null) ? utm : null;
	return crmLead({ crmLeadId: id, createdAt: isoInZone(created, settings.zone), values, channel, cardUrl: cardUrl(id), prefix: 'b24' });
}

/** The lead queue in Bitrix24 (deals). */
export function bitrixQueue(read: Read, settings: BitrixQueueSettings): QueueCrm {
	const hook = parseBitrixWebhook(settings.webhookUrl, { allowHttp: isLoopback(settings.webhookUrl) });
	const scheme = hook.base.slice(0, hook.base.indexOf(':'));
	const cardUrl = (id: string) => `${scheme}://${hook.portal}/crm/deal/details/${id}/`;
	const call = async (method: string, params: Record<string, unknown>, what: string, alreadyDone?: Parameters<Read>[0]['alreadyDone']) => {
		const body = jsonObject(await read({ method: 'POST', url: bitrixMethodUrl(hook, method), body: JSON.stringify(params), ...(alreadyDone ? { alreadyDone } : {}) }), 'Bitrix24', what);
		if (body?.error !== undefined) throw new InputDataError(`Bitrix24 refused ${what}: ${bitrixErrorText(body)}`, 'Check the pipeline, the stages and the field names in the node, and that the webhook has the crm scope.');
		return body ?? {};
	};
	const queueStage = (): string => {
		if (settings.queueStageId === '') throw new InputDataError('Queue Status ID is empty', 'Set it to the deal stage of the queue: NEW in the general pipeline, C3:NEW in pipeline 3.');
		return settings.queueStageId;
	};
	const update = async (id: string, fields: Record<string, string>, what: string) => await call('crm.deal.update', { id, fields, params: { REGISTER_SONET_EVENT: 'N' } }, what);
	return {
		async put(lead) {
			let found: string | null = null;
			const answer = await call('crm.deal.add', { fields: bitrixDealFields(lead, { queueStageId: queueStage(), fields: settings.fields }), params: { REGISTER_SONET_EVENT: 'N' } }, `the creation of lead ${lead.leadId}`, async () => {
				const list = await call('crm.deal.list', { filter: { ORIGINATOR_ID: ORIGINATOR, ORIGIN_ID: lead.leadId }, select: ['ID'], order: { ID: 'ASC' } }, `the search for lead ${lead.leadId}`);
				found = readId(asRecord(asArray(list.result)[0]).ID);
				return found === null ? { state: 'absent' } : { state: 'taken', response: { status: 200, headers: {}, body: { result: Number(found) } } };
			});
			const created = readId(answer.result);
			if (created === null) throw new InputDataError(`Bitrix24 answered the creation of lead ${lead.leadId} without the new deal's ID`, 'Check the webhook URL in the credential.');
			return { crmLeadId: created, created: found === null };
		},
		async load() {
			// The first page says how many deals wait; the others come 50 pages to a batch (one request of the leaky bucket).
			const filter = { CATEGORY_ID: bitrixCategory(queueStage()), STAGE_ID: queueStage() };
			const first = await call('crm.deal.list', { filter, select: ['*', 'UF_*', 'UTM_*'], order: { ID: 'ASC' }, start: 0 }, 'the first page of the queue');
			const firstPage = asArray(first.result);
			const later = await laterDealPages(read, hook, { filter, firstPage, total: first.total, tooMany: 'Close or move the deals that do not belong in the queue stage.' });
			return [...firstPage, ...later].map((deal) => bitrixQueueLead(deal, settings, cardUrl));
		},
		async assign(crmLeadId, userId) {
			if (settings.workStageId === undefined) throw new InputDataError('No working stage is set', 'Set Working Status ID to the stage a taken deal goes to (e.g. C3:PREPARATION).');
			await update(crmLeadId, { ASSIGNED_BY_ID: userId, STAGE_ID: settings.workStageId }, `the assignment of deal ${crmLeadId}`);
		},
		async close(crmLeadId, reason) {
			await update(crmLeadId, { STAGE_ID: settings.lostStageId ?? bitrixLostStage(bitrixCategory(queueStage())) }, `the closing of deal ${crmLeadId}`);
			await call('crm.timeline.comment.add', { fields: { ENTITY_ID: crmLeadId, ENTITY_TYPE: 'deal', COMMENT: reason } }, `the reason of deal ${crmLeadId}`);
		},
		cardUrl,
	};
}
