import {
	NodeApiError,
	NodeConnectionTypes,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type JsonObject,
} from 'n8n-workflow';
import type { Deal } from '../shared/contracts';
import { toNodeError } from '../shared/nodeErrors';
import { readTimeZone } from '../shared/nodeParameters';
import type { AmoFieldSource } from './amocrm';
import type { HttpResult } from './deliver';
import { revenuePushProperties } from './description';
import { crmIdSource, type DestinationSettings } from './destinations';
import { DEFAULT_GA4_OPTIONS } from './ga4';
import { StoreLedger } from './ledger';
import { pushRevenue } from './pushRevenue';
import type { PushRequest } from './request';
import type { PushMode } from './transactions';

const CREDENTIALS: Record<string, string> = { ga4: 'ga4MeasurementProtocolApi', metrica: 'yandexMetricaApi', amocrm: 'amoCrmApi', bitrix24: 'bitrix24WebhookApi', webhook: 'revenueWebhookApi' };

export class RevenuePush implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Revenue Push',
		name: 'revenuePush',
		icon: { light: 'file:revenuePush.svg', dark: 'file:revenuePush.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["destination"] + ": " + $parameter["mode"]}}',
		description: 'Send the real revenue of won deals (and refunds) to GA4, Yandex Metrica, amoCRM/Kommo, Bitrix24 or a webhook, each version once',
		defaults: { name: 'Revenue Push' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'ga4MeasurementProtocolApi', required: true, displayOptions: { show: { destination: ['ga4'] } } },
			{ name: 'yandexMetricaApi', required: true, displayOptions: { show: { destination: ['metrica'] } } },
			{ name: 'amoCrmApi', required: true, displayOptions: { show: { destination: ['amocrm'] } } },
			{ name: 'bitrix24WebhookApi', required: true, displayOptions: { show: { destination: ['bitrix24'] } } },
			{ name: 'revenueWebhookApi', required: true, displayOptions: { show: { destination: ['webhook'] } } },
		],
		properties: revenuePushProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const destination = this.getNodeParameter('destination', 0) as DestinationSettings['destination'];
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		const credential = await this.getCredentials(CREDENTIALS[destination]);
		const secrets = [credential.apiSecret, credential.token, credential.webhookUrl, credential.url, credential.secret].map((value) => String(value ?? ''));
		const ledger = new StoreLedger(this.helpers);
		try {
			const outcomes = await pushRevenue(
				items.map((item) => item.json as unknown as Deal),
				{
					settings: readDestination(this, destination, credential),
					mode: this.getNodeParameter('mode', 0) as PushMode,
					defaultCurrency: options.defaultCurrency === undefined ? 'RUB' : String(options.defaultCurrency) || null,
					timeZone: readTimeZone(this, options.timeZone),
					retry: { maxAttempts: Number(options.maxAttempts ?? 6), maxTotalMs: Number(options.maxTotalSec ?? 120) * 1000 },
					secrets,
					send: async (request) => await send(this, request, Math.max(1, Number(options.timeoutSec ?? 30)) * 1000),
					sleep: async (ms) => await sleep(ms),
					now: () => Date.now(),
				},
				ledger,
			);
			const failed = outcomes.filter((outcome) => outcome.status === 'failed');
			if (failed.length > 0 && !this.continueOnFail()) {
				const message = `${failed.length} of ${outcomes.length} deals were not accepted by ${destination}: ${failed[0].orderId}: ${failed[0].reason ?? ''}`;
				const failure = new NodeApiError(this.getNode(), { failed: failed.length } as JsonObject, {
					message,
					description: 'The deals that were accepted are recorded and will not be sent again; run again to retry the rest.',
				});
				// NodeApiError swaps a message that mentions ECONNRESET, ETIMEDOUT, ... for n8n's generic connection text,
				// which names neither the destination nor the deals: keep ours.
				failure.message = message;
				throw failure;
			}
			return [
				outcomes.map((outcome, i) => ({
					json: (outcome.status === 'failed' ? { ...outcome, error: outcome.reason } : outcome) as unknown as IDataObject,
					pairedItem: { item: i },
				})),
			];
		} catch (error) {
			const failure = toNodeError(this.getNode(), error, { secrets });
			throw failure;
		}
	}
}

function readDestination(ctx: IExecuteFunctions, destination: DestinationSettings['destination'], credential: IDataObject): DestinationSettings {
	const crmId = () => crmIdSource(ctx.getNodeParameter('crmIdFrom', 0) as string, ctx.getNodeParameter('crmIdPath', 0, '') as string);
	switch (destination) {
		case 'ga4':
			return {
				destination,
				ga4: {
					...DEFAULT_GA4_OPTIONS,
					measurementId: String(credential.measurementId ?? ''),
					apiSecret: String(credential.apiSecret ?? ''),
					endpoint: String(credential.endpoint ?? ''),
					debug: ctx.getNodeParameter('validateOnly', 0) as boolean,
					missingClientId: ctx.getNodeParameter('missingClientId', 0) as 'report' | 'orderIdAsClientId',
					oldEvents: ctx.getNodeParameter('oldEvents', 0) as 'clamp' | 'skip',
					now: Date.now(),
				},
			};
		case 'metrica':
			return {
				destination,
				metrica: {
					counterId: String(ctx.getNodeParameter('counterId', 0)),
					goal: String(ctx.getNodeParameter('goal', 0)),
					token: String(credential.token ?? ''),
					apiBase: String(credential.apiBase ?? '').replace(/\/+$/, '') || undefined,
					counterTimeZone: readTimeZone(ctx, ctx.getNodeParameter('counterTimeZone', 0)),
					withoutId: ctx.getNodeParameter('withoutMetricaId', 0) as 'orders' | 'report',
					now: Date.now(),
				},
			};
		case 'amocrm': {
			const wonStatusId = ctx.getNodeParameter('wonStatusId', 0) as number;
			const refundStatusId = ctx.getNodeParameter('refundStatusId', 0, 0) as number;
			const fields = (ctx.getNodeParameter('customFields', 0, {}) as { field?: Array<{ fieldId: number; source: AmoFieldSource }> }).field ?? [];
			return {
				destination,
				amocrm: {
					baseUrl: String(credential.baseUrl ?? ''),
					token: String(credential.token ?? ''),
					leadId: crmId(),
					customFields: fields.filter((field) => field.fieldId > 0),
					...(wonStatusId > 0 ? { wonStatusId } : {}),
					...(refundStatusId > 0 ? { refundStatusId } : {}),
				},
			};
		}
		case 'bitrix24':
			return { destination, webhookUrl: String(credential.webhookUrl ?? ''), bitrix24: { dealId: crmId(), writeUtm: ctx.getNodeParameter('writeUtm', 0) as boolean } };
		case 'webhook':
			return { destination, webhook: { url: String(credential.url ?? ''), secret: String(credential.secret ?? '') || undefined, mode: ctx.getNodeParameter('webhookMode', 0) as 'perDeal' | 'batch' } };
	}
}

async function send(ctx: IExecuteFunctions, request: PushRequest, timeoutMs: number): Promise<HttpResult> {
	const response = (await ctx.helpers.httpRequest({
		method: request.method,
		url: request.url,
		headers: request.headers,
		body: request.body,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: timeoutMs,
		json: false,
	})) as { statusCode: number; headers: Record<string, string>; body: unknown };
	let body = response.body;
	if (typeof body === 'string' && /^\s*[[{]/.test(body)) {
		try {
			body = JSON.parse(body) as unknown;
		} catch {
			// not JSON after all: keep the text for the error report
		}
	}
	return { status: response.statusCode, headers: response.headers, body };
}
