import type { IExecuteFunctions } from 'n8n-workflow';
import { InputDataError } from '../../shared/errors';
import { readTimeZone } from '../../shared/nodeParameters';
import { dayRange } from '../dateRange';
import { serviceUrl } from '../exchange';
import { spendRow } from '../spendRows';
import { VK_ADS_URL, VK_DAYS_BACK, vkAdsReport } from '../vkAdsReport';
import { channelParameter, fromFirstItem, n8nExchange, options, readRange, type PlatformOutput } from './common';

/** VK Ads: the account's currency, its ad plans, their day statistics; VAT unknown (VK's documentation does not say). */
export async function execute(this: IExecuteFunctions, secrets: string[]): Promise<PlatformOutput> {
	const credential = await this.getCredentials('vkAdsApi');
	secrets.push(String(credential.token ?? ''));
	const range = readRange(this);
	const oldest = dayRange('lastDays', Date.now(), readTimeZone(this, options(this).timeZone), { days: VK_DAYS_BACK }).start;
	if (range.start < oldest) {
		throw new InputDataError(`VK Ads gives day statistics for the last ${VK_DAYS_BACK} days only: ${range.start} is before ${oldest}`, `Start at ${oldest} or later; older costs can come in as a table.`);
	}
	const report = await vkAdsReport({ baseUrl: serviceUrl(credential.apiUrl, VK_ADS_URL), range }, n8nExchange(this, 'vkAdsApi'));
	const channel = {
		platform: 'vkAds',
		source: channelParameter(this, 'source', 'vk'),
		medium: channelParameter(this, 'medium', 'cpc'),
		currency: report.currency,
		vat: 'unknown' as const,
	};
	return { rows: fromFirstItem(report.rows.map((row) => spendRow(row, channel))), problems: report.problems };
}
