import { InputDataError } from './errors';

/**
 * A table given to a node parameter: JSON text typed in, or an array an expression returned (rows of a Data Table
 * or a sheet read by an earlier node). Empty text is an empty table.
 */
export function jsonArrayParameter<T>(value: unknown, name: string, hint: string): T[] {
	let rows: unknown = value ?? [];
	if (typeof value === 'string') {
		try {
			rows = value.trim() === '' ? [] : JSON.parse(value);
		} catch (error) {
			rows = error as Error;
		}
	}
	if (!Array.isArray(rows)) {
		const why = rows instanceof Error ? `does not parse: ${rows.message}` : 'is not an array';
		throw new InputDataError(`${name} ${why}`, hint);
	}
	return rows as T[];
}
