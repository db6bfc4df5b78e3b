import { hash32 } from './hash';

const EMPTY = -1;
const MIN_SLOTS = 1024;
const PLUS = 43;
const DIGIT_0 = 48;
const MAX_EXACT_DIGITS = 15;

/**
 * Dense integer ids for strings (each with a small tag, such as the kind of an identity value), in an
 * open-addressing hash table over typed arrays. For a million keys it is about three times faster than a Map,
 * whose growth and per-entry cost dominate the matcher otherwise. Each key's hash is kept, so that a probe rejects
 * other keys without reading their text and a rehash reads no string; slots hold only ids (4 bytes), since
 * ArrayBuffer memory is what makes V8 mark the whole heap early (its external-memory trigger).
 */
export class StringIndex {
	/** Per slot: the id of the key there, or EMPTY. */
	private slots: Int32Array;
	/** Per id: the key's text, tag and hash. */
	private readonly texts: string[] = [];
	private tags: Uint8Array;
	private hashes: Int32Array;
	/** Per id: the key as a number when it is one (see numberKey), else NaN. */
	private numbers: Float64Array;

	/** `expected`: how many keys are likely, so that a table of known size never grows. */
	constructor(expected = 0) {
		let slotCount = MIN_SLOTS;
		while (slotCount < expected * 2) slotCount *= 2;
		this.slots = new Int32Array(slotCount).fill(EMPTY);
		this.tags = new Uint8Array(slotCount / 2);
		this.hashes = new Int32Array(slotCount / 2);
		this.numbers = new Float64Array(slotCount / 2);
	}

	get size(): number {
		return this.texts.length;
	}

	textOf(id: number): string {
		return this.texts[id];
	}

	tagOf(id: number): number {
		return this.tags[id];
	}

	/** The id of (tag, text), or -1 when it was never added. */
	find(text: string, tag = 0): number {
		return this.slots[this.slotOf(text, tag, hash32(text, tag) | 0, numberKey(text))];
	}

	/** The id of (tag, text), adding it when new. */
	add(text: string, tag = 0): number {
		const hash = hash32(text, tag) | 0;
		const number = numberKey(text);
		const slot = this.slotOf(text, tag, hash, number);
		if (this.slots[slot] !== EMPTY) return this.slots[slot];
		const id = this.texts.length;
		this.texts.push(text);
		if (id >= this.tags.length) this.growIds();
		this.tags[id] = tag;
		this.hashes[id] = hash;
		this.numbers[id] = number;
		this.slots[slot] = id;
		if (this.texts.length * 2 > this.slots.length) this.rehash();
		return id;
	}

	/**
	 * The slot of (tag, text): where its id is, or the empty slot where it would go. A key that is a number compares by
	 * it, without reading the stored text: at a million keys that read is a cache miss, most of a lookup's cost.
	 */
	private slotOf(text: string, tag: number, hash: number, number: number): number {
		const mask = this.slots.length - 1;
		const isNumber = !Number.isNaN(number);
		let slot = hash & mask;
		for (;;) {
			const id = this.slots[slot];
			if (id === EMPTY || (this.hashes[id] === hash && this.tags[id] === tag && (isNumber ? this.numbers[id] === number : this.texts[id] === text))) return slot;
			slot = (slot + 1) & mask;
		}
	}

	private rehash(): void {
		this.slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
		const mask = this.slots.length - 1;
		for (let id = 0; id < this.texts.length; id++) {
			let slot = this.hashes[id] & mask;
			while (this.slots[slot] !== EMPTY) slot = (slot + 1) & mask;
			this.slots[slot] = id;
		}
	}

	private growIds(): void {
		const tags = new Uint8Array(this.tags.length * 2);
		tags.set(this.tags);
		this.tags = tags;
		const hashes = new Int32Array(this.hashes.length * 2);
		hashes.set(this.hashes);
		this.hashes = hashes;
		const numbers = new Float64Array(this.numbers.length * 2);
		numbers.set(this.numbers);
		this.numbers = numbers;
	}
}

/**
 * A text that is a number ("+" optionally, then 1 to 15 digits, the first not 0: phones in E.164) as one exact
 * number, the digits times 2 plus 1 for the "+": two such texts are equal exactly when their numbers are. NaN for
 * any other text.
 */
function numberKey(text: string): number {
	const plus = text.charCodeAt(0) === PLUS ? 1 : 0;
	const digits = text.length - plus;
	if (digits < 1 || digits > MAX_EXACT_DIGITS || text.charCodeAt(plus) === DIGIT_0) return NaN;
	let value = 0;
	for (let i = plus; i < text.length; i++) {
		const digit = text.charCodeAt(i) - DIGIT_0;
		if (digit < 0 || digit > 9) return NaN;
		value = value * 10 + digit;
	}
	return value * 2 + plus;
}
