import { InputDataError } from '../shared/errors';
import type { RawOrderFields } from './orderBuilder';
import { parseRecordPaths, type XmlObject, type XmlValue } from './xml/XmlRecordReader';
import { child, list, textOf } from './xml/xmlValue';

/**
 * CommerceML, the exchange format of 1C and 1C-Bitrix: 2.0x documents sit under the root, 3.x wraps them in
 * <Контейнер> (and declares the urn:1C.ru:commerceml_3 namespace, which local names ignore).
 */
export const COMMERCEML_RECORD_PATHS = parseRecordPaths('КоммерческаяИнформация/Документ | КоммерческаяИнформация/Контейнер/Документ');

export interface CommerceMlOptions {
	/** The requisite (ЗначениеРеквизита/Наименование) that holds the order status. */
	statusRequisite: string;
}

/** Rejects the root of a file that is not CommerceML 2.x or 3.x. */
export function checkCommerceMlRoot(name: string, attributes: XmlObject): void {
	if (name !== 'КоммерческаяИнформация') {
		throw new InputDataError(
			`The root element is <${name}>, not <КоммерческаяИнформация>: this is not a CommerceML file`,
			'Choose the Generic XML format and set the record path and fields, or check the URL.',
		);
	}
	const version = textOf(attributes['@ВерсияСхемы']);
	if (version && /^1\./.test(version)) {
		throw new InputDataError(
			`CommerceML ${version} (the legacy 1.x format, with data in attributes) is not supported`,
			'Switch the exchange in 1C or Bitrix to CommerceML 2.x or 3.x, or read this file with the Generic XML format and fields such as "@Номер".',
		);
	}
}

/** Requisites (ЗначенияРеквизитов) by lower-cased name. */
function requisites(record: XmlValue): Map<string, string> {
	const out = new Map<string, string>();
	for (const item of list(child(child(record, 'ЗначенияРеквизитов'), 'ЗначениеРеквизита'))) {
		const name = textOf(child(item, 'Наименование'));
		const value = textOf(child(item, 'Значение'));
		if (name && value !== null) out.set(name.trim().toLowerCase(), value);
	}
	return out;
}

function firstRequisite(values: Map<string, string>, test: (name: string) => boolean): string | null {
	for (const [name, value] of values) if (test(name)) return value;
	return null;
}

function buyer(record: XmlValue): XmlValue | undefined {
	const parties = list(child(child(record, 'Контрагенты'), 'Контрагент'));
	return parties.find((party) => /покупател/i.test(textOf(child(party, 'Роль')) ?? '')) ?? parties[0];
}

function partyName(party: XmlValue | undefined): string | null {
	const fullName = ['Фамилия', 'Имя', 'Отчество'].map((key) => textOf(child(party, key))).filter((part) => part !== null).join(' ');
	return textOf(child(party, 'Наименование')) ?? textOf(child(party, 'ПолноеНаименование')) ?? (fullName || null) ?? textOf(child(party, 'ОфициальноеНаименование'));
}

function contacts(party: XmlValue | undefined, values: Map<string, string>): { phones: string[]; emails: string[] } {
	const phones: string[] = [];
	const emails: string[] = [];
	const places = [party, child(party, 'Представители'), child(child(child(party, 'Представители'), 'Представитель'), 'Контрагент')];
	for (const place of places) {
		for (const contact of list(child(child(place, 'Контакты'), 'Контакт'))) {
			const type = textOf(child(contact, 'Тип')) ?? textOf(child(contact, 'Вид')) ?? '';
			const value = textOf(child(contact, 'Значение'));
			if (!value) continue;
			if (/почт|mail/i.test(type)) emails.push(value);
			else if (/тел|phone|моб/i.test(type)) phones.push(value);
		}
	}
	for (const [name, value] of values) {
		if (/^(e-?mail|email|электронная почта|почта)$/.test(name)) emails.push(value);
		else if (/^(телефон|phone|мобильный телефон)$/.test(name)) phones.push(value);
	}
	return { phones, emails };
}

export function commerceMlFields(record: XmlValue, options: CommerceMlOptions): RawOrderFields | null {
	const operation = textOf(child(record, 'ХозОперация'));
	// Payments and shipments travel in the same file; only orders (and status-only documents) are orders.
	if (operation && !/заказ/i.test(operation)) return null;
	const values = requisites(record);
	const statusName = options.statusRequisite.trim().toLowerCase();
	let status = values.get(statusName) ?? null;
	if (status === null && values.get('отменен') === 'true') status = 'Отменен';
	if (status === null && values.has('статуса заказа ид')) status = `[${values.get('статуса заказа ид')}]`;
	const party = buyer(record);
	const { phones, emails } = contacts(party, values);
	const utmOf = (key: string) => firstRequisite(values, (name) => name === key || name.includes(`(${key})`));
	return {
		orderId: textOf(child(record, 'Ид')) ?? textOf(child(record, 'Номер')),
		number: textOf(child(record, 'Номер')),
		date: textOf(child(record, 'Дата')),
		time: textOf(child(record, 'Время')),
		updatedAt: values.get('дата изменения статуса') ?? values.get('дата изменения') ?? null,
		status,
		total: textOf(child(record, 'Сумма')),
		currency: textOf(child(record, 'Валюта')),
		customerName: partyName(party),
		phones,
		emails,
		gaClientId: firstRequisite(values, (name) => /^(_ga|ga[ _]?client[ _]?id|google client id|clientid ga)$/.test(name)),
		ymClientId: firstRequisite(values, (name) => /^(_ym_uid|ym[ _]?client[ _]?id|yandex client ?id|clientid)$/.test(name)),
		utm: {
			source: utmOf('utm_source'),
			medium: utmOf('utm_medium'),
			campaign: utmOf('utm_campaign'),
			content: utmOf('utm_content'),
			term: utmOf('utm_term'),
		},
		items: list(child(child(record, 'Товары'), 'Товар')).map((item) => ({
			id: textOf(child(item, 'Ид')),
			name: textOf(child(item, 'Наименование')),
			price: textOf(child(item, 'ЦенаЗаЕдиницу')),
			quantity: textOf(child(item, 'Количество')),
			total: textOf(child(item, 'Сумма')),
		})),
	};
}
