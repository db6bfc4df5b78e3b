import { conversionRequests, conversionsCsv, conversionsUrl, metricaErrorText, metricaRetryable, planConversions, readUploading, type MetricaOptions } from '../../nodes/RevenuePush/destinations/metricaConversions';
import { orderRequests, ordersCsv, ordersUrl, planOrders } from '../../nodes/RevenuePush/destinations/metricaOrders';
import { csvField } from '../../nodes/RevenuePush/destinations/csvWrite';
import { multipartBody } from '../../nodes/RevenuePush/transport/multipart';
import { buildTransactions, type Transaction } from '../../nodes/RevenuePush/ledger/transactions';
import { csvRecords, parseMultipart } from '../helpers/standins/parsing';
import { makeDeal, makeTouch } from '../helpers/standins/revenueDeals';
import type { Deal } from '../../nodes/shared/contracts';

const NOW = Date.parse('2024-01-02T00:00:00Z');
const options: MetricaOptions = { counterId: '2215573', goal: 'order_paid', now: NOW, token: 'tok' };

function transactions(deals: Deal[], mode: 'won' | 'refund' = 'won'): Transaction[] {
	return buildTransactions(deals, { destination: 'metrica', mode, defaultCurrency: null, timeZone: 'UTC', now: NOW }).transactions;
}

describe('Metrica offline conversions', () => {
	it('keys rows by ClientId, else by yclid, and routes the rest to the CRM orders upload', () => {
		const plan = planConversions(
			transactions([
				makeDeal({ orderId: 'a', touches: [makeTouch({ ymClientId: '1700000000111' })] }),
				makeDeal({ orderId: 'b', raw: { landing: 'https://shop.ru/?yclid=777888999' } }),
				makeDeal({ orderId: 'c' }),
			]),
			options,
		);
		expect(plan.rows.CLIENT_ID.map((r) => [r.transaction.orderId, r.id])).toEqual([['a', '1700000000111']]);
		expect(plan.rows.YCLID.map((r) => [r.transaction.orderId, r.id])).toEqual([['b', '777888999']]);
		expect(plan.viaOrders.map((t) => t.orderId)).toEqual(['c']);
	});

	it('writes the documented CSV with unix seconds in the past', () => {
		const plan = planConversions(transactions([makeDeal({ touches: [makeTouch({ ymClientId: '1700000000111' })] }), makeDeal({ orderId: 'late', updatedAt: '2024-01-03T00:00:00Z', touches: [makeTouch({ ymClientId: '42' })] })]), options);
		expect(conversionsCsv('CLIENT_ID', 'order_paid', plan.rows.CLIENT_ID)).toBe(
			`ClientId,Target,DateTime,Price,Currency\n1700000000111,order_paid,${Date.parse('2024-01-01T10:00:00Z') / 1000},1500.50,RUB\n42,order_paid,${NOW / 1000 - 60},1500.50,RUB\n`,
		);
		expect(plan.rows.CLIENT_ID[1].notes[0]).toMatch(/not in the past/);
		expect(conversionsCsv('YCLID', 'g', [])).toBe('Yclid,Target,DateTime,Price,Currency\n');
		expect(conversionsCsv('USER_ID', 'g', []).startsWith('UserId,')).toBe(true);
	});

	it('notes conversions whose last visit is outside Metrica\'s 21-day linking window', () => {
		const plan = planConversions(transactions([makeDeal({ touches: [makeTouch({ at: '2023-12-01T00:00:00Z', ymClientId: '5' })] })]), options);
		expect(plan.rows.CLIENT_ID[0].notes).toEqual([expect.stringMatching(/21 days/)]);
	});

	it('escapes CSV fields', () => {
		expect(['plain', 'a,b', 'say "hi"', ' pad', 'two\nlines', null, 12.5].map(csvField)).toEqual(['plain', '"a,b"', '"say ""hi"""', '" pad"', 'two lines', '', '12.5']);
		expect(conversionsCsv('CLIENT_ID', 'goal,with "comma"', [])).toBe('ClientId,Target,DateTime,Price,Currency\n');
	});

	it('builds a multipart body from bytes, with a boundary absent from the content', () => {
		const { body, contentType } = multipartBody({ field: 'file', filename: 'data.csv', contentType: 'text/csv', content: 'ClientId,Target\nЖ1,g\n' });
		expect(body).toBeInstanceOf(Uint8Array);
		const parts = parseMultipart(Buffer.from(body), contentType);
		expect(parts).toEqual([{ name: 'file', filename: 'data.csv', contentType: 'text/csv', content: Buffer.from('ClientId,Target\nЖ1,g\n') }]);
		const tricky = multipartBody({ field: 'file', filename: 'a.csv', contentType: 'text/csv', content: 'x' }, 'x');
		expect(tricky.contentType).not.toBe('multipart/form-data; boundary=x');
		expect(parseMultipart(Buffer.from(tricky.body), tricky.contentType)?.[0].content.toString()).toBe('x');
		expect(multipartBody({ field: 'file', filename: 'a', contentType: 't', content: 'same' }).body).toEqual(multipartBody({ field: 'file', filename: 'a', contentType: 't', content: 'same' }).body);
	});

	it('makes one upload request per id type with the OAuth header and versions', () => {
		const plan = planConversions(transactions([makeDeal({ orderId: 'a', touches: [makeTouch({ ymClientId: '1' })] }), makeDeal({ orderId: 'b', raw: { yclid: '123456' } })]), options);
		const requests = conversionRequests(plan, options);
		expect(requests.map((r) => r.url)).toEqual([conversionsUrl(options, 'CLIENT_ID', requests[0].receiptKey), conversionsUrl(options, 'YCLID', requests[1].receiptKey)]);
		expect(requests[0].url).toMatch(/^https:\/\/api-metrika\.yandex\.net\/management\/v1\/counter\/2215573\/offline_conversions\/upload\?client_id_type=CLIENT_ID&comment=n8n%20revenue%20push%20[0-9a-z]{11}$/);
		// The comment is the upload's receipt: made from the file, so the same rows give the same one, other rows another.
		expect(conversionRequests(plan, options)[0].receiptKey).toBe(requests[0].receiptKey);
		expect(requests[1].receiptKey).not.toBe(requests[0].receiptKey);
		expect(requests[0].headers.Authorization).toBe('OAuth tok');
		expect(requests[1].versionKeys).toEqual(['metrica:b:purchase:150050:RUB']);
	});

	it('reads the uploading answer and Metrica errors', () => {
		expect(readUploading({ uploading: { id: 123, status: 'UPLOADED', source_quantity: 2, line_quantity: 2, client_id_type: 'CLIENT_ID', comment: null, create_time: '2024-01-02T00:00:00Z' } })).toEqual({
			id: '123',
			status: 'UPLOADED',
			sourceQuantity: 2,
			lineQuantity: 2,
			clientIdType: 'CLIENT_ID',
			comment: null,
			createTime: '2024-01-02T00:00:00Z',
		});
		expect(readUploading({ uploading: { uploading_id: 7, api_validation_status: 'PASSED' } })?.status).toBe('PASSED');
		expect(readUploading({ errors: [] })).toBeNull();
		expect([420, 429, 503, 400, 403].map(metricaRetryable)).toEqual([true, true, true, false, false]);
		expect(metricaErrorText('{"errors":[{"error_type":"invalid_token","message":"Invalid oauth_token"}],"code":403,"message":"Invalid oauth_token"}')).toBe('invalid_token: Invalid oauth_token');
	});
});

describe('Metrica CRM orders (simple_orders)', () => {
	it('writes phones as digits, e-mails lower-case, the creation time in the counter zone, PAID or CANCELLED', () => {
		const won = planOrders(transactions([makeDeal({ customer: { ...makeDeal().customer, phones: ['+79123456789', '+380441234567'], emails: ['A@B.RU'] } })]), { counterId: '1', timeZone: 'Europe/Moscow' });
		expect(ordersCsv(won.rows)).toBe('id,create_date_time,client_ids,emails,phones,order_status,revenue,currency\n1001,2024-01-01 12:00:00,,a@b.ru,"79123456789,380441234567",PAID,1500.50,RUB\n');
		const refund = planOrders(transactions([makeDeal({ stage: 'lost' })], 'refund'), { counterId: '1', timeZone: 'UTC' });
		expect(refund.rows[0].fields[5]).toBe('CANCELLED');
	});

	it('reports orders with nothing to match by', () => {
		const plan = planOrders(transactions([makeDeal({ customer: { ...makeDeal().customer, phones: [], emails: [] } })]), { counterId: '1', timeZone: 'UTC' });
		expect(plan.rejected[0].reason).toMatch(/no Metrica ClientId, phone or e-mail/);
	});

	it('uploads to simple_orders with merge_mode=SAVE', () => {
		const plan = planOrders(transactions([makeDeal()]), { counterId: '2215573', timeZone: 'UTC' });
		const [request] = orderRequests(plan, { counterId: '2215573', timeZone: 'UTC', token: 't' });
		expect(request.url).toBe(ordersUrl({ counterId: '2215573' }));
		expect(request.url).toBe('https://api-metrika.yandex.net/cdp/api/v1/counter/2215573/data/simple_orders?merge_mode=SAVE&delimiter_type=COMMA');
		const [part] = parseMultipart(Buffer.from(request.body as Uint8Array), request.headers['Content-Type']) ?? [];
		expect(csvRecords(part.content.toString()).records[0]).toMatchObject({ id: '1001', phones: '79123456789', order_status: 'PAID' });
	});
});
