import type { Utm } from '../shared/contracts';

/** The channel of a touch without a source: the visitor came by bookmark, typed URL or an untagged call. */
export const DIRECT_CHANNEL = '(direct) / (none)';

/**
 * The channel of a touch that has no channel object at all (null or left out): its source is unknown, which is not
 * the same as direct. Named as GA names what it could not determine; not direct, so Last Non-Direct can credit it.
 */
export const NOT_SET_CHANNEL = '(not set) / (not set)';

/** Sources treated as direct or internal unless the user gives a list; touches without a source always are. */
export const DEFAULT_DIRECT_SOURCES = ['(direct)', 'direct', 'internal'];

function clean(value: string | null): string | null {
	const text = value?.trim().toLowerCase();
	return text ? text : null;
}

/**
 * "source / medium" as the report groups it. Lower-cased and trimmed, because CRMs and ad platforms write "Google"
 * and "google " for the same source, and a split channel would halve its figures.
 */
export function channelKey(utm: Pick<Utm, 'source' | 'medium'> | null | undefined): string {
	if (utm === null || utm === undefined) return NOT_SET_CHANNEL;
	const source = clean(utm.source);
	if (source === null) return DIRECT_CHANNEL;
	return `${source} / ${clean(utm.medium) ?? '(none)'}`;
}

/**
 * true when the touch came in directly or from the site itself: no source, a source in directSources, or a
 * subdomain of one (an own domain "example.com" also covers "shop.example.com"), so that "last non-direct" skips
 * the return visit to the shop and credits the ad that brought the visitor.
 */
export function isDirect(channel: Pick<Utm, 'source'> | null | undefined, directSources: readonly string[]): boolean {
	if (channel === null || channel === undefined) return false;
	const source = clean(channel.source);
	if (source === null) return true;
	return directSources.some((entry) => {
		const own = clean(entry);
		return own !== null && (source === own || source.endsWith(`.${own}`));
	});
}

/**
 * Numbers the channels of one attribution run. Each distinct raw source/medium pair is keyed and classified once,
 * so the per-touch cost is two map look-ups instead of string building.
 */
export class ChannelTable {
	readonly names: string[] = [];
	readonly direct: boolean[] = [];
	private readonly byName = new Map<string, number>();
	private readonly byRaw = new Map<string | null, Map<string | null, number>>();

	constructor(private readonly directSources: readonly string[]) {}

	indexOf(utm: Pick<Utm, 'source' | 'medium'> | null | undefined): number {
		if (utm === null || utm === undefined) return this.indexOfName(NOT_SET_CHANNEL);
		let byMedium = this.byRaw.get(utm.source);
		if (byMedium === undefined) {
			byMedium = new Map();
			this.byRaw.set(utm.source, byMedium);
		}
		let index = byMedium.get(utm.medium);
		if (index === undefined) {
			index = this.indexOfName(channelKey(utm), isDirect(utm, this.directSources));
			byMedium.set(utm.medium, index);
		}
		return index;
	}

	/** A channel named by its key, as pre-aggregated paths and ad-spend rows give it. */
	indexOfName(name: string, direct = false): number {
		let index = this.byName.get(name);
		if (index === undefined) {
			index = this.names.length;
			this.names.push(name);
			this.direct.push(direct);
			this.byName.set(name, index);
		}
		return index;
	}
}
