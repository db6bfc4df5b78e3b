import type { AdSpendRow } from '../Attribution/adSpend';
import { attributeDeals } from '../Attribution/attribute';
import type { HeuristicModel, PositionWeights } from '../Attribution/heuristicModels';
import { MODEL_TITLES } from '../Attribution/sourceReport';
import type { Credit, Deal } from '../shared/contracts';
import { breakdown } from './breakdown';
import { comparePeriods } from './comparison';
import { customerReport, type CustomerReport } from './customers';
import { inPeriod, orderTime, periodMs, type ReportPeriods } from './period';
import type { Dashboard, UtmLevel } from './reportModel';
import { addTo, centsOf, unattributedOrders, type Totals, type UnmatchedOrder } from './unattributed';

/** The channel level of the report: what the Attribution node's report calls a channel. */
export const CHANNEL_LEVELS: UtmLevel[] = ['source', 'medium'];

export interface SalesReportSettings {
	model: HeuristicModel;
	/** The drill-down levels of the campaign table. */
	levels: UtmLevel[];
	periods: ReportPeriods;
	timeZone: string;
	lapsedAfterDays: number;
	spend: AdSpendRow[];
	directSources: string[];
	halfLifeDays: number;
	positionWeights: PositionWeights;
	title: string;
	/** When the report is made (ISO 8601). */
	now: string;
}

/**
 * Every figure of the sales report. `deals` are the won deals known so far (history too: the customer segments need
 * each person's earlier orders); `unmatched` the orders without touches. Deals are credited by one heuristic model,
 * which credits each deal on its own, so crediting the whole history once gives each period's deals the credits a
 * run over that period alone would give.
 */
export interface SalesFigures {
	dashboard: Dashboard;
	/** The customer tables in full (the dashboard shows the segments and repeat sales). */
	customers: CustomerReport;
}

export function salesFigures(deals: readonly Deal[], unmatched: readonly UnmatchedOrder[], settings: SalesReportSettings): SalesFigures {
	const { current, previous } = settings.periods;
	const now = periodMs(current, settings.timeZone);
	const before = periodMs(previous, settings.timeZone);
	const times = deals.map((deal) => orderTime(deal.createdAt, settings.timeZone));
	// An undated deal (NaN) cannot be placed in a period; it stays in the history (the customer tables count it apart).
	const history = deals.filter((_, d) => !(times[d] >= now.endMs));
	const historyTimes = times.filter((time) => !(time >= now.endMs));
	const { credits } = attributeDeals(history, {
		models: [settings.model],
		directSources: settings.directSources,
		halfLifeDays: settings.halfLifeDays,
		positionWeights: settings.positionWeights,
	});
	const inCurrent = history.filter((_, d) => inPeriod(historyTimes[d], now));
	const inPrevious = history.filter((_, d) => inPeriod(historyTimes[d], before));
	const currentCredits = creditsOf(inCurrent, credits);
	const spendFor = { spend: settings.spend, period: current };
	const channels = breakdown(inCurrent, currentCredits, { levels: CHANNEL_LEVELS, ...spendFor });
	const campaigns = breakdown(inCurrent, currentCredits, { levels: settings.levels, ...spendFor });
	const previousChannels = breakdown(inPrevious, creditsOf(inPrevious, credits), { levels: CHANNEL_LEVELS });
	const customers = customerReport(history, credits, { period: current, timeZone: settings.timeZone, lapsedAfterDays: settings.lapsedAfterDays });
	const attributed: Totals = new Map();
	const withoutTouches: UnmatchedOrder[] = [];
	for (const deal of inCurrent) {
		if (deal.touches.length > 0) addTo(attributed, deal.currency ?? null, centsOf(deal.total));
		else withoutTouches.push(deal);
	}
	const unmatchedInPeriod = unmatched.filter((order) => inPeriod(orderTime(order.createdAt, settings.timeZone), now));
	const dashboard: Dashboard = {
		title: settings.title,
		period: current,
		previousPeriod: previous,
		model: MODEL_TITLES[settings.model],
		levels: settings.levels,
		channels,
		campaigns,
		customers: customers.segments,
		repeatSales: customers.repeatSales,
		unattributed: unattributedOrders([...unmatchedInPeriod, ...withoutTouches], attributed),
		comparison: comparePeriods(channels, previousChannels),
		generatedAt: settings.now,
	};
	return { dashboard, customers };
}

function creditsOf(deals: readonly Deal[], credits: readonly Credit[]): Credit[] {
	const orders = new Set(deals.map((deal) => deal.orderId));
	return credits.filter((credit) => orders.has(credit.orderId));
}
