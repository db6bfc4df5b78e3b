import { StringIndex } from '../../nodes/shared/stringIndex';
import { prng } from '../helpers/prng';

describe('StringIndex', () => {
	it('gives each (tag, text) one dense id, telling numbers, number-like texts and tags apart', () => {
		const index = new StringIndex();
		const keys: Array<[string, number]> = [
			['+79123456789', 2],
			['79123456789', 2],
			['+79123456789', 3],
			['079123456789', 2],
			['+999999999999999', 0],
			['9999999999999999', 0],
			['client1@mail.ru', 3],
			['client1@mail.ru', 0],
			['', 0],
			['+', 1],
			['12.34', 0],
		];
		const ids = keys.map(([text, tag]) => index.add(text, tag));
		expect(ids).toEqual(keys.map((_, i) => i));
		expect(keys.map(([text, tag]) => index.add(text, tag))).toEqual(ids);
		expect(keys.map(([text, tag]) => index.find(text, tag))).toEqual(ids);
		expect(ids.map((id) => [index.textOf(id), index.tagOf(id)])).toEqual(keys);
		expect(index.find('+79123456789', 0)).toBe(-1);
		expect(index.find('+79123456780', 2)).toBe(-1);
		expect(index.size).toBe(keys.length);
	});

	it('keeps every id through growth, as a Map does', () => {
		const random = prng(3);
		const index = new StringIndex(4);
		const reference = new Map<string, number>();
		for (let i = 0; i < 60_000; i++) {
			const n = Math.floor(random() * 30_000);
			const tag = n % 4;
			const text = n % 3 === 0 ? `+7${9_000_000_000 + n}` : n % 3 === 1 ? String(n) : `p${n}@mail.ru`;
			const id = index.add(text, tag);
			const key = `${tag}|${text}`;
			if (!reference.has(key)) reference.set(key, reference.size);
			expect(id).toBe(reference.get(key));
		}
		expect(index.size).toBe(reference.size);
		for (const [key, id] of reference) {
			const [tag, text] = key.split('|');
			expect(index.find(text, Number(tag))).toBe(id);
		}
	});

	it('refuses a tag it cannot keep in a slot, and finds nothing under one', () => {
		const index = new StringIndex();
		expect(() => index.add('x', 4)).toThrow('StringIndex tag 4 is not 0 to 3');
		expect(() => index.add('x', 1.5)).toThrow('StringIndex tag 1.5 is not 0 to 3');
		// "+7912..." with tag -1 would make the slot key of "7912..." (no "+") with tag 3.
		index.add('79123456789', 3);
		expect(index.find('+79123456789', -1)).toBe(-1);
		expect(index.size).toBe(1);
	});
});
