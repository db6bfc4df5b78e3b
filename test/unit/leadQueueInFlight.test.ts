import { ClaimsInFlight, inFlightLast } from '../../nodes/LeadQueue/claimsInFlight';

describe('ClaimsInFlight: the leads presses of this process are claiming, for a while', () => {
	it('holds a note for holdMs: noted at 1,000 with a hold of 500, it is there at 1,499 and gone at 1,500', () => {
		const notes = new ClaimsInFlight(500, 10, 20);
		notes.note('A', 1_000);
		expect([notes.has('A', 1_000), notes.has('A', 1_499), notes.has('A', 1_500), notes.has('B', 1_000)]).toEqual([true, true, false, false]);
	});

	it('a lead noted again is held from the new note on', () => {
		const notes = new ClaimsInFlight(500, 10, 20);
		notes.note('A', 1_000);
		notes.note('A', 1_400);
		expect(notes.has('A', 1_800)).toBe(true);
		expect(notes.has('A', 1_900)).toBe(false);
	});

	it('past maxNotes the oldest note goes first; expired notes are dropped when a new one comes', () => {
		const notes = new ClaimsInFlight(500, 2, 20);
		notes.note('A', 1_000);
		notes.note('B', 1_100);
		notes.note('C', 1_200);
		expect(['A', 'B', 'C'].map((key) => notes.has(key, 1_200))).toEqual([false, true, true]);
		// At 1,650 B (until 1,600) has expired: noting D drops it, and C and D both fit.
		notes.note('D', 1_650);
		expect(['B', 'C', 'D'].map((key) => notes.has(key, 1_650))).toEqual([false, true, true]);
	});
});

it('does not note a key longer than maxKeyLength', () => {
	const notes = new ClaimsInFlight(500, 10, 3);
	notes.note('ABC', 1_000);
	notes.note('ABCD', 1_000);
	expect([notes.has('ABC', 1_000), notes.has('ABCD', 1_000)]).toEqual([true, false]);
});

describe('inFlightLast', () => {
	it('puts the leads being claimed after the rest, each part in rank order; the same array when none is', () => {
		const ranked = ['A', 'B', 'C', 'D', 'E'];
		expect(inFlightLast(ranked, (id) => id === 'A' || id === 'C')).toEqual(['B', 'D', 'E', 'A', 'C']);
		expect(inFlightLast(ranked, () => true)).toEqual(ranked);
		expect(inFlightLast(ranked, () => false)).toBe(ranked);
	});
});
