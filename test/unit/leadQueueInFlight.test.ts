import { ClaimsInFlight, inFlightLast } from '../../nodes/LeadQueue/claimsInFlight';
import { newLead, type Lead } from '../../nodes/LeadQueue/lead';
import { EXAMPLE_EASTERN_CITIES, LOGISTICS_RULE_SETS } from '../../nodes/LeadQueue/presets';
import { isClaimWon, takeLead, type TakeRules } from '../../nodes/LeadQueue/takeNext';

const lead = (fields: Partial<Lead> & { leadId: string }): Lead =>
	newLead({ createdAt: '2024-06-03T09:00:00+03:00', from: 'Москва', to: 'Казань', weightKg: 500, phones: ['+79123456789'], ...fields });

describe('ClaimsInFlight: the leads presses of this process are claiming, for a while', () => {
	it('holds a note for holdMs: noted at 1,000 with a hold of 500, it is there at 1,499 and gone at 1,500', () => {
		const notes = new ClaimsInFlight(500, 10);
		notes.note('A', 1_000);
		expect([notes.has('A', 1_000), notes.has('A', 1_499), notes.has('A', 1_500), notes.has('B', 1_000)]).toEqual([true, true, false, false]);
	});

	it('a lead noted again is held from the new note on', () => {
		const notes = new ClaimsInFlight(500, 10);
		notes.note('A', 1_000);
		notes.note('A', 1_400);
		expect(notes.has('A', 1_800)).toBe(true);
		expect(notes.has('A', 1_900)).toBe(false);
	});

	it('past maxNotes the oldest note goes first; expired notes are dropped when a new one comes', () => {
		const notes = new ClaimsInFlight(500, 2);
		notes.note('A', 1_000);
		notes.note('B', 1_100);
		notes.note('C', 1_200);
		expect(['A', 'B', 'C'].map((key) => notes.has(key, 1_200))).toEqual([false, true, true]);
		// At 1,650 B (until 1,600) has expired: noting D drops it, and C and D both fit.
		notes.note('D', 1_650);
		expect(['B', 'C', 'D'].map((key) => notes.has(key, 1_650))).toEqual([false, true, true]);
	});
});

describe('inFlightLast', () => {
	it('puts the leads being claimed after the rest, each part in rank order; the same array when none is', () => {
		const ranked = ['A', 'B', 'C', 'D', 'E'];
		expect(inFlightLast(ranked, (id) => id === 'A' || id === 'C')).toEqual(['B', 'D', 'E', 'A', 'C']);
		expect(inFlightLast(ranked, () => true)).toEqual(ranked);
		expect(inFlightLast(ranked, () => false)).toBe(ranked);
	});
});

describe('takeLead with the notes of the presses before it', () => {
	// 10:00 Moscow, day rules: A (eastern route, 9 t) first, then B 15 t, C 3 t (1-20 t, heaviest first), then D (08:00) and E (09:00), oldest first.
	const rules: TakeRules = { ruleSets: LOGISTICS_RULE_SETS, lists: { eastern: EXAMPLE_EASTERN_CITIES }, now: '2024-06-03T07:00:00Z', zone: 'Europe/Moscow' };
	const five = [
		lead({ leadId: 'E', weightKg: 500 }),
		lead({ leadId: 'C', weightKg: 3000 }),
		lead({ leadId: 'A', from: 'Омск', to: 'Томск', weightKg: 9000 }),
		lead({ leadId: 'D', weightKg: 500, createdAt: '2024-06-03T08:00:00+03:00' }),
		lead({ leadId: 'B', weightKg: 15000 }),
	];
	const first = (results: ReturnType<typeof takeLead>) => (results[0].outcome === 'assigned' ? results[0].lead.leadId : results[0].outcome);

	it('a press alone gets the best lead; with A being claimed the next gets B, then C; once all are, the best again', () => {
		const inFlight = new Set<string>();
		const press = (execution: string) => {
			const results = takeLead(five, 'm1', ['m1'], execution, 0, { ...rules, inFlight: (id) => inFlight.has(id) }, 3);
			inFlight.add(first(results));
			return first(results);
		};
		expect(['101', '102', '103', '104', '105', '106'].map(press)).toEqual(['A', 'B', 'C', 'D', 'E', 'A']);
	});

	it('20 presses at once in one process: each first claim its own lead, 20 claims for the best 20 leads (54 without notes)', () => {
		// The model of the candidateOrder test: presses one after another read the same 30 leads (R1 20 t, R2 19.5 t, ...
		// R30 5.5 t, all 1-20 t on the same route: ranked heaviest first), each notes its first candidate, then they
		// claim in rounds, the first of those aiming at a lead winning it.
		const thirty = Array.from({ length: 30 }, (_, i) => lead({ leadId: `R${i + 1}`, weightKg: 20_000 - i * 500 }));
		const notes = new ClaimsInFlight(10_000, 100);
		const presses = Array.from({ length: 20 }, (_, p) => {
			const results = takeLead(thirty, `m${p}`, Array.from({ length: 20 }, (_, m) => `m${m}`), String(101 + p), 0, { ...rules, inFlight: (id) => notes.has(id, 5_000) }, 8);
			notes.note(first(results), 5_000);
			return { results, won: null as string | null };
		});
		const claimed = new Map<string, string>();
		let claims = 0;
		for (let round = 0; presses.some((press) => press.won === null); round++) {
			for (const press of presses.filter((p) => p.won === null)) {
				const result = press.results[round];
				if (result.outcome !== 'assigned') throw new Error('no candidate left');
				claims++;
				if (!claimed.has(result.lead.leadId)) claimed.set(result.lead.leadId, result.claimToken);
				if (isClaimWon({ claimToken: claimed.get(result.lead.leadId) }, result.claimToken)) press.won = result.lead.leadId;
			}
		}
		expect(claims).toBe(20);
		expect(presses.map((press) => press.won)).toEqual(Array.from({ length: 20 }, (_, i) => `R${i + 1}`));
	});
});
