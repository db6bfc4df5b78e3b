import { InputDataError } from '../../nodes/shared/errors';
import { DEFAULT_CLOSED_REASON, expireLeads } from '../../nodes/LeadQueue/expire';
import { newLead, type Lead } from '../../nodes/LeadQueue/lead';
import { EXAMPLE_EASTERN_CITIES, LOGISTICS_EXPIRY, LOGISTICS_RULE_SETS } from '../../nodes/LeadQueue/presets';
import { rankLeads } from '../../nodes/LeadQueue/rank';
import { ClaimsInFlight } from '../../nodes/LeadQueue/claimsInFlight';
import { candidateOrder, chooseNext, claimTokenOf, isClaimWon, spreadOf, takeLead, validateManager, type TakeRules } from '../../nodes/LeadQueue/takeNext';

const lead = (fields: Partial<Lead> & { leadId: string }): Lead =>
	newLead({ createdAt: '2024-06-03T09:00:00+03:00', from: 'Москва', to: 'Казань', weightKg: 500, phones: ['+79123456789'], ...fields });

describe('chooseNext', () => {
	const ranked = rankLeads(
		[lead({ leadId: 'small', weightKg: 150 }), lead({ leadId: 'big', from: 'Омск', to: 'Томск', weightKg: 9000 }), lead({ leadId: 'mid', weightKg: 3000 })],
		LOGISTICS_RULE_SETS,
		{ eastern: EXAMPLE_EASTERN_CITIES },
		'2024-06-03T07:00:00Z',
	).ranked;

	it('claims the top lead for the manager', () => {
		const next = chooseNext(ranked, ' anna@example.com ', '2024-06-03T07:05:30Z', 'exec-42', 'Europe/Moscow');
		expect(next.claimToken).toBe('anna@example.com:exec-42');
		expect(next.waitingLeft).toBe(2);
		expect(next.message).toBe('Lead big goes to anna@example.com; 2 leads are still waiting');
		expect(next.lead).toEqual({
			...ranked[0],
			state: 'assigned',
			assignedTo: 'anna@example.com',
			assignedAt: '2024-06-03T10:05:30+03:00',
			claimToken: 'anna@example.com:exec-42',
		});
		expect(ranked[0].state).toBe('waiting');
		expect(ranked[0].assignedTo).toBeNull();
	});

	it('writes assignedAt in UTC when no zone is given, from a Date too', () => {
		expect(chooseNext(ranked, 'm1', new Date(Date.UTC(2024, 5, 3, 7, 5, 30)), 'e1').lead?.assignedAt).toBe('2024-06-03T07:05:30Z');
	});

	it('passes over leads that are no longer waiting', () => {
		const next = chooseNext([{ ...ranked[0], state: 'assigned' }, ranked[1], { ...ranked[2], state: 'closed' }], 'm1', '2024-06-03T07:05:30Z', 'e1');
		expect(next.lead?.leadId).toBe('mid');
		expect(next.waitingLeft).toBe(0);
		expect(next.message).toBe('Lead mid goes to m1; 0 leads are still waiting');
		expect(chooseNext(ranked.slice(1), 'm1', '2024-06-03T07:05:30Z', 'e1').message).toBe('Lead mid goes to m1; 1 lead is still waiting');
	});

	it('returns no lead for an empty queue', () => {
		expect(chooseNext([], 'm1', '2024-06-03T07:05:30Z', 'e1')).toEqual({ lead: null, candidates: [], claimToken: null, waitingLeft: 0, message: 'No leads are waiting' });
		expect(chooseNext([{ ...ranked[0], state: 'assigned' }], 'm1', '2024-06-03T07:05:30Z', 'e1').lead).toBeNull();
	});

	it('needs a manager, an execution id and a time', () => {
		expect(() => chooseNext(ranked, ' ', '2024-06-03T07:05:30Z', 'e1')).toThrow(new InputDataError('No manager id was given'));
		expect(() => chooseNext(ranked, 'm1', '2024-06-03T07:05:30Z', '')).toThrow('No execution id was given');
		expect(() => chooseNext(ranked, 'm1', 'now', 'e1')).toThrow('"now" is not a time');
	});

	it('gives two managers (or two executions of one) different tokens for the same lead', () => {
		const first = chooseNext(ranked, 'm1', '2024-06-03T07:05:30Z', 'e1');
		const second = chooseNext(ranked, 'm2', '2024-06-03T07:05:30Z', 'e2');
		const again = chooseNext(ranked, 'm1', '2024-06-03T07:05:31Z', 'e3');
		expect([first.lead?.leadId, second.lead?.leadId, again.lead?.leadId]).toEqual(['big', 'big', 'big']);
		expect(new Set([first.claimToken, second.claimToken, again.claimToken]).size).toBe(3);
	});
});

describe('isClaimWon', () => {
	const token = claimTokenOf('m1', 'e1');

	it.each<[string, unknown, boolean]>([
		['the row with this token', { leadId: 'big', state: 'assigned', claimToken: 'm1:e1' }, true],
		['a row without a state column', { leadId: 'big', claimToken: 'm1:e1' }, true],
		['an array holding the row', [{ leadId: 'big', state: 'assigned', claimToken: 'm1:e1' }], true],
		["the other manager's token", { leadId: 'big', state: 'assigned', claimToken: 'm2:e2' }, false],
		['a row still waiting', { leadId: 'big', state: 'waiting', claimToken: 'm1:e1' }, false],
		['an update that matched nothing', [], false],
		['no answer', null, false],
		['text', 'm1:e1', false],
	])('%s -> %p', (_label, row, won) => {
		expect(isClaimWon(row, token)).toBe(won);
	});

	it('an empty token never wins', () => {
		expect(isClaimWon({ claimToken: '' }, '')).toBe(false);
	});
});

describe('validateManager', () => {
	const managers = ['anna@example.com', 'Boris', ' ', '17'];

	it.each<[unknown, string | null]>([
		['anna@example.com', null],
		[' ANNA@example.com ', null],
		['boris', null],
		[17, null],
		['', 'No manager id was given: pass the id of the manager who pressed "take a lead"'],
		[undefined, 'No manager id was given: pass the id of the manager who pressed "take a lead"'],
		['carl', 'Manager «carl» is not in the managers list'],
	])('%p -> %p', (id, error) => {
		expect(validateManager(id, managers)).toBe(error);
	});

	it('reports an empty managers list', () => {
		expect(validateManager('anna@example.com', [])).toBe('The managers list is empty, so nobody can take leads: add the managers to it');
		expect(validateManager('anna@example.com', new Set(['  ']))).toBe('The managers list is empty, so nobody can take leads: add the managers to it');
	});
});

describe('expireLeads', () => {
	const now = '2024-06-05T12:00:00Z';
	const exactly48h = lead({ leadId: 'exact', weightKg: 150, createdAt: '2024-06-03T12:00:00Z' });
	const justUnder = lead({ leadId: 'under', weightKg: 150, createdAt: '2024-06-03T12:00:00.001Z' });
	const older = lead({ leadId: 'older', weightKg: 199.9, createdAt: '2024-06-03T14:00:00+03:00' });
	const heavy = lead({ leadId: 'heavy', weightKg: 200, createdAt: '2024-06-01T12:00:00Z' });
	const callback = lead({ leadId: 'cb', form: 'callback', weightKg: null, from: null, to: null, createdAt: '2024-06-01T12:00:00Z' });
	const assigned = lead({ leadId: 'taken', weightKg: 150, state: 'assigned', createdAt: '2024-06-01T12:00:00Z' });
	const broken = lead({ leadId: 'broken', weightKg: 150, createdAt: 'unknown' });

	it('closes waiting leads under 200 kg that have waited 48 h or more; exactly 48 h is expired', () => {
		const result = expireLeads([exactly48h, justUnder, older, heavy, callback, assigned, broken], LOGISTICS_EXPIRY, now, { zone: 'Europe/Moscow' });
		expect(result.closed.map((l) => l.leadId)).toEqual(['exact', 'older']);
		expect(result.kept.map((l) => l.leadId)).toEqual(['under', 'heavy', 'cb', 'taken', 'broken']);
		expect(result.kept[0]).toBe(justUnder);
		expect(result.closed[0]).toEqual({
			...exactly48h,
			state: 'closed',
			closedReason: 'closed, not realised',
			closedAt: '2024-06-05T15:00:00+03:00',
			reason: 'waited 48 h (limit 48 h), under 200 kg',
		});
		expect(result.closed[1].reason).toBe('waited 49 h (limit 48 h), under 200 kg');
		expect(exactly48h.state).toBe('waiting');
	});

	it('uses the first matching condition, its own text and minutes in the reason', () => {
		const result = expireLeads(
			[callback, lead({ leadId: 'light', weightKg: 120, createdAt: '2024-06-05T10:30:00Z' }), heavy],
			[
				{ when: { form: 'callback' }, afterHours: 24, closedReason: 'no answer to the call-back' },
				{ when: { weightKg: { under: 200 } }, afterHours: 1.5 },
			],
			now,
		);
		expect(result.closed.map((l) => [l.leadId, l.closedReason, l.reason, l.closedAt])).toEqual([
			['cb', 'no answer to the call-back', 'waited 96 h (limit 24 h), callback form', '2024-06-05T12:00:00Z'],
			['light', DEFAULT_CLOSED_REASON, 'waited 1 h 30 min (limit 1.5 h), under 200 kg', '2024-06-05T12:00:00Z'],
		]);
		expect(result.kept).toEqual([heavy]);
	});

	it('measures the age in real hours across a daylight-saving change', () => {
		// 26 Oct 2024 03:00 CEST to 28 Oct 03:00 CET is 49 h of real time, though the clock moved 48 h.
		const berlin = lead({ leadId: 'b', weightKg: 150, createdAt: '2024-10-26T03:00:00+02:00' });
		expect(expireLeads([berlin], LOGISTICS_EXPIRY, '2024-10-28T03:00:00+01:00', { zone: 'Europe/Berlin' }).closed[0].reason).toBe('waited 49 h (limit 48 h), under 200 kg');
		expect(expireLeads([berlin], LOGISTICS_EXPIRY, '2024-10-28T01:59:59+01:00', { zone: 'Europe/Berlin' }).closed).toEqual([]);
	});

	it('closes nothing without conditions, and checks the conditions', () => {
		expect(expireLeads([exactly48h], [], now)).toEqual({ closed: [], kept: [exactly48h] });
		expect(() => expireLeads([exactly48h], [{ afterHours: -1 }], now)).toThrow('Expiry rule 1: "-1" is not a number of hours');
		expect(() => expireLeads([exactly48h], [{ when: { route: { match: 'both', list: 'eastern' } }, afterHours: 1 }], now)).toThrow('Expiry rule 1 refers to the list "eastern"');
		expect(expireLeads([lead({ leadId: 'e', from: 'Омск', to: 'Томск', createdAt: '2024-06-05T10:00:00Z' })], [{ when: { route: { match: 'both', list: 'eastern' } }, afterHours: 2 }], now, { lists: { eastern: EXAMPLE_EASTERN_CITIES } }).closed.map((l) => l.leadId)).toEqual(['e']);
	});
});

describe('candidateOrder: spreading contenders over the best leads', () => {
	it('aims the k-th claim into a window of its own: the best lead, then the 2nd-5th, the 6th-21st, the 22nd-85th', () => {
		expect(candidateOrder(7, 0, 150, 1)).toEqual([0]);
		// spread 7: 1 + 7 mod 4 = 4; 5 + 7 mod 16 = 12; 21 + 7 mod 64 = 28.
		expect(candidateOrder(7, 1, 150, 1)).toEqual([4]);
		expect(candidateOrder(7, 2, 150, 1)).toEqual([12]);
		expect(candidateOrder(7, 0, 150, 4)).toEqual([0, 4, 12, 28]);
		// A new read goes on from its attempt: attempt 1 starts at the 2nd-5th window.
		expect(candidateOrder(7, 1, 150, 3)).toEqual([4, 12, 28]);
	});

	it('never hands a lead twice and stops at the leads there are; past the last window, the leads not tried are the window', () => {
		// 3 leads, spread 7: the best; the window 2nd-5th holds 2 leads, 7 mod 2 = 1: the 3rd; then the one left, the 2nd.
		expect(candidateOrder(7, 0, 3, 5)).toEqual([0, 2, 1]);
		expect(candidateOrder(7, 0, 0, 5)).toEqual([]);
		expect(candidateOrder(7, 9, 1, 1)).toEqual([0]);
		for (let attempt = 0; attempt < 4; attempt++) expect([...candidateOrder(123, attempt, 6, 20)].sort()).toEqual([0, 1, 2, 3, 4, 5]);
	});

	it('20 presses at once with consecutive execution ids: 2.7 claims each, and the leads handed out are the best 21', () => {
		// The model: rounds in which every press still without a lead claims its next candidate of one read, and of the
		// presses that aim at the same waiting lead the first wins. Worked by hand for ids 101-120: round 0 all aim at
		// the best and 101 wins; round 1 the other 19 aim at the 2nd-5th by id mod 4 and 102-105 win; round 2 the 15
		// left, 106-120, are 15 consecutive ids, so different mod 16: each takes its own lead of the 6th-21st.
		// 20 + 19 + 15 = 54 claims.
		const presses = Array.from({ length: 20 }, (_, p) => ({ id: 101 + p, order: candidateOrder(101 + p, 0, 300, 8), won: -1 }));
		const taken = new Set<number>();
		let claims = 0;
		for (let round = 0; presses.some((press) => press.won < 0); round++) {
			for (const press of presses.filter((p) => p.won < 0)) {
				claims++;
				const lead = press.order[round];
				if (taken.has(lead)) continue;
				taken.add(lead);
				press.won = lead;
			}
		}
		expect(claims).toBe(54);
		expect(Math.max(...taken)).toBeLessThan(21);
		expect(taken.size).toBe(20);
	});

	it('spreads by the execution id when it is a number, else by the token', () => {
		expect(spreadOf('m1:117', '117')).toBe(117);
		const hashed = spreadOf('m1:run-a', 'run-a');
		expect(Number.isSafeInteger(hashed) && hashed >= 0).toBe(true);
		expect(spreadOf('m1:run-a', 'run-a')).toBe(hashed);
		expect(spreadOf('m2:run-a', 'run-a')).not.toBe(hashed);
	});
});

describe('takeLead with candidates: a lost claim goes on to the next candidate of the same read', () => {
	// 10:00 Moscow, day rules: the eastern route of 9 t first, then 15 t and 3 t (heaviest first), then the rest oldest first.
	const rules: TakeRules = { ruleSets: LOGISTICS_RULE_SETS, lists: { eastern: EXAMPLE_EASTERN_CITIES }, now: '2024-06-03T07:00:00Z', zone: 'Europe/Moscow' };
	const five = [
		lead({ leadId: 'E', weightKg: 500 }),
		lead({ leadId: 'C', weightKg: 3000 }),
		lead({ leadId: 'A', from: 'Омск', to: 'Томск', weightKg: 9000 }),
		lead({ leadId: 'D', weightKg: 500, createdAt: '2024-06-03T08:00:00+03:00' }),
		lead({ leadId: 'B', weightKg: 15000 }),
	];
	const ids = (results: ReturnType<typeof takeLead>) => results.map((result) => (result.outcome === 'assigned' ? result.lead.leadId : result.outcome));

	it('one answer, the best lead, by default', () => {
		const [only, ...rest] = takeLead(five, 'm1', ['m1'], 'e1', 0, rules);
		expect(rest).toEqual([]);
		expect(only).toMatchObject({ outcome: 'assigned', claimToken: 'm1:e1', waitingLeft: 4, message: 'Lead A goes to m1; 4 leads are still waiting' });
	});

	it('three candidates of five, each a claimed copy with one token: A; then, by execution 7, the 2nd-5th window gives E (1 + 7 mod 4 = 4); then of B, C, D the 2nd (7 mod 3 = 1), C', () => {
		const results = takeLead(five, 'm1', ['m1'], '7', 0, rules, 3);
		expect(ids(results)).toEqual(['A', 'E', 'C']);
		for (const result of results) {
			expect(result).toMatchObject({ outcome: 'assigned', claimToken: 'm1:7', waitingLeft: 4, lead: { state: 'assigned', assignedTo: 'm1', assignedAt: '2024-06-03T10:00:00+03:00', claimToken: 'm1:7' } });
		}
		expect(results[1].message).toBe('Lead E goes to m1; 4 leads are still waiting');
	});

	it('two presses read the same queue: the second loses A to the first and takes B (1 + 8 mod 4 = 1), with no new read', () => {
		// The table and its conditional update (state waiting -> assigned, only where still waiting), as the Data Table does it.
		const table = new Map(five.map((l) => [l.leadId, { leadId: l.leadId, state: 'waiting', claimToken: null as string | null }]));
		const claim = (leadId: string, token: string) => {
			const row = table.get(leadId);
			if (row === undefined || row.state !== 'waiting') return [];
			Object.assign(row, { state: 'assigned', claimToken: token });
			return [row];
		};
		const first = takeLead(five, 'm1', ['m1', 'm2'], '7', 0, rules, 3);
		const second = takeLead(five, 'm2', ['m1', 'm2'], '8', 0, rules, 3);
		const won = (results: ReturnType<typeof takeLead>) => {
			for (const result of results) if (result.outcome === 'assigned' && isClaimWon(claim(result.lead.leadId, result.claimToken), result.claimToken)) return result.lead.leadId;
			return null;
		};
		expect([won(first), won(second)]).toEqual(['A', 'B']);
		expect([...table.values()].filter((row) => row.state === 'assigned').map((row) => [row.leadId, row.claimToken])).toEqual([
			['A', 'm1:7'],
			['B', 'm2:8'],
		]);
	});

	it('with the notes of the presses before it: a press alone gets the best lead; with A being claimed the next gets B, then C; once all are, the best again', () => {
		const inFlight = new Set<string>();
		const press = (execution: string) => {
			const results = takeLead(five, 'm1', ['m1'], execution, 0, { ...rules, inFlight: (id) => inFlight.has(id) }, 3);
			inFlight.add(ids(results)[0]);
			return ids(results)[0];
		};
		expect(['101', '102', '103', '104', '105', '106'].map(press)).toEqual(['A', 'B', 'C', 'D', 'E', 'A']);
	});

	it('with notes: 20 presses at once in one process: each first claim its own lead, 20 claims for the best 20 leads (54 without notes)', () => {
		// The model of the candidateOrder test: presses one after another read the same 30 leads (R1 20 t, R2 19.5 t, ...
		// R30 5.5 t, all 1-20 t on the same route: ranked heaviest first), each notes its first candidate, then they
		// claim in rounds, the first of those aiming at a lead winning it.
		const thirty = Array.from({ length: 30 }, (_, i) => lead({ leadId: `R${i + 1}`, weightKg: 20_000 - i * 500 }));
		const notes = new ClaimsInFlight(10_000, 100, 20);
		const presses = Array.from({ length: 20 }, (_, p) => {
			const results = takeLead(thirty, `m${p}`, Array.from({ length: 20 }, (_, m) => `m${m}`), String(101 + p), 0, { ...rules, inFlight: (id) => notes.has(id, 5_000) }, 8);
			notes.note(ids(results)[0], 5_000);
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

	it('one answer for an empty queue or a refused manager, whatever the count', () => {
		expect(takeLead([], 'm1', ['m1'], 'e1', 0, rules, 3)).toEqual([{ outcome: 'none', httpStatus: 200, message: 'No leads are waiting', waitingLeft: 0 }]);
		expect(takeLead(five, 'x', ['m1'], 'e1', 0, rules, 3)).toEqual([{ outcome: 'refused', httpStatus: 400, message: 'Manager «x» is not in the managers list' }]);
	});
});
