import { StringIndex } from '../shared/stringIndex';
import { IDENTITY_KINDS, type IdentityKey } from './identityKeys';

export interface IdentityGraphOptions {
	/** A value seen together with more than this many different values of another kind is not an identity. */
	maxValuesPerKind: number;
	/** Values never used to join people (placeholders such as "no@email.ru"), as "kind:value". */
	blockedValues: Set<string>;
}

export interface BlockedValue {
	key: string;
	/** Why it is blocked: listed, or how many values of which kind it was seen with. */
	reason: string;
}

const KIND_NAMES = ['GA client ids', 'Metrica client ids', 'phones', 'e-mails'];

export function keyText(key: IdentityKey): string {
	return `${key.kind}:${key.value}`;
}

/**
 * Joins records (orders and touches) into people: two records are one person when they share any identity value,
 * transitively (identity stitching). Values that would weld many people together (a shared office phone, a
 * placeholder e-mail) are blocked first, from how many distinct values of another kind they co-occur with.
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
	private blocked = new Uint8Array(0);
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
			if (!this.blocked[id] && (best === -1 || this.index.tagOf(id) < this.index.tagOf(best)) && this.holds(other, id)) best = id;
		}
		return best;
	}

	/** The strongest (lowest kind index) unblocked value of a record, first of its kind; -1 when none. */
	strongestValue(record: number): number {
		let best = -1;
		for (let i = this.recordStart[record]; i < this.recordStart[record + 1]; i++) {
			const id = this.values[i];
			if (!this.blocked[id] && (best === -1 || this.index.tagOf(id) < this.index.tagOf(best))) best = id;
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

	/** Blocks listed and over-shared values, then unions every record's remaining values. */
	build(options: IdentityGraphOptions): void {
		const count = this.index.size;
		this.blocked = new Uint8Array(count);
		for (const text of options.blockedValues) {
			const [kind, ...rest] = text.split(':');
			const id = this.index.find(rest.join(':'), IDENTITY_KINDS.indexOf(kind as IdentityKey['kind']));
			if (id === -1) continue;
			this.blocked[id] = 1;
			this.blockedValues.push({ key: text, reason: 'listed as a blocked value' });
		}
		this.blockOverShared(options.maxValuesPerKind);
		this.parent = new Int32Array(count);
		for (let i = 0; i < count; i++) this.parent[i] = i;
		for (let record = 0; record < this.recordCount; record++) {
			let first = -1;
			for (let i = this.recordStart[record]; i < this.recordStart[record + 1]; i++) {
				const id = this.values[i];
				if (this.blocked[id]) continue;
				if (first === -1) first = id;
				else this.union(first, id);
			}
		}
	}

	/** The person a record belongs to (a root value id), or -1 when it has no usable identity value. */
	personOf(record: number): number {
		for (let i = this.recordStart[record]; i < this.recordStart[record + 1]; i++) {
			if (!this.blocked[this.values[i]]) return this.find(this.values[i]);
		}
		return -1;
	}


	private keyOf(id: number): IdentityKey {
		return { kind: IDENTITY_KINDS[this.index.tagOf(id)], value: this.index.textOf(id) };
	}

	/**
	 * Counts, for every value, the distinct values of each other kind it shares a record with, and blocks the values
	 * seen with more than `limit` of one kind. Only values that could reach the limit are counted (see reachOf): for
	 * each, its records are walked and the values met are marked, with no pair list to sort and no Set per value.
	 */
	private blockOverShared(limit: number): void {
		const count = this.index.size;
		const reach = this.reachOf();
		const { start, records } = this.recordsByValue((value) => reach[value] > limit);
		// The reach is not needed any more: its memory marks, per value, the value being counted when it was last met.
		const metBy = reach.fill(-1);
		const perKind = [0, 0, 0, 0];
		for (let value = 0; value < count; value++) {
			if (start[value] === start[value + 1]) continue;
			perKind.fill(0);
			for (let k = start[value]; k < start[value + 1]; k++) {
				const record = records[k];
				for (let i = this.recordStart[record]; i < this.recordStart[record + 1]; i++) {
					const other = this.values[i];
					if (other === value || metBy[other] === value) continue;
					metBy[other] = value;
					perKind[this.index.tagOf(other)]++;
				}
			}
			const worst = perKind.indexOf(Math.max(perKind[0], perKind[1], perKind[2], perKind[3]));
			if (perKind[worst] > 0 && perKind[worst] > limit && !this.blocked[value]) {
				this.blocked[value] = 1;
				this.blockedValues.push({ key: keyText(this.keyOf(value)), reason: `seen with ${perKind[worst]} different ${KIND_NAMES[worst]}` });
			}
		}
	}

	/**
	 * Per value, how many values it is seen with, counting repeats (the sum of its records' other values): a bound on
	 * the distinct values of any one kind, so a value whose reach is within the limit needs no counting.
	 */
	private reachOf(): Int32Array {
		const reach = new Int32Array(this.index.size);
		for (let record = 0; record < this.recordCount; record++) {
			const others = this.recordStart[record + 1] - this.recordStart[record] - 1;
			for (let i = this.recordStart[record]; i < this.recordStart[record + 1]; i++) reach[this.values[i]] += others;
		}
		return reach;
	}

	/**
	 * For each value id that passes `include`, the records that hold it: records[start[value], start[value + 1]), in
	 * record order (an empty range for the others). A counting sort, filled backwards (see groupBy).
	 */
	private recordsByValue(include: (value: number) => boolean): { start: Int32Array; records: Int32Array } {
		const count = this.index.size;
		const start = new Int32Array(count + 1);
		for (let i = 0; i < this.entryCount; i++) {
			if (include(this.values[i])) start[this.values[i]]++;
		}
		for (let value = 0; value < count; value++) start[value + 1] += start[value];
		const records = new Int32Array(start[count]);
		for (let record = this.recordCount - 1; record >= 0; record--) {
			for (let i = this.recordStart[record]; i < this.recordStart[record + 1]; i++) {
				if (include(this.values[i])) records[--start[this.values[i]]] = record;
			}
		}
		return { start, records };
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
