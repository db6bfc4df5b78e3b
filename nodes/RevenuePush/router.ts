import { NodeApiError, sleep, type IDataObject, type IExecuteFunctions, type INode, type INodeExecutionData, type JsonObject } from 'n8n-workflow';
import type { Deal } from '../shared/contracts';
import { toNodeError } from '../shared/nodeErrors';
import { readTimeZone } from '../shared/nodeParameters';
import { OPTION_DEFAULTS } from './description';
import { destinationNamed } from './destinations';
import { StoreLedger } from './ledger/ledger';
import type { PushMode } from './ledger/transactions';
import { pushRevenue, unsentOutcome, type DealOutcome } from './pushRevenue';
import { n8nSend } from './transport/send';

/** Credential fields that hold a secret: never shown in an error or an item. */
const SECRET_FIELDS = ['apiSecret', 'token', 'webhookUrl', 'url', 'secret', 'developerToken', 'clientSecret'];
/** An OAuth2 credential's tokens, kept by n8n in oauthTokenData (Google Ads). */
const TOKEN_FIELDS = ['access_token', 'refresh_token'];

/**
 * Runs the push to the chosen destination (destinations/): its credential and parameters read inside the `try`, the
 * deals pushed by pushRevenue, one output item per input item, paired to it. A failure of the whole run, and with
 * Continue On Fail off deals a destination did not accept, are thrown; with it on they become failed items.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const destinationName = this.getNodeParameter('destination', 0) as string;
	const secrets: string[] = [];
	let outcomes: DealOutcome[];
	try {
		const destination = destinationNamed(destinationName);
		const credential = await this.getCredentials(destination.credential);
		const tokens = (credential.oauthTokenData ?? {}) as IDataObject;
		secrets.push(...SECRET_FIELDS.map((field) => String(credential[field] ?? '')), ...TOKEN_FIELDS.map((field) => String(tokens[field] ?? '')));
		const options: IDataObject = { ...OPTION_DEFAULTS, ...(this.getNodeParameter('options', 0, {}) as IDataObject) };
		const mode = this.getNodeParameter('mode', 0) as PushMode;
		const timeZone = (value: unknown) => readTimeZone(this, value);
		outcomes = await pushRevenue(
			items.map((item) => item.json as unknown as Deal),
			{
				settings: destination.read(this, credential, { mode, now: Date.now(), timeZone }),
				mode,
				defaultCurrency: String(options.defaultCurrency) || null,
				timeZone: timeZone(options.timeZone),
				retry: { maxAttempts: Number(options.maxAttempts), maxTotalMs: Number(options.maxTotalSec) * 1000 },
				secrets,
				send: n8nSend(this, Math.max(1, Number(options.timeoutSec)) * 1000, destination.authenticatedByN8n ? destination.credential : undefined),
				sleep: async (ms) => await sleep(ms),
				now: () => Date.now(),
			},
			new StoreLedger(this.helpers),
		);
	} catch (error) {
		const failure = toNodeError(this.getNode(), error, { secrets });
		if (!this.continueOnFail()) throw failure;
		// Nothing can be told per deal: each input item fails with the run's error (none was recorded as sent).
		return [items.map((item, i) => ({ json: asItem(unsentOutcome(String(item.json.orderId ?? ''), destinationName, 'failed', failure.message)), pairedItem: { item: i } }))];
	}
	const failed = outcomes.filter((outcome) => outcome.status === 'failed');
	if (failed.length > 0 && !this.continueOnFail()) throw notAccepted(this.getNode(), destinationName, outcomes.length, failed);
	return [outcomes.map((outcome, i) => ({ json: asItem(outcome), pairedItem: { item: i } }))];
}

/** A deal's outcome as an output item; a failed one carries its reason as `error`, as n8n's failed items do. */
function asItem(outcome: DealOutcome): IDataObject {
	return (outcome.status === 'failed' ? { ...outcome, error: outcome.reason } : outcome) as unknown as IDataObject;
}

/** How deliver words a failed request: "HTTP 503" or "network error", found in a deal's reason. */
const FAILURE_HEAD = /HTTP (\d{3})|network error/;

/**
 * The error for deals a destination did not accept (Continue On Fail off): the message is the destination and how the
 * first of them failed, in deliver's words ("ga4: HTTP 503"); the service's own words, the deal and how many failed
 * go to the description. The message carries no service or library text: NodeApiError replaces any message that
 * mentions an error code (ECONNRESET, ETIMEDOUT, EEXIST..., even inside a word) with n8n's generic text, which names
 * neither the destination nor the reason.
 */
function notAccepted(node: INode, destination: string, total: number, failed: DealOutcome[]): NodeApiError {
	const first = failed[0];
	const reason = first.reason ?? 'no reason given';
	const head = FAILURE_HEAD.exec(reason);
	return new NodeApiError(node, { destination, failed: failed.length, deals: total } as JsonObject, {
		message: `${destination}: ${head?.[0] ?? 'deals refused'}`,
		description: `${failed.length} of ${total} deals were not accepted by ${destination}; the first, ${first.orderId}: ${reason}. The deals that were accepted are recorded and will not be sent again; run again to retry the rest.`,
		httpCode: head?.[1],
	});
}
