import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { toNodeError } from '../shared/nodeErrors';
import { parseCountries, readTimeZone } from '../shared/nodeParameters';
import { createParseContext, type ParseContext } from './context';
import { touchpointProperties } from './description';
import { parseTouchBatch } from './parseTouches';
import type { SourceChoice } from './sourceNames';
import { buildTrackingTable, trackingRowsFromJson, type TrackingNumberRow } from './trackingNumbers';

export class Touchpoint implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Touchpoint',
		name: 'touchpoint',
		icon: { light: 'file:touchpoint.svg', dark: 'file:touchpoint.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["source"]}}',
		description: 'Turn calls (Asterisk, Binotel, Zadarma, Mango, Ringostat, Calltouch), Jivo chats and site forms into touches with their ad source',
		defaults: { name: 'Touchpoint' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: touchpointProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const context = readContext(this);
		const source = this.getNodeParameter('source', 0) as SourceChoice;
		const payloads: unknown[] = [];
		for (let i = 0; i < items.length; i++) {
			payloads.push(await readPayload(this, items[i], i));
		}
		const batch = parseTouchBatch(payloads, source, context);
		const failed = new Map(batch.errors.map((failure) => [failure.item, failure.error]));
		const returnData: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			const error = failed.get(i);
			if (!error) continue;
			const failure = new NodeOperationError(this.getNode(), `Item ${i}: ${error.message}`, { itemIndex: i, description: error.hint });
			if (!this.continueOnFail()) throw failure;
			returnData.push({ json: { error: failure.message, description: error.hint }, pairedItem: { item: i } });
		}
		batch.touches.forEach((touch, t) => returnData.push({ json: touch as unknown as IDataObject, pairedItem: { item: batch.items[t] } }));
		return [returnData];
	}
}

function readContext(ctx: IExecuteFunctions): ParseContext {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const countries = parseCountries(options.phoneCountries);
	try {
		const rows = [
			...(ctx.getNodeParameter('trackingNumbers.number', 0, []) as TrackingNumberRow[]),
			...trackingRowsFromJson(options.trackingNumbersJson),
		];
		return createParseContext({
			timeZone: readTimeZone(ctx, options.timeZone),
			countries,
			shortCallSec: Number(options.shortCallSec ?? 10),
			repeatWindowHours: Number(options.repeatWindowHours ?? 24),
			trackingNumbers: buildTrackingTable(rows, countries),
			formKind: options.formKind === 'cart' ? 'cart' : 'form',
			keepRaw: options.includeRaw === true,
			receivedAt: new Date().toISOString(),
		});
	} catch (error) {
		const failure = toNodeError(ctx.getNode(), error, { hint: 'Check the tracking numbers and the options.' });
		throw failure;
	}
}

async function readPayload(ctx: IExecuteFunctions, item: INodeExecutionData, itemIndex: number): Promise<unknown> {
	if (ctx.getNodeParameter('payloadFrom', itemIndex) !== 'binary') return item.json;
	const field = ctx.getNodeParameter('binaryPropertyName', itemIndex) as string;
	ctx.helpers.assertBinaryData(itemIndex, field);
	const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, field);
	return new TextDecoder('utf-8').decode(buffer);
}
