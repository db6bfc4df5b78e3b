/** Everyone who took one channel sequence: how many converted and how many did not. */
export interface ChannelPath {
	channels: string[];
	conversions: number;
	nonConversions: number;
}

/**
 * Adds up people by channel sequence, so that Markov and Shapley see each distinct path once and no per-deal
 * objects are kept. Sequences come as channel numbers; names are looked up once per distinct path.
 */
export class PathCounter {
	private readonly paths = new Map<string, ChannelPath>();

	constructor(private readonly names: readonly string[]) {}

	/** Counts the sequence channels[start..end-1]. */
	add(channels: ArrayLike<number>, start: number, end: number, conversions: number, nonConversions: number): void {
		let key = '';
		for (let i = start; i < end; i++) key += `${channels[i]},`;
		const path = this.paths.get(key);
		if (path !== undefined) {
			path.conversions += conversions;
			path.nonConversions += nonConversions;
			return;
		}
		const names: string[] = [];
		for (let i = start; i < end; i++) names.push(this.names[channels[i]]);
		this.paths.set(key, { channels: names, conversions, nonConversions });
	}

	list(): ChannelPath[] {
		return [...this.paths.values()];
	}
}
