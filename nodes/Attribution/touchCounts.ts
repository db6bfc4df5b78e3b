import type { Deal } from '../shared/contracts';
import type { AttributionOptions } from './attribute';
import { ChannelTable } from './channels';

/**
 * Touches per channel over the deals and the non-converting journeys, for the report's conversion. Each touch id
 * counts once: a call before two orders of a repeat buyer is linked to both deals but is still one call.
 * Pre-counted paths add one touch per channel step per person.
 */
export function countTouchesByChannel(
	deals: readonly Deal[],
	nonConverting: Pick<AttributionOptions, 'nonConvertingTouches' | 'nonConvertingPaths'> = {},
): Record<string, number> {
	const channels = new ChannelTable([]);
	const counts: number[] = [];
	const add = (channel: number, touches: number): void => {
		counts[channel] = (counts[channel] ?? 0) + touches;
	};
	const seen = new Set<string>();
	for (const journey of [...deals.map((deal) => deal.touches), ...(nonConverting.nonConvertingTouches ?? [])]) {
		for (const touch of journey) {
			if (seen.has(touch.touchId)) continue;
			seen.add(touch.touchId);
			add(channels.indexOf(touch.channel), 1);
		}
	}
	for (const path of nonConverting.nonConvertingPaths ?? []) {
		for (const name of path.channels) add(channels.indexOfName(name), path.nonConversions);
	}
	return Object.fromEntries(channels.names.map((name, c) => [name, counts[c]]));
}
