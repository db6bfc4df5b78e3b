import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { DEFAULT_CLOSED_REASON } from '../expire';
import type { QueueOptions } from './common';
import { connectCrm, crmLeadIdOf, forEachLead } from './crmQueue';

export const description: INodeProperties[] = [
	{
		displayName: 'Lost Status ID',
		name: 'lostStatusId',
		type: 'string',
		default: '',
		displayOptions: { show: { operation: ['closeInCrm'] } },
		description: 'Empty: amoCRM\'s 143 ("Закрыто и не реализовано"), or Bitrix24\'s LOSE / C3:LOSE stage of the queue\'s pipeline',
	},
	{
		displayName: 'Loss Reason ID',
		name: 'lossReasonId',
		type: 'number',
		default: 0,
		displayOptions: { show: { operation: ['closeInCrm'], crm: ['amocrm'] } },
		description: "One of the account's loss reasons (amoCRM: Settings → the pipeline → loss reasons); 0 sets none. The lead's closedReason is written as a note either way.",
	},
];

/**
 * Expire's closed leads (or Confirm Claim's Won after an expiry claim): each moves to the lost status, and its
 * closedReason is written beside it (amoCRM: a note; Bitrix24: a timeline comment). Outputs the lead with crmLeadId
 * and cardUrl.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], options: QueueOptions): Promise<INodeExecutionData[][]> {
	const { queue, secrets } = await connectCrm(this, options);
	const hint = 'The lead was not closed, or was closed without its reason; the other leads go on. A lead still in the queue status is closed by the next expire run.';
	return [
		await forEachLead(this, items, secrets, hint, async (lead) => {
			const crmLeadId = crmLeadIdOf(lead);
			await queue.close(crmLeadId, String(lead.closedReason ?? '').trim() || DEFAULT_CLOSED_REASON);
			return { ...lead, crmLeadId, cardUrl: queue.cardUrl(crmLeadId) };
		}),
	];
}
