import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { toNodeError } from '../shared/nodeErrors';
import { parseCountries, readTimeZone } from '../shared/nodeParameters';
import { crmXmlImportProperties, DEFAULT_MAX_SIZE_MB, DEFAULT_TIMEOUT_SEC } from './description';
import type { GenericFieldPaths } from './genericMapping';
import { importHints } from './importHints';
import { importOrders, type ImportFormat, type ImportSettings } from './importOrders';
import { diffOrders, type ImportState } from './incremental';
import { openBinary, openFeedUrl, safeUrl } from './transport';
import { DEFAULT_ENCODING, DEFAULT_MAX_DEPTH } from './xml/readXmlFeed';

export class CrmXmlImport implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CRM XML Import',
		name: 'crmXmlImport',
		icon: { light: 'file:crmXmlImport.svg', dark: 'file:crmXmlImport.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["format"] === "commerceml" ? "CommerceML" : "Generic XML"}}',
		description: 'Import orders from a CRM or 1C XML export (CommerceML or any XML) as canonical orders',
		defaults: { name: 'CRM XML Import' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'crmFeedApi',
				required: true,
				displayOptions: { show: { source: ['url'], authentication: ['crmFeedApi'] } },
			},
		],
		properties: crmXmlImportProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const returnData: INodeExecutionData[] = [];
		const state = this.getWorkflowStaticData('node');
		for (let i = 0; i < items.length; i++) {
			let secrets: string[] = [];
			try {
				const source = this.getNodeParameter('source', i) as 'url' | 'binary';
				const url = source === 'url' ? (this.getNodeParameter('url', i) as string).trim() : '';
				const withCredential = source === 'url' && this.getNodeParameter('authentication', i) === 'crmFeedApi';
				if (withCredential) {
					const credential = await this.getCredentials('crmFeedApi', i);
					secrets = [credential.password, credential.token].map((value) => String(value ?? ''));
				}
				const settings = readSettings(this, i);
				const stream =
					source === 'url'
						? await openFeedUrl(this, i, url, withCredential, (settings.deadline as number) - Date.now(), secrets)
						: await openBinary(this, i, this.getNodeParameter('binaryPropertyName', i) as string);
				const result = await importOrders(stream, settings);
				let orders = result.orders;
				const incremental = this.getNodeParameter('emit', i) === 'incremental';
				if (incremental) {
					const key = source === 'url' ? safeUrl(url) : 'binary';
					const diff = diffOrders(orders, state[key] as ImportState | undefined);
					orders = diff.changed;
					// Moved only now that the whole feed imported: a failed run leaves the mark where it was.
					state[key] = diff.next;
				}
				const hints = importHints(result.skippedRecords, orders, incremental);
				if (hints.length > 0) this.addExecutionHints(...hints.map((hint) => ({ ...hint, location: 'outputPane' as const })));
				const executionData = this.helpers.constructExecutionMetaData(
					this.helpers.returnJsonArray(orders as unknown as IDataObject[]),
					{ itemData: { item: i } },
				);
				returnData.push(...executionData);
			} catch (error) {
				const failure = toNodeError(this.getNode(), error, { itemIndex: i, secrets, hint: 'No orders were imported from this feed.' });
				if (this.continueOnFail()) {
					returnData.push({ json: { error: failure.message, description: failure.description ?? '' }, pairedItem: { item: i } });
					continue;
				}
				throw failure;
			}
		}
		return [returnData];
	}
}

function readSettings(ctx: IExecuteFunctions, i: number): ImportSettings {
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	const timeZone = readTimeZone(ctx, options.timeZone, i);
	const formatName = ctx.getNodeParameter('format', i) as 'commerceml' | 'generic';
	const format: ImportFormat =
		formatName === 'commerceml'
			? { format: 'commerceml', statusRequisite: ctx.getNodeParameter('statusRequisite', i) as string }
			: {
					format: 'generic',
					recordPath: ctx.getNodeParameter('recordPath', i) as string,
					fields: { ...(ctx.getNodeParameter('fields', i, {}) as object), orderId: ctx.getNodeParameter('orderIdPath', i) as string } as GenericFieldPaths,
				};
	return {
		format,
		timeZone,
		encoding: String(options.encoding ?? DEFAULT_ENCODING),
		maxBytes: Number(options.maxSizeMb ?? DEFAULT_MAX_SIZE_MB) * 1048576,
		maxDepth: Number(options.maxDepth ?? DEFAULT_MAX_DEPTH),
		deadline: Date.now() + Number(options.timeoutSec ?? DEFAULT_TIMEOUT_SEC) * 1000,
		includeRaw: options.includeRaw === true,
		phoneCountries: parseCountries(options.phoneCountries),
		defaultCurrency: options.defaultCurrency ? String(options.defaultCurrency).toUpperCase() : null,
	};
}
