import type { INodeProperties } from 'n8n-workflow';
import { InputDataError, redactSecrets } from '../../shared/errors';
import { isLoopback } from '../../shared/loopback';
import type { Transaction } from '../ledger/transactions';
import { BITRIX24_RATE } from '../transport/rateLimiter';
import { jsonRequest, type PushRequest, type Rejection } from '../transport/request';
import { bracketQuery } from './bracketQuery';
import { centsText } from './cents';
import { crmRecordId, readCrmIdSource, type CrmIdSource } from './dealIds';
import { shownFor, type RevenueDestination } from './destination';

/** Bitrix24's batch method runs at most 50 commands; the whole batch counts as one request against the rate limit. */
export const BITRIX24_BATCH_SIZE = 50;

export interface BitrixHook {
	/** "https://portal.bitrix24.ru/rest/1/abc123/": method names are appended to it. */
	base: string;
	portal: string;
	userId: string;
	/** The secret part: never shown. */
	token: string;
}

/**
 * Reads an incoming-webhook URL, https://<portal>/rest/<user id>/<token>/ (a trailing method name such as
 * "profile.json" is dropped). Errors never show the token.
 */
export function parseBitrixWebhook(url: string, options: { allowHttp?: boolean } = {}): BitrixHook {
	const text = url.trim();
	const match = /^(https?):\/\/([^/\s]+)\/rest\/(\d+)\/([A-Za-z0-9_]+)(?:\/[^\s]*)?$/.exec(text);
	const secret = /\/rest\/\d+\/([^/\s]+)/.exec(text)?.[1];
	const shown = maskRestPath(redactSecrets(text, [secret]));
	if (!match) {
		throw new InputDataError(`"${shown}" is not a Bitrix24 incoming webhook URL`, 'Copy the URL from Developer resources → Other → Incoming webhook; it looks like https://your-portal.bitrix24.ru/rest/1/<code>/ and needs the CRM (crm) scope.');
	}
	// Plain http would send the token in clear text; allowHttp exists for a box portal on a LAN and for tests.
	if (match[1] !== 'https' && !options.allowHttp) throw new InputDataError(`"${shown}" is not https`, 'Bitrix24 cloud portals answer REST calls over https only.');
	const [, scheme, portal, userId, token] = match;
	return { base: `${scheme}://${portal}/rest/${userId}/${token}/`, portal, userId, token };
}

/**
 * A URL shaped wrongly may hold the token anywhere after /rest/: every segment there but a user id or a method name
 * is masked, and a query string (?auth=…) dropped. Found with search and indexOf: `/[?#].*$/` tried every "?" and ran
 * to the end from each, quadratic in a value of many "?" before a line break.
 */
function maskRestPath(text: string): string {
	const query = text.search(/[?#]/);
	const path = query === -1 ? text : text.slice(0, query);
	const rest = path.indexOf('/rest/');
	if (rest === -1) return path;
	const start = rest + '/rest/'.length;
	return path.slice(0, start) + path.slice(start).split('/').map((part) => (part === '' || part === '***' || /^\d{1,6}$/.test(part) || /^[a-z.]+\.(json|xml)$/.test(part) ? part : '***')).join('/');
}

export function bitrixMethodUrl(hook: BitrixHook, method: string): string {
	return `${hook.base}${method}.json`;
}

export interface BitrixOptions {
	dealId: CrmIdSource;
	/** Copy the order's UTM tags into the deal's UTM_* fields (only the ones the order has). */
	writeUtm: boolean;
	/** Set OPPORTUNITY (and IS_MANUAL_OPPORTUNITY, CURRENCY_ID) to the revenue (Write Amount). */
	writeAmount: boolean;
	batchSize?: number;
}

export interface DealUpdate {
	id: number;
	fields: Record<string, string>;
	params: { REGISTER_SONET_EVENT: 'N' };
}

/**
 * crm.deal.update parameters: the real revenue as OPPORTUNITY (0 once refunded) with IS_MANUAL_OPPORTUNITY = 'Y', so
 * Bitrix24 does not recompute the sum from product rows, and the currency (unless Write Amount is off); the UTM
 * fields when asked. No feed event is posted.
 */
export function dealUpdate(transaction: Transaction, id: number, writeUtm: boolean, writeAmount: boolean): DealUpdate {
	const fields: Record<string, string> = writeAmount
		? { OPPORTUNITY: transaction.kind === 'refund' ? '0.00' : centsText(transaction.valueCents), IS_MANUAL_OPPORTUNITY: 'Y', CURRENCY_ID: transaction.currency }
		: {};
	if (writeUtm) {
		for (const key of ['source', 'medium', 'campaign', 'content', 'term'] as const) {
			const value = transaction.utm[key];
			if (value) fields[`UTM_${key.toUpperCase()}`] = value;
		}
	}
	return { id, fields, params: { REGISTER_SONET_EVENT: 'N' } };
}

export function dealUpdates(transactions: Transaction[], options: BitrixOptions): { updates: Array<{ update: DealUpdate; transaction: Transaction }>; rejected: Rejection[] } {
	const updates: Array<{ update: DealUpdate; transaction: Transaction }> = [];
	const rejected: Rejection[] = [];
	for (const transaction of transactions) {
		const found = crmRecordId(transaction.deal, options.dealId);
		if ('problem' in found) rejected.push({ orderId: transaction.orderId, reason: found.problem });
		else {
			const update = dealUpdate(transaction, found.id, options.writeUtm, options.writeAmount);
			if (Object.keys(update.fields).length > 0) updates.push({ update, transaction });
			else rejected.push({ orderId: transaction.orderId, reason: `nothing to write into deal ${found.id}: Write Amount is off and the deal has no utm tags` });
		}
	}
	return { updates, rejected };
}

/** A batch command: "crm.deal.update?id=7&fields[OPPORTUNITY]=1500.00&…", every part percent-encoded. */
export function dealUpdateCommand(update: DealUpdate): string {
	return `crm.deal.update?${bracketQuery({ id: update.id, fields: update.fields, params: update.params })}`;
}

/**
 * POST batch.json bodies of at most 50 commands, halt = 0 (one bad deal does not stop the others). Command keys are
 * "d<position>", so each answer maps back to its deal.
 */
export function bitrixBatchRequests(updates: ReturnType<typeof dealUpdates>['updates'], hook: BitrixHook, options: Pick<BitrixOptions, 'batchSize'> = {}): PushRequest[] {
	const size = Math.min(options.batchSize ?? BITRIX24_BATCH_SIZE, BITRIX24_BATCH_SIZE);
	const requests: PushRequest[] = [];
	for (let start = 0; start < updates.length; start += size) {
		const chunk = updates.slice(start, start + size);
		const cmd: Record<string, string> = {};
		chunk.forEach((entry, index) => (cmd[`d${index}`] = dealUpdateCommand(entry.update)));
		requests.push(
			jsonRequest(`bitrix24:${start / size}`, 'POST', bitrixMethodUrl(hook, 'batch'), { halt: 0, cmd }, {
				orderIds: chunk.map((entry) => entry.transaction.orderId),
				versionKeys: chunk.map((entry) => entry.transaction.versionKey),
			}),
		);
	}
	return requests;
}

export type BatchCommandOutcome = { ok: true } | { ok: false; error: string };

/**
 * A batch answer per command, in request order: `result.result[key]` is success, `result.result_error[key]` the
 * failure (PHP sends an empty list as [], a filled one as an object). A command with neither is a failure too.
 */
export function readBatchOutcomes(body: unknown, commandCount: number): BatchCommandOutcome[] {
	const parsed = typeof body === 'string' ? safeJson(body) : body;
	const result = (parsed as { result?: { result?: unknown; result_error?: unknown } } | undefined)?.result;
	const ok = asRecord(result?.result);
	const errors = asRecord(result?.result_error);
	const outcomes: BatchCommandOutcome[] = [];
	for (let i = 0; i < commandCount; i++) {
		const key = `d${i}`;
		if (key in errors) outcomes.push({ ok: false, error: bitrixErrorText(errors[key]) });
		else if (key in ok && ok[key] !== false) outcomes.push({ ok: true });
		else outcomes.push({ ok: false, error: 'Bitrix24 did not answer for this command' });
	}
	return outcomes;
}

/** {"error":"…","error_description":"…"} in words; Bitrix24 leaves `error` empty for "Not found". */
export function bitrixErrorText(body: unknown): string {
	const parsed = typeof body === 'string' ? safeJson(body) ?? body : body;
	if (typeof parsed === 'string') return parsed.slice(0, 300);
	const { error, error_description: description } = (parsed ?? {}) as { error?: string; error_description?: string };
	return [error, description].filter((part) => part && part.length > 0).join(': ') || 'no error text';
}

function asRecord(value: unknown): Record<string, unknown> {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/**
 * A delivered batch (HTTP 200) can still hold failed commands: only the versions of the commands that succeeded are
 * to be recorded; the others are reported in Bitrix24's words.
 */
export function batchResult(request: PushRequest, body: unknown): { acceptedVersionKeys: string[]; rejected: Rejection[] } {
	const outcomes = readBatchOutcomes(body, request.orderIds.length);
	const result = { acceptedVersionKeys: [] as string[], rejected: [] as Rejection[] };
	outcomes.forEach((outcome, index) => {
		if (outcome.ok) result.acceptedVersionKeys.push(request.versionKeys[index]);
		else result.rejected.push({ orderId: request.orderIds[index], reason: outcome.error });
	});
	return result;
}

const properties: INodeProperties[] = [
	{
		displayName: 'Write Amount',
		name: 'writeAmount',
		type: 'boolean',
		// On: the node's behaviour before the setting existed.
		default: true,
		displayOptions: shownFor('bitrix24'),
		description:
			"Whether to set the deal's amount to its revenue (marked as typed by hand, so Bitrix24 stops summing the product rows). Turn off when the deals come from this Bitrix24: the amount is already its own.",
	},
	{
		displayName: 'Write UTM Fields',
		name: 'writeUtm',
		type: 'boolean',
		default: true,
		displayOptions: shownFor('bitrix24'),
		description: "Whether to copy the order's utm tags into the deal's UTM fields",
	},
];

export interface BitrixSettings {
	destination: 'bitrix24';
	/** The incoming webhook's URL: its path holds the secret code. */
	webhookUrl: string;
	bitrix24: BitrixOptions;
}

/** Throws, without the token, when the URL is not an incoming webhook. */
const bitrixHook = (url: string) => parseBitrixWebhook(url, { allowHttp: isLoopback(url) });

/** Bitrix24 through an incoming webhook: the secret is in the URL's path, which n8n's `authenticate` cannot set. */
export const bitrix24Destination: RevenueDestination<BitrixSettings> = {
	credential: 'bitrix24WebhookApi',
	authenticatedByN8n: false,
	properties,
	read: (ctx, credential) => ({
		destination: 'bitrix24',
		webhookUrl: String(credential.webhookUrl ?? ''),
		bitrix24: { dealId: readCrmIdSource(ctx), writeUtm: ctx.getNodeParameter('writeUtm', 0) as boolean, writeAmount: ctx.getNodeParameter('writeAmount', 0) as boolean },
	}),
	screen: (settings, transactions) => {
		bitrixHook(settings.webhookUrl);
		return { rejected: dealUpdates(transactions, settings.bitrix24).rejected, records: true };
	},
	plan: (settings, transactions) => {
		const hook = bitrixHook(settings.webhookUrl);
		const updates = dealUpdates(transactions, settings.bitrix24);
		return {
			requests: bitrixBatchRequests(updates.updates, hook, settings.bitrix24),
			rejected: updates.rejected,
			notes: [],
			limit: BITRIX24_RATE,
			errorText: (result) => bitrixErrorText(result.body),
			accepted: (request, result) => {
				const outcome = batchResult(request, result.body);
				return { versionKeys: outcome.acceptedVersionKeys, rejected: outcome.rejected };
			},
			records: true,
		};
	},
};
