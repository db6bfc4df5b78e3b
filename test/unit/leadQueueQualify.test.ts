import { InputDataError } from '../../nodes/shared/errors';
import type { Lead } from '../../nodes/LeadQueue/lead';
import { LOGISTICS_QUALIFY_RULES } from '../../nodes/LeadQueue/presets';
import { qualifyLead, type QualifyResult, type QualifyRules } from '../../nodes/LeadQueue/qualify';
import { placeList } from '../../nodes/LeadQueue/textMatch';

const blacklist = placeList(['Казахстан', 'Орёл', 'Санкт-Петербург', 'Улан-Удэ'], 'blacklist');
const rules: QualifyRules = { ...LOGISTICS_QUALIFY_RULES, blacklist };

const full = {
	leadId: 'L1',
	createdAt: '2024-06-03T10:15:00+03:00',
	from: 'Москва',
	to: 'Новосибирск',
	weight: '1,5 т',
	name: 'Иван',
	phone: '8 (912) 345-67-89',
};

function accepted(result: QualifyResult): Lead {
	if (!('accepted' in result)) throw new Error(`rejected: ${result.reasons.join('; ')}`);
	return result.accepted;
}

function reasonsOf(result: QualifyResult): string[] {
	if (!('rejected' in result)) throw new Error('accepted');
	return result.reasons;
}

describe('qualifyLead', () => {
	it('normalises a full form into a waiting lead', () => {
		const lead = accepted(qualifyLead({ ...full, volume: '12 м3', utm_source: 'yandex', utm_medium: 'cpc' }, rules));
		expect(lead).toEqual({
			leadId: 'L1',
			createdAt: '2024-06-03T10:15:00+03:00',
			form: 'full',
			from: 'Москва',
			to: 'Новосибирск',
			weightKg: 1500,
			volumeM3: 12,
			name: 'Иван',
			phones: ['+79123456789'],
			channel: { source: 'yandex', medium: 'cpc', campaign: null, content: null, term: null },
			state: 'waiting',
			assignedTo: null,
			assignedAt: null,
			rank: null,
			tier: null,
			reason: null,
			closedReason: null,
		});
	});

	it.each<[unknown, number]>([
		['1,5 т', 1500],
		['1500 кг', 1500],
		['1.5t', 1500],
		[1500, 1500],
		['100', 100],
		[100, 100],
	])('reads the weight %p as %p kg', (weight, kg) => {
		expect(accepted(qualifyLead({ ...full, weight }, rules)).weightKg).toBe(kg);
	});

	it('rejects a lead under the minimum weight (99.9 kg) and accepts exactly 100 kg', () => {
		const result = qualifyLead({ ...full, weightKg: 99.9 }, rules);
		expect(reasonsOf(result)).toEqual(['weight 99.9 kg is under the minimum of 100 kg']);
		expect('rejected' in result && result.rejected.state).toBe('rejected');
		expect('rejected' in result && result.rejected.reason).toBe('weight 99.9 kg is under the minimum of 100 kg');
		expect(accepted(qualifyLead({ ...full, weightKg: '0,1 т' }, rules)).weightKg).toBe(100);
	});

	it('rejects a full form without a weight, and one whose weight is not a weight', () => {
		expect(reasonsOf(qualifyLead({ ...full, weight: '' }, rules))).toEqual(['weight is missing (the minimum is 100 kg)']);
		expect(reasonsOf(qualifyLead({ ...full, weight: 'паллета' }, rules))).toEqual(['weight «паллета» is not a weight']);
	});

	it('accepts a full form without a weight when there is no minimum', () => {
		expect(accepted(qualifyLead({ ...full, weight: null }, { ...rules, minWeightKg: null })).weightKg).toBeNull();
	});

	it('infers a callback lead (phone, no route, no weight) and accepts it without a weight', () => {
		const lead = accepted(qualifyLead({ leadId: 'C1', createdAt: '2024-06-03T10:00:00+03:00', name: 'Пётр', phone: '+7 912 345 67 89' }, rules));
		expect(lead.form).toBe('callback');
		expect(lead.weightKg).toBeNull();
		expect(lead.phones).toEqual(['+79123456789']);
		expect(lead.from).toBeNull();
	});

	it('takes an explicit form over the inference', () => {
		const explicit = accepted(qualifyLead({ leadId: 'C2', createdAt: '2024-06-03T10:00:00+03:00', form: ' Callback ', name: 'Анна', from: 'Москва' }, rules));
		expect(explicit.form).toBe('callback');
		expect(explicit.phones).toEqual([]);
		// No phone and no route: without an explicit form this is a full form with everything missing.
		expect(reasonsOf(qualifyLead({ leadId: 'F1', createdAt: '2024-06-03T10:00:00+03:00', name: 'Анна' }, rules))).toEqual([
			'phone is missing',
			'origin (from) is missing',
			'destination (to) is missing',
			'weight is missing (the minimum is 100 kg)',
		]);
		// An unknown form value is ignored and the form inferred.
		expect(accepted(qualifyLead({ ...full, form: 'short' }, rules)).form).toBe('full');
	});

	it('rejects a callback lead with neither a name nor a usable phone', () => {
		expect(reasonsOf(qualifyLead({ leadId: 'C3', createdAt: '2024-06-03T10:00:00+03:00', form: 'callback' }, rules))).toEqual(['a callback lead needs a name or a phone']);
		expect(reasonsOf(qualifyLead({ leadId: 'C4', createdAt: '2024-06-03T10:00:00+03:00', form: 'callback', phone: '12-34' }, rules))).toEqual([
			'a callback lead needs a name or a phone, and phone «12-34» is not a phone number',
		]);
	});

	it('checks a weight a callback lead does carry', () => {
		expect(reasonsOf(qualifyLead({ leadId: 'C5', createdAt: '2024-06-03T10:00:00+03:00', form: 'callback', phone: '89123456789', weight: '50 кг' }, rules))).toEqual([
			'weight 50 kg is under the minimum of 100 kg',
		]);
	});

	it.each([
		['Алматы, Казахстан', 'origin «Алматы, Казахстан» is on the blacklist («Казахстан»)'],
		['орел', 'origin «орел» is on the blacklist («Орёл»)'],
		['ОРЁЛ', 'origin «ОРЁЛ» is on the blacklist («Орёл»)'],
		['г. Санкт Петербург', 'origin «г. Санкт Петербург» is on the blacklist («Санкт-Петербург»)'],
		['санкт-петербург', 'origin «санкт-петербург» is on the blacklist («Санкт-Петербург»)'],
		['улан удэ', 'origin «улан удэ» is on the blacklist («Улан-Удэ»)'],
	])('rejects the blacklisted origin "%s"', (from, reason) => {
		expect(reasonsOf(qualifyLead({ ...full, from }, rules))).toEqual([reason]);
	});

	it('matches the blacklist against the destination too, and reports both ends', () => {
		expect(reasonsOf(qualifyLead({ ...full, to: 'Астана (Казахстан)' }, rules))).toEqual(['destination «Астана (Казахстан)» is on the blacklist («Казахстан»)']);
		expect(reasonsOf(qualifyLead({ ...full, from: 'Орёл', to: 'СПб, Санкт-Петербург' }, rules))).toEqual([
			'origin «Орёл» is on the blacklist («Орёл»)',
			'destination «СПб, Санкт-Петербург» is on the blacklist («Санкт-Петербург»)',
		]);
		expect(accepted(qualifyLead({ ...full, from: 'Орловская область' }, rules)).from).toBe('Орловская область');
	});

	it('uses the configured required fields', () => {
		const strict: QualifyRules = { ...rules, requiredFields: ['phones', 'from', 'to', 'name', 'volumeM3'] };
		expect(reasonsOf(qualifyLead({ ...full, name: ' ', volume: 'много' }, strict))).toEqual(['name is missing', 'volume «много» is not a volume']);
		const loose: QualifyRules = { ...rules, requiredFields: ['phones'] };
		expect(accepted(qualifyLead({ ...full, to: null }, loose)).to).toBeNull();
		expect(reasonsOf(qualifyLead({ ...full, phone: 'звонить вечером' }, loose))).toEqual(['phone «звонить вечером» is not a phone number']);
		const withWeight: QualifyRules = { ...rules, requiredFields: ['phones', 'weightKg'] };
		expect(reasonsOf(qualifyLead({ ...full, weight: null }, withWeight))).toEqual(['weight is missing']);
	});

	it('collects every reason, with the id and date problems first', () => {
		const result = qualifyLead({ createdAt: 'вчера', from: 'Алматы, Казахстан', weight: 50 }, rules);
		expect(reasonsOf(result)).toEqual([
			'it has no lead id',
			'created at «вчера» is not a date',
			'phone is missing',
			'destination (to) is missing',
			'weight 50 kg is under the minimum of 100 kg',
			'origin «Алматы, Казахстан» is on the blacklist («Казахстан»)',
		]);
	});

	it('reads several phones, keeps the valid ones and drops duplicates', () => {
		const lead = accepted(qualifyLead({ ...full, phone: undefined, phones: ['8 912 345-67-89, +7 (912) 345 67 89', '+380 44 123 4567', 'нет'] }, rules));
		expect(lead.phones).toEqual(['+79123456789', '+380441234567']);
	});

	it('reads createdAt in the configured zone when it has no offset, and keeps a written offset', () => {
		expect(accepted(qualifyLead({ ...full, createdAt: '03.06.2024 10:15' }, rules)).createdAt).toBe('2024-06-03T10:15:00+03:00');
		expect(accepted(qualifyLead({ ...full, createdAt: '2024-06-03T07:15:00Z' }, rules)).createdAt).toBe('2024-06-03T07:15:00Z');
		expect(accepted(qualifyLead({ ...full, createdAt: '1717398900' }, rules)).createdAt).toBe('2024-06-03T10:15:00+03:00');
		expect(accepted(qualifyLead({ ...full, createdAt: new Date(Date.UTC(2024, 5, 3, 7, 15)) }, rules)).createdAt).toBe('2024-06-03T10:15:00+03:00');
	});

	it('reads naive createdAt across a daylight-saving change the way luxon does', () => {
		const berlin: QualifyRules = { ...rules, zone: 'Europe/Berlin' };
		// 02:30 does not exist on 31 March 2024 in Berlin: it is moved forward by the gap, to 03:30 summer time.
		expect(accepted(qualifyLead({ ...full, createdAt: '2024-03-31 02:30' }, berlin)).createdAt).toBe('2024-03-31T03:30:00+02:00');
		// 02:30 happens twice on 27 October 2024: luxon takes the second one, in winter time.
		expect(accepted(qualifyLead({ ...full, createdAt: '2024-10-27 02:30' }, berlin)).createdAt).toBe('2024-10-27T02:30:00+01:00');
	});

	it('uses receivedAt for a lead without createdAt, and rejects it without receivedAt', () => {
		expect(reasonsOf(qualifyLead({ ...full, createdAt: undefined }, rules))).toEqual(['created at is missing']);
		expect(accepted(qualifyLead({ ...full, createdAt: undefined }, { ...rules, receivedAt: '2024-06-03T07:00:00Z' })).createdAt).toBe('2024-06-03T10:00:00+03:00');
	});

	it('accepts a numeric id and a nested channel', () => {
		const lead = accepted(qualifyLead({ ...full, leadId: undefined, id: 77, channel: { utm_source: 'google', campaign: 'sibir' } }, rules));
		expect(lead.leadId).toBe('77');
		expect(lead.channel).toEqual({ source: 'google', medium: null, campaign: 'sibir', content: null, term: null });
		expect(accepted(qualifyLead(full, rules)).channel).toBeNull();
	});

	it('throws InputDataError for rules that cannot work', () => {
		expect(() => qualifyLead(full, { ...rules, zone: 'Mars/Olympus' })).toThrow(InputDataError);
		expect(() => qualifyLead(full, { ...rules, minWeightKg: -1 })).toThrow('The minimum weight "-1" is not a number of kilograms');
		expect(() => qualifyLead(full, { ...rules, requiredFields: ['weight' as never] })).toThrow('"weight" is not a lead field that can be required');
	});
});
