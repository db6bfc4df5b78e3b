import { join } from 'path';
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';

/**
 * The real Touchpoint and Order Matcher nodes' execute(), with just enough of n8n's IExecuteFunctions for them:
 * input items (by input for the matcher's two), parameters, Continue On Fail, the workflow's time zone.
 */
type TouchpointModule = typeof import('../../nodes/Touchpoint/Touchpoint.node');
type OrderMatcherModule = typeof import('../../nodes/OrderMatcher/OrderMatcher.node');
// Node's resolution (ts-node) would take "X.node" for the X.node.json beside it: name the file.
const { Touchpoint } = require(join(__dirname, '..', '..', 'nodes', 'Touchpoint', 'Touchpoint.node.ts')) as TouchpointModule;
const { OrderMatcher } = require(join(__dirname, '..', '..', 'nodes', 'OrderMatcher', 'OrderMatcher.node.ts')) as OrderMatcherModule;

interface Run {
	type: string;
	inputs: INodeExecutionData[][];
	parameters: Record<string, unknown>;
	continueOnFail: boolean;
}

function context(run: Run): IExecuteFunctions {
	const node: INode = { id: `messy-${run.type}`, name: run.type, type: `n8n-nodes-sales-analytics.${run.type}`, typeVersion: 1, position: [0, 0], parameters: {} };
	const ctx = {
		getInputData: (input = 0): INodeExecutionData[] => run.inputs[input] ?? [],
		getNode: (): INode => node,
		getTimezone: (): string => 'Europe/Moscow',
		continueOnFail: (): boolean => run.continueOnFail,
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown): unknown => {
			const value = run.parameters[name];
			if (value !== undefined) return value;
			if (fallback !== undefined) return fallback;
			throw new Error(`the messy-data suite sets no parameter "${name}"`);
		},
	};
	return ctx as unknown as IExecuteFunctions;
}

/** One run of the real Touchpoint node over `payloads` (webhook bodies), Continue On Fail on: touches and error items. */
export async function runTouchpoint(payloads: IDataObject[], options: IDataObject): Promise<INodeExecutionData[]> {
	const run: Run = { type: 'touchpoint', inputs: [payloads.map((json) => ({ json }))], parameters: { source: 'auto', payloadFrom: 'json', options }, continueOnFail: true };
	const [items] = await new Touchpoint().execute.call(context(run));
	return items;
}

export interface MatcherOutputs {
	deals: INodeExecutionData[];
	ordersWithoutTouch: INodeExecutionData[];
	touchesWithoutOrder: INodeExecutionData[];
}

/** One run of the real Order Matcher node (touches on input 0, orders on input 1, as n8n wires them). */
export async function runOrderMatcher(touches: IDataObject[], orders: IDataObject[], options: IDataObject): Promise<MatcherOutputs> {
	const run: Run = {
		type: 'orderMatcher',
		inputs: [touches.map((json) => ({ json })), orders.map((json) => ({ json }))],
		parameters: { lookbackDays: 30, graceHours: 2, options },
		continueOnFail: false,
	};
	const [deals, ordersWithoutTouch, touchesWithoutOrder] = await new OrderMatcher().execute.call(context(run));
	return { deals, ordersWithoutTouch, touchesWithoutOrder };
}
