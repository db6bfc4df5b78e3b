import type { Touch } from '../shared/contracts';
import { itemProblem, recordName, type ItemProblem } from '../shared/validation';

/** A stored touch's JSON text longer than this is refused: Touchpoint's touches are under 2,000 characters. */
export const MAX_STORED_TOUCH_CHARS = 100_000;

/** Touches read from items that keep each one as JSON text in one field (a Data Table row of the touch intake). */
interface StoredTouches {
	/** One per item, in input order; an unreadable item's place holds an empty object (the contract check refuses it). */
	touches: Touch[];
	/** Why each unreadable item could not be read, by its input position. */
	unreadable: Map<number, ItemProblem>;
}

/** The matcher's touch input, and how to say the problems it finds among them. */
export interface TouchInput {
	touches: Touch[];
	/** The matcher's touch problems, an unreadable row's said as why it could not be read rather than as a broken contract. */
	problems: (found: ItemProblem[]) => ItemProblem[];
}

/**
 * The touch items as the matcher takes them: the items themselves, or with the option Touches as JSON Text In set
 * (`field`, any blank text meaning unset), each item's touch read from the JSON text in that field.
 */
export function touchInput(rows: ReadonlyArray<Record<string, unknown>>, field: unknown): TouchInput {
	const name = typeof field === 'string' ? field.trim() : '';
	if (name === '') return { touches: rows as unknown as Touch[], problems: (found) => found };
	const { touches, unreadable } = storedTouches(rows, name);
	return { touches, problems: (found) => found.map((problem) => unreadable.get(problem.itemIndex) ?? problem) };
}

const HINT = 'Point Touches as JSON Text In at the column where the touch intake stores the whole touch (touch), or leave it empty when touches come from Touchpoint itself.';

/**
 * Each item's touch from the JSON text in `field` (JSON.parse: linear in the text, which is capped). The row's own
 * columns are not read: the text is the touch as Touchpoint emitted it.
 */
function storedTouches(rows: ReadonlyArray<Record<string, unknown>>, field: string): StoredTouches {
	const touches: Touch[] = [];
	const unreadable = new Map<number, ItemProblem>();
	rows.forEach((row, index) => {
		const refuse = (problem: string) => {
			unreadable.set(index, itemProblem(index, recordName(row, 'touchId'), [{ path: field, problem }], HINT));
			touches.push({} as Touch);
		};
		const text = row[field];
		if (typeof text !== 'string') return refuse(text === undefined ? 'is missing' : `is ${text === null ? 'null' : typeof text}, not JSON text`);
		if (text.length > MAX_STORED_TOUCH_CHARS) return refuse(`is ${text.length} characters long, over ${MAX_STORED_TOUCH_CHARS}`);
		let touch: unknown;
		try {
			touch = JSON.parse(text);
		} catch (error) {
			return refuse(`is not JSON (${(error as Error).message.slice(0, 120)})`);
		}
		if (typeof touch !== 'object' || touch === null || Array.isArray(touch)) return refuse('is JSON but not an object');
		touches.push(touch as Touch);
	});
	return { touches, unreadable };
}
