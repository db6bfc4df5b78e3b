import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { DEFAULT_COLUMNS, tableSpendRow, type TableColumns } from '../tableSpend';
import type { Vat } from '../spendRows';
import { channelParameter, type PlatformOutput } from './common';

const COLUMN_TITLES: Record<keyof TableColumns, string> = {
	date: 'Date Column',
	source: 'Source Column',
	medium: 'Medium Column',
	campaign: 'Campaign Column',
	campaignId: 'Campaign ID Column',
	cost: 'Cost Column',
	currency: 'Currency Column',
	clicks: 'Clicks Column',
	impressions: 'Impressions Column',
	vat: 'VAT Column',
};

const properties: INodeProperties[] = [
	{
		displayName: 'Each input item is one row: a day of one campaign (or of a whole channel, without a campaign), e.g. from Extract From File (CSV), Google Sheets or a Data Table.',
		name: 'tableNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Columns',
		name: 'columns',
		type: 'collection',
		placeholder: 'Rename a Column',
		default: {},
		description: "The table's column names, where they differ from date, source, medium, campaign, campaignId, cost, currency, clicks, impressions, vat",
		options: (Object.keys(COLUMN_TITLES) as Array<keyof TableColumns>)
			.sort((a, b) => COLUMN_TITLES[a].localeCompare(COLUMN_TITLES[b]))
			.map((key) => ({ displayName: COLUMN_TITLES[key], name: key, type: 'string' as const, default: DEFAULT_COLUMNS[key] })),
	},
	{
		displayName: 'Default Currency',
		name: 'defaultCurrency',
		type: 'string',
		default: '',
		placeholder: 'RUB',
		description: 'For rows without a currency; empty: such a row is an error',
	},
	{
		displayName: 'VAT',
		name: 'vat',
		type: 'options',
		options: [
			{ name: 'Unknown', value: 'unknown' },
			{ name: 'Included', value: 'included' },
			{ name: 'Excluded', value: 'excluded' },
		],
		default: 'unknown',
		description: "Whether the table's costs include VAT, for rows without a VAT column",
	},
];

export const description = updateDisplayOptions({ show: { platform: ['table'] } }, properties);

/** Table: each input item a row, checked as the platforms' rows are; a bad row is an error item with its index. */
export async function execute(this: IExecuteFunctions): Promise<PlatformOutput> {
	const named = this.getNodeParameter('columns', 0, {}) as IDataObject;
	const columns = Object.fromEntries(
		(Object.keys(DEFAULT_COLUMNS) as Array<keyof TableColumns>).map((key) => [key, String(named[key] ?? '').trim() || DEFAULT_COLUMNS[key]]),
	) as unknown as TableColumns;
	const defaults = {
		source: channelParameter(this, 'source', ''),
		medium: channelParameter(this, 'medium', ''),
		currency: String(this.getNodeParameter('defaultCurrency', 0, '') ?? '').trim(),
		vat: this.getNodeParameter('vat', 0, 'unknown') as Vat,
	};
	const output: PlatformOutput = { rows: [], problems: [] };
	this.getInputData().forEach((item, index) => {
		const read = tableSpendRow(item.json, columns, defaults);
		if ('row' in read) output.rows.push({ row: read.row, item: index });
		else output.problems.push({ itemIndex: index, message: `Item ${index}: ${read.problems.join('; ')}`, description: 'Fix the row in the table (or the column names under Columns); the other rows are output.' });
	});
	return output;
}
