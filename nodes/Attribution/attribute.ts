import type { Credit, Deal, Touch } from '../shared/contracts';
import { InputDataError } from '../shared/errors';
import { ChannelTable, DEFAULT_DIRECT_SOURCES } from './channels';
import { creditDeals, globalShareWeigher } from './credits';
import { buildDealTable, revenueCents, type DealTable } from './dealTable';
import { DEFAULT_HEURISTIC_SETTINGS, HEURISTIC_MODELS, heuristicWeigher, type HeuristicModel, type HeuristicSettings, type PositionWeights } from './heuristicModels';
import { markovAttribution } from './markov';
import { PathCounter, type ChannelPath } from './paths';
import { pathShapley } from './shapley';

export type AttributionModel = HeuristicModel | 'markov' | 'shapley';

export const ATTRIBUTION_MODELS: readonly AttributionModel[] = [...HEURISTIC_MODELS, 'markov', 'shapley'];

/** Dates as YYYY-MM-DD, both ends included. */
export interface Period {
	start: string;
	end: string;
}

export interface AttributionOptions {
	models: AttributionModel[];
	/** Time decay: a touch this many days before the order weighs half as much as one at the order. Default 7. */
	halfLifeDays?: number;
	/** Position-based parts of first, middle and last touches. Default 40 / 20 / 40. */
	positionWeights?: PositionWeights;
	/** Sources that count as direct or internal (own domains too); touches without a source always do. */
	directSources?: string[];
	/** Journeys that did not end in an order, one array of touches per person in time order (as a deal's): Markov needs them. */
	nonConvertingTouches?: Touch[][];
	/** The same, already counted per channel sequence (channels named by channelKey). */
	nonConvertingPaths?: Array<Pick<ChannelPath, 'channels' | 'nonConversions'>>;
}

export interface AttributionResult {
	/** Per model (in the order asked), per deal, one credit per touch. */
	credits: Credit[];
	/**
	 * Per model, per channel: heuristic models give the channel's part of all attributed orders; Markov the
	 * normalised removal effects; Shapley the normalised Shapley values.
	 */
	channelShares: Partial<Record<AttributionModel, Record<string, number>>>;
	/** The order dates the deals span, for prorating ad spend; null when no deal has a date. */
	period: Period | null;
	/** Orders without a total: credited as orders with revenue 0. */
	dealsWithoutTotal: string[];
	/** Orders without touches: nothing to credit, left out. */
	dealsWithoutTouches: string[];
}

/**
 * Attributes every deal's revenue to its touches under each model asked for. Revenue is split to the cent (see
 * splitCents); Markov and Shapley score channels over all paths, converting and not, and split each deal by
 * those scores (see globalShareWeigher).
 */
export function attributeDeals(deals: readonly Deal[], options: AttributionOptions): AttributionResult {
	const settings = checkOptions(options);
	const channels = new ChannelTable(options.directSources ?? DEFAULT_DIRECT_SOURCES);
	const table = buildDealTable(deals, channels, options.models.includes('timeDecay'));
	const paths = options.models.some(isPathModel) ? collectPaths(table, channels, options) : [];
	const credits: Credit[] = [];
	const channelShares: AttributionResult['channelShares'] = {};
	const withoutTouches = deals.filter((deal) => deal.touches.length === 0);
	const attributed = deals.length - withoutTouches.length;
	for (const model of options.models) {
		if (isPathModel(model)) {
			const shares = model === 'markov' ? markovAttribution(paths).shares : pathShapley(paths).shares;
			const byNumber = Float64Array.from(channels.names, (name) => shares[name] ?? 0);
			creditDeals(deals, table, channels.names, model, globalShareWeigher(byNumber), credits);
			channelShares[model] = shares;
		} else {
			const orders = creditDeals(deals, table, channels.names, model, heuristicWeigher(model, settings), credits);
			channelShares[model] = Object.fromEntries(channels.names.map((name, c) => [name, attributed > 0 ? orders[c] / attributed : 0]));
		}
	}
	return {
		credits,
		channelShares,
		period: orderPeriod(deals),
		dealsWithoutTotal: deals.filter((deal) => revenueCents(deal.total) === null).map((deal) => deal.orderId),
		dealsWithoutTouches: withoutTouches.map((deal) => deal.orderId),
	};
}

/** Markov and Shapley score channels over all paths before crediting any deal. */
function isPathModel(model: AttributionModel): model is 'markov' | 'shapley' {
	return model === 'markov' || model === 'shapley';
}

function checkOptions(options: AttributionOptions): HeuristicSettings {
	if (options.models.length === 0) throw new InputDataError('No attribution model chosen', `Choose one or more of ${ATTRIBUTION_MODELS.join(', ')}.`);
	options.models.forEach((model, i) => {
		if (!ATTRIBUTION_MODELS.includes(model)) throw new InputDataError(`Unknown attribution model "${model}"`, `Use one of ${ATTRIBUTION_MODELS.join(', ')}.`);
		if (options.models.indexOf(model) !== i) throw new InputDataError(`The model "${model}" is chosen twice`, 'Each model can be chosen once.');
	});
	const halfLifeDays = options.halfLifeDays ?? DEFAULT_HEURISTIC_SETTINGS.halfLifeDays;
	if (!(halfLifeDays > 0 && Number.isFinite(halfLifeDays))) {
		throw new InputDataError(`The time-decay half-life must be a positive number of days, got ${halfLifeDays}`);
	}
	const positionWeights = options.positionWeights ?? DEFAULT_HEURISTIC_SETTINGS.positionWeights;
	const parts = [positionWeights.first, positionWeights.middle, positionWeights.last];
	if (!parts.every((part) => part >= 0 && Number.isFinite(part)) || parts[0] + parts[1] + parts[2] === 0) {
		throw new InputDataError(`Position-based weights must be non-negative and not all 0, got ${parts.join(' / ')}`, 'For example 40 / 20 / 40.');
	}
	(options.nonConvertingPaths ?? []).forEach((path, i) => {
		if (!(path.nonConversions >= 0 && Number.isFinite(path.nonConversions))) {
			throw new InputDataError(`Non-converting path ${i + 1}: ${path.nonConversions} people is not a count`);
		}
	});
	return { halfLifeDays, positionWeights };
}

/** The channel paths of the deals (converting) and of the non-converting journeys. */
function collectPaths(table: DealTable, channels: ChannelTable, options: AttributionOptions): ChannelPath[] {
	const paths = new PathCounter(channels.names);
	for (let d = 0; d + 1 < table.start.length; d++) {
		if (table.start[d] < table.start[d + 1]) paths.add(table.channel, table.start[d], table.start[d + 1], 1, 0);
	}
	for (const journey of options.nonConvertingTouches ?? []) {
		const numbers = journey.map((touch) => channels.indexOf(touch.channel));
		if (numbers.length > 0) paths.add(numbers, 0, numbers.length, 0, 1);
	}
	for (const path of options.nonConvertingPaths ?? []) {
		const numbers = path.channels.map((name) => channels.indexOfName(name));
		if (numbers.length > 0) paths.add(numbers, 0, numbers.length, 0, path.nonConversions);
	}
	return paths.list();
}

/** The first and last order dates, as the orders' own offsets give them. */
function orderPeriod(deals: readonly Deal[]): Period | null {
	let period: Period | null = null;
	for (const deal of deals) {
		const date = deal.createdAt?.slice(0, 10);
		if (date === undefined || (period !== null && date >= period.start && date <= period.end)) continue;
		if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) continue;
		if (period === null) period = { start: date, end: date };
		else if (date < period.start) period.start = date;
		else period.end = date;
	}
	return period;
}
