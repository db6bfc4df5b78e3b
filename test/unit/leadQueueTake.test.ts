import { InputDataError } from '../../nodes/shared/errors';
import { DEFAULT_CLOSED_REASON, expireLeads } from '../../nodes/LeadQueue/expire';
import { newLead, type Lead } from '../../nodes/LeadQueue/lead';
import { EXAMPLE_EASTERN_CITIES, LOGISTICS_EXPIRY, LOGISTICS_RULE_SETS } from '../../nodes/LeadQueue/presets';
import { rankLeads } from '../../nodes/LeadQueue/rank';
import { candidateIndex, chooseNext, claimTokenOf, isClaimWon, validateManager } from '../../nodes/LeadQueue/takeNext';

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
		expect(chooseNext([], 'm1', '2024-06-03T07:05:30Z', 'e1')).toEqual({ lead: null, claimToken: null, waitingLeft: 0, message: 'No leads are waiting' });
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

describe('candidateIndex: spreading contenders over the best leads', () => {
	it('takes the best lead on the first attempt and one of the best 2^k on attempt k', () => {
		expect(candidateIndex('m1:1', 0, 150)).toBe(0);
		for (let attempt = 1; attempt <= 9; attempt++) {
			const picks = new Set(Array.from({ length: 200 }, (_, e) => candidateIndex(`m${e}:${e}`, attempt, 150)));
			expect(Math.max(...picks)).toBeLessThan(Math.min(150, 2 ** attempt));
			// 200 presses spread over the span: most of its leads are aimed at (a coupon-collector draw, not all).
			expect(picks.size).toBeGreaterThanOrEqual(Math.floor(0.6 * Math.min(150, 2 ** attempt)));
		}
		expect(candidateIndex('m1:1', 5, 1)).toBe(0);
	});
});
