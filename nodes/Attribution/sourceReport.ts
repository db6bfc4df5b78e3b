import type { Credit, Deal, Stage, Touch } from '../shared/contracts';
import type { AdSpendRow } from './adSpend';
import { attributeDeals, type AttributionModel, type AttributionOptions } from './attribute';
import { callOutcomesByChannel, lostCallsByHour, type CallOutcomeRow } from './calls';
import { channelReport, type ChannelReportRow } from './report';
import { countTouchesByChannel } from './touchCounts';

export interface SourceReportOptions extends Omit<AttributionOptions, 'nonConvertingTouches' | 'nonConvertingPaths'> {
	/** Deals whose stage is set and not in this list are left out (a deal without a stage is attributed). */
	stages: Stage[];
	/** Ad spend per channel and period; none (or an empty table) leaves spend, CPO and ROMI out of the report. */
	spend?: AdSpendRow[];
	/** Adds lost calls by hour (in this zone) and call outcomes by channel to the report; null leaves them out. */
	callStatsTimeZone: string | null;
}

export type ReportRow =
	| ({ report: 'channels' } & ChannelReportRow)
	| { report: 'lostCallsByHour'; hour: number; missedCalls: number }
	| ({ report: 'callOutcomes' } & CallOutcomeRow);

export interface SourceReport {
	credits: Credit[];
	rows: ReportRow[];
	/** Deals attributed, and why others were not. */
	attributed: number;
	skippedByStage: number;
	dealsWithoutTotal: string[];
}

/**
 * Which sources paid off: the won deals' revenue credited to touches under each model, and the channel report
 * (orders, revenue, share, average order, conversion, and with spend CPO and ROMI). Touches that led to no order
 * are the non-converting journeys Markov needs and the denominators of conversion; they are grouped into one
 * journey per person by their first phone, e-mail or client id.
 */
export function sourceReport(deals: Deal[], unconverted: Touch[], options: SourceReportOptions): SourceReport {
	const wanted = new Set<Stage>(options.stages);
	const attributed = deals.filter((deal) => isAttributedStage(deal.stage, wanted));
	const journeys = journeysOf(unconverted);
	const result = attributeDeals(attributed, { ...options, nonConvertingTouches: journeys });
	const touchesByChannel = countTouchesByChannel(attributed, { nonConvertingTouches: journeys });
	const rows: ReportRow[] = channelReport(result.credits, { touchesByChannel, spend: options.spend?.length ? options.spend : undefined, period: result.period }).map((row) => ({ report: 'channels', ...row }));
	if (options.callStatsTimeZone !== null) {
		const touches = [...attributed.flatMap((deal) => deal.touches), ...unconverted];
		lostCallsByHour(touches, options.callStatsTimeZone).forEach((missedCalls, hour) => rows.push({ report: 'lostCallsByHour', hour, missedCalls }));
		for (const row of callOutcomesByChannel(touches)) rows.push({ report: 'callOutcomes', ...row });
	}
	return { credits: result.credits, rows, attributed: attributed.length, skippedByStage: deals.length - attributed.length, dealsWithoutTotal: result.dealsWithoutTotal };
}

/** A deal is attributed when its stage is one of `wanted`, or when it has none (no CRM Status Map before). */
export function isAttributedStage(stage: Stage | null | undefined, wanted: ReadonlySet<Stage>): boolean {
	return !stage || wanted.has(stage);
}

/** One journey per person (first phone, else e-mail, else client id, else the touch alone), each in time order. */
export function journeysOf(touches: Touch[]): Touch[][] {
	const byPerson = new Map<string, Touch[]>();
	for (const touch of touches) {
		const person = touch.phones?.[0] ?? touch.emails?.[0] ?? touch.gaClientId ?? touch.ymClientId ?? `touch:${touch.touchId}`;
		const journey = byPerson.get(person);
		if (journey) journey.push(touch);
		else byPerson.set(person, [touch]);
	}
	const journeys = [...byPerson.values()];
	for (const journey of journeys) if (journey.length > 1) journey.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
	return journeys;
}

export const MODEL_TITLES: Record<AttributionModel, string> = {
	first: 'First Touch',
	last: 'Last Touch',
	lastNonDirect: 'Last Non-Direct',
	linear: 'Linear',
	timeDecay: 'Time Decay',
	positionBased: 'Position-Based',
	markov: 'Markov Removal Effect',
	shapley: 'Shapley Value',
};
