import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { InputDataError } from '../shared/errors';
import { parseCountries, readTimeZone } from '../shared/nodeParameters';
import { leadQueueProperties } from './description';
import type { RequiredField } from './qualify';
import { expire, listParameter, qualify, rank, rankingSettings, takeNext, type QueueSettings } from './operations';
import { leadFromItem, rawLeadsOf } from './tableRows';
import { claimTokenOf, isClaimWon } from './takeNext';

export class LeadQueue implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Lead Queue',
		name: 'leadQueue',
		icon: { light: 'file:leadQueue.svg', dark: 'file:leadQueue.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Qualify leads, rank them by time-of-day rules, hand the best one to the manager who asks, close stale ones',
		defaults: { name: 'Lead Queue' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: `={{$parameter["operation"] === "qualify" ? [{ type: "main", displayName: "Accepted" }, { type: "main", displayName: "Rejected" }] : $parameter["operation"] === "confirmClaim" ? [{ type: "main", displayName: "Won" }, { type: "main", displayName: "Lost" }] : [{ type: "main" }]}}`,
		properties: leadQueueProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const operation = this.getNodeParameter('operation', 0) as string;
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		const zone = readTimeZone(this, options.timeZone);
		const now = options.now ? new Date(String(options.now)) : new Date();
		const all = items.map((_, item) => ({ item }));
		let problem: InputDataError | undefined;
		try {
			if (operation === 'qualify') {
				const accepted: INodeExecutionData[] = [];
				const rejected: INodeExecutionData[] = [];
				const rules = {
					minWeightKg: this.getNodeParameter('minWeightKg', 0) as number,
					blacklist: listParameter(this.getNodeParameter('blacklist', 0)),
					requiredFields: this.getNodeParameter('requiredFields', 0) as RequiredField[],
					zone,
					countries: parseCountries(options.phoneCountries),
					receivedAt: now,
				};
				items.forEach((item, i) => {
					for (const raw of rawLeadsOf(item.json)) {
						const result = qualify(raw, rules);
						if ('accepted' in result) accepted.push({ json: result.accepted as unknown as IDataObject, pairedItem: { item: i } });
						else rejected.push({ json: { ...result.rejected, reasons: result.reasons } as unknown as IDataObject, pairedItem: { item: i } });
					}
				});
				return [accepted, rejected];
			}
			if (operation === 'confirmClaim') {
				const token = claimTokenOf(String(this.getNodeParameter('managerId', 0)), String(this.getExecutionId()));
				const won = items.filter((item) => isClaimWon(item.json, token));
				const lead = won.length > 0 ? leadFromItem(won[0].json) : null;
				return lead ? [[{ json: lead as unknown as IDataObject, pairedItem: all }], []] : [[], [{ json: { outcome: 'lost', claimToken: token }, pairedItem: all }]];
			}
			const leads = items.filter((item) => item.json.leadId !== undefined || item.json.lead !== undefined).map((item) => leadFromItem(item.json));
			const settings: QueueSettings = { zone, now, ruleSets: [], lists: {} };
			if (operation === 'rank' || operation === 'takeNext') {
				Object.assign(settings, rankingSettings(this.getNodeParameter('rules', 0) as string, this.getNodeParameter('ruleSets', 0, '[]'), this.getNodeParameter('placeLists', 0), zone));
			}
			if (operation === 'rank') return [rank(leads, settings).map((lead, i) => ({ json: lead as unknown as IDataObject, pairedItem: { item: i } }))];
			if (operation === 'takeNext') {
				const result = takeNext(
					leads,
					this.getNodeParameter('managerId', 0),
					listParameter(this.getNodeParameter('managers', 0)),
					String(this.getExecutionId()),
					// Each run of this node in one execution is one more attempt after a lost claim (the workflow loops back).
					Number(this.evaluateExpression('{{ $runIndex }}', 0)),
					settings,
				);
				return [[{ json: result as unknown as IDataObject, pairedItem: all }]];
			}
			const closed = expire(
				leads,
				this.getNodeParameter('expireUnderKg', 0) as number,
				this.getNodeParameter('expireAfterHours', 0) as number,
				this.getNodeParameter('closedReason', 0) as string,
				settings,
			);
			return [closed.map((lead) => ({ json: lead as unknown as IDataObject, pairedItem: all }))];
		} catch (error) {
			if (!(error instanceof InputDataError)) throw error instanceof NodeOperationError ? error : new NodeOperationError(this.getNode(), error as Error);
			problem = error;
		}
		const failure = new NodeOperationError(this.getNode(), problem.message, { description: problem.hint });
		if (!this.continueOnFail()) throw failure;
		return [[{ json: { error: failure.message, description: problem.hint }, pairedItem: all }]];
	}
}
