import { DateTime } from 'luxon';
import type { INodeProperties } from 'n8n-workflow';
import { serviceUrl } from '../../AdSpend/exchange';
import { customerId, GOOGLE_ADS_URL, GOOGLE_ADS_VERSION, googleAdsFailure } from '../../AdSpend/googleAdsReport';
import { InputDataError } from '../../shared/errors';
import { googleClickId } from '../../shared/googleClickId';
import type { Transaction } from '../ledger/transactions';
import type { HttpResult } from '../transport/deliver';
import { jsonRequest, type PushRequest, type Rejection } from '../transport/request';
import { centsNumber } from './cents';
import { shownFor, type Acceptance, type DestinationPlan, type RevenueDestination } from './destination';

/**
 * Google Ads offline click conversions (issue 21), over REST:
 * - `POST /{version}/customers/{id}:uploadClickConversions` (ConversionUploadService.UploadClickConversions,
 *   https://developers.google.com/google-ads/api/reference/rpc/v25/UploadClickConversionsRequest): `conversions` with
 *   one of gclid / gbraid / wbraid, `conversionAction` ("customers/{id}/conversionActions/{actionId}"),
 *   `conversionDateTime` ("yyyy-mm-dd hh:mm:ss+|-hh:mm"), `conversionValue`, `currencyCode`, `orderId`, `consent`;
 *   `partialFailure` must be true ("Setting partial_failure = false or omitting the field is not supported"); fewer
 *   than 2001 conversions a request (TOO_MANY_CONVERSIONS_IN_REQUEST);
 * - `POST /{version}/customers/{id}:uploadConversionAdjustments` (ConversionAdjustmentUploadService, proto
 *   google/ads/googleads/v25/services/conversion_adjustment_upload_service.proto): `conversionAdjustments` identified
 *   by `orderId` + `conversionAction`, with `adjustmentDateTime` (after the conversion's time) and `adjustmentType`
 *   RETRACTION (the conversion's value and count go to zero) or RESTATEMENT with `restatementValue { adjustedValue,
 *   currencyCode }` (a second restatement needs a later adjustment time, or Google ignores it as a duplicate);
 * - the answer of both: 200 with `results` (empty objects for failed rows) and, when rows failed, a google.rpc.Status
 *   `partialFailureError { code, message, details: [{ '@type': '...GoogleAdsFailure', errors: [{ errorCode:
 *   { conversionUploadError: 'ORDER_ID_ALREADY_IN_USE' }, message, location: { fieldPathElements: [{ fieldName:
 *   'conversions', index: 1 }, ...] } }] }] }` (https://developers.google.com/google-ads/api/docs/best-practices/partial-failures);
 *   errors outside the rows (authentication, quota) fail the whole request with an HTTP error, 429 RESOURCE_EXHAUSTED
 *   with `quotaErrorDetails.retryDelay` ("30s", QuotaErrorDetails in the reference).
 * The developer token goes in the `developer-token` header, a manager account in `login-customer-id`; n8n adds the
 * OAuth2 bearer token (httpRequestWithAuthentication with the credential salesAnalyticsGoogleAdsOAuth2Api).
 */
export const GOOGLE_ADS_LIMITS = {
	/** "Upload fewer than 2001 events in a single request" (ConversionUploadError TOO_MANY_CONVERSIONS_IN_REQUEST), adjustments alike. */
	rowsPerRequest: 2000,
};

/**
 * Row errors that mean Google already has what the row says (conversion_upload_error.proto and
 * conversion_adjustment_upload_error.proto): the order id was recorded before (ORDER_ID_ALREADY_IN_USE), the click
 * and time are there (CLICK_CONVERSION_ALREADY_EXISTS), the conversion was retracted already, a restatement with that
 * adjustment time exists. A resend after a lost answer meets these: the row is delivered, it is there.
 */
const ALREADY_THERE = new Set(['ORDER_ID_ALREADY_IN_USE', 'CLICK_CONVERSION_ALREADY_EXISTS', 'CONVERSION_ALREADY_RETRACTED', 'RESTATEMENT_ALREADY_EXISTS']);

export type AdUserDataConsent = 'GRANTED' | 'DENIED' | '';

export interface GoogleAdsOptions {
	apiUrl: string;
	version: string;
	/** 10 digits. */
	customerId: string;
	/** The manager account's 10 digits, or ''. */
	loginCustomerId: string;
	conversionActionId: string;
	/** The account's time zone: conversion and adjustment times are written in it. */
	timeZone: string;
	/** consent.adUserData on every conversion; '' leaves it out. */
	consent: AdUserDataConsent;
	validateOnly: boolean;
	/** Rows per request, at most GOOGLE_ADS_LIMITS.rowsPerRequest: smaller requests keep a failed one from holding back many deals. */
	rowsPerRequest: number;
	/** Sent as the developer-token header. */
	developerToken: string;
	/** Epoch ms of the run. */
	now: number;
}

export interface GoogleAdsSettings {
	destination: 'googleAds';
	googleAds: GoogleAdsOptions;
}

/** The resource name of the conversion action. */
export function conversionActionName(options: Pick<GoogleAdsOptions, 'customerId' | 'conversionActionId'>): string {
	return `customers/${options.customerId}/conversionActions/${options.conversionActionId}`;
}

/** Epoch ms as Google Ads writes a date time: "2026-11-05 14:03:07+03:00", in the account's zone. */
export function googleAdsDateTime(ms: number, timeZone: string): string {
	return DateTime.fromMillis(ms, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm:ssZZ');
}

/** The ledger key recorded with a deal's accepted click conversion: a later total of the deal is a RESTATEMENT. */
export function conversionHeldKey(orderId: string, options: Pick<GoogleAdsOptions, 'conversionActionId'>): string {
	return `googleAds:${orderId}:conversion:${options.conversionActionId}`;
}

/** The deals Google Ads cannot take as they are: no Google click id on their touches, or one that is not a click id. */
export function googleAdsRejections(transactions: Transaction[]): Rejection[] {
	const rejected: Rejection[] = [];
	for (const transaction of transactions) {
		const click = transaction.googleClick;
		if (click === null) rejected.push({ orderId: transaction.orderId, reason: "no Google Ads click id (gclid, gbraid or wbraid) on the deal's touches" });
		else if (googleClickId(click.id) === null) rejected.push({ orderId: transaction.orderId, reason: `the ${click.type} "${click.id.slice(0, 40)}" is not a Google click id` });
	}
	return rejected;
}

interface Row {
	transaction: Transaction;
	payload: Record<string, unknown>;
	/** The ledger keys its acceptance records. */
	versionKeys: string[];
}

/**
 * The rows of a run: a click conversion per won deal Google does not hold yet, a RESTATEMENT per won deal it holds
 * (its total changed), a RETRACTION per refund of a deal it holds; each order once (two rows with one order id in a
 * request both fail, DUPLICATE_ORDER_ID). A refund of a deal whose conversion this workflow never uploaded is
 * `unheld`: there is nothing to retract (Google would answer CONVERSION_NOT_FOUND, run after run).
 */
export function planGoogleAdsRows(transactions: Transaction[], held: ReadonlySet<string>, options: GoogleAdsOptions): { conversions: Row[]; adjustments: Row[]; notes: Rejection[]; unheld: Rejection[] } {
	const refused = new Set(googleAdsRejections(transactions).map((rejection) => rejection.orderId));
	const action = conversionActionName(options);
	const conversions: Row[] = [];
	const adjustments: Row[] = [];
	const notes: Rejection[] = [];
	const unheld: Rejection[] = [];
	const seen = new Set<string>();
	for (const transaction of transactions) {
		if (refused.has(transaction.orderId) || seen.has(transaction.orderId)) continue;
		seen.add(transaction.orderId);
		if (transaction.kind === 'refund' && !held.has(transaction.orderId)) {
			unheld.push({ orderId: transaction.orderId, reason: 'no conversion of this order was uploaded to Google Ads from this workflow: nothing to retract' });
			continue;
		}
		// Google refuses times ahead of its clock: a sale stamped in the future (clock skew) is sent as now.
		const atMs = Math.min(transaction.occurredAtMs, options.now);
		if (atMs !== transaction.occurredAtMs) notes.push({ orderId: transaction.orderId, reason: 'the sale time is ahead of now; sent as now' });
		const at = googleAdsDateTime(atMs, options.timeZone);
		const value = centsNumber(transaction.valueCents);
		if (transaction.kind === 'refund') {
			adjustments.push({ transaction, versionKeys: [transaction.versionKey], payload: { orderId: transaction.orderId, conversionAction: action, adjustmentDateTime: at, adjustmentType: 'RETRACTION' } });
		} else if (held.has(transaction.orderId)) {
			// Dated now, when the node learned the new total: later than the conversion and than any earlier restatement
			// (one with an earlier or the same time Google ignores), whether or not the CRM moved the order's update time.
			const restatedAt = googleAdsDateTime(options.now, options.timeZone);
			adjustments.push({
				transaction,
				versionKeys: [transaction.versionKey],
				payload: { orderId: transaction.orderId, conversionAction: action, adjustmentDateTime: restatedAt, adjustmentType: 'RESTATEMENT', restatementValue: { adjustedValue: value, currencyCode: transaction.currency } },
			});
		} else {
			const click = transaction.googleClick as NonNullable<Transaction['googleClick']>;
			conversions.push({
				transaction,
				versionKeys: [transaction.versionKey, conversionHeldKey(transaction.orderId, options)],
				payload: {
					[click.type]: click.id,
					conversionAction: action,
					conversionDateTime: at,
					conversionValue: value,
					currencyCode: transaction.currency,
					orderId: transaction.orderId,
					...(options.consent ? { consent: { adUserData: options.consent } } : {}),
				},
			});
		}
	}
	return { conversions, adjustments, notes, unheld };
}

/** The request URL of a method ("uploadClickConversions", "uploadConversionAdjustments"). */
export function googleAdsMethodUrl(options: Pick<GoogleAdsOptions, 'apiUrl' | 'version' | 'customerId'>, method: string): string {
	return `${options.apiUrl}/${options.version}/customers/${options.customerId}:${method}`;
}

/** The requests for the rows, at most 2000 rows each; `rows` of each request in body order (for reading its answer). */
export function googleAdsRequests(plan: { conversions: Row[]; adjustments: Row[] }, options: GoogleAdsOptions): Array<{ request: PushRequest; rows: Row[] }> {
	const headers = { 'developer-token': options.developerToken, ...(options.loginCustomerId ? { 'login-customer-id': options.loginCustomerId } : {}) };
	const requests: Array<{ request: PushRequest; rows: Row[] }> = [];
	const kinds = [
		{ rows: plan.conversions, method: 'uploadClickConversions', field: 'conversions' },
		{ rows: plan.adjustments, method: 'uploadConversionAdjustments', field: 'conversionAdjustments' },
	];
	for (const { rows, method, field } of kinds) {
		const size = Math.max(1, Math.min(GOOGLE_ADS_LIMITS.rowsPerRequest, Math.floor(options.rowsPerRequest)));
		for (let start = 0; start < rows.length; start += size) {
			const chunk = rows.slice(start, start + size);
			const body = { [field]: chunk.map((row) => row.payload), partialFailure: true, ...(options.validateOnly ? { validateOnly: true } : {}) };
			const carried = { orderIds: chunk.map((row) => row.transaction.orderId), versionKeys: chunk.flatMap((row) => row.versionKeys) };
			requests.push({ request: jsonRequest(`googleAds:${method}:${start / size}`, 'POST', googleAdsMethodUrl(options, method), body, carried, headers), rows: chunk });
		}
	}
	return requests;
}

interface RowError {
	code: string;
	message: string;
	index: number | null;
}

/** The row errors of an answer's partialFailureError: each error's code (its errorCode's value), words and row index. */
export function partialFailureErrors(body: unknown): RowError[] {
	const status = body !== null && typeof body === 'object' ? (body as { partialFailureError?: unknown }).partialFailureError : undefined;
	const details = status !== null && typeof status === 'object' ? (status as { details?: unknown }).details : undefined;
	const errors: RowError[] = [];
	for (const detail of Array.isArray(details) ? details : []) {
		const list = detail !== null && typeof detail === 'object' ? (detail as { errors?: unknown }).errors : undefined;
		for (const error of Array.isArray(list) ? (list as Array<Record<string, unknown>>) : []) {
			const errorCode = error?.errorCode !== null && typeof error?.errorCode === 'object' ? (error.errorCode as Record<string, unknown>) : {};
			const code = String(Object.values(errorCode)[0] ?? 'UNKNOWN');
			const path = (error?.location as { fieldPathElements?: Array<{ index?: unknown }> } | undefined)?.fieldPathElements;
			const first = Array.isArray(path) ? path[0]?.index : undefined;
			const index = typeof first === 'number' && Number.isInteger(first) ? first : typeof first === 'string' && /^\d{1,6}$/.test(first) ? Number(first) : null;
			errors.push({ code, message: String(error?.message ?? '').slice(0, 300), index });
		}
	}
	if (errors.length === 0 && status !== undefined && status !== null) errors.push({ code: 'UNKNOWN', message: String((status as { message?: unknown }).message ?? 'partial failure without details').slice(0, 300), index: null });
	return errors;
}

/**
 * What an accepted request delivered: every row but those with an error, and rows whose error says Google has them
 * already. An error that names no row leaves every row without its own verdict failed: which of them Google took
 * cannot be told, and a resend is safe (Google keeps each order id once and answers ORDER_ID_ALREADY_IN_USE).
 */
export function googleAdsAcceptance(rows: Row[], result: HttpResult, validateOnly: boolean): Acceptance {
	const errors = partialFailureErrors(result.body);
	const byRow = new Map<number, RowError[]>();
	const unplaced = errors.filter((error) => error.index === null || error.index >= rows.length);
	for (const error of errors) if (error.index !== null && error.index < rows.length) byRow.set(error.index, [...(byRow.get(error.index) ?? []), error]);
	const acceptance: Acceptance = { versionKeys: [], rejected: [] };
	rows.forEach((row, index) => {
		const own = byRow.get(index) ?? [];
		const refusals = own.filter((error) => !ALREADY_THERE.has(error.code));
		const words = (list: RowError[]) => list.map((error) => `${error.code}${error.message ? `: ${error.message}` : ''}`).join('; ');
		if (refusals.length > 0) acceptance.rejected.push({ orderId: row.transaction.orderId, reason: `Google Ads${validateOnly ? ' validation' : ''}: ${words(refusals)}` });
		else if (own.length === 0 && unplaced.length > 0) acceptance.rejected.push({ orderId: row.transaction.orderId, reason: `Google Ads refused rows of the request without saying which: ${words(unplaced)}` });
		else if (!validateOnly) acceptance.versionKeys.push(...row.versionKeys);
	});
	return acceptance;
}

/** Google's retryDelay ("30s", "1.5s") from a quota error's details, as seconds for Retry-After; null when none. */
export function googleRetryDelay(body: unknown): string | null {
	const error = (Array.isArray(body) ? body[0] : body) as { error?: { details?: unknown } } | undefined;
	const details = error?.error?.details;
	for (const detail of Array.isArray(details) ? (details as Array<Record<string, unknown>>) : []) {
		const delays = [detail?.retryDelay, ...(Array.isArray(detail?.errors) ? (detail.errors as Array<{ details?: { quotaErrorDetails?: { retryDelay?: unknown } } }>).map((entry) => entry?.details?.quotaErrorDetails?.retryDelay) : [])];
		for (const delay of delays) {
			const seconds = typeof delay === 'string' && /^\d{1,6}(?:\.\d{1,9})?s$/.test(delay) ? Number(delay.slice(0, -1)) : NaN;
			if (Number.isFinite(seconds)) return String(seconds);
		}
	}
	return null;
}

function plan(options: GoogleAdsOptions, transactions: Transaction[], held: ReadonlySet<string>): DestinationPlan {
	const rows = planGoogleAdsRows(transactions, held, options);
	const requests = googleAdsRequests(rows, options);
	const rowsOf = new Map(requests.map(({ request, rows: carried }) => [request.key, carried]));
	return {
		requests: requests.map(({ request }) => request),
		rejected: [...googleAdsRejections(transactions), ...rows.unheld],
		notes: rows.notes,
		limit: null,
		errorText: (result) => googleAdsFailure(result, `HTTP ${result.status}`).message,
		retryAfter: (result) => googleRetryDelay(result.body),
		accepted: (request, result) => googleAdsAcceptance(rowsOf.get(request.key) ?? [], result, options.validateOnly),
		records: !options.validateOnly,
	};
}

const properties: INodeProperties[] = [
	{
		displayName: 'Customer ID',
		name: 'googleAdsCustomerId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '123-456-7890',
		displayOptions: shownFor('googleAds'),
		description: 'The Google Ads account the conversions are uploaded to (top right in Google Ads)',
	},
	{
		displayName: 'Login Customer ID',
		name: 'googleAdsLoginCustomerId',
		type: 'string',
		default: '',
		placeholder: '987-654-3210',
		displayOptions: shownFor('googleAds'),
		description: 'The manager account the credential reaches the customer through (sent as the Login-Customer-ID header); empty when the Google account has access to the customer itself',
	},
	{
		displayName: 'Conversion Action ID',
		name: 'conversionActionId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '987654321',
		displayOptions: shownFor('googleAds'),
		description: 'The ID of an "Import from clicks" conversion action (Goals → Conversions → the action: ctId in its address)',
	},
	{
		displayName: 'Account Time Zone',
		name: 'googleAdsTimeZone',
		type: 'string',
		default: '',
		placeholder: 'Europe/Moscow',
		displayOptions: shownFor('googleAds'),
		description: "The Google Ads account's time zone: conversion times are written in it. Empty: the workflow's time zone.",
	},
	{
		displayName: 'Ad User Data Consent',
		name: 'adUserDataConsent',
		type: 'options',
		options: [
			{ name: 'Not Sent', value: '', description: 'Leave consent out (the account default applies)' },
			{ name: 'Granted', value: 'GRANTED' },
			{ name: 'Denied', value: 'DENIED' },
		],
		default: '',
		displayOptions: shownFor('googleAds'),
		description: 'Consent.adUserData on every conversion: whether the buyers agreed that their data is sent to Google (required for users in the EEA)',
	},
	{
		displayName: 'Validate Only',
		name: 'googleAdsValidateOnly',
		type: 'boolean',
		default: false,
		displayOptions: shownFor('googleAds'),
		description: 'Whether Google only checks the conversions (validateOnly) and reports its errors, recording nothing',
	},
	{
		displayName: 'Conversions per Request',
		name: 'googleAdsRowsPerRequest',
		type: 'number',
		default: 2000,
		typeOptions: { minValue: 1, maxValue: GOOGLE_ADS_LIMITS.rowsPerRequest },
		displayOptions: shownFor('googleAds'),
		description: 'At most 2000 (Google\'s limit); a smaller number keeps one failed request from holding back many deals',
	},
	{
		displayName: 'API Version',
		name: 'googleAdsApiVersion',
		type: 'string',
		default: '',
		placeholder: GOOGLE_ADS_VERSION,
		displayOptions: shownFor('googleAds'),
		description: `Empty: the version this pack was tested with (${GOOGLE_ADS_VERSION}). Set a newer one when Google retires it.`,
	},
];

/** A customer id parameter as its 10 digits; '' for an optional one left empty. */
function readCustomerId(value: unknown, what: string, optional: boolean): string {
	const text = String(value ?? '').trim().slice(0, 40);
	if (optional && text === '') return '';
	const digits = customerId(text);
	if (digits === null) throw new InputDataError(`${what} "${text}" is not a Google Ads customer id`, 'Write the 10 digits, with or without dashes: 123-456-7890.');
	return digits;
}

/**
 * Google Ads: the OAuth2 token goes in by n8n (the credential extends Google OAuth2); the developer token, a secret
 * too, goes in the developer-token header built here (the node redacts it from every report).
 */
export const googleAdsDestination: RevenueDestination<GoogleAdsSettings> = {
	credential: 'salesAnalyticsGoogleAdsOAuth2Api',
	authenticatedByN8n: true,
	properties,
	read: (ctx, credential, run) => {
		const actionId = String(ctx.getNodeParameter('conversionActionId', 0)).trim().slice(0, 40);
		if (!/^\d{1,19}$/.test(actionId)) throw new InputDataError(`Conversion Action ID "${actionId}" is not a number`, 'Copy the number after ctId= in the address of the conversion action in Google Ads.');
		const version = String(ctx.getNodeParameter('googleAdsApiVersion', 0) || GOOGLE_ADS_VERSION).trim().slice(0, 20);
		if (!/^v\d{1,3}$/.test(version)) throw new InputDataError(`API Version "${version}" is not a Google Ads API version`, `Write it as ${GOOGLE_ADS_VERSION}.`);
		const developerToken = String(credential.developerToken ?? '');
		if (developerToken.trim() === '') throw new InputDataError('The Google Ads credential has no developer token', 'Copy it from the API Center of your manager account into the credential.');
		return {
			destination: 'googleAds',
			googleAds: {
				apiUrl: serviceUrl(credential.apiUrl, GOOGLE_ADS_URL),
				version,
				customerId: readCustomerId(ctx.getNodeParameter('googleAdsCustomerId', 0), 'Customer ID', false),
				loginCustomerId: readCustomerId(ctx.getNodeParameter('googleAdsLoginCustomerId', 0), 'Login Customer ID', true),
				conversionActionId: actionId,
				timeZone: run.timeZone(ctx.getNodeParameter('googleAdsTimeZone', 0)),
				consent: ctx.getNodeParameter('adUserDataConsent', 0) as AdUserDataConsent,
				validateOnly: ctx.getNodeParameter('googleAdsValidateOnly', 0) as boolean,
				rowsPerRequest: Number(ctx.getNodeParameter('googleAdsRowsPerRequest', 0)) || GOOGLE_ADS_LIMITS.rowsPerRequest,
				developerToken,
				now: run.now,
			},
		};
	},
	screen: ({ googleAds }, transactions) => ({ rejected: googleAdsRejections(transactions), records: !googleAds.validateOnly }),
	plan: ({ googleAds }, transactions, held) => plan(googleAds, transactions, held),
	heldKey: ({ googleAds }, transaction) => conversionHeldKey(transaction.orderId, googleAds),
};
