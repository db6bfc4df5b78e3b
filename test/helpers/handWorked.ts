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

/** The orders (by default HAND_ORDERS) as one CommerceML 2.05 export (UTF-8), one line item each. */
export function handWorkedFeed(orders: readonly HandOrder[] = HAND_ORDERS): string {
	const documents = orders.map(
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

/*
 * The figures of the hand-worked fixture through the order sync (every model), worked out by hand: the oracle of the
 * Data Table pipeline test (test/e2e/pipeline.e2e.test.ts) and of the Postgres order sync test
 * (test/queue/postgresOrderSync.e2e.test.ts). Channels: Y = yandex / cpc, G = google / cpc, V = vk / social,
 * D = (direct) / (none) (a form without utm).
 */
export const Y = 'yandex / cpc';
export const G = 'google / cpc';
export const V = 'vk / social';
export const D = '(direct) / (none)';
export const ALL_MODELS = ['first', 'last', 'lastNonDirect', 'linear', 'timeDecay', 'positionBased', 'markov', 'shapley'];

/** Per won deal with touches, per model: the revenue of each touch (in the touches' time order), in RUB. */
export const HAND_CREDITS: Record<string, { touches: string[]; credits: Record<string, number[]> }> = {
	// One touch: it gets everything under every model.
	...Object.fromEntries(
		([['7001', 'T01', 500], ['7002', 'T02', 700], ['7003', 'T03', 300], ['7004', 'T05', 400]] as const).map(([order, touch, total]) => [
			order,
			{ touches: [touch], credits: Object.fromEntries(ALL_MODELS.map((model) => [model, [total]])) },
		]),
	),
	'7006': {
		touches: ['T06', 'T07', 'T08'], // D, Y, G; ages 14, 7 and 0 days; 100000 cents
		credits: {
			first: [1000, 0, 0],
			last: [0, 0, 1000],
			lastNonDirect: [0, 0, 1000], // the last touch is paid already
			// 100000 / 3 = 33333.33 cents each: floors 3 x 33333 = 99999, the 1 cent left goes to the largest
			// remainder; all three are .33, a tie, so to the earlier touch: 333.34 / 333.33 / 333.33.
			linear: [333.34, 333.33, 333.33],
			// H = 7 d: weights 2^(-14/7) = 1/4, 2^(-7/7) = 1/2, 2^0 = 1; sum 7/4, so shares 1/7, 2/7, 4/7.
			// 100000 x 1/7 = 14285.714, x 2/7 = 28571.429, x 4/7 = 57142.857: floors 14285 + 28571 + 57142 = 99998;
			// the 2 cents left go to the largest remainders, .857 (T08) and .714 (T06): 142.86 / 285.71 / 571.43.
			timeDecay: [142.86, 285.71, 571.43],
			positionBased: [400, 200, 400], // 40 / 20 / 40 of 1000.00, exact
			// Markov shares (below): D 10/51, Y 12/51, G 18/51; on this path they sum to 40/51, so D 10/40 = 1/4,
			// Y 12/40 = 3/10, G 18/40 = 9/20 of 1000.00: 250 / 300 / 450, exact.
			markov: [250, 300, 450],
			// Shapley values (below): D 5/6, Y 4/3, G 7/3 = 5/36, 8/36, 14/36 of the total 6; on this path 27/36,
			// so D 5/27, Y 8/27, G 14/27: 100000 x 5/27 = 18518.519, x 8/27 = 29629.630, x 14/27 = 51851.852; floors
			// 18518 + 29629 + 51851 = 99998; 2 cents to the largest remainders, .852 (T08) and .630 (T07).
			shapley: [185.18, 296.3, 518.52],
		},
	},
	'7007': {
		touches: ['T09', 'T10'], // V, D; ages 7 and 0 days; 210000 cents
		credits: {
			first: [2100, 0],
			last: [0, 2100],
			lastNonDirect: [2100, 0], // the last touch is direct: the one before it, V
			linear: [1050, 1050],
			timeDecay: [700, 1400], // weights 1/2 and 1, shares 1/3 and 2/3 of 2100.00: 70000 and 140000 cents
			positionBased: [1050, 1050], // two touches, no middle: first and last split 40 : 40, half each
			markov: [1100, 1000], // V 11/51, D 10/51: 11/21 and 10/21 of 2100.00
			shapley: [1350, 750], // V 3/2 = 9/36, D 5/6 = 5/36: 9/14 and 5/14 of 2100.00
		},
	},
};

/*
 * Markov, first order, by removal effect. Paths: the six converting ones Y, G, V, G, D>Y>G, V>D, and the touch
 * left without an order, T04 (P3's Y 38 days before), as one journey that did not convert: Y.
 * Transitions (people): start -> Y 2 (7001, T04), G 2 (7002, 7004), V 2 (7003, 7007), D 1 (7006): of 7;
 *   Y -> conversion 1, G 1, null 1 (of 3); G -> conversion 3 (of 3); V -> conversion 1, D 1 (of 2);
 *   D -> Y 1, conversion 1 (of 2).
 * Conversion probability from each state (no cycles, so from the end backwards):
 *   x(G) = 1; x(Y) = 1/3 + 1/3 x(G) = 2/3; x(D) = 1/2 x(Y) + 1/2 = 5/6; x(V) = 1/2 + 1/2 x(D) = 11/12;
 *   P = x(start) = 2/7 x(Y) + 2/7 x(G) + 2/7 x(V) + 1/7 x(D) = (16 + 24 + 22 + 10) / 84 = 6/7.
 * Without G (its transitions go to null): x(Y) = 1/3, x(D) = 2/3, x(V) = 5/6, P = 2/21 + 0 + 5/21 + 2/21 = 3/7:
 *   removal effect 1 - (3/7) / (6/7) = 1/2.
 * Without Y: x(D) = 1/2, x(V) = 3/4, P = 0 + 2/7 + 3/14 + 1/14 = 4/7: effect 1 - 4/6 = 1/3.
 * Without V: P = 4/21 + 2/7 + 0 + 5/42 = 25/42: effect 1 - 25/36 = 11/36.
 * Without D: x(V) = 1/2, P = 4/21 + 2/7 + 1/7 + 0 = 13/21: effect 1 - 13/18 = 5/18.
 * Effects 18/36, 12/36, 11/36, 10/36 sum to 51/36: shares G 18/51, Y 12/51, V 11/51, D 10/51.
 * Shapley (paths, Zhao et al.): each converting path's one conversion split evenly over its distinct channels:
 *   Y = 1 (7001) + 1/3 (7006) = 4/3; G = 1 + 1 + 1/3 = 7/3; V = 1 + 1/2 (7007) = 3/2; D = 1/3 + 1/2 = 5/6 (sum 6).
 */

/**
 * The channel rows of the source report per model: orders (the sum of the channel's shares), revenue (the sum of its
 * credits above), touches (distinct touches of attributed deals and of the journeys without an order: Y T01, T07,
 * T04; G T02, T05, T08; V T03, T09; D T06, T10; T11 belongs to the cancelled deal, which is not attributed). Rows
 * go by revenue, largest first, then by channel name.
 */
export const TOUCHES: Record<string, number> = { [Y]: 3, [G]: 3, [V]: 2, [D]: 2 };
export const HAND_ROWS: Record<string, Array<[channel: string, orders: number, revenue: number]>> = {
	first: [[V, 2, 2400], [G, 2, 1100], [D, 1, 1000], [Y, 1, 500]], // V 7003 + 7007, G 7002 + 7004, D 7006, Y 7001
	last: [[D, 1, 2100], [G, 3, 2100], [Y, 1, 500], [V, 1, 300]], // D 7007; G 7002 + 7004 + 7006 = 700 + 400 + 1000
	lastNonDirect: [[V, 2, 2400], [G, 3, 2100], [Y, 1, 500], [D, 0, 0]],
	// Y 1 + 1/3, 500 + 333.33; G 2 + 1/3, 1100 + 333.33; V 1 + 1/2, 300 + 1050; D 1/3 + 1/2, 333.34 + 1050.
	linear: [[G, 7 / 3, 1433.33], [D, 5 / 6, 1383.34], [V, 3 / 2, 1350], [Y, 4 / 3, 833.33]],
	// Y 1 + 2/7, 500 + 285.71; G 2 + 4/7, 1100 + 571.43; V 1 + 1/3, 300 + 700; D 1/7 + 2/3, 142.86 + 1400.
	timeDecay: [[G, 18 / 7, 1671.43], [D, 17 / 21, 1542.86], [V, 4 / 3, 1000], [Y, 9 / 7, 785.71]],
	// Y 1 + 0.2, 500 + 200; G 2 + 0.4, 1100 + 400; V 1 + 0.5, 300 + 1050; D 0.4 + 0.5, 400 + 1050.
	positionBased: [[G, 2.4, 1500], [D, 0.9, 1450], [V, 1.5, 1350], [Y, 1.2, 700]],
	// Y 1 + 3/10, 500 + 300; G 2 + 9/20, 1100 + 450; V 1 + 11/21, 300 + 1100; D 1/4 + 10/21, 250 + 1000.
	markov: [[G, 2.45, 1550], [V, 32 / 21, 1400], [D, 61 / 84, 1250], [Y, 1.3, 800]],
	// Y 1 + 8/27, 500 + 296.30; G 2 + 14/27, 1100 + 518.52; V 1 + 9/14, 300 + 1350; D 5/27 + 5/14, 185.18 + 750.
	shapley: [[V, 23 / 14, 1650], [G, 68 / 27, 1618.52], [D, 205 / 378, 935.18], [Y, 35 / 27, 796.3]],
};
