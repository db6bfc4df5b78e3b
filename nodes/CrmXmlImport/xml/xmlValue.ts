import type { XmlObject, XmlValue } from './XmlRecordReader';

/** Navigation over parsed records: children by local name, repeated children as lists, text content. */
export function isObject(value: XmlValue | undefined): value is XmlObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function list(value: XmlValue | undefined): XmlValue[] {
	if (value === undefined) return [];
	return Array.isArray(value) ? value : [value];
}

export function child(value: XmlValue | undefined, key: string): XmlValue | undefined {
	return isObject(value) ? value[key] : undefined;
}

/** The text of an element (its own text when it also has attributes), or null when empty or absent. */
export function textOf(value: XmlValue | undefined): string | null {
	if (value === undefined) return null;
	if (typeof value === 'string') return value.length > 0 ? value : null;
	if (Array.isArray(value)) return textOf(value[0]);
	const own = value['#text'];
	return typeof own === 'string' && own.length > 0 ? own : null;
}

/**
 * Every text value at a slash-separated path below value ("customer/phone", "@id", "items/item/@sku"),
 * following repeated elements at each step.
 */
export function textsAt(value: XmlValue | undefined, path: string): string[] {
	let current: XmlValue[] = value === undefined ? [] : [value];
	for (const step of path.split('/').filter((s) => s.length > 0)) {
		const next: XmlValue[] = [];
		for (const node of current) for (const item of list(node)) next.push(...list(child(item, step)));
		current = next;
	}
	const out: string[] = [];
	for (const node of current) {
		const text = textOf(node);
		if (text !== null) out.push(text);
	}
	return out;
}
