import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { QueueOptions } from './common';
import { connectCrm, forEachLead } from './crmQueue';

/**
 * After Qualify: creates each accepted lead in the CRM's queue pipeline and status with its fields, or finds the one
 * an earlier run created for the same lead id (a retried run creates nothing twice), and outputs the lead with
 * crmLeadId, cardUrl and crmCreated (false when it was found). Its parameters are the CRM ones (crmQueue.ts).
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], options: QueueOptions): Promise<INodeExecutionData[][]> {
	const { queue, secrets } = await connectCrm(this, options);
	const hint = 'The lead was not created; the other leads go on. Run again: the lead is looked up before it is created, so none is created twice.';
	return [
		await forEachLead(this, items, secrets, hint, async (lead) => {
			const { crmLeadId, created } = await queue.put(lead);
			return { ...lead, crmLeadId, cardUrl: queue.cardUrl(crmLeadId), crmCreated: created };
		}),
	];
}
