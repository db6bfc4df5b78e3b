import { matchOrders } from '../../nodes/OrderMatcher/matchOrders';
import { comparePeriods } from '../../nodes/SalesReport/comparison';
import { reportPeriods } from '../../nodes/SalesReport/period';
import { unattributedOrders, unattributedReason } from '../../nodes/SalesReport/unattributed';
import { order, touch } from '../helpers/records';

/** The Sales Report's periods, orders without a source and period comparison; every expected figure worked out by hand. */
describe('report periods', () => {
	it('last week is Monday to Sunday before today, on the report clock', () => {
		// 2026-12-06 is a Sunday: its ISO week began Monday 11-30, so last week is 11-23..11-29.
		expect(reportPeriods('lastWeek', '2026-12-06T10:00:00Z', 'Europe/Moscow')).toEqual({
			current: { start: '2026-11-23', end: '2026-11-29' },
			previous: { start: '2026-11-16', end: '2026-11-22' },
		});
		// 21:30 UTC on Sunday is 00:30 on Monday 12-07 in Moscow: that week is over, last week is 11-30..12-06.
		expect(reportPeriods('lastWeek', '2026-12-06T21:30:00Z', 'Europe/Moscow').current).toEqual({ start: '2026-11-30', end: '2026-12-06' });
		expect(reportPeriods('lastWeek', '2026-12-06T21:30:00Z', 'UTC').current).toEqual({ start: '2026-11-23', end: '2026-11-29' });
	});

	it('last month is the calendar month before, leap February included', () => {
		expect(reportPeriods('lastMonth', '2026-03-15T12:00:00Z', 'Europe/Kyiv')).toEqual({
			current: { start: '2026-02-01', end: '2026-02-28' },
			previous: { start: '2026-01-01', end: '2026-01-31' },
		});
		expect(reportPeriods('lastMonth', '2024-03-10T12:00:00Z', 'UTC').current).toEqual({ start: '2024-02-01', end: '2024-02-29' });
		// January's previous month is December of the year before.
		expect(reportPeriods('lastMonth', '2027-01-05T12:00:00Z', 'UTC')).toEqual({
			current: { start: '2026-12-01', end: '2026-12-31' },
			previous: { start: '2026-11-01', end: '2026-11-30' },
		});
	});

	it('last 7 and 30 days end yesterday; the previous period is as many days just before', () => {
		expect(reportPeriods('last7Days', '2026-12-06T10:00:00Z', 'UTC')).toEqual({
			current: { start: '2026-11-29', end: '2026-12-05' },
			previous: { start: '2026-11-22', end: '2026-11-28' },
		});
		// 12-05 minus 29 days = 11-06 (November has 30 days); 11-06 minus 30 days = 10-07 (October has 31).
		expect(reportPeriods('last30Days', '2026-12-06T10:00:00Z', 'UTC')).toEqual({
			current: { start: '2026-11-06', end: '2026-12-05' },
			previous: { start: '2026-10-07', end: '2026-11-05' },
		});
	});

	it('a custom period is compared with as many days before it', () => {
		expect(reportPeriods('custom', '2026-12-06T10:00:00Z', 'UTC', { start: '2026-11-01', end: '2026-11-30' })).toEqual({
			current: { start: '2026-11-01', end: '2026-11-30' },
			previous: { start: '2026-10-02', end: '2026-10-31' },
		});
		expect(reportPeriods('custom', '2026-12-06T10:00:00Z', 'UTC', { start: '2026-11-05', end: '2026-11-05' }).previous).toEqual({ start: '2026-11-04', end: '2026-11-04' });
	});

	it('refuses a date that does not exist, a period that ends before it starts, and an unknown zone', () => {
		expect(() => reportPeriods('custom', '2026-12-06T10:00:00Z', 'UTC', { start: '2026-02-30', end: '2026-03-10' })).toThrow('Period Start "2026-02-30" is not a date');
		expect(() => reportPeriods('custom', '2026-12-06T10:00:00Z', 'UTC', { start: '2026-03-10', end: '2026-03-01' })).toThrow('ends (2026-03-01) before it starts (2026-03-10)');
		expect(() => reportPeriods('custom', '2026-12-06T10:00:00Z', 'UTC', { start: '', end: '' })).toThrow('is not a date');
		expect(() => reportPeriods('lastWeek', '2026-12-06T10:00:00Z', 'Mars/Olympus')).toThrow('"Mars/Olympus" is not a time zone');
	});
});

describe('orders without a source', () => {
	it("reads each of the Order Matcher's reasons, as the matcher writes them", () => {
		const orders = [
			order('no-contacts', '2026-11-20T10:00:00+03:00'),
			order('old-touch', '2026-11-20T10:00:00+03:00', { phones: ['+79161234567'] }),
			order('no-touch', '2026-11-20T10:00:00+03:00', { emails: ['nobody@example.com'] }),
		];
		// The only touch of +79161234567 is 60 days before its order: outside the 30-day window.
		const touches = [touch('call-1', '2026-09-21T10:00:00+03:00', { phones: ['+79161234567'] })];
		const result = matchOrders(orders, touches, { lookbackDays: 30 });
		const reasons = Object.fromEntries(result.unmatchedOrders.records.map((o, i) => [o.orderId, unattributedReason(result.unmatchedOrders.reasons[i])]));
		expect(reasons).toEqual({ 'no-contacts': 'no contact data', 'old-touch': 'no touch in the window', 'no-touch': 'no touch in the window' });
		expect(unattributedReason('its only identity values are blocked as shared')).toBe('shared value blocked');
		expect(unattributedReason('its createdAt "x" is not a date and time')).toBe('no date');
		// A reason the pack does not know is "other", never a guess.
		expect(unattributedReason('imported by hand')).toBe('other');
		expect(unattributedReason(undefined)).toBe('other');
	});

	it('counts orders and revenue per reason with their part of all the period orders', () => {
		const attributed = new Map([['RUB', { orders: 6, cents: 900_000 }]]);
		const rows = unattributedOrders(
			[
				{ ...order('a', '2026-11-20T10:00:00Z', {}, { total: 1500 }), unmatchedReason: 'the order has no phone, e-mail or client id' },
				{ ...order('b', '2026-11-21T10:00:00Z', {}, { total: 2499.99 }), unmatchedReason: 'no touch of this customer within 30 days before it' },
				{ ...order('c', '2026-11-22T10:00:00Z', {}, { total: null }), unmatchedReason: 'the order has no phone, e-mail or client id' },
				{ ...order('d', '2026-11-22T10:00:00Z', {}, { total: 100, currency: 'USD' }), unmatchedReason: 'no touch of this customer within 30 days before it' },
			],
			attributed,
		);
		// RUB: 6 attributed + 3 unattributed = 9 orders; 9,000.00 + 1,500 + 2,499.99 + 0 = 12,999.99.
		// USD: nothing attributed, so the one order is all of it.
		expect(rows).toEqual([
			{ reason: 'no touch in the window', currency: 'RUB', orders: 1, revenue: 2499.99, orderShare: 1 / 9, revenueShare: 249_999 / 1_299_999 },
			{ reason: 'no contact data', currency: 'RUB', orders: 2, revenue: 1500, orderShare: 2 / 9, revenueShare: 150_000 / 1_299_999 },
			{ reason: 'no touch in the window', currency: 'USD', orders: 1, revenue: 100, orderShare: 1, revenueShare: 1 },
		]);
		// The attributed totals are not changed by the count.
		expect(attributed.get('RUB')).toEqual({ orders: 6, cents: 900_000 });
	});
});

describe('this period against the previous', () => {
	it('matches rows by name and currency, sets missing rows against 0 and adds an (all) row per currency', () => {
		const rows = comparePeriods(
			[
				{ name: 'yandex / cpc', currency: 'RUB', orders: 3, revenue: 30_000 },
				{ name: 'google / cpc', currency: 'RUB', orders: 1.5, revenue: 4_500.5 },
			],
			[
				{ name: 'yandex / cpc', currency: 'RUB', orders: 2, revenue: 40_000 },
				{ name: 'email / newsletter', currency: 'RUB', orders: 1, revenue: 2_000 },
			],
		);
		expect(rows).toEqual([
			{ name: 'yandex / cpc', currency: 'RUB', orders: { current: 3, previous: 2, change: 0.5 }, revenue: { current: 30_000, previous: 40_000, change: -0.25 } },
			{ name: 'google / cpc', currency: 'RUB', orders: { current: 1.5, previous: 0, change: null }, revenue: { current: 4_500.5, previous: 0, change: null } },
			{ name: 'email / newsletter', currency: 'RUB', orders: { current: 0, previous: 1, change: -1 }, revenue: { current: 0, previous: 2_000, change: -1 } },
			// 4.5 orders against 3: +50 %; 34,500.50 against 42,000: -7,499.50 / 42,000.
			{ name: '(all)', currency: 'RUB', orders: { current: 4.5, previous: 3, change: 0.5 }, revenue: { current: 34_500.5, previous: 42_000, change: -7_499.5 / 42_000 } },
		]);
	});

	it('keeps currencies apart', () => {
		const rows = comparePeriods([{ name: 'a / b', currency: 'USD', orders: 1, revenue: 10 }], [{ name: 'a / b', currency: 'RUB', orders: 1, revenue: 1000 }]);
		expect(rows.map((row) => [row.name, row.currency, row.revenue.current, row.revenue.previous])).toEqual([
			['a / b', 'USD', 10, 0],
			['(all)', 'USD', 10, 0],
			['a / b', 'RUB', 0, 1000],
			['(all)', 'RUB', 0, 1000],
		]);
	});
});
