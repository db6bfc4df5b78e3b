import { NodeApiError, type IExecuteFunctions, type INode, type INodeExecutionData, type JsonObject } from 'n8n-workflow';
import { redactSecrets } from '../../shared/errors';
import { problemItems } from '../../shared/itemErrors';
import { toNodeError } from '../../shared/nodeErrors';
import { ServiceError } from '../exchange';
import { uniqueRows } from '../spendRows';
import type { PlatformExecute, PlatformOutput } from './common';
import * as googleAds from './googleAds.platform';
import * as table from './table.platform';
import * as vkAds from './vkAds.platform';
import * as yandexDirect from './yandexDirect.platform';

const PLATFORMS = new Map<string, PlatformExecute>([
	['yandexDirect', yandexDirect.execute],
	['googleAds', googleAds.execute],
	['vkAds', vkAds.execute],
	['table', table.execute],
]);

/**
 * Reads the chosen platform's spend: one item per day and campaign, each day and campaign once (a repeat is an error
 * item, see uniqueRows); a row that cannot be read is an error item with its index while the others go on. A failure
 * of the whole run (a service's refusal, a setting) stops the node, or with Continue On Fail is one error item paired
 * to every input item. No credential secret reaches a message.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const platform = this.getNodeParameter('platform', 0) as string;
	const secrets: string[] = [];
	let output: PlatformOutput;
	try {
		const execute = PLATFORMS.get(platform);
		if (execute === undefined) throw new Error(`The platform "${platform}" is not known`);
		output = await execute.call(this, secrets);
	} catch (error) {
		const failure = runError(this.getNode(), platform, error, secrets);
		if (!this.continueOnFail()) throw failure;
		return [[{ json: { error: failure.message, description: failure.description ?? '' }, pairedItem: items.map((_, item) => ({ item })) }]];
	}
	const unique = uniqueRows(output.rows, (index) => {
		const item = output.rows[index].item;
		return { itemIndex: item, name: platform === 'table' ? `item ${item}` : `row ${index + 1}` };
	});
	return [[...unique.rows.map(({ row, item }) => ({ json: { ...row }, pairedItem: { item } })), ...problemItems(this, [...output.problems, ...unique.problems])]];
}

/** A service's refusal as NodeApiError (its code and words, what to do), anything else as toNodeError has it; secrets redacted. */
function runError(node: INode, platform: string, error: unknown, secrets: string[]) {
	if (!(error instanceof ServiceError)) return toNodeError(node, error, { secrets });
	return new NodeApiError(node, { platform } as JsonObject, {
		message: redactSecrets(error.message, secrets),
		description: redactSecrets(error.hint, secrets),
		httpCode: error.httpCode === undefined ? undefined : String(error.httpCode),
	});
}
