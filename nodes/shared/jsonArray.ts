import { InputDataError } from './errors';

/**
 * A node parameter holding JSON: text typed in, or the value an expression returned (rows of a Data Table or a
 * sheet read by an earlier node). Empty text is `empty`.
 */
export function jsonParameter(value: unknown, name: string, hint: string, empty: unknown = []): unknown {
	if (typeof value !== 'string') return value ?? empty;
	let parsed: unknown = empty;
	let problem = '';
	try {
		if (value.trim() !== '') parsed = JSON.parse(value);
	} catch (error) {
		problem = (error as Error).message;
	}
	if (problem !== '') throw new InputDataError(`${name} does not parse: ${problem}`, hint);
	return parsed;
}

/** A table given to a node parameter (see jsonParameter); anything but an array is refused. */
export function jsonArrayParameter<T>(value: unknown, name: string, hint: string): T[] {
	const rows = jsonParameter(value, name, hint);
	if (!Array.isArray(rows)) throw new InputDataError(`${name} is not an array`, hint);
	return rows as T[];
}
