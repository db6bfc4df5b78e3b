import { parsePositionWeights, parseSpendTable } from '../../nodes/Attribution/settings';
import { journeysOf, sourceReport } from '../../nodes/Attribution/sourceReport';
import type { Deal, Touch } from '../../nodes/shared/contracts';
import { order, touch } from '../helpers/records';

const utm = (source: string, medium: string) => ({ source, medium, campaign: null, content: null, term: null });

function deal(orderId: string, total: number, stage: Deal['stage'], touches: Touch[]): Deal {
	return { ...order(orderId, '2024-03-10T12:00:00+03:00', {}, { total, stage }), touches, match: { method: 'phone', keys: [], reason: '' } };
}

describe('sourceReport', () => {
	const yandex = touch('t1', '2024-03-01T10:00:00+03:00', { channel: utm('yandex', 'cpc'), phones: ['+79990000001'] });
	const google = touch('t2', '2024-03-05T10:00:00+03:00', { channel: utm('google', 'cpc'), phones: ['+79990000001'], outcome: 'missed' });
	const deals = [deal('o1', 1000, 'won', [yandex, google]), deal('o2', 500, 'lost', [google]), deal('o3', 300.01, null, [yandex])];

	it('credits won deals and deals without a stage, and reports per model and channel with spend', () => {
		const report = sourceReport(deals, [touch('t9', '2024-03-02T10:00:00+03:00', { channel: utm('vk', 'social'), emails: ['x@y.ru'] })], {
			models: ['linear', 'last'],
			stages: ['won'],
			spend: parseSpendTable('[{"source":"yandex","medium":"cpc","periodStart":"2024-03-10","periodEnd":"2024-03-10","spend":650}]'),
			callStatsTimeZone: 'Europe/Moscow',
		});
		expect([report.attributed, report.skippedByStage]).toEqual([2, 1]);
		const linear = report.rows.filter((row) => row.report === 'channels' && row.model === 'linear');
		expect(linear.map((row) => row.report === 'channels' && [row.channel, row.orders, row.revenue, row.touches, row.spend ?? null, row.romi ?? null])).toEqual([
			['yandex / cpc', 1.5, 800.01, 1, 650, (800.01 - 650) / 650],
			['google / cpc', 0.5, 500, 1, 0, null],
			['vk / social', 0, 0, 1, 0, null],
		]);
		const credits = report.credits.filter((credit) => credit.model === 'last');
		expect(credits.map((credit) => [credit.orderId, credit.touchId, credit.revenue])).toEqual([
			['o1', 't1', 0],
			['o1', 't2', 1000],
			['o3', 't1', 300.01],
		]);
		const lost = report.rows.filter((row) => row.report === 'lostCallsByHour' && row.missedCalls > 0);
		expect(lost).toEqual([{ report: 'lostCallsByHour', hour: 10, missedCalls: 1 }]);
	});

	it('groups touches without an order into one time-ordered journey per person', () => {
		const a2 = touch('a2', '2024-03-02T00:00:00Z', { phones: ['+79990000001'] });
		const a1 = touch('a1', '2024-03-01T00:00:00Z', { phones: ['+79990000001'] });
		const b = touch('b', '2024-03-01T00:00:00Z', { emails: ['b@y.ru'] });
		const lone = touch('lone', '2024-03-01T00:00:00Z');
		expect(journeysOf([a2, b, a1, lone]).map((journey) => journey.map((t) => t.touchId))).toEqual([['a1', 'a2'], ['b'], ['lone']]);
	});

	it('reads position weights and refuses what is not three numbers', () => {
		expect(parsePositionWeights('30/40/30')).toEqual({ first: 30, middle: 40, last: 30 });
		expect(parsePositionWeights('0.4, 0.2, 0.4')).toEqual({ first: 0.4, middle: 0.2, last: 0.4 });
		expect(() => parsePositionWeights('40/60')).toThrow('Position-based weights "40/60" are not three numbers');
		expect(() => parseSpendTable('{"a":1}')).toThrow('Ad Spend (JSON) is not an array');
	});
});
