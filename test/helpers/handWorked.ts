import { feedFooter, feedHeader } from '../fixtures/commercemlFeed';

/**
 * The hand-worked fixture of the real-n8n pipeline test (test/e2e/pipeline.e2e.test.ts, where every expected
 * figure is worked out in comments): eight CRM orders and eleven site form submissions, small enough to follow by
 * hand. Times are Moscow time (+03:00, no daylight saving).
 */
export interface HandOrder {
	id: string;
	/** Дата and Время of the CommerceML document, Moscow time. */
	date: string;
	time: string;
	/** The requisite "Статус заказа" as 1C-Bitrix writes it. */
	status: string;
	total: number;
	/** As the CRM holds it. */
	phone: string;
	email?: string;
}

export const HAND_ORDERS: HandOrder[] = [
	// P1, a repeat customer: two orders, the phone written "8 (…)" here and "+7 …" in the touches.
	{ id: '7001', date: '2026-03-10', time: '12:00:00', status: '[F] Выполнен', total: 500, phone: '8 (916) 111-22-33' },
	{ id: '7002', date: '2026-03-25', time: '12:00:00', status: '[F] Выполнен', total: 700, phone: '8 (916) 111-22-33' },
	// P2: found by e-mail only (her touch has no phone).
	{ id: '7003', date: '2026-03-12', time: '15:00:00', status: '[F] Выполнен', total: 300, phone: '+7 903 444-55-66', email: 'Olga.Smirnova@example.ru' },
	// P3: one touch inside the 30-day lookback, one 38 days before the order (outside it).
	{ id: '7004', date: '2026-03-20', time: '10:00:00', status: '[F] Выполнен', total: 400, phone: '+7 925 777-88-99' },
	// P4: no touch at all.
	{ id: '7005', date: '2026-03-15', time: '11:00:00', status: '[F] Выполнен', total: 900, phone: '+7 926 000-11-22' },
	// P5: direct, then Yandex, then Google (14, 7 and 0 days before the order).
	{ id: '7006', date: '2026-03-18', time: '18:00:00', status: '[F] Выполнен', total: 1000, phone: '+7 917 222-33-44' },
	// P6: VK, then a direct visit (7 and 0 days before).
	{ id: '7007', date: '2026-03-22', time: '14:00:00', status: '[F] Выполнен', total: 2100, phone: '+7 918 333-44-55' },
	// P7: cancelled.
	{ id: '7008', date: '2026-03-16', time: '13:00:00', status: '[C] Отменен', total: 800, phone: '+7 919 555-66-77' },
];

type Channel = 'yandex' | 'google' | 'vk' | 'direct';
const UTM: Record<Channel, Record<string, string>> = {
	yandex: { utm_source: 'yandex', utm_medium: 'cpc', utm_campaign: 'brand' },
	google: { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'search' },
	vk: { utm_source: 'vk', utm_medium: 'social', utm_campaign: 'retarget' },
	direct: {},
};

/** A site form submission as the site posts it: its own submission id (so the touchId is "form:<id>"). */
function form(id: string, date: string, contact: { phone?: string; email?: string }, channel: Channel): Record<string, string> {
	return { type: 'form', submission_id: id, date, ...contact, ...UTM[channel] };
}

export const HAND_TOUCHES: Array<Record<string, string>> = [
	form('T01', '2026-03-03T12:00:00+03:00', { phone: '+7 916 111 22 33' }, 'yandex'),
	form('T02', '2026-03-18T12:00:00+03:00', { phone: '+7(916)1112233' }, 'google'),
	form('T03', '2026-03-11T15:00:00+03:00', { email: 'olga.smirnova@EXAMPLE.ru' }, 'vk'),
	form('T04', '2026-02-10T10:00:00+03:00', { phone: '89257778899' }, 'yandex'),
	form('T05', '2026-03-15T10:00:00+03:00', { phone: '+79257778899' }, 'google'),
	form('T06', '2026-03-04T18:00:00+03:00', { phone: '+79172223344' }, 'direct'),
	form('T07', '2026-03-11T18:00:00+03:00', { phone: '+79172223344' }, 'yandex'),
	form('T08', '2026-03-18T18:00:00+03:00', { phone: '+79172223344' }, 'google'),
	form('T09', '2026-03-15T14:00:00+03:00', { phone: '+7 918 333 44 55' }, 'vk'),
	form('T10', '2026-03-22T14:00:00+03:00', { phone: '+7 918 333 44 55' }, 'direct'),
	form('T11', '2026-03-14T13:00:00+03:00', { phone: '+7 919 555 66 77' }, 'vk'),
];

/** The orders as one CommerceML 2.05 export (UTF-8), one line item each. */
export function handWorkedFeed(): string {
	const documents = HAND_ORDERS.map(
		(order) => `
  <Документ>
    <Ид>${order.id}</Ид>
    <Номер>${order.id}</Номер>
    <Дата>${order.date}</Дата>
    <Время>${order.time}</Время>
    <ХозОперация>Заказ товара</ХозОперация>
    <Роль>Продавец</Роль>
    <Валюта>руб</Валюта>
    <Курс>1</Курс>
    <Сумма>${order.total.toFixed(2)}</Сумма>
    <Контрагенты>
      <Контрагент>
        <Ид>p${order.id}</Ид>
        <Наименование>Покупатель ${order.id}</Наименование>
        <Роль>Покупатель</Роль>
        <Контакты>
          <Контакт><Тип>Телефон рабочий</Тип><Значение>${order.phone}</Значение></Контакт>${order.email ? `
          <Контакт><Тип>Электронная почта</Тип><Значение>${order.email}</Значение></Контакт>` : ''}
        </Контакты>
      </Контрагент>
    </Контрагенты>
    <Товары>
      <Товар>
        <Ид>item-${order.id}</Ид>
        <Наименование>Товар ${order.id}</Наименование>
        <ЦенаЗаЕдиницу>${order.total.toFixed(2)}</ЦенаЗаЕдиницу>
        <Количество>1</Количество>
        <Сумма>${order.total.toFixed(2)}</Сумма>
      </Товар>
    </Товары>
    <ЗначенияРеквизитов>
      <ЗначениеРеквизита><Наименование>Статус заказа</Наименование><Значение>${order.status}</Значение></ЗначениеРеквизита>
    </ЗначенияРеквизитов>
  </Документ>`,
	);
	return feedHeader('2.05') + documents.join('') + feedFooter('2.05');
}
