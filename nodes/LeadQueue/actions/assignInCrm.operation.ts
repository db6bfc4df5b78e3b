import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { InputDataError } from '../../shared/errors';
import { jsonParameter } from '../../shared/jsonArray';
import { readId } from '../../CrmDealsImport/sources/common';
import { show, type QueueOptions } from './common';
import { connectCrm, crmLeadIdOf, forEachLead } from './crmQueue';

export const description: INodeProperties[] = [
	{
		displayName: 'Working Pipeline ID',
		name: 'workPipelineId',
		type: 'string',
		default: '',
		placeholder: '7002',
		displayOptions: { show: { operation: ['assignInCrm'], crm: ['amocrm'] } },
		description: 'The amoCRM pipeline a taken lead moves to (the queue pipeline itself is fine)',
	},
	{
		displayName: 'Working Status ID',
		name: 'workStatusId',
		type: 'string',
		default: '',
		placeholder: '42001 (amoCRM) or C3:PREPARATION (Bitrix24)',
		displayOptions: show('assignInCrm'),
		description: 'The status (amoCRM) or deal stage (Bitrix24) a taken lead moves to',
	},
	{
		displayName: 'Manager CRM Users (JSON)',
		name: 'managerUsers',
		type: 'json',
		default: '{}',
		placeholder: '{"anna@shop.ru": 5551, "boris@shop.ru": 5552}',
		displayOptions: show('assignInCrm'),
		description: "Each manager (as Take Next names them) and their user ID in the CRM: the lead's responsible user",
	},
];

/** Manager -> CRM user id, the managers compared trimmed and ignoring case (as Take Next compares them). */
function readManagerUsers(ctx: IExecuteFunctions): Map<string, string> {
	const given = jsonParameter(ctx.getNodeParameter('managerUsers', 0, '{}'), 'Manager CRM Users (JSON)', 'Give {"anna@shop.ru": 5551, ...}.', {});
	if (given === null || typeof given !== 'object' || Array.isArray(given)) throw new InputDataError('Manager CRM Users (JSON) is not an object', 'Give {"anna@shop.ru": 5551, ...}: each manager and their CRM user ID.');
	const users = new Map<string, string>();
	for (const [manager, user] of Object.entries(given as Record<string, unknown>)) {
		const id = readId(user);
		if (id === null) throw new InputDataError(`Manager CRM Users (JSON): the user ID of ${manager.slice(0, 80)} (${JSON.stringify(user)?.slice(0, 40)}) is not a CRM user ID`, 'Give each manager the number of their CRM user.');
		users.set(manager.trim().toLowerCase(), id);
	}
	return users;
}

/**
 * A claimed lead (Confirm Claim's Won, or Load CRM Queue's Claimed for the repair): its manager becomes the lead's
 * responsible user and the lead moves to the working status. Setting the same user and status twice leaves the
 * same lead, so a repair that meets a lead its press already assigned changes nothing. Outputs the lead with
 * crmLeadId, cardUrl and responsibleUserId.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], options: QueueOptions): Promise<INodeExecutionData[][]> {
	const users = readManagerUsers(this);
	const { queue, secrets } = await connectCrm(this, options);
	const hint = 'The lead is claimed for its manager but not yet theirs in the CRM; the expire run (or the next run of this node) assigns it again.';
	return [
		await forEachLead(this, items, secrets, hint, async (lead) => {
			const crmLeadId = crmLeadIdOf(lead);
			const manager = String(lead.assignedTo ?? '').trim();
			const userId = users.get(manager.toLowerCase());
			if (userId === undefined) throw new InputDataError(`manager ${JSON.stringify(manager)} has no CRM user in Manager CRM Users (JSON)`, 'Add the manager and their CRM user ID.');
			await queue.assign(crmLeadId, userId);
			return { ...lead, crmLeadId, cardUrl: queue.cardUrl(crmLeadId), responsibleUserId: userId };
		}),
	];
}
