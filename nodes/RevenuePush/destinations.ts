import { InputDataError } from '../shared/errors';
import { amoLeadPatches, amoProblemText, amoRequests, type AmoOptions } from './amocrm';
import { batchResult, bitrixBatchRequests, bitrixErrorText, dealUpdates, parseBitrixWebhook, type BitrixOptions } from './bitrix24';
import type { CrmIdSource } from './dealIds';
import type { HttpResult } from './deliver';
import { ga4CredentialProblems, ga4Requests, planGa4Events, type Ga4Options } from './ga4';
import { readValidationMessages } from './ga4Limits';
import { AMOCRM_RATE, BITRIX24_RATE, type RateLimit } from './rateLimiter';
import type { PushRequest, Rejection } from './request';
import type { Transaction } from './transactions';
import { webhookRequests, type WebhookOptions } from './webhook';

/** Everything the node knows about one destination: its credential's values and the user's choices. */
export type DestinationSettings =
	| { destination: 'ga4'; ga4: Ga4Options }
	| { destination: 'amocrm'; amocrm: AmoOptions }
	| { destination: 'bitrix24'; webhookUrl: string; bitrix24: BitrixOptions }
	| { destination: 'webhook'; webhook: WebhookOptions };

/** The requests to send for a set of transactions, and how to read the service's answers. */
export interface DestinationPlan {
	requests: PushRequest[];
	/** Deals that cannot be sent as they are, with the reason. */
	rejected: Rejection[];
	limit: RateLimit | null;
	errorText(result: HttpResult): string;
	/** The revenue versions an accepted request really delivered (a Bitrix24 batch can fail per command). */
	accepted(request: PushRequest, result: HttpResult): { versionKeys: string[]; rejected: Rejection[] };
	/** false for GA4's validation mode: nothing is recorded as sent. */
	records: boolean;
}

const everything = (request: PushRequest) => ({ versionKeys: request.versionKeys, rejected: [] });

export function planDestination(settings: DestinationSettings, transactions: Transaction[]): DestinationPlan {
	switch (settings.destination) {
		case 'ga4': {
			const problems = ga4CredentialProblems(settings.ga4.measurementId, settings.ga4.apiSecret);
			if (problems.length > 0) throw new InputDataError(`The GA4 credential cannot be used: ${problems.join('; ')}`, 'Fix the GA4 Measurement Protocol credential.');
			const plan = planGa4Events(transactions, settings.ga4);
			const built = ga4Requests(plan.events, settings.ga4);
			return {
				requests: built.requests,
				rejected: [...plan.rejected, ...built.rejected],
				limit: null,
				errorText: (result) => textOf(result.body),
				accepted: (request, result) => {
					if (!settings.ga4.debug) return everything(request);
					const messages = readValidationMessages(result.body);
					return { versionKeys: [], rejected: messages.length > 0 ? request.orderIds.map((orderId) => ({ orderId, reason: `GA4 validation: ${messages.join('; ')}` })) : [] };
				},
				records: !settings.ga4.debug,
			};
		}
		case 'amocrm': {
			const patches = amoLeadPatches(transactions, settings.amocrm);
			return { requests: amoRequests(patches.leads, settings.amocrm), rejected: patches.rejected, limit: AMOCRM_RATE, errorText: (result) => amoProblemText(result.body), accepted: everything, records: true };
		}
		case 'bitrix24': {
			const hook = parseBitrixWebhook(settings.webhookUrl, { allowHttp: isLoopback(settings.webhookUrl) });
			const updates = dealUpdates(transactions, settings.bitrix24);
			return {
				requests: bitrixBatchRequests(updates.updates, hook, settings.bitrix24),
				rejected: updates.rejected,
				limit: BITRIX24_RATE,
				errorText: (result) => bitrixErrorText(result.body),
				accepted: (request, result) => {
					const outcome = batchResult(request, result.body);
					return { versionKeys: outcome.acceptedVersionKeys, rejected: outcome.rejected };
				},
				records: true,
			};
		}
		case 'webhook':
			return { requests: webhookRequests(transactions, settings.webhook), rejected: [], limit: null, errorText: (result) => textOf(result.body), accepted: everything, records: true };
	}
}

export function crmIdSource(from: string, path: string): CrmIdSource {
	return from === 'raw' ? { from: 'raw', path } : from === 'number' ? { from: 'number' } : { from: 'orderId' };
}

/** http is refused for real portals (the token would travel in clear text); a portal on this machine is a test. */
function isLoopback(url: string): boolean {
	return /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(url.trim());
}

function textOf(body: unknown): string {
	if (typeof body === 'string') return body.slice(0, 300);
	return JSON.stringify(body ?? '').slice(0, 300);
}
