import { NodeConnectionTypes, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { STAGES } from '../shared/contracts';
import { InputDataError } from '../shared/errors';
import { problemItems } from '../shared/itemErrors';
import { toNodeError } from '../shared/nodeErrors';
import { itemProblem, recordName } from '../shared/validation';
import { createStatusMapper, NOT_AN_ORDER_HINT, unmappedMessage, type UnmappedHandling } from './mapStatuses';
import { MAX_STATUS_LENGTH, type StatusRule } from './statusRules';

const stageOptions = STAGES.map((stage) => ({ name: stage.replace('_', ' ').replace(/^./, (c) => c.toUpperCase()), value: stage }));

export class CrmStatusMap implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CRM Status Map',
		name: 'crmStatusMap',
		icon: { light: 'file:crmStatusMap.svg', dark: 'file:crmStatusMap.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["unmapped"] === "output" ? "unmapped to 2nd output" : ""}}',
		description: 'Map raw CRM order statuses to pipeline stages (new, in progress, won, lost) and report stage transitions',
		defaults: { name: 'CRM Status Map' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: `={{$parameter["unmapped"] === "output" ? [{ type: "main", displayName: "Mapped" }, { type: "main", displayName: "Unmapped" }] : [{ type: "main" }]}}`,
		properties: [
			{
				displayName: 'Rules',
				name: 'rules',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true, sortable: true },
				placeholder: 'Add Rule',
				default: {},
				description:
					`Tried in order, before the preset; the first rule that matches decides the stage. Exact, Case-Insensitive and Status Code rules are trusted as written. A Pattern rule to Won is passed over for a negated, partial or reversed status ("Не оплачен", "Unpaid", "Частично оплачен", "Payment failed", "Refunded"). Patterns run only over statuses of up to ${MAX_STATUS_LENGTH} characters (a longer status is unmapped), and a pattern that repeats a group holding a repetition or alternatives, such as (a+)+, is refused.`,
				options: [
					{
						displayName: 'Rule',
						name: 'rule',
						values: [
							{
								displayName: 'Match',
								name: 'match',
								type: 'options',
								options: [
									{ name: 'Exact', value: 'exact', description: 'The status exactly as written' },
									{ name: 'Case-Insensitive', value: 'insensitive', description: 'Ignoring case, ё/е and extra spaces' },
									{ name: 'Pattern', value: 'pattern', description: 'A regular expression, case-insensitive' },
									{ name: 'Status Code', value: 'code', description: 'The bracketed code of a Bitrix status, e.g. F for "[F] Выполнен"' },
								],
								default: 'insensitive',
							},
							{ displayName: 'Status', name: 'value', type: 'string', default: '', placeholder: 'Выполнен' },
							{ displayName: 'Stage', name: 'stage', type: 'options', options: stageOptions, default: 'won' },
						],
					},
				],
			},
			{
				displayName: 'Use Preset Rules',
				name: 'usePreset',
				type: 'boolean',
				default: true,
				description:
					'Whether to try the built-in table of whole status names after your own rules: 1C-Bitrix (and its N/P/F codes), 1C, amoCRM/Kommo, Bitrix24, RetailCRM, InSales, OpenCart, WooCommerce, Shopify and Tilda, in Russian, Ukrainian and English. Only a whole status matches (case, ё/е, spaces, "-", "_" and a final "." aside): a status not in the table is unmapped, never guessed, and a negated or partial status ("Не выполнен", "Unpaid") is never Won. The bare WooCommerce status "processing" (paid, not shipped) is In Progress: add a rule if you count it as Won.',
			},
			{
				displayName: 'Unmapped Statuses',
				name: 'unmapped',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Fail the Run', value: 'error', description: 'Stop with an error that names the status' },
					{ name: 'Pass as "Other"', value: 'other' },
					{ name: 'Send to a Second Output', value: 'output' },
				],
				default: 'error',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Only Stage Changes',
						name: 'onlyStageChanges',
						type: 'boolean',
						default: false,
						description: 'Whether to output only orders whose stage differs from the previous run (needs CRM XML Import in "New or Changed" mode)',
					},
				],
			},
		],
	};

	/**
	 * A rules table that cannot be used fails the run whatever Continue On Fail says (every item would fail alike); an
	 * item that is not an order, or whose status is unmapped under "Fail the Run", is an error of that item: with
	 * Continue On Fail an error item at its place in the first output, paired to it, while the other items go on.
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const unmappedHandling = this.getNodeParameter('unmapped', 0) as UnmappedHandling;
		const mapper = readMapper(this, unmappedHandling);
		const mapped: INodeExecutionData[] = [];
		const unmapped: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			const json = items[i].json;
			const result = mapper(json);
			if (result.kind === 'skip') continue;
			if (result.kind === 'invalid') {
				mapped.push(...problemItems(this, [itemProblem(i, recordName(json, 'orderId'), result.problems, NOT_AN_ORDER_HINT)]));
			} else if (result.kind === 'unmapped' && unmappedHandling === 'output') {
				unmapped.push({ json, pairedItem: { item: i } });
			} else if (result.kind === 'unmapped') {
				const description = 'Add a rule for this status, or choose "Pass as Other" or "Send to a Second Output" under Unmapped Statuses.';
				mapped.push(...problemItems(this, [{ itemIndex: i, message: unmappedMessage(result, i), description }]));
			} else {
				mapped.push({ json: { ...json, stage: result.stage, stageRule: result.rule, transition: result.transition } as IDataObject, pairedItem: { item: i } });
			}
		}
		return unmappedHandling === 'output' ? [mapped, unmapped] : [mapped];
	}
}

/** The mapper of the node's parameters; a rules table that cannot be used fails with a message that names it. */
function readMapper(ctx: IExecuteFunctions, unmapped: UnmappedHandling): ReturnType<typeof createStatusMapper> {
	try {
		const rules = (ctx.getNodeParameter('rules.rule', 0, []) as StatusRule[]).filter((rule) => rule.value !== '');
		const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
		return createStatusMapper({ rules, usePreset: ctx.getNodeParameter('usePreset', 0) as boolean, unmapped, onlyStageChanges: options.onlyStageChanges === true });
	} catch (error) {
		// createStatusMapper checks only the Rules table: its errors name the rule, and here the parameter too.
		throw toNodeError(ctx.getNode(), error instanceof InputDataError ? new InputDataError(`Parameter "Rules": ${error.message}`, error.hint) : error);
	}
}
