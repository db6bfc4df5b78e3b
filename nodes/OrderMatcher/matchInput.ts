import { checkShape, itemProblem, keepFirstById, recordName, type FieldRule, type ItemProblem } from '../shared/validation';

/** One input of the matcher, checked item by item. */
export interface CheckedRecords<T> {
	/** The first copy of each id among the items that keep the contract, in input order. */
	kept: T[];
	/** Each kept record's input position. */
	from: number[];
	/** Items that break the contract, and later copies of an id that differ from the first: one error each. */
	problems: ItemProblem[];
}

/**
 * Checks each record against `shape` and keeps the first copy of each id. A later copy that holds the same record
 * is left out with a warning on the first (nothing is lost); one with other values is an error: an export emits each
 * order once, so two versions mean a bad feed, and which one is right cannot be told. Without problems or repeats
 * (the usual case) `kept` is `items` itself.
 */
export function checkRecords<T extends object>(items: readonly T[], shape: readonly FieldRule[], idField: string, hint: string): CheckedRecords<T> {
	const problems: ItemProblem[] = [];
	/** Until the first bad item, the valid records are `items` itself; from then on a copy without the bad ones. */
	let valid: T[] | null = null;
	const positions: number[] = [];
	for (let index = 0; index < items.length; index++) {
		const fields = checkShape(items[index], shape);
		if (fields.length > 0) {
			if (valid === null) {
				valid = items.slice(0, index);
				for (let position = 0; position < index; position++) positions.push(position);
			}
			problems.push(itemProblem(index, recordName(items[index], idField), fields, hint));
		} else if (valid !== null) {
			valid.push(items[index]);
			positions.push(index);
		}
	}
	const { kept, from, dropped } = keepFirstById(valid ?? items, (record) => (record as Record<string, unknown>)[idField], idField, valid === null ? undefined : positions);
	for (const copy of dropped) {
		if (!copy.same) problems.push({ itemIndex: copy.index, message: `Item ${copy.index}: ${copy.reason}`, description: 'Give each record once: remove the repeated one at its source, or keep the version you want before this node (Remove Duplicates).' });
	}
	problems.sort((a, b) => a.itemIndex - b.itemIndex);
	return { kept, from, problems };
}
