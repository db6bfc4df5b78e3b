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
	private readonly index = new StringIndex();
	private values = new Int32Array(4096);
	private entryCount = 0;
	private recordStart = new Int32Array(1024).fill(0);
	private recordCount = 0;
	private parent = new Int32Array(0);
	private blocked = new Uint8Array(0);
	readonly blockedValues: BlockedValue[] = [];

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

	/**
	 * The value that best explains why two records are one person: the strongest (lowest kind index) unblocked value
	 * they share, else the strongest unblocked value of `record` (they were joined through other records).
	 */
	explain(record: number, other: number): { key: IdentityKey; shared: boolean } {
		let best = -1;
		let shared = false;
		for (let i = this.recordStart[record]; i < this.recordStart[record + 1]; i++) {
			const id = this.values[i];
			if (this.blocked[id]) continue;
			let inOther = false;
			for (let j = this.recordStart[other]; j < this.recordStart[other + 1]; j++) if (this.values[j] === id) inOther = true;
			if (inOther && (!shared || this.index.tagOf(id) < this.index.tagOf(best))) {
				best = id;
				shared = true;
			} else if (!shared && (best === -1 || this.index.tagOf(id) < this.index.tagOf(best))) best = id;
		}
		return { key: this.keyOf(best), shared };
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
	 * Counts, for every value, the distinct values of each other kind it shares a record with. The (value, other)
	 * pairs are packed into one float each and sorted, which is far lighter than a Set per value.
	 */
	private blockOverShared(limit: number): void {
		let pairCount = 0;
		for (let record = 0; record < this.recordCount; record++) {
			const size = this.recordStart[record + 1] - this.recordStart[record];
			pairCount += size * (size - 1);
		}
		const pairs = new Float64Array(pairCount);
		const scale = this.index.size;
		let p = 0;
		for (let record = 0; record < this.recordCount; record++) {
			const start = this.recordStart[record];
			const end = this.recordStart[record + 1];
			for (let a = start; a < end; a++) for (let b = start; b < end; b++) if (a !== b) pairs[p++] = this.values[a] * scale + this.values[b];
		}
		pairs.sort();
		const perKind = [0, 0, 0, 0];
		let current = -1;
		let previous = -1;
		const flush = () => {
			const worst = perKind.indexOf(Math.max(...perKind));
			if (current !== -1 && perKind[worst] > limit && !this.blocked[current]) {
				this.blocked[current] = 1;
				this.blockedValues.push({ key: keyText(this.keyOf(current)), reason: `seen with ${perKind[worst]} different ${KIND_NAMES[worst]}` });
			}
			perKind.fill(0);
		};
		for (let i = 0; i < pairs.length; i++) {
			const pair = pairs[i];
			if (pair === previous) continue;
			previous = pair;
			const value = Math.floor(pair / scale);
			if (value !== current) {
				flush();
				current = value;
			}
			perKind[this.index.tagOf(pair - value * scale)]++;
		}
		flush();
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
