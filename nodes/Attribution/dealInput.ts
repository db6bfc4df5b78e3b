import { DEAL_SHAPE, STAGES, TOUCH_SHAPE, type Deal, type Stage, type Touch } from '../shared/contracts';
import { checkShape, itemProblem, keepFirstById, quote, readMoney, recordName, type ItemProblem } from '../shared/validation';
import { NOT_SET_CHANNEL } from './channels';
import { isAttributedStage } from './sourceReport';

/** The Attribution node's deals, checked item by item. */
export interface DealInput {
	/** The first copy of each order whose item keeps the Deal contract and whose stage is attributed; totals as numbers. */
	deals: Deal[];
	/** Per deal, its item index. */
	from: number[];
	/** Items that are not deals, and later copies of an order that differ from the first: one error each. */
	problems: ItemProblem[];
	/** Per order id of a deal: what its credits should say (a repeated order id, a touch without a channel). */
	warnings: Map<string, string[]>;
}

const DEAL_HINT =
	"Connect the Order Matcher's first output, or give items with orderId, total (a number or an amount as text), and touches: an array of {touchId, at, channel}.";
const REPEAT_HINT = 'Each order should reach Attribution once: check for a merge of two runs of the Order Matcher.';
const TOUCH_HINT = "Connect the Order Matcher's third output, or give items with touchId, and at and channel when known.";

/**
 * Reads the deals: checks each against the Deal contract and reads its total (a number, or money text such as
 * "1 234,56"); an item in a stage that is not attributed is passed over unread. Of several deals with one order id
 * the first is credited; a later copy with the same content is a warning, one with other content an error (which
 * of the two is right cannot be told). A touch without a channel object is credited to "(not set) / (not set)"
 * with a warning: its source is unknown, and calling it direct or any ad would be a guess, while dropping the deal
 * would lose revenue that is known.
 */
export function readDeals(items: readonly unknown[], stages: readonly Stage[]): DealInput {
	const wanted = new Set<Stage>(stages);
	const problems: ItemProblem[] = [];
	const valid: Deal[] = [];
	const positions: number[] = [];
	items.forEach((json, index) => {
		const stage = (json as Partial<Deal> | null)?.stage;
		if (STAGES.includes(stage as Stage) && !isAttributedStage(stage, wanted)) return;
		let fields = checkShape(json, DEAL_SHAPE);
		if (fields.length > 0 && fields[0].path === '(item)') {
			problems.push(itemProblem(index, null, fields, DEAL_HINT));
			return;
		}
		const deal = json as Deal;
		const total = readMoney(deal.total);
		if (!('value' in total)) fields = [{ path: 'total', problem: total.reason }, ...fields];
		if (fields.length > 0 || !('value' in total)) {
			problems.push(itemProblem(index, recordName(deal, 'orderId'), fields, DEAL_HINT));
			return;
		}
		valid.push(deal.total === total.value ? deal : { ...deal, total: total.value });
		positions.push(index);
	});
	const { kept, from, dropped } = keepFirstById(valid, (deal) => deal.orderId, 'orderId', positions);
	const warnings = new Map<string, string[]>();
	const warn = (orderId: string, warning: string) => warnings.set(orderId, [...(warnings.get(orderId) ?? []), warning]);
	// A later copy with the same content is left out (nothing is lost) and said on the kept deal's credits; one with
	// other content is also an item error.
	for (const copy of dropped) {
		if (!copy.same) problems.push({ itemIndex: copy.index, message: `Item ${copy.index}: ${copy.reason}`, description: REPEAT_HINT });
		warn(copy.id, copy.warning);
	}
	for (const deal of kept) {
		for (const touch of deal.touches) {
			if (touch.channel === null || touch.channel === undefined) warn(String(deal.orderId), `touch ${quote(touch.touchId)} has no channel: credited to ${NOT_SET_CHANNEL}`);
		}
	}
	problems.sort((a, b) => a.itemIndex - b.itemIndex);
	return { deals: kept, from, problems, warnings };
}

/** The touches that led to no order, each checked against the Touch contract; the others are problems. */
export function readTouches(items: readonly unknown[]): { touches: Touch[]; problems: ItemProblem[] } {
	const touches: Touch[] = [];
	const problems: ItemProblem[] = [];
	items.forEach((json, index) => {
		const fields = checkShape(json, TOUCH_SHAPE);
		if (fields.length === 0) touches.push(json as Touch);
		else problems.push(itemProblem(index, recordName(json, 'touchId'), fields, TOUCH_HINT));
	});
	return { touches, problems };
}
