import { updateDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { numberParameter, type NumberRule } from '../../shared/validation';
import { directBaseUrl, directCurrency, directReportText, parseDirectReport } from '../directReport';
import { spendRow } from '../spendRows';
import { channelParameter, fromFirstItem, n8nExchange, readRange, type PlatformOutput } from './common';

const DEFAULT_MAX_WAIT_SEC = 300;
const MAX_WAIT: NumberRule = { name: 'Max Wait (Seconds)', min: 10, max: 3600, integer: true };

const properties: INodeProperties[] = [
	{
		displayName: 'Include VAT',
		name: 'includeVat',
		type: 'boolean',
		default: true,
		description: "Whether costs include VAT (Direct's IncludeVAT). Each row says which in its vat field.",
	},
	{
		displayName: 'Max Wait (Seconds)',
		name: 'maxWaitSec',
		type: 'number',
		typeOptions: { minValue: MAX_WAIT.min, maxValue: MAX_WAIT.max },
		default: DEFAULT_MAX_WAIT_SEC,
		description: 'How long to wait for a report Direct builds offline (its queue answers 201 / 202 and when to ask again); past it the run fails and the next run picks the report up',
	},
];

export const description = updateDisplayOptions({ show: { platform: ['yandexDirect'] } }, properties);

/** Yandex Direct: the account's currency, then the campaign performance report of the days asked for. */
export async function execute(this: IExecuteFunctions, secrets: string[]): Promise<PlatformOutput> {
	const credential = await this.getCredentials('yandexDirectApi');
	secrets.push(String(credential.token ?? ''));
	const includeVat = this.getNodeParameter('includeVat', 0, true) as boolean;
	const settings = {
		baseUrl: directBaseUrl(credential),
		clientLogin: String(credential.clientLogin ?? '').trim(),
		range: readRange(this),
		includeVat,
		maxWaitMs: numberParameter(this.getNodeParameter('maxWaitSec', 0, DEFAULT_MAX_WAIT_SEC), MAX_WAIT) * 1000,
		askedOn: new Date().toISOString().slice(0, 10),
	};
	const exchange = n8nExchange(this, 'yandexDirectApi');
	const currency = await directCurrency(settings, exchange);
	const report = parseDirectReport(await directReportText(settings, exchange));
	const channel = {
		platform: 'yandexDirect',
		source: channelParameter(this, 'source', 'yandex'),
		medium: channelParameter(this, 'medium', 'cpc'),
		currency,
		vat: includeVat ? ('included' as const) : ('excluded' as const),
	};
	return { rows: fromFirstItem(report.rows.map((row) => spendRow(row, channel))), problems: report.problems };
}
