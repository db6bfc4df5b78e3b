/**
 * The Measurement Protocol's documented limits ("Limitations" in Google's "Send Measurement Protocol events"
 * guide): GA answers 2xx even when it drops data, so everything is checked before sending.
 */
export const GA4_LIMITS = {
	eventsPerRequest: 25,
	paramsPerEvent: 25,
	nameLength: 40,
	paramValueLength: 100,
	/** "The post body must be smaller than 130kB": measured in UTF-8 bytes, kept strictly below. */
	bodyBytes: 130_000,
	/** GA's item array cap for e-commerce events. */
	itemsPerEvent: 200,
	/** Custom parameters per item. */
	itemCustomParams: 10,
	/** Events may be backdated at most 72 hours. */
	backdateMs: 72 * 3_600_000,
};

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const RESERVED_PREFIXES = ['google_', 'ga_', 'firebase_', '_'];
/** Reserved event names of web streams (GA Help "Event naming rules"). */
const RESERVED_EVENTS = new Set([
	'ad_impression', 'app_remove', 'app_store_refund', 'app_store_subscription_cancel', 'app_store_subscription_renew', 'click', 'error',
	'file_download', 'first_open', 'first_visit', 'form_start', 'form_submit', 'in_app_purchase', 'page_view', 'scroll', 'session_start',
	'user_engagement', 'view_complete', 'video_progress', 'video_start', 'view_search_results',
]);

/** Why a name is not an event or parameter name GA keeps, or null. */
export function nameProblem(name: string, what: 'event' | 'parameter'): string | null {
	if (name.length === 0) return `the ${what} name is empty`;
	if (name.length > GA4_LIMITS.nameLength) return `the ${what} name "${name}" is longer than ${GA4_LIMITS.nameLength} characters`;
	const prefix = RESERVED_PREFIXES.find((p) => name.toLowerCase().startsWith(p));
	if (prefix) return `the ${what} name "${name}" starts with the reserved prefix "${prefix}"`;
	if (!NAME.test(name)) return `the ${what} name "${name}" must start with a letter and hold only letters, digits and underscores`;
	if (what === 'event' && RESERVED_EVENTS.has(name)) return `"${name}" is a reserved event name`;
	return null;
}

export type Ga4ParamValue = string | number | boolean | Array<Record<string, string | number>>;

export interface Ga4Event {
	name: string;
	params: Record<string, Ga4ParamValue>;
	timestamp_micros?: number;
}

/** Every limit an event breaks, in words: the deal is reported and not sent. */
export function eventProblems(event: Ga4Event): string[] {
	const problems: string[] = [];
	const nameIssue = nameProblem(event.name, 'event');
	if (nameIssue) problems.push(nameIssue);
	const entries = Object.entries(event.params);
	if (entries.length > GA4_LIMITS.paramsPerEvent) problems.push(`the event has ${entries.length} parameters; GA keeps at most ${GA4_LIMITS.paramsPerEvent}`);
	for (const [name, value] of entries) {
		// session_id and engagement_time_msec are reserved for custom definitions, yet the protocol asks for them.
		if (name !== 'session_id' && name !== 'engagement_time_msec') {
			const issue = nameProblem(name, 'parameter');
			if (issue) problems.push(issue);
		}
		if (typeof value === 'string' && value.length > GA4_LIMITS.paramValueLength) {
			problems.push(`the value of "${name}" is ${value.length} characters long; GA keeps at most ${GA4_LIMITS.paramValueLength}`);
		}
	}
	const items = event.params.items;
	if (Array.isArray(items)) {
		if (items.length > GA4_LIMITS.itemsPerEvent) problems.push(`the event has ${items.length} items; GA keeps at most ${GA4_LIMITS.itemsPerEvent}`);
		items.forEach((item, index) => {
			if (!item.item_id && !item.item_name) problems.push(`item ${index + 1} has neither item_id nor item_name`);
			for (const [name, value] of Object.entries(item)) {
				if (typeof value === 'string' && value.length > GA4_LIMITS.paramValueLength) problems.push(`item ${index + 1}: "${name}" is longer than ${GA4_LIMITS.paramValueLength} characters`);
			}
		});
	}
	return problems;
}

export interface Ga4ValidationMessage {
	fieldPath: string;
	description: string;
	validationCode: string;
}

/** The debug endpoint's `validationMessages`, each as one readable line. Anything unreadable is said so, not dropped. */
export function readValidationMessages(body: unknown): string[] {
	const parsed = typeof body === 'string' ? safeJson(body) : body;
	const messages = parsed && typeof parsed === 'object' ? (parsed as { validationMessages?: unknown }).validationMessages : undefined;
	if (!Array.isArray(messages)) return parsed === undefined ? ['the validation server answered something that is not JSON'] : [];
	return messages.map((message: Partial<Ga4ValidationMessage>) => {
		const where = message.fieldPath ? `${message.fieldPath}: ` : '';
		const code = message.validationCode ? ` (${message.validationCode})` : '';
		return `${where}${message.description ?? 'no description'}${code}`;
	});
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
