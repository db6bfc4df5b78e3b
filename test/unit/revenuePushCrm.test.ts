import { amoLeadPatches, amoPrice, amoProblemText, amoRejectedPositions, amoRequests, type AmoOptions } from '../../nodes/RevenuePush/destinations/amocrm';
import { batchResult, bitrixBatchRequests, bitrixErrorText, dealUpdateCommand, dealUpdates, parseBitrixWebhook, readBatchOutcomes } from '../../nodes/RevenuePush/destinations/bitrix24';
import { crmRecordId } from '../../nodes/RevenuePush/destinations/dealIds';
import { buildTransactions, type Transaction } from '../../nodes/RevenuePush/ledger/transactions';
import { InputDataError } from '../../nodes/shared/errors';
import { parseBracketQuery } from '../helpers/standins/parsing';
import { makeDeal, manyDeals } from '../helpers/standins/revenueDeals';
import { emptyUtm, type Deal } from '../../nodes/shared/contracts';

const NOW = Date.parse('2024-01-02T00:00:00Z');
function transactions(deals: Deal[], destination: 'amocrm' | 'bitrix24', mode: 'won' | 'refund' = 'won'): Transaction[] {
	return buildTransactions(deals, { destination, mode, defaultCurrency: null, timeZone: 'UTC', now: NOW }).transactions;
}
const amo: AmoOptions = { baseUrl: 'https://example.amocrm.ru', leadId: { from: 'orderId' }, customFields: [], writePrice: true, token: 'tok' };

describe('CRM record ids', () => {
	it('reads the id from the order id, number or a raw path', () => {
		expect(crmRecordId(makeDeal({ orderId: '42' }), { from: 'orderId' })).toEqual({ id: 42 });
		expect(crmRecordId(makeDeal({ raw: { lead: { id: 7 } } }), { from: 'raw', path: 'lead.id' })).toEqual({ id: 7 });
		expect(crmRecordId(makeDeal({ raw: { crmLeadId: '19' } }), { from: 'raw', path: 'crmLeadId' })).toEqual({ id: 19 });
		expect(crmRecordId(makeDeal({ number: 'A-1' }), { from: 'number' })).toEqual({ problem: 'the CRM id in number ("A-1") is not a positive whole number' });
		expect(crmRecordId(makeDeal(), { from: 'raw', path: 'x' })).toEqual({ problem: 'no CRM id in raw.x' });
	});
});

describe('amoCRM', () => {
	it('prices leads in whole units, half up on the cents, 0 after a refund', () => {
		const [won] = transactions([makeDeal({ total: 1234.5 })], 'amocrm');
		const [below] = transactions([makeDeal({ total: 1234.49 })], 'amocrm');
		const [refund] = transactions([makeDeal({ stage: 'lost' })], 'amocrm', 'refund');
		expect([amoPrice(won), amoPrice(below), amoPrice(refund)]).toEqual([1235, 1234, 0]);
	});

	it('builds the PATCH body with status and custom fields', () => {
		const { leads } = amoLeadPatches(transactions([makeDeal({ orderId: '31' })], 'amocrm'), {
			...amo,
			wonStatusId: 142,
			customFields: [
				{ fieldId: 501, source: 'value' },
				{ fieldId: 502, source: 'utm_campaign' },
				{ fieldId: 503, source: 'utm_term' },
			],
		});
		const [request] = amoRequests(leads, amo);
		expect(request.method).toBe('PATCH');
		expect(request.url).toBe('https://example.amocrm.ru/api/v4/leads');
		expect(request.headers.Authorization).toBe('Bearer tok');
		expect(JSON.parse(request.body as string)).toEqual([
			{ id: 31, price: 1501, status_id: 142, custom_fields_values: [{ field_id: 501, values: [{ value: 1500.5 }] }, { field_id: 502, values: [{ value: 'spring & sale' }] }], request_id: '0' },
		]);
	});

	it('leaves the price out when Write Price is off (deals read from this amoCRM), and skips a lead with nothing to write', () => {
		const deals = [makeDeal({ orderId: '31' }), makeDeal({ orderId: '32', utm: emptyUtm() })];
		const { leads, rejected } = amoLeadPatches(transactions(deals, 'amocrm'), { ...amo, writePrice: false, customFields: [{ fieldId: 502, source: 'utm_source' }] });
		// 31's only change is its source field; 32 has no utm, so no field value, no price and no status: not sent.
		expect(JSON.parse(amoRequests(leads, amo)[0].body as string)).toEqual([{ id: 31, custom_fields_values: [{ field_id: 502, values: [{ value: 'yandex' }] }], request_id: '0' }]);
		expect(rejected).toEqual([{ orderId: '32', reason: 'nothing to write into lead 32: Write Price is off, no status is set and no custom field has a value for this deal' }]);
	});

	it('sends at most 50 leads a request and reports deals without a lead id or sharing one', () => {
		const deals = manyDeals(120);
		deals.push(makeDeal({ orderId: 'no-id' }), makeDeal({ orderId: '5003' }));
		const { leads, rejected } = amoLeadPatches(transactions(deals, 'amocrm'), amo);
		expect(rejected).toEqual([
			{ orderId: 'no-id', reason: 'the CRM id in orderId ("no-id") is not a positive whole number' },
			{ orderId: '5003', reason: 'lead 5003 is also the lead of order 5003, which is sent instead' },
		]);
		const requests = amoRequests(leads, amo);
		expect(requests.map((r) => r.orderIds.length)).toEqual([50, 50, 20]);
		expect(amoRequests(leads, { ...amo, batchSize: 500 })[0].orderIds).toHaveLength(50);
	});

	it('reads problem+json errors, validation errors included', () => {
		const problem = {
			title: 'Bad Request',
			type: 'https://httpstatus.es/400',
			status: 400,
			detail: 'Request validation failed',
			'validation-errors': [{ request_id: '1', errors: [{ code: 'InvalidType', path: 'price', detail: 'This value should be of type int.' }] }],
		};
		expect(amoProblemText(problem)).toBe('Bad Request: Request validation failed (lead #1: price This value should be of type int.)');
		expect(amoProblemText(JSON.stringify({ title: 'Unauthorized', status: 401, detail: 'Unauthorized' }))).toBe('Unauthorized: Unauthorized');
		expect([...amoRejectedPositions(problem)]).toEqual([[1, 'price: This value should be of type int.']]);
	});
});

describe('Bitrix24', () => {
	const hook = parseBitrixWebhook('https://shop.bitrix24.ru/rest/1/abc123def456/');

	it('validates the webhook URL without ever showing the token', () => {
		expect(hook).toEqual({ base: 'https://shop.bitrix24.ru/rest/1/abc123def456/', portal: 'shop.bitrix24.ru', userId: '1', token: 'abc123def456' });
		expect(parseBitrixWebhook('https://shop.bitrix24.ru/rest/1/abc123def456/profile.json').base).toBe(hook.base);
		for (const bad of ['http://shop.bitrix24.ru/rest/1/abc123def456/', 'https://shop.bitrix24.ru/rest/abc123def456/', 'shop.bitrix24.ru/rest/1/abc123def456']) {
			let error: unknown;
			try {
				parseBitrixWebhook(bad);
			} catch (e) {
				error = e;
			}
			expect(error).toBeInstanceOf(InputDataError);
			expect((error as Error).message).not.toContain('abc123def456');
		}
	});

	it('writes crm.deal.update commands with every part encoded', () => {
		const { updates } = dealUpdates(transactions([makeDeal({ orderId: '77' })], 'bitrix24'), { dealId: { from: 'orderId' }, writeUtm: true, writeAmount: true });
		const command = dealUpdateCommand(updates[0].update);
		expect(command.startsWith('crm.deal.update?id=77&')).toBe(true);
		expect(parseBracketQuery(command.slice(command.indexOf('?') + 1))).toEqual({
			id: '77',
			fields: { OPPORTUNITY: '1500.50', IS_MANUAL_OPPORTUNITY: 'Y', CURRENCY_ID: 'RUB', UTM_SOURCE: 'yandex', UTM_MEDIUM: 'cpc', UTM_CAMPAIGN: 'spring & sale' },
			params: { REGISTER_SONET_EVENT: 'N' },
		});
		const [refund] = dealUpdates(transactions([makeDeal({ orderId: '77', stage: 'lost' })], 'bitrix24', 'refund'), { dealId: { from: 'orderId' }, writeUtm: false, writeAmount: true }).updates;
		expect(refund.update.fields).toEqual({ OPPORTUNITY: '0.00', IS_MANUAL_OPPORTUNITY: 'Y', CURRENCY_ID: 'RUB' });
	});

	it('leaves OPPORTUNITY and the hand-typed mark out when Write Amount is off, and skips a deal with nothing to write', () => {
		const deals = [makeDeal({ orderId: '77' }), makeDeal({ orderId: '78', utm: emptyUtm() })];
		const { updates, rejected } = dealUpdates(transactions(deals, 'bitrix24'), { dealId: { from: 'orderId' }, writeUtm: true, writeAmount: false });
		expect(updates.map(({ update }) => [update.id, update.fields])).toEqual([[77, { UTM_SOURCE: 'yandex', UTM_MEDIUM: 'cpc', UTM_CAMPAIGN: 'spring & sale' }]]);
		expect(rejected).toEqual([{ orderId: '78', reason: 'nothing to write into deal 78: Write Amount is off and the deal has no utm tags' }]);
	});

	it('batches at most 50 commands with halt 0', () => {
		const { updates } = dealUpdates(transactions(manyDeals(120), 'bitrix24'), { dealId: { from: 'orderId' }, writeUtm: false, writeAmount: true });
		const requests = bitrixBatchRequests(updates, hook);
		expect(requests.map((r) => r.orderIds.length)).toEqual([50, 50, 20]);
		expect(requests[0].url).toBe('https://shop.bitrix24.ru/rest/1/abc123def456/batch.json');
		const body = JSON.parse(requests[0].body as string);
		expect(body.halt).toBe(0);
		expect(Object.keys(body.cmd)).toHaveLength(50);
		expect(body.cmd.d0).toBe(dealUpdateCommand(updates[0].update));
	});

	it('splits a batch answer per deal, with PHP\'s [] for an empty list', () => {
		const ok = { result: { result: { d0: true, d1: true }, result_error: [], result_total: [], result_next: [], result_time: [] } };
		expect(readBatchOutcomes(ok, 2)).toEqual([{ ok: true }, { ok: true }]);
		const mixed = { result: { result: { d0: true }, result_error: { d1: { error: '', error_description: 'Not found' } } } };
		expect(readBatchOutcomes(mixed, 3)).toEqual([{ ok: true }, { ok: false, error: 'Not found' }, { ok: false, error: 'Bitrix24 did not answer for this command' }]);
		const { updates } = dealUpdates(transactions(manyDeals(2), 'bitrix24'), { dealId: { from: 'orderId' }, writeUtm: false, writeAmount: true });
		const [request] = bitrixBatchRequests(updates, hook);
		expect(batchResult(request, mixed)).toEqual({ acceptedVersionKeys: ['bitrix24:5000:purchase:10025:RUB'], rejected: [{ orderId: '5001', reason: 'Not found' }] });
		expect(bitrixErrorText('{"error":"QUERY_LIMIT_EXCEEDED","error_description":"Too many requests"}')).toBe('QUERY_LIMIT_EXCEEDED: Too many requests');
	});
});
