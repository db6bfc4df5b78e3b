import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { problemItems } from '../shared/itemErrors';
import { toNodeError } from '../shared/nodeErrors';
import { parseCountries, parseList, readTimeZone } from '../shared/nodeParameters';
import { numberParameter } from '../shared/validation';
import { EXPIRE_AFTER_HOURS, EXPIRE_UNDER_KG, leadQueueProperties, MIN_WEIGHT_KG } from './description';
import type { RequiredField } from './qualify';
import { confirmClaim, expire, leadsOf, qualifyItems, rank, rankingSettings, takeNext, type QueueSettings } from './operations';

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
		const jsons = items.map((item) => item.json);
		const out = (entries: Array<{ lead: object; item: number }>) => entries.map(({ lead, item }) => ({ json: lead as IDataObject, pairedItem: { item } }));
		try {
			if (operation === 'qualify') {
				const result = qualifyItems(jsons, {
					minWeightKg: numberParameter(this.getNodeParameter('minWeightKg', 0), MIN_WEIGHT_KG),
					blacklist: parseList(this.getNodeParameter('blacklist', 0)),
					requiredFields: this.getNodeParameter('requiredFields', 0) as RequiredField[],
					zone,
					countries: parseCountries(options.phoneCountries),
					receivedAt: now,
				});
				return [out(result.accepted), out(result.rejected)];
			}
			if (operation === 'confirmClaim') {
				const claim = confirmClaim(jsons, this.getNodeParameter('managerId', 0), String(this.getExecutionId()));
				return 'won' in claim ? [[{ json: claim.won as unknown as IDataObject, pairedItem: all }], []] : [[], [{ json: claim.lost, pairedItem: all }]];
			}
			const { leads, problems } = leadsOf(jsons);
			// A stored row that does not read never blocks a manager's press: take next skips it and names it in its
			// answer (\`skippedRows\`); rank and expire report it as an item error (the run stops without Continue On Fail).
			const bad = operation === 'takeNext' ? [] : problemItems(this, problems);
			const settings: QueueSettings = { zone, now, ruleSets: [], lists: {} };
			if (operation === 'rank' || operation === 'takeNext') {
				Object.assign(settings, rankingSettings(this.getNodeParameter('rules', 0) as string, this.getNodeParameter('ruleSets', 0, '[]'), this.getNodeParameter('placeLists', 0), zone));
			}
			if (operation === 'rank') return [[...out(rank(leads, settings)), ...bad]];
			if (operation === 'takeNext') {
				const result = takeNext(
					leads.map(({ lead }) => lead),
					this.getNodeParameter('managerId', 0),
					parseList(this.getNodeParameter('managers', 0)),
					String(this.getExecutionId()),
					// Each run of this node in one execution is one more attempt after a lost claim (the workflow loops back).
					Number(this.evaluateExpression('{{ $runIndex }}', 0)),
					settings,
				);
				const skippedRows = problems.map(({ itemIndex, message, description }) => ({ itemIndex, message, description }));
				return [[{ json: { ...result, ...(skippedRows.length > 0 ? { skippedRows } : {}) } as unknown as IDataObject, pairedItem: all }]];
			}
			const closed = expire(
				leads.map(({ lead }) => lead),
				numberParameter(this.getNodeParameter('expireUnderKg', 0), EXPIRE_UNDER_KG),
				numberParameter(this.getNodeParameter('expireAfterHours', 0), EXPIRE_AFTER_HOURS),
				this.getNodeParameter('closedReason', 0) as string,
				settings,
			);
			return [[...closed.map((lead) => ({ json: lead as unknown as IDataObject, pairedItem: all })), ...bad]];
		} catch (error) {
			const failure = toNodeError(this.getNode(), error);
			if (!this.continueOnFail()) throw failure;
			return [[{ json: { error: failure.message, description: failure.description ?? '' }, pairedItem: all }]];
		}
	}
}
