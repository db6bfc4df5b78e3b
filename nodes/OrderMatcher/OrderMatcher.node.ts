import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import type { Order, Touch } from '../shared/contracts';
import { problemItems } from '../shared/itemErrors';
import { toNodeError } from '../shared/nodeErrors';
import { parseCountries, parseList, readTimeZone } from '../shared/nodeParameters';
import { numberParameter } from '../shared/validation';
import { detectsSharedByDefault, GRACE_HOURS, LOOKBACK_DAYS, MAX_VALUES_PER_KIND, orderMatcherProperties, VERSIONS } from './description';
import { DEFAULT_MAX_VALUES_PER_KIND, matchOrders, type Unmatched } from './matchOrders';
import { sharedValuesHint } from './sharedValues';
import { touchInput } from './storedTouches';

const TOUCHES = 0;
const ORDERS = 1;

export class OrderMatcher implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Order Matcher',
		name: 'orderMatcher',
		icon: { light: 'file:orderMatcher.svg', dark: 'file:orderMatcher.dark.svg' },
		group: ['transform'],
		version: VERSIONS,
		defaultVersion: VERSIONS[VERSIONS.length - 1],
		subtitle: '={{$parameter["lookbackDays"] + " days lookback"}}',
		description: 'Link each order to the calls, chats and forms that produced it, by order id, client ID, phone and e-mail',
		defaults: { name: 'Order Matcher' },
		usableAsTool: true,
		inputs: [
			{ type: NodeConnectionTypes.Main, displayName: 'Touches', required: true },
			{ type: NodeConnectionTypes.Main, displayName: 'Orders', required: true },
		],
		outputs: [
			{ type: NodeConnectionTypes.Main, displayName: 'Deals' },
			{ type: NodeConnectionTypes.Main, displayName: 'Orders Without Touch' },
			{ type: NodeConnectionTypes.Main, displayName: 'Touches Without Order' },
		],
		properties: orderMatcherProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const touchItems = this.getInputData(TOUCHES);
		const orderItems = this.getInputData(ORDERS);
		try {
			const options = this.getNodeParameter('options', 0, {}) as IDataObject;
			const touches = touchInput(touchItems.map((item) => item.json), options.touchJsonField);
			const result = matchOrders(
				orderItems.map((item) => item.json as unknown as Order),
				touches.touches,
				{
					lookbackDays: numberParameter(this.getNodeParameter('lookbackDays', 0), LOOKBACK_DAYS),
					graceHours: numberParameter(this.getNodeParameter('graceHours', 0), GRACE_HOURS),
					timeZone: readTimeZone(this, options.timeZone),
					countries: parseCountries(options.phoneCountries),
					maxValuesPerKind: numberParameter(options.maxValuesPerKind ?? DEFAULT_MAX_VALUES_PER_KIND, MAX_VALUES_PER_KIND),
					blockedValues: parseList(options.blockedValues),
					detectSharedValues: typeof options.detectSharedValues === 'boolean' ? options.detectSharedValues : detectsSharedByDefault(this.getNode().typeVersion),
					trustedValues: parseList(options.trustedValues),
				},
			);
			if (result.sharedValues.length > 0 && typeof this.addExecutionHints === 'function') {
				this.addExecutionHints({ message: sharedValuesHint(result.sharedValues), type: 'warning', location: 'outputPane' });
			}
			const problems = [...problemItems(this, result.orderProblems, ORDERS), ...problemItems(this, touches.problems(result.touchProblems), TOUCHES)];
			const deals = result.deals.map((deal, d) => ({
				json: deal as unknown as IDataObject,
				pairedItem: [{ item: result.dealInputs[d].order, input: ORDERS }, ...result.dealInputs[d].touches.map((item) => ({ item, input: TOUCHES }))],
			}));
			return [[...deals, ...problems], unmatchedItems(result.unmatchedOrders, ORDERS), unmatchedItems(result.unmatchedTouches, TOUCHES)];
		} catch (error) {
			const failure = toNodeError(this.getNode(), error);
			if (!this.continueOnFail()) throw failure;
			return [[{ json: { error: failure.message, description: failure.description ?? '' }, pairedItem: { item: 0, input: ORDERS } }], [], []];
		}
	}
}

function unmatchedItems<T extends Order | Touch>(unmatched: Unmatched<T>, input: number): INodeExecutionData[] {
	return unmatched.records.map((record, i) => ({
		json: { ...record, unmatchedReason: unmatched.reasons[i] } as unknown as IDataObject,
		pairedItem: { item: unmatched.inputs[i], input },
	}));
}
