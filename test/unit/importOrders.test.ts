import { gzipSync } from 'zlib';
import { importOrders } from '../../nodes/CrmXmlImport/importOrders';
import { InputDataError } from '../../nodes/shared/errors';
import { commercemlFeed } from '../fixtures/commercemlFeed';
import { chunks, sample } from '../helpers/feeds';
import { commercemlSettings } from '../helpers/importSettings';

const ORDERS = 'bitrix-sale-export_orders_cml205_cp1251.xml';
const EMPTY = 'bitrix-sale-export_empty_cml205_cp1251.xml';

async function run(bytes: Uint8Array, overrides = {}, chunkSize = 65536) {
	return importOrders(chunks(bytes, chunkSize), commercemlSettings(overrides));
}

async function refusal(bytes: Uint8Array, overrides = {}): Promise<InputDataError> {
	const error = await run(bytes, overrides).then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(InputDataError);
	return error as InputDataError;
}

/** The cp1251 sample re-encoded as UTF-8 (the declaration changed to match), optionally with a BOM. */
function sampleAsUtf8(bom: boolean): Buffer {
	const text = new TextDecoder('windows-1251').decode(sample(ORDERS)).replace('encoding="windows-1251"', 'encoding="UTF-8"');
	return Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(text, 'utf8')]);
}

describe('importOrders on the real 1C-Bitrix export (windows-1251)', () => {
	it('imports both orders with correct Cyrillic, status code split, dates in Moscow time, sums and RUB', async () => {
		const result = await run(sample(ORDERS));
		expect(result.feed.encoding).toEqual({ encoding: 'windows-1251', source: 'declaration' });
		expect(result.orders.map((o) => [o.orderId, o.number, o.createdAt, o.status, o.statusCode, o.total, o.currency])).toEqual([
			['132', '132', '2021-02-11T18:45:21+03:00', 'Принят, ожидается оплата', 'N', 231.74, 'RUB'],
			['133', '133', '2021-02-12T09:11:04+03:00', 'Принят, ожидается оплата', 'N', 14380.58, 'RUB'],
		]);
		const [first, second] = result.orders;
		expect(first.updatedAt).toBe('2021-02-11T18:45:21+03:00');
		expect(first.items).toEqual([{ id: '910e89e5-205e-4d95-872a-0a0255c42f02', name: 'Hello Kitty toothbrush for 3~6 years old,2pcs', price: 231.74, quantity: 1, total: 231.74 }]);
		expect(second.items.length).toBeGreaterThan(1);
		expect(second.items.reduce((sum, item) => sum + (item.total ?? 0), 0)).toBeCloseTo(14380.58, 1);
		expect(first.warnings).toEqual([]);
	});

	it('reads the same from any chunk size, from gzip, and from UTF-8 with and without a BOM', async () => {
		const expected = (await run(sample(ORDERS))).orders;
		expect((await run(sample(ORDERS), {}, 7)).orders).toEqual(expected);
		const gz = await run(gzipSync(sample(ORDERS)), {}, 1000);
		expect(gz.feed.gzip).toBe(true);
		expect(gz.orders).toEqual(expected);
		for (const bom of [false, true]) {
			const utf8 = await run(sampleAsUtf8(bom), {}, 333);
			expect(utf8.feed.encoding.encoding).toBe('utf-8');
			expect(utf8.orders).toEqual(expected);
		}
	});

	it('keeps the raw record when asked', async () => {
		const [order] = (await run(sample(ORDERS), { includeRaw: true })).orders;
		expect(order.raw).toMatchObject({ Ид: '132', Валюта: 'руб' });
	});

	it('imports the empty export as zero orders, not an error', async () => {
		const result = await run(sample(EMPTY));
		expect(result.orders).toEqual([]);
		expect(result.feed.records).toBe(0);
	});

	it('emits nothing when the file is cut off half way', async () => {
		const bytes = sample(ORDERS);
		const error = await refusal(bytes.subarray(0, Math.floor(bytes.length * 0.6)));
		expect(error.message).toMatch(/truncated/);
		expect(error.message).toMatch(/line \d+, column \d+/);
	});
});

describe('importOrders: encodings', () => {
	it('refuses a BOM that contradicts the declaration', async () => {
		const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), sample(ORDERS)]);
		expect((await refusal(bytes)).message).toMatch(/UTF-8 byte order mark but its XML declaration says encoding="windows-1251"/);
	});

	it('refuses UTF-8 bytes that declare windows-1251 (mojibake otherwise)', async () => {
		const bytes = Buffer.from(new TextDecoder('windows-1251').decode(sample(ORDERS)), 'utf8');
		expect((await refusal(bytes)).message).toMatch(/declares encoding="windows-1251" but its bytes are UTF-8/);
	});

	it('refuses windows-1251 bytes without a declaration, naming the line, and reads them with the Encoding setting', async () => {
		const bytes = Buffer.from(sample(ORDERS).toString('latin1').replace(' encoding="windows-1251"', ''), 'latin1');
		const error = await refusal(bytes);
		expect(error.message).toMatch(/not valid utf-8.*line 2/);
		expect(error.hint).toMatch(/windows-1251/);
		const forced = await run(bytes, { encoding: 'windows-1251' });
		expect(forced.orders[0].status).toBe('Принят, ожидается оплата');
	});

	it('refuses gzip that is not gzip', async () => {
		const bytes = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.from('garbage that is not deflate')]);
		expect((await refusal(bytes)).message).toMatch(/not valid gzip/);
	});

	it('refuses a feed over the size limit, before reading it all', async () => {
		const { xml } = commercemlFeed({ orders: 200 });
		expect((await refusal(Buffer.from(xml), { maxBytes: 100000 })).message).toMatch(/larger than the limit/);
	});

	it('stops a .gz bomb at the size limit instead of hanging', async () => {
		const bomb = gzipSync(Buffer.from(`<КоммерческаяИнформация ВерсияСхемы="2.05">${' '.repeat(8 << 20)}</КоммерческаяИнформация>`));
		expect((await refusal(bomb, { maxBytes: 1 << 20 })).message).toMatch(/larger than the limit of 1 MB/);
	});

	it('calls a file cut inside a character truncated, not wrongly encoded', async () => {
		const utf8 = sampleAsUtf8(false);
		const inLetter = utf8.indexOf(Buffer.from('Принят')) + 1;
		expect(inLetter).toBeGreaterThan(4096);
		for (const size of [7, 65536]) {
			const error = await run(utf8.subarray(0, inLetter), {}, size).catch((e: unknown) => e as InputDataError);
			expect((error as InputDataError).message).toMatch(/ends in the middle of a character: it was cut off \(truncated\) \(line \d+, column \d+\)/);
		}
		const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(new TextDecoder('windows-1251').decode(sample(ORDERS)).replace('windows-1251', 'UTF-16'), 'utf16le')]);
		expect((await run(utf16)).orders).toHaveLength(2);
		expect((await refusal(utf16.subarray(0, 10001))).message).toMatch(/ends in the middle of a character/);
	});

	it('refuses a windows-1251 file with UTF-8 text past its head (mixed encodings), naming the line', async () => {
		const text = new TextDecoder('windows-1251').decode(sample(ORDERS));
		const second = text.lastIndexOf('<Документ>'); // one byte a character in windows-1251
		expect(second).toBeGreaterThan(4096);
		const bytes = Buffer.concat([sample(ORDERS).subarray(0, second), Buffer.from(text.slice(second), 'utf8')]);
		const error = await refusal(bytes);
		expect(error.message).toMatch(/windows-1251 \(from the declaration\) but contains UTF-8 text/);
		expect(error.line).toBe(text.slice(0, second).split('\n').length);
	});

	it('refuses UTF-16 without a byte order mark', async () => {
		const bytes = Buffer.from('<?xml version="1.0" encoding="UTF-16"?><КоммерческаяИнформация/>', 'utf16le');
		expect((await refusal(bytes)).message).toMatch(/UTF-16 \(little-endian\) without a byte order mark/);
	});
});

describe('importOrders: CommerceML variants', () => {
	it('reads CommerceML 3.1 with Контейнер and the namespace like 2.05', async () => {
		const v2 = commercemlFeed({ orders: 5, version: '2.05' });
		const v3 = commercemlFeed({ orders: 5, version: '3.1' });
		const a = await run(Buffer.from(v2.xml));
		const b = await run(Buffer.from(v3.xml));
		expect(b.orders).toEqual(a.orders);
		expect(a.orders.map((o) => o.orderId)).toEqual(v2.orders.map((o) => o.id));
	});

	it('normalises contacts: phones to E.164, e-mails to lower case', async () => {
		const feed = commercemlFeed({ orders: 6 });
		const result = await run(Buffer.from(feed.xml));
		for (const [i, order] of result.orders.entries()) {
			expect(order.customer.phones).toEqual([feed.orders[i].phone]);
			expect(order.customer.emails).toEqual([feed.orders[i].email]);
			expect(order.total).toBe(feed.orders[i].total);
			expect(order.utm.source).not.toBeNull();
		}
	});

	it('imports status-only documents and skips payments', async () => {
		const xml = `<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация ВерсияСхемы="2.08">
  <Документ><Ид>77</Ид><Номер>77</Номер><ЗначенияРеквизитов><ЗначениеРеквизита><Наименование>Статус заказа</Наименование><Значение>[F] Выполнен</Значение></ЗначениеРеквизита></ЗначенияРеквизитов></Документ>
  <Документ><Ид>p-1</Ид><ХозОперация>Выплата безналичных денег</ХозОперация><Сумма>100</Сумма></Документ>
</КоммерческаяИнформация>`;
		const result = await run(Buffer.from(xml));
		expect(result.skipped).toBe(1);
		expect(result.orders).toHaveLength(1);
		expect(result.orders[0]).toMatchObject({ orderId: '77', status: 'Выполнен', statusCode: 'F', total: null, items: [], statusOnly: true });
	});

	it('keeps the last of an order that stands twice', async () => {
		const xml = `<КоммерческаяИнформация ВерсияСхемы="2.05"><Документ><Ид>1</Ид><Сумма>10</Сумма></Документ><Документ><Ид>1</Ид><Сумма>12</Сумма></Документ></КоммерческаяИнформация>`;
		const result = await run(Buffer.from(xml));
		expect(result.duplicates).toBe(1);
		expect(result.orders.map((o) => o.total)).toEqual([12]);
		expect(result.orders[0].warnings).toEqual(['the order stands 2 times in the feed; the last one was kept']);
	});

	it('reports values it cannot read as warnings on the order', async () => {
		const xml = `<КоммерческаяИнформация ВерсияСхемы="2.05"><Документ><Ид>1</Ид><Сумма>десять</Сумма><Валюта>тугрики</Валюта><Контрагенты><Контрагент><Контакты><Контакт><Тип>Телефон</Тип><Значение>не звонить</Значение></Контакт></Контакты></Контрагент></Контрагенты></Документ></КоммерческаяИнформация>`;
		const [order] = (await run(Buffer.from(xml))).orders;
		expect(order.total).toBeNull();
		expect(order.warnings).toEqual(['total "десять" is not a number', 'currency "тугрики" is not known', 'phone "не звонить" is not a phone number']);
	});

	it('imports legacy CommerceML 1.x (data in attributes) and refuses files that are not CommerceML, naming them', async () => {
		// Until issue 16, 1.x was refused; test/unit/commercemlVariants.test.ts reads a whole 1C 7.7 export.
		const legacy = await run(Buffer.from('<КоммерческаяИнформация ВерсияСхемы="1.01"><Документ Номер="1" ХозОперация="Order" Сумма="12.50"/></КоммерческаяИнформация>'));
		expect(legacy.orders.map((o) => [o.orderId, o.number, o.total])).toEqual([['1', '1', 12.5]]);
		expect((await refusal(Buffer.from('<КоммерческаяИнформация ВерсияСхемы="1.01"><Документ Дата="2026-11-01"/></КоммерческаяИнформация>'))).hint).toMatch(/attribute Номер/);
		expect((await refusal(Buffer.from('<orders><order/></orders>'))).message).toMatch(/<orders>.*not a CommerceML file/);
	});

	it('refuses a record without an id, emitting nothing', async () => {
		const xml = `<КоммерческаяИнформация ВерсияСхемы="2.05"><Документ><Ид>1</Ид></Документ><Документ><Сумма>5</Сумма></Документ></КоммерческаяИнформация>`;
		expect((await refusal(Buffer.from(xml))).message).toMatch(/Record 2 cannot be imported: the record has no order id/);
	});
});

describe('importOrders: generic XML', () => {
	const xml = `<?xml version="1.0"?>
<export><orders>
  <order id="A-1" created="2026-11-20 10:00:00"><status>Paid</status><sum>1 200,50</sum><cur>EUR</cur>
    <client><name>Jane</name><phone>+380 44 123 4567</phone><phone>8 912 345-67-89 доб. 12</phone><email> Jane@Example.COM </email></client>
    <ga>GA1.1.123456.789</ga><utm source="google" medium="cpc"/>
    <lines><line sku="s1" qty="2" price="600.25"/></lines>
  </order>
</orders></export>`;

	it('maps any XML by record path and field paths, with the same normalisation', async () => {
		const result = await importOrders(chunks(Buffer.from(xml), 50), commercemlSettings({
			format: {
				format: 'generic',
				recordPath: '//order',
				fields: { orderId: '@id', date: '@created', status: 'status', total: 'sum', currency: 'cur', customerName: 'client/name', phones: 'client/phone', emails: 'client/email', gaClientId: 'ga', utmSource: 'utm/@source', utmMedium: 'utm/@medium', items: 'lines/line', itemId: '@sku', itemQuantity: '@qty', itemPrice: '@price' },
			},
		}));
		expect(result.orders).toEqual([
			expect.objectContaining({
				orderId: 'A-1',
				createdAt: '2026-11-20T10:00:00+03:00',
				status: 'Paid',
				total: 1200.5,
				currency: 'EUR',
				customer: { name: 'Jane', phones: ['+380441234567', '+79123456789'], emails: ['jane@example.com'], gaClientId: '123456.789', ymClientId: null },
				utm: { source: 'google', medium: 'cpc', campaign: null, content: null, term: null },
				items: [{ id: 's1', name: null, price: 600.25, quantity: 2, total: null }],
			}),
		]);
	});
});
