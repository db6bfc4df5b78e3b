import { field, isRecord } from '../fields';

/**
 * The texts of a call's tags in the shapes senders give them, for TouchDraft.tags (buildTouch trims and caps them):
 * - a list of texts;
 * - a list of objects that hold the text, or a list of texts, under the first of `nameFields` they have (UIS's
 *   tags[].tag_name, Calltouch's callTags[].names[]);
 * - one text with the tags separated by commas (a notification template that writes a list into one value).
 * Anything else gives no tags.
 */
export function tagTexts(value: unknown, ...nameFields: string[]): unknown[] {
	if (typeof value === 'string') return value.split(',');
	if (!Array.isArray(value)) return [];
	return value.flatMap((tag: unknown) => {
		if (!isRecord(tag)) return [tag];
		const named = field(tag, ...nameFields);
		return Array.isArray(named) ? (named as unknown[]) : [named];
	});
}
