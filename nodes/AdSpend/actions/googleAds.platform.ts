import { updateDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { InputDataError } from '../../shared/errors';
import { customerId, GOOGLE_ADS_URL, GOOGLE_ADS_VERSION, googleAdsReportBody, parseSearchStream } from '../googleAdsReport';
import { ServiceError, serviceUrl } from '../exchange';
import { spendRow } from '../spendRows';
import { channelParameter, fromFirstItem, n8nExchange, options, readRange, type PlatformOutput } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '123-456-7890',
		description: 'The ID of the Google Ads account whose costs to read (top right in Google Ads)',
	},
	{
		displayName: 'Login Customer ID',
		name: 'loginCustomerId',
		type: 'string',
		default: '',
		placeholder: '987-654-3210',
		description: 'The ID of the manager account the credential reaches the customer through (sent as the Login-Customer-ID header); empty when the Google account has access to the customer itself',
	},
];

export const description = updateDisplayOptions({ show: { platform: ['googleAds'] } }, properties);

/** A customer id parameter as its 10 digits; '' for an optional one left empty. */
function readCustomerId(value: unknown, what: string, optional: boolean): string {
	const text = String(value ?? '').trim();
	if (optional && text === '') return '';
	const digits = customerId(text.slice(0, 40));
	if (digits === null) throw new InputDataError(`${what} "${text.slice(0, 40)}" is not a Google Ads customer id`, 'Write the 10 digits, with or without dashes: 123-456-7890.');
	return digits;
}

/** Google Ads: one searchStream query for the days asked for, costs in the account's currency, without VAT. */
export async function execute(this: IExecuteFunctions, secrets: string[]): Promise<PlatformOutput> {
	const credential = await this.getCredentials('salesAnalyticsGoogleAdsOAuth2Api');
	const token = (credential.oauthTokenData as { access_token?: unknown; refresh_token?: unknown } | undefined) ?? {};
	secrets.push(String(credential.developerToken ?? ''), String(token.access_token ?? ''), String(token.refresh_token ?? ''), String(credential.clientSecret ?? ''));
	const settings = {
		baseUrl: serviceUrl(credential.apiUrl, GOOGLE_ADS_URL),
		version: String(options(this).googleAdsVersion || GOOGLE_ADS_VERSION).trim(),
		customerId: readCustomerId(this.getNodeParameter('customerId', 0, ''), 'Customer ID', false),
		loginCustomerId: readCustomerId(this.getNodeParameter('loginCustomerId', 0, ''), 'Login Customer ID', true),
		developerToken: String(credential.developerToken ?? ''),
		range: readRange(this),
	};
	if (!/^v\d{1,3}$/.test(settings.version)) throw new InputDataError(`Google Ads API Version "${settings.version.slice(0, 20)}" is not a version`, 'Write it as v25.');
	const report = parseSearchStream(await googleAdsReportBody(settings, n8nExchange(this, 'salesAnalyticsGoogleAdsOAuth2Api')));
	if (report.rows.length > 0 && report.currency === null) {
		throw new ServiceError('Google Ads: the answer does not say the account\'s currency (customer.currency_code)', 'Nothing was output: run again; if it persists, check the API URL of the credential.');
	}
	const channel = {
		platform: 'googleAds',
		source: channelParameter(this, 'source', 'google'),
		medium: channelParameter(this, 'medium', 'cpc'),
		currency: report.currency ?? '',
		// Google Ads reports cost before taxes: VAT and country fees are added on the invoice (Google Ads help "Taxes in
		// your country", answer 2375370; an Invoice carries subtotal_amount_micros and tax_amount_micros apart).
		vat: 'excluded' as const,
	};
	return { rows: fromFirstItem(report.rows.map((row) => spendRow(row, channel))), problems: report.problems };
}
