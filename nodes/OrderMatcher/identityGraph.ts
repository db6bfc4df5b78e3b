import { StringIndex } from '../shared/stringIndex';
import { IDENTITY_KINDS, type IdentityKey } from './identityKeys';

/** A value's standing: usable; usable and never treated as shared; blocked (listed, or over-shared); found shared. */
const OPEN = 0;
const TRUSTED = 1;
const BLOCKED = 2;
const SHARED = 3;

export interface BlockedValue {
	key: string;
	/** Why it is blocked: listed, found shared (with the evidence), or how many values of which kind it was seen with. */
	reason: string;
}

const KIND_NAMES = ['GA client ids', 'Metrica client ids', 'phones', 'e-mails'];
/** countHolders' packing: orders in the high 16 bits, touches in the low 16. */
const ONE_ORDER = 0x10000;
const MAX_ORDERS = 0xffff0000;
const MAX_TOUCHES = 0xffff;
/** A value's orders and touches from countHolders (at most 65,535 each). */
export const ordersOf = (counts: number): number => counts >>> 16;
export const touchesOf = (counts: number): number => counts & MAX_TOUCHES;
const NONE: number[] = [];

/** The records that hold some values: those of values[k] are records[start[k], start[k + 1]), in record order. */
export interface Holders {
	values: number[];
	start: Int32Array;
	records: Int32Array;
}

export function keyText(key: IdentityKey): string {
	return `${key.kind}:${key.value}`;
}

/**
 * Joins records (orders and touches) into people: two records are one person when they share any identity value,
 * transitively (identity stitching). Values that would weld many people together (a shared office phone, a
 * placeholder e-mail) are blocked first: listed ones, those found shared from their own records (sharedValues.ts),
 * and those seen with many distinct values of another kind; trusted ones never are.
 * Values are integer ids and records a flat list of ids, so a million records stitch without a heap of small objects.
 */
export class IdentityGraph {
	/** Every identity value, tagged with its kind index. */
	private readonly index: StringIndex;
	private values: Int32Array;
	private entryCount = 0;
	private recordStart: Int32Array;
	private recordCount = 0;
	private parent = new Int32Array(0);
	/** Per value id: OPEN, TRUSTED, BLOCKED or SHARED (blocked too). */
	private state = new Uint8Array(0);
	/**
	 * One array of the values' count for the census steps (countHolders, then blockOverShared), made once: at a
	 * million records every new ArrayBuffer counts toward V8's external-memory trigger (see matchOrders).
	 */
	private census: Int32Array | null = null;
	readonly blockedValues: BlockedValue[] = [];

	/** `expectedRecords`: how many records are likely, so that their lists rarely grow. */
	constructor(expectedRecords = 0) {
		// Records share many values: about one value per two records is usual.
		this.index = new StringIndex(expectedRecords / 2);
		this.recordStart = new Int32Array(Math.max(expectedRecords + 2, 1024));
		this.values = new Int32Array(Math.max(expectedRecords * 2, 4096));
	}

	/** Adds a value (kind index into IDENTITY_KINDS) to the record being built. */
	readonly addValue = (kind: number, value: string): void => {
		const id = this.index.add(value, kind);
		const start = this.recordStart[this.recordCount];
		for (let i = start; i < this.entryCount; i++) if (this.values[i] === id) return;
		if (this.entryCount >= this.values.length) this.values = grow(this.values);
		this.values[this.entryCount++] = id;
	};

	/** Closes the record whose values were just added; returns its index. */
	endRecord(): number {
		if (this.recordCount + 2 >= this.recordStart.length) this.recordStart = grow(this.recordStart);
		this.recordStart[++this.recordCount] = this.entryCount;
		return this.recordCount - 1;
	}

	/** Persons are value ids: every person id is below this. */
	get valueCount(): number {
		return this.index.size;
	}

	hasValues(record: number): boolean {
		return this.recordStart[record + 1] > this.recordStart[record];
	}

	/** The strongest (lowest kind index) unblocked value both records hold, first of its kind in `record`; -1 when none. */
	sharedValue(record: number, other: number): number {
		let best = -1;
		for (let i = this.recordStart[record]; i < this.recordStart[record + 1]; i++) {
			const id = this.values[i];
			if (this.state[id] < BLOCKED && (best === -1 || this.index.tagOf(id) < this.index.tagOf(best)) && this.holds(other, id)) best = id;
		}
		return best;
	}

	/** The strongest (lowest kind index) unblocked value of a record, first of its kind; -1 when none. */
	strongestValue(record: number): number {
		let best = -1;
		for (let i = this.recordStart[record]; i < this.recordStart[record + 1]; i++) {
			const id = this.values[i];
			if (this.state[id] < BLOCKED && (best === -1 || this.index.tagOf(id) < this.index.tagOf(best))) best = id;
		}
		return best;
	}

	/** The kind (index into IDENTITY_KINDS) of a value id. */
	kindOf(id: number): number {
		return this.index.tagOf(id);
	}

	/** The normalised text of a value id. */
	textOf(id: number): string {
		return this.index.textOf(id);
	}

	/**
	 * Once every record is in: blocks the listed values and marks the trusted ones (keys "kind:value"; a value both
	 * listed and trusted is blocked). Values found shared are blocked next (blockShared), then `join` does the rest.
	 */
	settle(blockedValues: Set<string>, trustedValues: Set<string>): void {
		this.state = new Uint8Array(this.index.size);
		for (const text of trustedValues) {
			const id = this.idOf(text);
			if (id !== -1) this.state[id] = TRUSTED;
		}
		for (const text of blockedValues) {
			const id = this.idOf(text);
			if (id === -1) continue;
			this.state[id] = BLOCKED;
			this.blockedValues.push({ key: text, reason: 'listed as a blocked value' });
		}
	}

	/** true when a value is neither blocked nor trusted: open to the guards against shared values. */
	isOpen(id: number): boolean {
		return this.state[id] === OPEN;
	}

	/** Blocks a value found shared from the records (see sharedValues.ts), with why. */
	blockShared(id: number, reason: string): void {
		this.state[id] = SHARED;
		this.blockedValues.push({ key: keyText(this.keyOf(id)), reason });
	}

	/** The values of a record that were found shared; an empty list (not a new one) when none. */
	sharedValuesOf(record: number): number[] {
		let found = NONE;
		for (let i = this.recordStart[record]; i < this.recordStart[record + 1]; i++) {
			if (this.state[this.values[i]] !== SHARED) continue;
			if (found === NONE) found = [];
			found.push(this.values[i]);
		}
		return found;
	}

	/** Blocks over-shared values (see blockOverShared), then unions every record's remaining values. */
	join(maxValuesPerKind: number): void {
		const count = this.index.size;
		this.blockOverShared(maxValuesPerKind);
		this.parent = new Int32Array(count);
		for (let i = 0; i < count; i++) this.parent[i] = i;
		for (let record = 0; record < this.recordCount; record++) {
			let first = -1;
			for (let i = this.recordStart[record]; i < this.recordStart[record + 1]; i++) {
				const id = this.values[i];
				if (this.state[id] >= BLOCKED) continue;
				if (first === -1) first = id;
				else this.union(first, id);
			}
		}
	}

	/**
	 * Per value: how many orders (records below `orderCount`) and touches hold it, in one number (one array of the
	 * values' count, not two): orders in the high 16 bits, touches in the low 16, each stopping at 65,535 (see
	 * ordersOf and touchesOf). The array is the graph's census memory: valid until the next census (join).
	 */
	countHolders(orderCount: number): Uint32Array {
		const counts = new Uint32Array(this.censusMemory().buffer, 0, this.index.size);
		const split = this.recordStart[Math.min(orderCount, this.recordCount)];
		for (let i = 0; i < split; i++) {
			if (counts[this.values[i]] < MAX_ORDERS) counts[this.values[i]] += ONE_ORDER;
		}
		for (let i = split; i < this.entryCount; i++) {
			if ((counts[this.values[i]] & MAX_TOUCHES) !== MAX_TOUCHES) counts[this.values[i]]++;
		}
		return counts;
	}

	/** The census memory, zeroed. */
	private censusMemory(): Int32Array {
		if (this.census === null || this.census.length !== this.index.size) this.census = new Int32Array(this.index.size);
		return this.census.fill(0);
	}

	/** The person a record belongs to (a root value id), or -1 when it has no usable identity value. */
	personOf(record: number): number {
		for (let i = this.recordStart[record]; i < this.recordStart[record + 1]; i++) {
			if (this.state[this.values[i]] < BLOCKED) return this.find(this.values[i]);
		}
		return -1;
	}

	private keyOf(id: number): IdentityKey {
		return { kind: IDENTITY_KINDS[this.index.tagOf(id)], value: this.index.textOf(id) };
	}

	/** The id of a value written "kind:value"; -1 when no record holds it. */
	idOf(text: string): number {
		const [kind, ...rest] = text.split(':');
		return this.index.find(rest.join(':'), IDENTITY_KINDS.indexOf(kind as IdentityKey['kind']));
	}

	/**
	 * Counts, for every value, the distinct values of each other kind it shares a record with, and blocks the open
	 * values (not listed, trusted or found shared) seen with more than `limit` of one kind. Only values that could reach the limit are counted (see reachOf): for
	 * each, its records are walked and the values met are marked, with no pair list to sort and no Set per value.
	 */
	private blockOverShared(limit: number): void {
		const reach = this.reachOf();
		const { values, start, records } = this.holdersOf((value) => reach[value] > limit, reach);
		// The reach is not needed any more: its memory marks, per value, the value being counted when it was last met.
		const metBy = reach.fill(-1);
		const perKind = [0, 0, 0, 0];
		for (let k = 0; k < values.length; k++) {
			const value = values[k];
			perKind.fill(0);
			for (let h = start[k]; h < start[k + 1]; h++) {
				const record = records[h];
				for (let i = this.recordStart[record]; i < this.recordStart[record + 1]; i++) {
					const other = this.values[i];
					if (other === value || metBy[other] === value) continue;
					metBy[other] = value;
					perKind[this.index.tagOf(other)]++;
				}
			}
			const worst = perKind.indexOf(Math.max(perKind[0], perKind[1], perKind[2], perKind[3]));
			if (perKind[worst] > 0 && perKind[worst] > limit && this.state[value] === OPEN) {
				this.state[value] = BLOCKED;
				this.blockedValues.push({ key: keyText(this.keyOf(value)), reason: `seen with ${perKind[worst]} different ${KIND_NAMES[worst]}` });
			}
		}
	}

	/**
	 * Per value, how many values it is seen with, counting repeats (the sum of its records' other values): a bound on
	 * the distinct values of any one kind, so a value whose reach is within the limit needs no counting. In the
	 * census memory.
	 */
	private reachOf(): Int32Array {
		const reach = this.censusMemory();
		for (let record = 0; record < this.recordCount; record++) {
			const others = this.recordStart[record + 1] - this.recordStart[record] - 1;
			for (let i = this.recordStart[record]; i < this.recordStart[record + 1]; i++) reach[this.values[i]] += others;
		}
		return reach;
	}

	/**
	 * The records that hold each value that passes `include` (a few values in a thousand: no array of the values'
	 * count is made), in record order. `marks`, an array of the values' count that `include` reads and that is not
	 * needed after it, is overwritten: per value, its place in `values` plus one, or 0.
	 */
	holdersOf(include: (value: number) => boolean, marks: Int32Array | Uint32Array): Holders {
		const values: number[] = [];
		for (let value = 0; value < this.index.size; value++) marks[value] = include(value) ? values.push(value) : 0;
		// start[k + 1] counts the holders of values[k], then, summed, is where they end.
		const start = new Int32Array(values.length + 1);
		for (let i = 0; i < this.entryCount; i++) {
			if (marks[this.values[i]] !== 0) start[marks[this.values[i]]]++;
		}
		for (let k = 0; k < values.length; k++) start[k + 1] += start[k];
		const next = start.slice(0, values.length);
		const records = new Int32Array(start[values.length]);
		for (let record = 0; record < this.recordCount; record++) {
			for (let i = this.recordStart[record]; i < this.recordStart[record + 1]; i++) {
				const mark = marks[this.values[i]];
				if (mark !== 0) records[next[mark - 1]++] = record;
			}
		}
		return { values, start, records };
	}

	/** true when the record holds the value id. */
	private holds(record: number, id: number): boolean {
		for (let i = this.recordStart[record]; i < this.recordStart[record + 1]; i++) {
			if (this.values[i] === id) return true;
		}
		return false;
	}

	private find(id: number): number {
		let root = id;
		while (this.parent[root] !== root) root = this.parent[root];
		while (this.parent[id] !== root) {
			const next = this.parent[id];
			this.parent[id] = root;
			id = next;
		}
		return root;
	}

	private union(a: number, b: number): void {
		const rootA = this.find(a);
		const rootB = this.find(b);
		if (rootA !== rootB) this.parent[Math.max(rootA, rootB)] = Math.min(rootA, rootB);
	}
}

function grow(array: Int32Array): Int32Array<ArrayBuffer> {
	const bigger = new Int32Array(array.length * 2);
	bigger.set(array);
	return bigger;
}
