import type { ICredentialDataDecryptedObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { ReceiptLookup } from '../ledger/receipts';
import type { PushMode, Transaction } from '../ledger/transactions';
import type { HttpResult } from '../transport/deliver';
import type { RateLimit } from '../transport/rateLimiter';
import type { PushRequest, Rejection } from '../transport/request';

/** What an accepted request really delivered (a Bitrix24 batch can fail per command), and the service's receipt. */
export interface Acceptance {
	versionKeys: string[];
	rejected: Rejection[];
	/** The service's reference for the request, e.g. "Metrica upload 1001: UPLOADED". */
	receipt?: string;
}

/** The requests to send for a set of transactions, and how to read the service's answers. */
export interface DestinationPlan {
	requests: PushRequest[];
	/** Deals that cannot be sent as they are, with the reason. */
	rejected: Rejection[];
	/** Remarks on deals that are sent: a date moved into the service's window, a visit too old to link. */
	notes: Rejection[];
	limit: RateLimit | null;
	errorText(result: HttpResult): string;
	/** Default: 429, 408 and 5xx. */
	retryable?: (result: HttpResult) => boolean;
	/** The wait a refusal's body asks for, as Retry-After text (Google's retryDelay); default the Retry-After header. */
	retryAfter?: (result: HttpResult) => string | null;
	accepted(request: PushRequest, result: HttpResult): Acceptance;
	/** false for GA4's validation mode: nothing is recorded as sent. */
	records: boolean;
	/** Where the service lists what it took, for requests it would count twice (those with a receiptKey). */
	receipts?: ReceiptLookup;
}

/** The deals a destination cannot take as they are, found without building a request; and whether it records. */
export interface Screening {
	rejected: Rejection[];
	records: boolean;
}

/** What every destination reads besides its own parameters. */
export interface RunContext {
	mode: PushMode;
	/** Epoch ms of the run. */
	now: number;
	/** A time zone parameter's value, checked (the workflow's time zone when empty). */
	timeZone(value: unknown): string;
}

/**
 * One destination of the node, as n8n's multi-operation nodes keep an operation: the parameters the editor shows for
 * it, the code that reads them (with its credential) into settings, and the plan of its requests. `S` is its member of
 * DestinationSettings. `screen` and `plan` throw when the settings cannot be used at all (a malformed credential,
 * counter or webhook).
 */
export interface RevenueDestination<S> {
	/** The credential type it uses. */
	credential: string;
	/**
	 * Whether n8n signs its requests with the credential's own `authenticate` (httpRequestWithAuthentication); else the
	 * requests carry their secret as the destination builds them (in the URL, or a signature over the body).
	 */
	authenticatedByN8n: boolean;
	/** Shown for this destination only (their displayOptions say so), in the editor's order. */
	properties: INodeProperties[];
	read(ctx: IExecuteFunctions, credential: ICredentialDataDecryptedObject, run: RunContext): S;
	screen(settings: S, transactions: Transaction[]): Screening;
	/** `held`: the order ids whose heldKey the ledger has (see heldKey). */
	plan(settings: S, transactions: Transaction[], held: ReadonlySet<string>): DestinationPlan;
	/**
	 * A ledger key the destination records with a deal's first accepted version, for services where a later version
	 * of the deal is sent another way (Google Ads restates a conversion it already holds, and retracts only one it
	 * holds); null for deals it does not concern. The node asks the ledger for these keys with the versions, and tells
	 * plan() which it holds.
	 */
	heldKey?(settings: S, transaction: Transaction): string | null;
}

/** displayOptions for parameters of the given destinations. */
export const shownFor = (...destination: string[]) => ({ show: { destination } });

/** Every deal of the request was taken (the service answers for the request as a whole). */
export const acceptAll = (request: PushRequest): Acceptance => ({ versionKeys: request.versionKeys, rejected: [] });

/** A service's answer as text for a report, at most 300 characters. */
export function answerText(body: unknown): string {
	if (typeof body === 'string') return body.slice(0, 300);
	return JSON.stringify(body ?? '').slice(0, 300);
}
