import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { deskPageAnswer, type DeskPageView } from '../desk';
import { allItems, show } from './common';

export const description: INodeProperties[] = [
	{
		displayName: 'Page',
		name: 'deskView',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Before a Press', value: 'waiting', description: 'The input items are the waiting rows of the leads table: the page shows how many and the button' },
			{ name: 'Lead Taken', value: 'taken', description: "The input item is Confirm Claim's Won lead: the page shows it" },
			{ name: 'No Lead Taken', value: 'notTaken', description: "The input item is Take Next's answer without a lead (none waits, or the manager may not take leads), or an item with outcome busy (every candidate lost)" },
		],
		default: 'waiting',
		displayOptions: show('deskPage'),
	},
	{
		displayName: 'Signed In As',
		name: 'signedInAs',
		type: 'string',
		default: '',
		placeholder: "={{ $('Sign In').first().json.displayName }}",
		displayOptions: show('deskPage'),
		description: 'The manager the page greets (Sign In Manager\'s displayName)',
	},
	{
		displayName: 'Form Token',
		name: 'formToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		placeholder: "={{ $('Sign In').first().json.formToken }}",
		displayOptions: show('deskPage'),
		description: "Sign In Manager's formToken: the button carries it, so that a press is known to come from this page",
	},
	{
		displayName: 'Waiting Left',
		name: 'waitingLeft',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		placeholder: "={{ $('Take Next').last().json.waitingLeft }}",
		displayOptions: { show: { operation: ['deskPage'], deskView: ['taken'] } },
		description: "How many leads still wait after this one (Take Next's waitingLeft)",
	},
];

/** The lead desk page for the input items: one item { page, httpStatus, waiting } paired to all of them. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const view = this.getNodeParameter('deskView', 0) as DeskPageView;
	const answer = deskPageAnswer(
		items.map(({ json }) => json),
		{
			view,
			signedInAs: String(this.getNodeParameter('signedInAs', 0) ?? ''),
			formToken: String(this.getNodeParameter('formToken', 0) ?? ''),
			waitingLeft: view === 'taken' ? Number(this.getNodeParameter('waitingLeft', 0)) : 0,
		},
	);
	return [[{ json: answer as unknown as IDataObject, pairedItem: allItems(items) }]];
}
