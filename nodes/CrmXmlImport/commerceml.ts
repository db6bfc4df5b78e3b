import { InputDataError } from '../shared/errors';
import { isLegacyDocument, LegacyDirectory } from './commerceml1';
import { operationSkip, roleSkip, type DocumentFields } from './documentSkip';
import { parseRecordPaths, type XmlObject, type XmlValue } from './xml/XmlRecordReader';
import { child, list, textOf } from './xml/xmlValue';

/**
 * CommerceML, the exchange format of 1C and 1C-Bitrix: 2.0x documents sit under the root, 3.x wraps them in
 * <Контейнер> (and declares the urn:1C.ru:commerceml_3 namespace, which local names ignore). 1.x (1C 7.7) keeps its
 * data in attributes and describes buyers and products beside the documents (see commerceml1.ts).
 */
export const COMMERCEML_RECORD_PATHS = parseRecordPaths(
	'КоммерческаяИнформация/Документ | КоммерческаяИнформация/Контейнер/Документ | КоммерческаяИнформация/Контрагент | КоммерческаяИнформация/Каталог/Товар',
);

export interface CommerceMlOptions {
	/** The requisite (ЗначениеРеквизита/Наименование) that holds the order status. */
	statusRequisite: string;
}

/** Rejects the root of a file that is not CommerceML. */
function checkCommerceMlRoot(name: string): void {
	if (name !== 'КоммерческаяИнформация') {
		throw new InputDataError(
			`The root element is <${name}>, not <КоммерческаяИнформация>: this is not a CommerceML file`,
			'Choose the Generic XML format and set the record path and fields, or check the URL.',
		);
	}
}

/**
 * The documents of one CommerceML file: 2.x / 3.x documents are read as they come; 1.x documents wait for the end of
 * the file, because the buyers and products they name may be described after them.
 */
export class CommerceMlDocuments {
	private legacyRoot = false;
	private readonly directory = new LegacyDirectory();
	private readonly waiting: Array<{ record: XmlValue; index: number }> = [];

	constructor(private readonly options: CommerceMlOptions) {}

	readonly onRoot = (name: string, attributes: XmlObject): void => {
		checkCommerceMlRoot(name);
		this.legacyRoot = textOf(attributes['@ВерсияСхемы'])?.startsWith('1.') === true;
	};

	/** A record that describes (a 1.x buyer or product), not a document. */
	describe(record: XmlValue, name: string): void {
		this.directory.add(record, name);
	}

	/** The fields of document number `index`, or null for a 1.x document (see legacyDocuments). */
	document(record: XmlValue, index: number): DocumentFields | null {
		if (!isLegacyDocument(record, this.legacyRoot)) return commerceMlFields(record, this.options);
		this.waiting.push({ record, index });
		return null;
	}

	/** The 1.x documents, read once the whole file is: fields, document number, record. */
	*legacyDocuments(): Iterable<[DocumentFields, number, XmlValue]> {
		for (const { record, index } of this.waiting) yield [this.directory.fields(record), index, record];
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

/** A requisite that 1C writes as "true" / "false"; null when absent or unreadable (said in `warnings`). */
function flag(values: Map<string, string>, name: string, warnings: string[]): boolean | null {
	const value = values.get(name.toLowerCase());
	if (value === undefined) return null;
	const text = value.trim().toLowerCase();
	if (text === 'true' || text === 'false') return text === 'true';
	warnings.push(`requisite "${name}" is "${value}", not true or false: not read`);
	return null;
}

/**
 * The status: the configured requisite (Bitrix's "Статус заказа"); else what the flags say, as 1C writes them on a
 * document without a status (3.1 exports, status-only documents): cancelled, marked for deletion, shipped, posted.
 */
function statusOf(values: Map<string, string>, options: CommerceMlOptions, warnings: string[]): string | null {
	const named = values.get(options.statusRequisite.trim().toLowerCase());
	if (named !== undefined) return named;
	if (flag(values, 'Отменен', warnings)) return 'Отменен';
	if (flag(values, 'ПометкаУдаления', warnings)) return 'Помечен на удаление';
	const code = values.get('статуса заказа ид');
	if (code !== undefined) return `[${code}]`;
	if (flag(values, 'Отгружен', warnings)) return 'Отгружен';
	const posted = flag(values, 'Проведен', warnings);
	return posted === null ? null : posted ? 'Проведен' : 'Не проведен';
}

function firstRequisite(values: Map<string, string>, test: (name: string) => boolean): string | null {
	for (const [name, value] of values) if (test(name)) return value;
	return null;
}

function buyer(record: XmlValue): XmlValue | undefined {
	const parties = list(child(child(record, 'Контрагенты'), 'Контрагент'));
	return parties.find((party) => /покупател/i.test(textOf(child(party, 'Роль')) ?? '')) ?? parties[0];
}

/** 1C-Bitrix writes a buyer without a name as Ид "<user id>#<login>#<name>": the name, or null. */
function bitrixUserName(id: string | null): string | null {
	if (id === null) return null;
	const first = id.indexOf('#');
	const second = first > 0 ? id.indexOf('#', first + 1) : -1;
	if (second === -1 || !/^\d+$/.test(id.slice(0, first))) return null;
	return id.slice(second + 1).trim() || null;
}

function partyName(party: XmlValue | undefined): string | null {
	const fullName = ['Фамилия', 'Имя', 'Отчество'].map((key) => textOf(child(party, key))).filter((part) => part !== null).join(' ');
	return (
		textOf(child(party, 'Наименование')) ??
		textOf(child(party, 'ПолноеНаименование')) ??
		(fullName || null) ??
		textOf(child(party, 'ОфициальноеНаименование')) ??
		bitrixUserName(textOf(child(party, 'Ид')))
	);
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

/** A 2.x / 3.x document: an order's fields, or why it is skipped. */
export function commerceMlFields(record: XmlValue, options: CommerceMlOptions): DocumentFields {
	const documentId = textOf(child(record, 'Ид')) ?? textOf(child(record, 'Номер'));
	const skipped = operationSkip(textOf(child(record, 'ХозОперация')), documentId) ?? roleSkip(textOf(child(record, 'Роль')), documentId);
	if (skipped) return skipped;
	const values = requisites(record);
	const warnings: string[] = [];
	const status = statusOf(values, options, warnings);
	const total = textOf(child(record, 'Сумма'));
	const party = buyer(record);
	const { phones, emails } = contacts(party, values);
	const utmOf = (key: string) => firstRequisite(values, (name) => name === key || name.includes(`(${key})`));
	return {
		orderId: documentId,
		number: textOf(child(record, 'Номер')),
		date: textOf(child(record, 'Дата')),
		time: textOf(child(record, 'Время')),
		updatedAt: values.get('дата изменения статуса') ?? values.get('дата изменения') ?? null,
		status,
		total,
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
			// 2.x writes ЦенаЗаЕдиницу; 3.x (1C's exports to the Bitrix module) writes Цена.
			price: textOf(child(item, 'ЦенаЗаЕдиницу')) ?? textOf(child(item, 'Цена')),
			quantity: textOf(child(item, 'Количество')),
			total: textOf(child(item, 'Сумма')),
		})),
		// 1C telling the site that an order was paid or shipped: no sum, no buyer.
		statusOnly: total === null && party === undefined,
		warnings,
	};
}
