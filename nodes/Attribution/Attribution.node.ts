import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import type { Stage } from '../shared/contracts';
import { problemItems } from '../shared/itemErrors';
import { toNodeError } from '../shared/nodeErrors';
import { parseList, readTimeZone } from '../shared/nodeParameters';
import { numberParameter } from '../shared/validation';
import type { AdSpendRow } from './adSpend';
import type { AttributionModel } from './attribute';
import { DEFAULT_DIRECT_SOURCES } from './channels';
import { readDeals, readTouches } from './dealInput';
import { attributionProperties } from './description';
import { DEFAULT_HALF_LIFE_DAYS } from './heuristicModels';
import { DEFAULT_POSITION_WEIGHTS, HALF_LIFE_DAYS, parsePositionWeights, parseSpendTable } from './settings';
import { sourceReport } from './sourceReport';

const DEALS = 0;
const TOUCHES = 1;

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
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		const input = readDeals(
			this.getInputData(DEALS).map((item) => item.json),
			this.getNodeParameter('stages', 0) as Stage[],
		);
		const unconverted = readTouches((this.getInputData(TOUCHES) ?? []).map((item) => item.json));
		const problems = [...problemItems(this, input.problems, DEALS), ...problemItems(this, unconverted.problems, TOUCHES)];
		try {
			const report = sourceReport(input.deals, unconverted.touches, {
				models: this.getNodeParameter('models', 0) as AttributionModel[],
				stages: this.getNodeParameter('stages', 0) as Stage[],
				halfLifeDays: numberParameter(options.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS, HALF_LIFE_DAYS),
				positionWeights: parsePositionWeights(options.positionWeights ?? DEFAULT_POSITION_WEIGHTS),
				directSources: options.directSources === undefined ? DEFAULT_DIRECT_SOURCES : parseList(options.directSources),
				spend: parseSpendTable(options.adSpend) as AdSpendRow[],
				callStatsTimeZone: options.callStats === false ? null : readTimeZone(this, options.timeZone),
			});
			const itemOf = new Map(input.deals.map((deal, d) => [deal.orderId, input.from[d]]));
			const credits = report.credits.map((credit) => {
				const warnings = input.warnings.get(credit.orderId);
				return { json: (warnings ? { ...credit, warnings } : credit) as unknown as IDataObject, pairedItem: { item: itemOf.get(credit.orderId) ?? 0, input: DEALS } };
			});
			const everyDeal = input.from.map((item) => ({ item, input: DEALS }));
			const rows = report.rows.map((row) => ({ json: row as unknown as IDataObject, pairedItem: everyDeal }));
			return [[...credits, ...problems], rows];
		} catch (error) {
			const failure = toNodeError(this.getNode(), error);
			if (!this.continueOnFail()) throw failure;
			return [[{ json: { error: failure.message, description: failure.description ?? '' }, pairedItem: { item: 0, input: DEALS } }], []];
		}
	}
}
