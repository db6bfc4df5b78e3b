import { hash32 } from './hash';

const EMPTY = -1;
const MIN_SLOTS = 1024;
const PLUS = 43;
const DIGIT_0 = 48;
const MAX_EXACT_DIGITS = 15;
/** Tags are 0 to MAX_TAG: a number key carries its tag in its two low bits (see keyOf). */
const MAX_TAG = 3;
/** A slot is 16 bytes: its id and hash (two Int32 entries), then its key (one Float64 entry). */
const INTS_PER_SLOT = 4;
const FLOATS_PER_SLOT = 2;

/**
 * Dense integer ids for strings (each with a small tag, 0 to 3, such as the kind of an identity value), in an
 * open-addressing hash table over typed arrays. For a million keys it is several times faster than a Map, whose
 * growth and per-entry cost dominate the matcher otherwise. At that size every read at a random place of a large
 * table is a cache miss, so a slot holds in its 16 bytes all a probe needs: the key's id, its hash, and the key
 * itself when it is a number (a phone in E.164) with its tag. Such a key is found with one miss; any other key
 * then reads its stored text. The texts stay in a plain array (ArrayBuffer memory is what makes V8 mark the whole
 * heap early, its external-memory trigger, so only the slots and the tags are typed arrays).
 */
export class StringIndex {
	/** The slots as Int32: per slot its id (or EMPTY) at INTS_PER_SLOT * slot, its hash next. */
	private slots: Int32Array;
	/** The same memory as Float64: per slot its key (see keyOf) at FLOATS_PER_SLOT * slot + 1. */
	private slotKeys: Float64Array;
	/** Per id: the key's text and tag. */
	private readonly texts: string[] = [];
	private tags: Uint8Array;

	/** `expected`: how many keys are likely, so that a table of known size never grows. */
	constructor(expected = 0) {
		let slotCount = MIN_SLOTS;
		while (slotCount < expected * 2) slotCount *= 2;
		[this.slots, this.slotKeys] = emptySlots(slotCount);
		this.tags = new Uint8Array(slotCount / 2);
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
		if (!isTag(tag)) return EMPTY;
		const slot = this.slotOf(text, tag, hash32(text, tag) | 0, keyOf(text, tag));
		return this.slots[slot * INTS_PER_SLOT];
	}

	/** The id of (tag, text), adding it when new. */
	add(text: string, tag = 0): number {
		if (!isTag(tag)) throw new RangeError(`StringIndex tag ${tag} is not 0 to ${MAX_TAG}`);
		const hash = hash32(text, tag) | 0;
		const key = keyOf(text, tag);
		const slot = this.slotOf(text, tag, hash, key);
		const found = this.slots[slot * INTS_PER_SLOT];
		if (found !== EMPTY) return found;
		const id = this.texts.length;
		this.texts.push(text);
		if (id >= this.tags.length) this.growIds();
		this.tags[id] = tag;
		this.slots[slot * INTS_PER_SLOT] = id;
		this.slots[slot * INTS_PER_SLOT + 1] = hash;
		this.slotKeys[slot * FLOATS_PER_SLOT + 1] = key;
		if (this.texts.length * 2 > this.slotCount) this.rehash();
		return id;
	}

	private get slotCount(): number {
		return this.slotKeys.length / FLOATS_PER_SLOT;
	}

	/**
	 * The slot of (tag, text): where its id is, or the empty slot where it would go. A number key is decided by the
	 * slot alone; only other keys read the stored text and tag.
	 */
	private slotOf(text: string, tag: number, hash: number, key: number): number {
		const mask = this.slotCount - 1;
		const isNumber = key >= 0;
		let slot = hash & mask;
		for (;;) {
			const id = this.slots[slot * INTS_PER_SLOT];
			if (id === EMPTY) return slot;
			if (this.slots[slot * INTS_PER_SLOT + 1] === hash && this.slotKeys[slot * FLOATS_PER_SLOT + 1] === key && (isNumber || (this.tags[id] === tag && this.texts[id] === text))) return slot;
			slot = (slot + 1) & mask;
		}
	}

	private rehash(): void {
		const [oldSlots, oldKeys] = [this.slots, this.slotKeys];
		[this.slots, this.slotKeys] = emptySlots(this.slotCount * 2);
		const mask = this.slotCount - 1;
		for (let from = 0; from < oldKeys.length / FLOATS_PER_SLOT; from++) {
			const id = oldSlots[from * INTS_PER_SLOT];
			if (id === EMPTY) continue;
			const hash = oldSlots[from * INTS_PER_SLOT + 1];
			let slot = hash & mask;
			while (this.slots[slot * INTS_PER_SLOT] !== EMPTY) slot = (slot + 1) & mask;
			this.slots[slot * INTS_PER_SLOT] = id;
			this.slots[slot * INTS_PER_SLOT + 1] = hash;
			this.slotKeys[slot * FLOATS_PER_SLOT + 1] = oldKeys[from * FLOATS_PER_SLOT + 1];
		}
	}

	private growIds(): void {
		const tags = new Uint8Array(this.tags.length * 2);
		tags.set(this.tags);
		this.tags = tags;
	}
}

function isTag(tag: number): boolean {
	return Number.isInteger(tag) && tag >= 0 && tag <= MAX_TAG;
}

/** `count` empty slots: one buffer, seen as Int32 (ids, hashes) and as Float64 (keys). */
function emptySlots(count: number): [Int32Array, Float64Array] {
	const buffer = new ArrayBuffer(count * INTS_PER_SLOT * Int32Array.BYTES_PER_ELEMENT);
	const slots = new Int32Array(buffer);
	for (let slot = 0; slot < count; slot++) slots[slot * INTS_PER_SLOT] = EMPTY;
	return [slots, new Float64Array(buffer)];
}

/**
 * What a slot compares first. A text that is a number ("+" optionally, then 1 to 15 digits, the first not 0: phones
 * in E.164) is one exact number: the digits times 2 plus 1 for the "+", times 4 plus the tag (at most 8e15, below
 * 2^53, so exact): two such keys are equal exactly when their texts and tags are. Any other text: -1, and the slot
 * then compares text and tag.
 */
function keyOf(text: string, tag: number): number {
	const plus = text.charCodeAt(0) === PLUS ? 1 : 0;
	const digits = text.length - plus;
	if (digits < 1 || digits > MAX_EXACT_DIGITS || text.charCodeAt(plus) === DIGIT_0) return -1;
	let value = 0;
	for (let i = plus; i < text.length; i++) {
		const digit = text.charCodeAt(i) - DIGIT_0;
		if (digit < 0 || digit > 9) return -1;
		value = value * 10 + digit;
	}
	return (value * 2 + plus) * (MAX_TAG + 1) + tag;
}
