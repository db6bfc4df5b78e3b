import { dayRange } from '../../nodes/AdSpend/dateRange';
import { directError, directFailure, directReportText, parseDirectReport, type DirectSettings } from '../../nodes/AdSpend/directReport';
import type { Exchange } from '../../nodes/AdSpend/exchange';
import { customerId, googleAdsFailure, parseSearchStream } from '../../nodes/AdSpend/googleAdsReport';
import { microsToCents, spendRow } from '../../nodes/AdSpend/spendRows';
import { tableDate } from '../../nodes/AdSpend/tableSpend';
import { fetchSend } from '../helpers/standins/fetchSend';
import { YandexDirectServer } from '../helpers/standins/yandexDirectServer';

describe('microsToCents: integer math, half up', () => {
	it.each([
		['1234560000', 123456],
		['987654321', 98765],
		['1000005000', 100001],
		['1000004999', 100000],
		['0', 0],
		['1', 0],
		['5000', 1],
		// 999999999999.999999 rounds up to 1000000000000.00.
		['999999999999999999', 100000000000000],
	])('%s micros -> %i cents', (micros, cents) => expect(microsToCents(micros)).toBe(cents));

	it.each(['', '-1', '1.5', '1e9', ' 1', '1234567890123456789'])('refuses %j', (micros) => expect(microsToCents(micros)).toBeNull());

	it('a row built from 123456 cents carries 1234.56 as cost and spend', () => {
		const row = spendRow({ date: '2026-11-01', campaign: 'Brand', campaignId: '1', cents: 123456, clicks: 1, impressions: 2 }, { platform: 'x', source: 's', medium: 'm', currency: 'RUB', vat: 'included' });
		expect([row.cost, row.spend, row.periodStart, row.periodEnd, row.utmCampaign]).toEqual([1234.56, 1234.56, '2026-11-01', '2026-11-01', 'brand']);
	});
});

describe('dayRange: days on the ad account clock', () => {
	// 2026-12-06 21:30 UTC is already 2026-12-07 00:30 in Moscow: yesterday there is the 6th, in UTC the 5th.
	const now = Date.parse('2026-12-06T21:30:00Z');
	it('yesterday in the zone given', () => {
		expect(dayRange('yesterday', now, 'Europe/Moscow', {})).toEqual({ start: '2026-12-06', end: '2026-12-06' });
		expect(dayRange('yesterday', now, 'UTC', {})).toEqual({ start: '2026-12-05', end: '2026-12-05' });
	});
	it('last N days end yesterday; custom both ends included', () => {
		expect(dayRange('lastDays', now, 'Europe/Moscow', { days: 7 })).toEqual({ start: '2026-11-30', end: '2026-12-06' });
		expect(dayRange('custom', now, 'UTC', { start: '2026-02-01', end: '2026-02-28' })).toEqual({ start: '2026-02-01', end: '2026-02-28' });
	});
	it.each([
		[{ start: '2026-02-30', end: '2026-03-01' }, 'Start Date "2026-02-30" is not a date'],
		[{ start: '2026-03-02', end: '2026-03-01' }, 'The End Date (2026-03-01) is before the Start Date (2026-03-02)'],
		[{ start: '2020-01-01', end: '2026-01-01' }, 'The date range has 2193 days, more than 1100'],
	])('refuses %j', (custom, message) => expect(() => dayRange('custom', now, 'UTC', custom)).toThrow(message));
});

const HEADER = 'Date\tCampaignId\tCampaignName\tImpressions\tClicks\tCost';

describe('parseDirectReport: the TSV as Direct lays it out', () => {
	it('rows between the column names and "Total rows"; CRLF line ends; a row with a bad cell is a problem of its own', () => {
		const text = [HEADER, '2026-11-01\t7\tBrand\t100\t5\t1500000', '2026-11-01\t8\tOther\t--\t5\t1500000', 'Total rows: 2', ''].join('\r\n');
		const { rows, problems } = parseDirectReport(text);
		expect(rows).toEqual([{ date: '2026-11-01', campaign: 'Brand', campaignId: '7', cents: 150, clicks: 5, impressions: 100 }]);
		expect(problems).toEqual([{ itemIndex: 0, message: 'Yandex Direct report row 2: Impressions "--" is not a count', description: 'The row is left out; the other rows are output.' }]);
	});
	it('columns in another order are read by name', () => {
		const text = ['Cost\tClicks\tImpressions\tCampaignName\tCampaignId\tDate', '2500000\t1\t2\tX\t9\t2026-11-03', 'Total rows: 1'].join('\n');
		expect(parseDirectReport(text).rows).toEqual([{ date: '2026-11-03', campaign: 'X', campaignId: '9', cents: 250, clicks: 1, impressions: 2 }]);
	});
	it.each([
		[[HEADER, '2026-11-01\t7\tBrand\t100\t5\t1500000'].join('\n'), 'Yandex Direct: the report has no "Total rows" line: it was cut short'],
		[[HEADER, '2026-11-01\t7\tBrand\t100\t5\t1500000', 'Total rows: 2'].join('\n'), 'Yandex Direct: the report says 2 rows but holds 1'],
		[['"n8n (2026-11-01 - 2026-11-01)"', HEADER, 'Total rows: 0'].join('\n'), 'Yandex Direct: the report has no column Date, CampaignId, CampaignName, Impressions, Clicks, Cost'],
		['<html>502 Bad Gateway</html>', 'Yandex Direct: the report has no column'],
	])('refuses a report that is cut or not one, whole: %#', (text, message) => expect(() => parseDirectReport(text)).toThrow(message));
});

describe('Direct errors', () => {
	it('error_code as a number or as its text', () => {
		expect(directError({ error: { error_code: '8000', error_string: 'Invalid request', error_detail: 'x', request_id: 'r' } })?.code).toBe(8000);
		expect(directFailure({ status: 400, headers: {}, body: { error: { error_code: 9999, error_string: 'New error' } } }, 'HTTP 400').message).toBe('Yandex Direct error 9999: New error');
		expect(directFailure({ status: 400, headers: {}, body: { error: { error_code: 9999, error_string: 'New error' } } }, 'HTTP 400').hint).toContain('errors-list');
	});
});

describe('the offline queue, on a fake clock', () => {
	const TOKEN = 'queue-token';
	async function queue(retryIn: string, steps: number, maxWaitMs: number) {
		const server = await new YandexDirectServer({ token: TOKEN, rows: [], queueSteps: steps, retryIn }).start();
		let clock = 0;
		const sleeps: number[] = [];
		const exchange: Exchange = {
			send: (request) => fetchSend()({ ...request, headers: { ...request.headers, Authorization: `Bearer ${TOKEN}` } }),
			sleep: async (ms) => {
				sleeps.push(ms);
				clock += ms;
			},
			now: () => clock,
			retry: { maxAttempts: 1, maxTotalMs: 0 },
		};
		const settings: DirectSettings = { baseUrl: server.url, clientLogin: '', range: { start: '2026-11-01', end: '2026-11-01' }, includeVat: true, maxWaitMs, askedOn: '2026-11-02' };
		try {
			return { text: await directReportText(settings, exchange), sleeps };
		} catch (error) {
			return { error: error as Error & { hint: string }, sleeps };
		} finally {
			await server.close();
		}
	}

	it('waits what retryIn says, at least 1 s and at most 60 s', async () => {
		expect(await queue('3', 2, 600_000)).toEqual({ text: `${HEADER}\nTotal rows: 0\n`, sleeps: [3000, 3000] });
		expect((await queue('0.2', 1, 600_000)).sleeps).toEqual([1000]);
		expect((await queue('600', 1, 600_000)).sleeps).toEqual([60_000]);
		expect((await queue('soon', 1, 600_000)).sleeps).toEqual([5000]);
	});

	it('past Max Wait the run fails, saying the next run picks the report up', async () => {
		const { error, sleeps } = await queue('20', 100, 50_000);
		expect(sleeps).toEqual([20_000, 20_000]);
		expect(error?.message).toBe('Yandex Direct: the report is still being prepared after 40 s (3 asks)');
		expect(error?.hint).toContain('the same report is picked up');
	});
});

describe('Google Ads answers', () => {
	it('customer ids: 10 digits, dashes allowed', () => {
		expect(['123-456-7890', '1234567890', '123-456-789', '12345678901', 'abc-def-ghij'].map(customerId)).toEqual(['1234567890', '1234567890', null, null, null]);
	});
	it('a stream that is not an array is refused whole; an error inside it is the failure', () => {
		expect(() => parseSearchStream('[{"results":[{"campaign"')).toThrow('Google Ads: the answer is not a searchStream array');
		const quota = { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'm', details: [{ errors: [{ errorCode: { quotaError: 'RESOURCE_EXHAUSTED' }, message: 'Too many' }], requestId: 'q1' }] } };
		expect(() => parseSearchStream([{ results: [] }, quota])).toThrow('Google Ads error quotaError RESOURCE_EXHAUSTED (RESOURCE_EXHAUSTED): Too many');
		expect(googleAdsFailure({ status: 500, headers: {}, body: 'oops' }, 'HTTP 500: oops').message).toBe('Google Ads: HTTP 500: oops');
	});
	it('a row with a cost that is not micros is a problem; fields of value 0 read as 0', () => {
		const stream = [{ results: [{ customer: { currencyCode: 'usd' }, campaign: { id: '5', name: 'A' }, segments: { date: '2026-11-01' }, metrics: {} }, { campaign: { id: '6', name: 'B' }, segments: { date: '2026-11-01' }, metrics: { costMicros: '12.5' } }] }];
		expect(parseSearchStream(stream)).toEqual({
			rows: [{ date: '2026-11-01', campaign: 'A', campaignId: '5', cents: 0, clicks: 0, impressions: 0 }],
			currency: 'USD',
			problems: [{ itemIndex: 0, message: 'Google Ads row 2: metrics.cost_micros is not a whole number of micros', description: 'The row is left out; the other rows are output.' }],
		});
	});
});

describe('table dates', () => {
	it.each([
		['2026-11-01', '2026-11-01'],
		['01.11.2026', '2026-11-01'],
		['2026-11-01T23:30:00+03:00', '2026-11-01'],
		['2026-11-01 10:00', '2026-11-01'],
		['29.02.2025', null],
		['03/04/2026', null],
		['2026-11-011', null],
		[45962, null],
	])('%j -> %j', (value, date) => expect(tableDate(value)).toBe(date));
});
