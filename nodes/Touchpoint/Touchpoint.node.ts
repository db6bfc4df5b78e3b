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
import { toNodeError } from '../shared/nodeErrors';
import { parseCountries, readTimeZone } from '../shared/nodeParameters';
import { numberParameter } from '../shared/validation';
import { createParseContext, timeZoneOrigin, type ParseContext } from './context';
import { DEFAULT_REPEAT_WINDOW_HOURS, DEFAULT_SHORT_CALL_SEC, REPEAT_WINDOW_HOURS, SHORT_CALL_SEC, touchpointProperties } from './description';
import { parseTouchBatch, type ItemPayload } from './parseTouches';
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
		description: 'Turn calls (Asterisk, Binotel, Zadarma, Mango, Ringostat, Calltouch, UIS), Jivo and Wazzup chats and site forms into touches with their ad source',
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
		const payloads: ItemPayload[] = [];
		for (let i = 0; i < items.length; i++) {
			payloads.push(await readPayload(this, items[i], i));
		}
		// Output in input order: each item's touches together at its place, or its error there.
		const returnData: INodeExecutionData[] = [];
		parseTouchBatch(payloads, source, context).forEach((result, i) => {
			if (result.error === null) {
				returnData.push(...result.touches.map((touch) => ({ json: touch as unknown as IDataObject, pairedItem: { item: i } })));
				return;
			}
			const description = result.error.hint || undefined;
			const failure = new NodeOperationError(this.getNode(), `Item ${i}: ${result.error.message}`, { itemIndex: i, description });
			if (!this.continueOnFail()) throw failure;
			returnData.push({ json: { error: failure.message, description, itemIndex: i }, pairedItem: { item: i } });
		});
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
			timeZoneFrom: timeZoneOrigin(options.timeZone, workflowTimeZone(ctx)),
			cityCode: typeof options.cityCode === 'string' ? options.cityCode : null,
			countries,
			shortCallSec: numberParameter(options.shortCallSec ?? DEFAULT_SHORT_CALL_SEC, SHORT_CALL_SEC),
			repeatWindowHours: numberParameter(options.repeatWindowHours ?? DEFAULT_REPEAT_WINDOW_HOURS, REPEAT_WINDOW_HOURS),
			trackingNumbers: buildTrackingTable(rows, countries),
			formKind: options.formKind === 'cart' ? 'cart' : 'form',
			keepRaw: options.includeRaw === true,
			// The arrival time dates an event that carries no time of its own; it never enters the touchId.
			receivedAt: new Date().toISOString(),
		});
	} catch (error) {
		const failure = toNodeError(ctx.getNode(), error, { hint: 'Check the tracking numbers and the options.' });
		throw failure;
	}
}

/** The workflow's own time zone setting, if set (n8n keeps "DEFAULT" for "use the instance's"). */
function workflowTimeZone(ctx: IExecuteFunctions): string | undefined {
	// Contexts built without workflow settings (as some in-process tests build them) count as not set.
	const timezone = typeof ctx.getWorkflowSettings === 'function' ? ctx.getWorkflowSettings().timezone : undefined;
	return timezone && timezone !== 'DEFAULT' ? timezone : undefined;
}

async function readPayload(ctx: IExecuteFunctions, item: INodeExecutionData, itemIndex: number): Promise<ItemPayload> {
	if (ctx.getNodeParameter('payloadFrom', itemIndex) !== 'binary') return { payload: item.json };
	const field = ctx.getNodeParameter('binaryPropertyName', itemIndex) as string;
	if (!item.binary?.[field]) {
		return {
			error: new InputDataError(
				`the item has no binary field "${field}" to read the payload from`,
				'Set Input Binary Field to the field that holds the text (Read/Write Files from Disk names it "data"), or read the payload from the item.',
			),
		};
	}
	const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, field);
	return { payload: new TextDecoder('utf-8').decode(buffer) };
}
