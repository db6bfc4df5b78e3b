import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { TOUCH_SHAPE, type Touch } from '../../shared/contracts';
import { problemItems } from '../../shared/itemErrors';
import { jsonArrayParameter } from '../../shared/jsonArray';
import { readTimeZone } from '../../shared/nodeParameters';
import { toEpochMs } from '../../shared/time';
import { checkShape, itemProblem, numberParameter, recordName, type ItemProblem } from '../../shared/validation';
import { callCategories, missedCalls, type TagCategory } from '../callReport';
import { CALLBACK_MINUTES, DEFAULT_CALLBACK_MINUTES, DEFAULT_PERIOD } from '../description';
import { inPeriod, periodMs, reportPeriods, type PeriodKind } from '../period';
import { DEALS, tableItems } from './input';

const TOUCH_HINT = 'Connect the touches (the touch intake\'s Data Table, Touchpoint\'s output) or deals with their touches.';

/**
 * Call Report: the first input's touches (items that are touches, and the touches of items that are deals), their
 * calls by category per channel, and the missed calls of the period by operator and hour with their call-backs
 * (found among all the touches given, also after the period).
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const timeZone = readTimeZone(this, options.timeZone);
	const items = this.getInputData(DEALS);
	const { touches, problems } = readCalls(items.map((item) => item.json), timeZone);
	const period = periodMs(
		reportPeriods(this.getNodeParameter('period', 0, DEFAULT_PERIOD) as PeriodKind, new Date().toISOString(), timeZone, {
			start: this.getNodeParameter('periodStart', 0, '') as string,
			end: this.getNodeParameter('periodEnd', 0, '') as string,
		}).current,
		timeZone,
	);
	const tagCategories = jsonArrayParameter<TagCategory>(this.getNodeParameter('tagCategories', 0, '[]'), 'Tag Categories (JSON)', 'Give an array of {tag, category}.');
	const callbackMinutes = numberParameter(this.getNodeParameter('callbackMinutes', 0, DEFAULT_CALLBACK_MINUTES), CALLBACK_MINUTES);
	const inThePeriod = touches.filter((touch) => inPeriod(toEpochMs(touch.at, timeZone), period));
	const missed = missedCalls(touches, { timeZone, callbackMinutes, period });
	const pairedItem = items.map((_, item) => ({ item, input: DEALS }));
	return [
		...tableItems('callCategories', callCategories(inThePeriod, { tagCategories }), pairedItem),
		...tableItems('missedByOperator', missed.byOperator, pairedItem),
		...tableItems('missedByHour', missed.byHour, pairedItem),
		...tableItems('missedCalls', missed.calls, pairedItem),
		...problemItems(this, problems, DEALS),
	];
}

/** Touches of touch items and of deal items; an item that is neither, or a touch whose time cannot be read, is a problem. */
function readCalls(items: readonly unknown[], timeZone: string): { touches: Touch[]; problems: ItemProblem[] } {
	const touches: Touch[] = [];
	const problems: ItemProblem[] = [];
	items.forEach((json, index) => {
		const dealTouches = (json as { touches?: unknown } | null)?.touches;
		for (const touch of Array.isArray(dealTouches) ? dealTouches : [json]) {
			const shape = checkShape(touch, TOUCH_SHAPE);
			const fields = shape.length === 0 && Number.isNaN(toEpochMs((touch as Touch).at, timeZone)) ? [{ path: 'at', problem: 'is not a time' }] : shape;
			if (fields.length > 0) {
				problems.push(itemProblem(index, recordName(touch, 'touchId'), fields, TOUCH_HINT));
				return;
			}
			touches.push(touch as Touch);
		}
	});
	return { touches, problems };
}
