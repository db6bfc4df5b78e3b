import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { parseList } from '../../shared/nodeParameters';
import { itemProblem, numberParameter, type ItemProblem, type NumberRule } from '../../shared/validation';
import { DEFAULT_REQUIRED_FIELDS, qualifyLead, REQUIRED_FIELDS, type QualifyRules, type RequiredField } from '../qualify';
import { rawLeadsOf } from '../tableRows';
import { placeList } from '../textMatch';
import { inInputOrder, show, type QueueOptions } from './common';

/** A thousand tonnes: more than any lead a road or rail carrier quotes. Empty: no minimum. */
const MIN_WEIGHT_KG: NumberRule = { name: 'Minimum Weight (Kg)', min: 0, max: 1_000_000, optional: true };

export const description: INodeProperties[] = [
	{
		displayName: 'Minimum Weight (Kg)',
		name: 'minWeightKg',
		type: 'number',
		default: 100,
		displayOptions: show('qualify'),
		description: 'Lighter leads are rejected; callback-form leads without a weight pass',
	},
	{
		displayName: 'Blacklist',
		name: 'blacklist',
		type: 'string',
		default: '',
		placeholder: 'Калининград, Беларусь',
		displayOptions: show('qualify'),
		description: 'Cities and countries not served, matched against both ends (case, ё/е, hyphens ignored); a list separated by commas, or an expression over a sheet',
	},
	{
		displayName: 'Required Fields',
		name: 'requiredFields',
		type: 'multiOptions',
		options: REQUIRED_FIELDS.map((field) => ({ name: field, value: field })),
		default: [...DEFAULT_REQUIRED_FIELDS],
		displayOptions: show('qualify'),
	},
];

const ENTRY_HINT = 'Send each lead as an object of its fields, e.g. {"leadId": "L1", "phone": "+7 912 345-67-89", "from": "Москва", "to": "Омск"}.';

/**
 * Qualifies every raw lead of the input items (a Webhook item may carry an array of them): Accepted and Rejected,
 * each lead paired to its item, in input order. An array entry that is no lead is an error of its item.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], options: QueueOptions): Promise<INodeExecutionData[][]> {
	const blacklist = parseList(this.getNodeParameter('blacklist', 0));
	const rules: QualifyRules = {
		minWeightKg: numberParameter(this.getNodeParameter('minWeightKg', 0), MIN_WEIGHT_KG),
		blacklist: blacklist.length > 0 ? placeList(blacklist, 'blacklist') : null,
		requiredFields: this.getNodeParameter('requiredFields', 0) as RequiredField[],
		zone: options.zone,
		countries: options.phoneCountries,
		receivedAt: options.now,
	};
	const accepted: Array<{ json: IDataObject; item: number }> = [];
	const rejected: INodeExecutionData[] = [];
	const problems: ItemProblem[] = [];
	items.forEach(({ json }, item) => {
		const { raw, problems: entries } = rawLeadsOf(json);
		for (const lead of raw) {
			const result = qualifyLead(lead, rules);
			if ('accepted' in result) accepted.push({ json: result.accepted as unknown as IDataObject, item });
			else rejected.push({ json: { ...result.rejected, reasons: result.reasons } as unknown as IDataObject, pairedItem: { item } });
		}
		if (entries.length > 0) problems.push(itemProblem(item, null, entries, ENTRY_HINT));
	});
	return [inInputOrder(this, accepted, problems), rejected];
}
