import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { readDeals } from '../../Attribution/dealInput';
import { DEFAULT_HEURISTIC_SETTINGS, type HeuristicModel } from '../../Attribution/heuristicModels';
import { parseSpendTable } from '../../Attribution/settings';
import type { Order, Stage } from '../../shared/contracts';
import { problemItems } from '../../shared/itemErrors';
import { parseList, readTimeZone } from '../../shared/nodeParameters';
import { numberParameter } from '../../shared/validation';
import { DEFAULT_DIRECT_SOURCES } from '../../Attribution/channels';
import { DEFAULT_GROUP_BY, DEFAULT_LAPSED_AFTER_DAYS, DEFAULT_MODEL, DEFAULT_PERIOD, DEFAULT_TITLE, LAPSED_AFTER_DAYS } from '../description';
import { reportPeriods, type PeriodKind } from '../period';
import type { UtmLevel } from '../reportModel';
import { salesFigures, type SalesFigures } from '../salesFigures';
import type { UnmatchedOrder } from '../unattributed';

export const DEALS = 0;
export const UNMATCHED = 1;

/** The stage the report counts: a sale is a won deal (a deal without a stage, as Attribution does, counts too). */
const WON: Stage[] = ['won'];

export interface ReportRun {
	figures: SalesFigures;
	/** Every input item: the report's rows come from all of them. */
	pairedItem: IPairedItemData[];
	/** Error items of input items that are not deals or orders (with Continue On Fail). */
	problems: INodeExecutionData[];
	options: IDataObject;
}

/** Reads the inputs and the parameters and works out every figure; the operations choose what to output. */
export function runReport(ctx: IExecuteFunctions): ReportRun {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const dealItems = ctx.getInputData(DEALS);
	const orderItems = ctx.getInputData(UNMATCHED) ?? [];
	const input = readDeals(dealItems.map((item) => item.json), WON);
	const unmatched = orderItems.map((item) => item.json as unknown as UnmatchedOrder).filter((order) => isWon(order));
	const timeZone = readTimeZone(ctx, options.timeZone);
	const now = new Date().toISOString();
	const figures = salesFigures(input.deals, unmatched, {
		model: ctx.getNodeParameter('model', 0, DEFAULT_MODEL) as HeuristicModel,
		levels: ctx.getNodeParameter('groupBy', 0, DEFAULT_GROUP_BY) as UtmLevel[],
		periods: reportPeriods(ctx.getNodeParameter('period', 0, DEFAULT_PERIOD) as PeriodKind, now, timeZone, {
			start: ctx.getNodeParameter('periodStart', 0, '') as string,
			end: ctx.getNodeParameter('periodEnd', 0, '') as string,
		}),
		timeZone,
		lapsedAfterDays: numberParameter(options.lapsedAfterDays ?? DEFAULT_LAPSED_AFTER_DAYS, LAPSED_AFTER_DAYS),
		spend: parseSpendTable(options.adSpend),
		directSources: options.directSources === undefined ? DEFAULT_DIRECT_SOURCES : parseList(options.directSources),
		// Attribution's defaults (7 days, 40/20/40): the Sales Report has no setting of its own for them.
		...DEFAULT_HEURISTIC_SETTINGS,
		title: String(options.title ?? DEFAULT_TITLE),
		now,
	});
	return {
		figures,
		pairedItem: [...dealItems.map((_, item) => ({ item, input: DEALS })), ...orderItems.map((_, item) => ({ item, input: UNMATCHED }))],
		problems: problemItems(ctx, input.problems, DEALS),
		options,
	};
}

function isWon(order: Pick<Order, 'stage'> | null): boolean {
	return order !== null && typeof order === 'object' && (!order.stage || order.stage === 'won');
}

/** Rows of one table as items, each tagged with its table and paired with every input item. */
export function tableItems(table: string, rows: readonly object[], pairedItem: IPairedItemData[]): INodeExecutionData[] {
	return rows.map((row) => ({ json: { table, ...row } as IDataObject, pairedItem }));
}
