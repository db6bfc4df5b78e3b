import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import type { Deal, Stage, Touch } from '../shared/contracts';
import { toNodeError } from '../shared/nodeErrors';
import { parseList, readTimeZone } from '../shared/nodeParameters';
import type { AdSpendRow } from './adSpend';
import type { AttributionModel } from './attribute';
import { attributionProperties } from './description';
import { parsePositionWeights, parseSpendTable } from './settings';
import { sourceReport } from './sourceReport';

const DEALS = 0;

export class Attribution implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Attribution',
		name: 'attribution',
		icon: { light: 'file:attribution.svg', dark: 'file:attribution.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["models"].join(", ")}}',
		description: 'Credit the revenue of won deals to ad sources by several models and report which sources pay off',
		defaults: { name: 'Attribution' },
		usableAsTool: true,
		inputs: [
			{ type: NodeConnectionTypes.Main, displayName: 'Deals', required: true },
			{ type: NodeConnectionTypes.Main, displayName: 'Touches Without Order' },
		],
		outputs: [
			{ type: NodeConnectionTypes.Main, displayName: 'Credits' },
			{ type: NodeConnectionTypes.Main, displayName: 'Channel Report' },
		],
		properties: attributionProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const deals = this.getInputData(DEALS);
		const unconverted = this.getInputData(1) ?? [];
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		try {
			const report = sourceReport(
				deals.map((item) => item.json as unknown as Deal),
				unconverted.map((item) => item.json as unknown as Touch),
				{
					models: this.getNodeParameter('models', 0) as AttributionModel[],
					stages: this.getNodeParameter('stages', 0) as Stage[],
					halfLifeDays: Number(options.halfLifeDays ?? 7),
					positionWeights: parsePositionWeights(options.positionWeights),
					directSources: parseList(options.directSources ?? '(direct), direct, internal'),
					spend: parseSpendTable(options.adSpend) as AdSpendRow[],
					callStatsTimeZone: options.callStats === false ? null : readTimeZone(this, options.timeZone),
				},
			);
			const dealIndex = new Map(deals.map((item, i) => [String(item.json.orderId), i]));
			const credits = report.credits.map((credit) => ({ json: credit as unknown as IDataObject, pairedItem: { item: dealIndex.get(credit.orderId) ?? 0, input: DEALS } }));
			const rows = report.rows.map((row) => ({ json: row as unknown as IDataObject, pairedItem: deals.map((_, item) => ({ item, input: DEALS })) }));
			return [credits, rows];
		} catch (error) {
			const failure = toNodeError(this.getNode(), error);
			if (!this.continueOnFail()) throw failure;
			return [[{ json: { error: failure.message, description: failure.description ?? '' }, pairedItem: { item: 0, input: DEALS } }], []];
		}
	}
}
