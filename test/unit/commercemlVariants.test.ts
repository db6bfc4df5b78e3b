import { readFileSync } from 'fs';
import { join } from 'path';
import type { IDataObject, IExecuteFunctions, NodeExecutionHint } from 'n8n-workflow';
import { importOrders } from '../../nodes/CrmXmlImport/importOrders';
import { diffOrders } from '../../nodes/CrmXmlImport/incremental';
import { fakeExecuteFunctions } from '../faults/fakeContext';
import { chunks, sample } from '../helpers/feeds';
import { commercemlSettings } from '../helpers/importSettings';

/**
 * Real-world CommerceML shapes from issue 16, each in a fixture written by hand with fake values
 * (test/fixtures/commerceml). Every expected value below is read off the fixture by hand.
 */
function fixture(name: string): Buffer {
	return readFileSync(join(__dirname, '..', 'fixtures', 'commerceml', name));
}

async function run(bytes: Uint8Array, chunkSize = 65536) {
	return importOrders(chunks(bytes, chunkSize), commercemlSettings());
}

const NO_UTM = { source: null, medium: null, campaign: null, content: null, term: null };

describe('CommerceML 3.1 from 1C (Контейнер, namespace, <Цена>, status flags)', () => {
	it('reads the line price from <Цена> and the status from Проведен / Отгружен / ПометкаУдаления', async () => {
		const result = await run(fixture('cml31_1c_orders_utf8.xml'));
		expect(result.skipped).toBe(0);
		expect(result.orders).toEqual([
			{
				orderId: '7d2a41c0-0f11-11ee-9e1a-00155d000001',
				number: 'ТД00-000101',
				createdAt: '2026-11-18T14:02:11+03:00',
				updatedAt: '2026-11-18T14:02:11+03:00',
				status: 'Проведен',
				statusCode: null,
				stage: null,
				total: 4590,
				currency: 'RUB',
				customer: { name: 'Тестов Семён Иванович', phones: ['+79000000101'], emails: ['semen.testov@example.org'], gaClientId: null, ymClientId: null },
				utm: NO_UTM,
				items: [{ id: 'b1000001-0000-0000-0000-000000000001', name: 'Кружка керамическая 350 мл', price: 1530, quantity: 3, total: 4590 }],
				warnings: [],
			},
			expect.objectContaining({
				orderId: '7d2a41c0-0f11-11ee-9e1a-00155d000002',
				status: 'Отгружен',
				total: 1250.5,
				items: [{ id: 'b1000001-0000-0000-0000-000000000002', name: 'Чай листовой 100 г', price: 250.1, quantity: 5, total: 1250.5 }],
				warnings: [],
			}),
			expect.objectContaining({
				orderId: '7d2a41c0-0f11-11ee-9e1a-00155d000003',
				status: 'Помечен на удаление',
				total: 99.9,
				items: [{ id: 'b1000001-0000-0000-0000-000000000003', name: 'Открытка', price: 99.9, quantity: 1, total: 99.9 }],
			}),
			expect.objectContaining({ orderId: '7d2a41c0-0f11-11ee-9e1a-00155d000004', status: 'Не проведен', total: 700 }),
		]);
		for (const order of result.orders) expect(order.items.every((item) => item.price !== null)).toBe(true);
	});

	it('keeps a configured status requisite first and says when a flag has a value that is not true / false', async () => {
		const xml = `<КоммерческаяИнформация ВерсияСхемы="3.1"><Контейнер><Документ><Ид>1</Ид><Сумма>5</Сумма><Контрагенты/>
<ЗначенияРеквизитов><ЗначениеРеквизита><Наименование>Статус заказа</Наименование><Значение>Согласован</Значение></ЗначениеРеквизита>
<ЗначениеРеквизита><Наименование>Проведен</Наименование><Значение>true</Значение></ЗначениеРеквизита></ЗначенияРеквизитов></Документ>
<Документ><Ид>2</Ид><Сумма>5</Сумма><ЗначенияРеквизитов><ЗначениеРеквизита><Наименование>Проведен</Наименование><Значение>да</Значение></ЗначениеРеквизита></ЗначенияРеквизитов></Документ>
</Контейнер></КоммерческаяИнформация>`;
		const [first, second] = (await run(Buffer.from(xml))).orders;
		expect(first.status).toBe('Согласован');
		expect(second.status).toBeNull();
		expect(second.warnings).toEqual(['requisite "Проведен" is "да", not true or false: not read']);
	});
});

describe('CommerceML 2.x: what is not a sale is skipped with a reason', () => {
	it('skips a purchase order (document Роль Покупатель), payments and shipments, and says why', async () => {
		const result = await run(fixture('cml208_1c_purchase_and_payment_utf8.xml'));
		expect(result.orders.map((o) => [o.orderId, o.total, o.customer.name, o.items[0].price])).toEqual([
			['c3000001-0000-0000-0000-000000000001', 1500, 'Заказчикова Вера', 1500],
		]);
		expect(result.skipped).toBe(3);
		expect(result.skippedRecords).toEqual([
			{ index: 2, documentId: 'c3000001-0000-0000-0000-000000000002', reason: 'a purchase order: the document\'s Роль is "Покупатель" (the exporting side buys), not a sale', level: 'warning' },
			{ index: 3, documentId: 'c3000001-0000-0000-0000-000000000003', reason: 'not a sales order: ХозОперация is "Выплата безналичных денег"', level: 'info' },
			{ index: 4, documentId: 'c3000001-0000-0000-0000-000000000004', reason: 'not a sales order: ХозОперация is "Отпуск товара"', level: 'info' },
		]);
	});

	it('skips a document whose Роль it does not know instead of guessing a sale, and an order to a supplier', async () => {
		const xml = `<КоммерческаяИнформация ВерсияСхемы="2.08"><Документ><Ид>9</Ид><ХозОперация>Заказ товара</ХозОперация><Роль>Комиссионер</Роль><Сумма>10</Сумма></Документ>
<Документ><Ид>10</Ид><ХозОперация>Заказ поставщику</ХозОперация><Роль>Продавец</Роль><Сумма>10</Сумма></Документ>
<Документ><Ид>11</Ид><ХозОперация>Заказ покупателя</ХозОперация><Роль>Продавец</Роль><Сумма>10</Сумма></Документ></КоммерческаяИнформация>`;
		const result = await run(Buffer.from(xml));
		expect(result.orders.map((o) => o.orderId)).toEqual(['11']);
		expect(result.skippedRecords).toEqual([
			{ index: 1, documentId: '9', reason: 'the document\'s Роль "Комиссионер" is not known: only Продавец (a sale) is imported', level: 'warning' },
			{ index: 2, documentId: '10', reason: 'not a sales order: ХозОперация is "Заказ поставщику"', level: 'warning' },
		]);
	});
});

describe('CommerceML 1.x (1C 7.7: windows-1251, data in attributes, no ВерсияСхемы)', () => {
	const expected = [
		{
			orderId: '0000000045',
			number: '0000000045',
			createdAt: '2026-11-17T15:10:00+03:00',
			updatedAt: '2026-11-17T15:10:00+03:00',
			status: null,
			statusCode: null,
			stage: null,
			total: 1870,
			currency: 'RUB',
			customer: { name: 'Садовод Николай Петрович', phones: ['+79000000707'], emails: ['sadovod@example.org'], gaClientId: null, ymClientId: null },
			utm: NO_UTM,
			items: [
				{ id: '00017', name: 'Лопата штыковая', price: 620, quantity: 2, total: 1240 },
				{ id: '00018', name: 'Грабли веерные', price: 630, quantity: 1, total: 630 },
			],
			warnings: [],
		},
		{
			orderId: '0000000046',
			number: '0000000046',
			createdAt: '2026-11-18T10:05:00+03:00',
			updatedAt: '2026-11-18T10:05:00+03:00',
			status: null,
			statusCode: null,
			stage: null,
			total: 630,
			currency: 'RUB',
			customer: { name: 'ООО "Тест-Огород"', phones: [], emails: [], gaClientId: null, ymClientId: null },
			utm: NO_UTM,
			items: [{ id: '00018', name: 'Грабли веерные', price: 630, quantity: 1, total: 630 }],
			warnings: [],
		},
	];

	it('imports the orders: number, date, sum from attributes, buyer and item names from the file\'s Контрагент and Каталог', async () => {
		const result = await run(fixture('cml1x_1c77_orders_cp1251.xml'));
		expect(result.feed.encoding).toEqual({ encoding: 'windows-1251', source: 'declaration' });
		expect(result.orders).toEqual(expected);
		expect(result.skippedRecords).toEqual([{ index: 3, documentId: '0000000012', reason: 'not a sales order: ХозОперация is "Sale"', level: 'info' }]);
	});

	it('reads the same from any chunk size', async () => {
		expect((await run(fixture('cml1x_1c77_orders_cp1251.xml'), 7)).orders).toEqual(expected);
	});

	it('imports a file that declares ВерсияСхемы 1.x, and says when a buyer or a product is not in the file', async () => {
		const xml = `<КоммерческаяИнформация ВерсияСхемы="1.01"><Документ Номер="1" ХозОперация="Order" Сумма="5">
<ПредприятиеВДокументе Контрагент="nobody" Роль="Buyer"/><ТоварнаяПозиция Товар="x1" Количество="1" Цена="5" Сумма="5"/></Документ></КоммерческаяИнформация>`;
		const [order] = (await run(Buffer.from(xml))).orders;
		expect(order).toMatchObject({ orderId: '1', total: 5, customer: { name: null }, items: [{ id: 'x1', name: null, price: 5, quantity: 1, total: 5 }] });
		expect(order.warnings).toEqual(['the buyer "nobody" is not described in the file (no <Контрагент Идентификатор="nobody">)', 'the product "x1" is not described in the file\'s <Каталог>']);
	});
});

describe('1C status-only documents (no Сумма, no Контрагенты)', () => {
	const STATUS_ONLY_WARNING =
		'a status-only document (no sum, no buyer): 1C reports the status of an order it had from the site, not a new order; its total is unknown, not zero. Use "New or Changed Since Last Run", which applies the status to the order imported earlier and keeps its total, or join it by orderId with the full order';

	it('are flagged, with no total and a warning, in All Orders mode', async () => {
		const result = await run(fixture('cml208_1c_status_only_utf8.xml'));
		expect(result.orders).toEqual([
			{
				orderId: '201',
				number: '201',
				createdAt: '2026-11-19T00:00:00+03:00',
				updatedAt: '2026-11-19T00:00:00+03:00',
				status: 'Отгружен',
				statusCode: null,
				stage: null,
				total: null,
				currency: 'RUB',
				customer: { name: null, phones: [], emails: [], gaClientId: null, ymClientId: null },
				utm: NO_UTM,
				items: [],
				warnings: [STATUS_ONLY_WARNING],
				statusOnly: true,
			},
			expect.objectContaining({ orderId: '203', status: 'Проведен', total: null, statusOnly: true, warnings: [STATUS_ONLY_WARNING] }),
		]);
	});

	it('update the known order\'s status and keep its total in incremental mode', async () => {
		const first = diffOrders((await run(fixture('cml208_bitrix_orders_utf8.xml'))).orders, undefined);
		expect(first.changed.map((o) => [o.orderId, o.status, o.total])).toEqual([
			['201', 'Принят, ожидается оплата', 3200],
			['202', 'Оплачен, формируется к отправке', 990.5],
		]);
		const second = diffOrders((await run(fixture('cml208_1c_status_only_utf8.xml'))).orders, first.next);
		expect(second.changed.map((o) => [o.orderId, o.status, o.total, o.statusOnly, o.change, o.warnings])).toEqual([
			['201', 'Отгружен', 3200, true, { type: 'changed', fields: ['status'], previous: { status: 'Принят, ожидается оплата', total: 3200 } }, ['the status comes from a status-only document; the total is the one imported earlier']],
			['203', 'Проведен', null, true, { type: 'new', fields: [], previous: null }, ['a status-only document for an order not imported before: its total is unknown until the full order is imported']],
		]);
		// The same status again changes nothing; the memory kept 202 and the total of 201.
		const third = diffOrders((await run(fixture('cml208_1c_status_only_utf8.xml'))).orders, second.next);
		expect(third.changed).toEqual([]);
		expect(Object.keys(third.next).sort()).toEqual(['201', '202', '203']);
		// The full export again: 201 is compared with the status the status-only document gave it; 202 did not change.
		const fourth = diffOrders((await run(fixture('cml208_bitrix_orders_utf8.xml'))).orders, third.next);
		expect(fourth.changed.map((o) => [o.orderId, o.status, o.total, o.change])).toEqual([
			['201', 'Принят, ожидается оплата', 3200, { type: 'changed', fields: ['status'], previous: { status: 'Отгружен', total: 3200 } }],
		]);
	});
});

describe('1C-Bitrix buyer names and item names', () => {
	it('reads the buyer from Ид "id#login#Name" when Наименование is empty, and collapses line breaks in item names', async () => {
		const result = await run(fixture('cml208_bitrix_orders_utf8.xml'));
		expect(result.orders.map((o) => [o.orderId, o.customer.name, o.items.map((item) => item.name)])).toEqual([
			['201', 'Анна Тестовая', ['Набор контейнеров для хранения продуктов с крышками (прямоугольные, 3 шт, объём 0,5 / 1 / 1,5 л)']],
			['202', null, ['Губка для посуды (10 шт)']],
		]);
		expect(result.orders.map((o) => o.warnings)).toEqual([[], []]);
	});

	it('does so on the real 1C-Bitrix sample too', async () => {
		const [first, second] = (await run(sample('bitrix-sale-export_orders_cml205_cp1251.xml'))).orders;
		expect(first.customer.name).toBeNull(); // Ид "38#catalog_exchange#": no name written
		expect(second.customer.name).toBe('Контент менджер'); // Ид "5#content-manager# Контент менджер"
		expect(second.items.map((item) => item.name)).toContain('Концентрированное средство для мытья овощей и фруктов, посуды и кухонных принадлежностей (с апельсиновым маслом) 4 л');
	});
});

describe('CRM XML Import node: skipped and status-only documents are surfaced as execution hints', () => {
	async function execute(file: Buffer, emit: 'all' | 'incremental', staticData: IDataObject = {}) {
		const hints: NodeExecutionHint[] = [];
		const ctx = fakeExecuteFunctions({ parameters: { source: 'binary', emit }, credential: {}, staticData, continueOnFail: false });
		Object.assign(ctx, { addExecutionHints: (...added: NodeExecutionHint[]) => hints.push(...added) });
		Object.assign(ctx.helpers, {
			assertBinaryData: () => ({ data: '', mimeType: 'application/xml' }),
			getBinaryDataBuffer: async () => file,
		});
		// eslint-disable-next-line @typescript-eslint/no-require-imports -- ts-node would resolve "CrmXmlImport.node" to the .json beside it
		const { CrmXmlImport } = require(join(__dirname, '..', '..', 'nodes', 'CrmXmlImport', 'CrmXmlImport.node.ts')) as typeof import('../../nodes/CrmXmlImport/CrmXmlImport.node');
		const [items] = await new CrmXmlImport().execute.call(ctx as IExecuteFunctions);
		return { items, hints };
	}

	it('names the skipped documents and why', async () => {
		const { items, hints } = await execute(fixture('cml208_1c_purchase_and_payment_utf8.xml'), 'all');
		expect(items.map((item) => item.json.orderId)).toEqual(['c3000001-0000-0000-0000-000000000001']);
		expect(hints).toEqual([
			{ type: 'warning', location: 'outputPane', message: '1 document skipped, a purchase order: the document\'s Роль is "Покупатель" (the exporting side buys), not a sale: c3000001-0000-0000-0000-000000000002' },
			{ type: 'info', location: 'outputPane', message: '1 document skipped, not a sales order: ХозОперация is "Выплата безналичных денег": c3000001-0000-0000-0000-000000000003' },
			{ type: 'info', location: 'outputPane', message: '1 document skipped, not a sales order: ХозОперация is "Отпуск товара": c3000001-0000-0000-0000-000000000004' },
		]);
	});

	it('warns about status-only documents in All Orders mode, not in incremental mode when the order is known', async () => {
		const all = await execute(fixture('cml208_1c_status_only_utf8.xml'), 'all');
		expect(all.items.map((item) => [item.json.orderId, item.json.total, item.json.statusOnly])).toEqual([
			['201', null, true],
			['203', null, true],
		]);
		expect(all.hints).toEqual([
			{
				type: 'warning',
				location: 'outputPane',
				message: '2 status-only documents (no sum, no buyer): the order\'s total is unknown, not zero. Use "New or Changed Since Last Run" to apply the status to the order imported earlier, or join by orderId with the full order: 201, 203',
			},
		]);
		const state: IDataObject = {};
		await execute(fixture('cml208_bitrix_orders_utf8.xml'), 'incremental', state);
		const incremental = await execute(fixture('cml208_1c_status_only_utf8.xml'), 'incremental', state);
		expect(incremental.items.map((item) => [item.json.orderId, item.json.status, item.json.total])).toEqual([
			['201', 'Отгружен', 3200],
			['203', 'Проведен', null],
		]);
		expect(incremental.hints).toEqual([
			{ type: 'warning', location: 'outputPane', message: '1 status-only document with no total from an earlier run: the total is unknown until the full order is imported: 203' },
		]);
	});
});
