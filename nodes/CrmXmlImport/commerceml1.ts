import { operationSkip, type DocumentFields } from './documentSkip';
import type { XmlObject, XmlValue } from './xml/XmlRecordReader';
import { child, isObject, list, textOf } from './xml/xmlValue';

/**
 * CommerceML 1.x, the format of 1C 7.7 (often without a ВерсияСхемы attribute): the data stand in attributes.
 *
 *   <Каталог Идентификатор=".."><Товар ИдентификаторВКаталоге=".." Наименование=".."/></Каталог>
 *   <Документ Номер=".." Дата=".." Время=".." ХозОперация="Order" Сумма=".." Валюта="руб.">
 *     <ПредприятиеВДокументе Контрагент="<id>" Роль="Buyer" Контакт="<contact id>"/>
 *     <ТоварнаяПозиция Каталог=".." Товар="<product id>" Количество=".." Цена=".." Сумма=".."/>
 *   </Документ>
 *   <Контрагент Идентификатор="<id>" Наименование=".."><Контакт Идентификатор=".."><Телефон>..</Телефон><Почта>..</Почта></Контакт></Контрагент>
 *
 * Buyers and products are described beside the documents, often after them, so documents are read at the end.
 */

/** Roles of the buyer in <ПредприятиеВДокументе Роль>: 1C 7.7 writes "Buyer" (and "Saler" for the seller). */
const BUYER_ROLES = new Set(['buyer', 'покупатель']);

function attribute(value: XmlValue | undefined, name: string): string | null {
	return textOf(child(value, '@' + name));
}

/** A document of the 1.x shape: the file says 1.x, or the document keeps its number in attributes and has no <Ид> / <Номер>. */
export function isLegacyDocument(record: XmlValue, legacyRoot: boolean): boolean {
	if (legacyRoot) return true;
	if (!isObject(record) || record['Ид'] !== undefined || record['Номер'] !== undefined) return false;
	return record['@Номер'] !== undefined || record['@Идентификатор'] !== undefined;
}

/** The buyers (root <Контрагент>) and products (<Каталог>/<Товар>) of a 1.x file, by id. */
export class LegacyDirectory {
	private readonly parties = new Map<string, XmlObject>();
	/** Product id -> name. */
	private readonly products = new Map<string, string | null>();
	/** Product ids that two catalogs of the file name differently: no name is taken. */
	private readonly ambiguous = new Set<string>();

	add(record: XmlValue, name: string): void {
		if (!isObject(record)) return;
		if (name === 'Контрагент') {
			const id = attribute(record, 'Идентификатор');
			if (id !== null) this.parties.set(id, record);
			return;
		}
		const id = attribute(record, 'ИдентификаторВКаталоге') ?? attribute(record, 'Идентификатор');
		if (id === null) return;
		const productName = attribute(record, 'Наименование');
		if (this.products.has(id) && this.products.get(id) !== productName) this.ambiguous.add(id);
		this.products.set(id, productName);
	}

	/** A 1.x document: an order's fields, or why it is skipped. */
	fields(document: XmlValue): DocumentFields {
		const number = attribute(document, 'Номер');
		const documentId = attribute(document, 'Идентификатор') ?? number;
		const skipped = operationSkip(attribute(document, 'ХозОперация'), documentId);
		if (skipped) return skipped;
		const warnings: string[] = [];
		const role = list(child(document, 'ПредприятиеВДокументе')).find((party) => BUYER_ROLES.has(attribute(party, 'Роль')?.trim().toLowerCase() ?? ''));
		const buyerId = attribute(role, 'Контрагент');
		const buyer = buyerId === null ? undefined : this.parties.get(buyerId);
		if (buyerId !== null && buyer === undefined) warnings.push(`the buyer "${buyerId}" is not described in the file (no <Контрагент Идентификатор="${buyerId}">)`);
		// The contact the document names, else every contact of the buyer.
		const contactId = attribute(role, 'Контакт');
		const contacts = list(child(buyer, 'Контакт'));
		const named = contacts.filter((contact) => attribute(contact, 'Идентификатор') === contactId);
		const used = named.length > 0 ? named : contacts;
		const texts = (key: string) => used.flatMap((contact) => list(child(contact, key)).map(textOf)).filter((text): text is string => text !== null);
		return {
			orderId: documentId,
			number,
			date: attribute(document, 'Дата'),
			time: attribute(document, 'Время'),
			updatedAt: null,
			status: null,
			total: attribute(document, 'Сумма'),
			currency: attribute(document, 'Валюта'),
			customerName: attribute(buyer, 'Наименование') ?? attribute(buyer, 'ОтображаемоеНаименование'),
			phones: texts('Телефон'),
			emails: texts('Почта'),
			gaClientId: null,
			ymClientId: null,
			utm: {},
			items: list(child(document, 'ТоварнаяПозиция')).map((line) => {
				const id = attribute(line, 'Товар');
				let name: string | null = null;
				if (id !== null && this.ambiguous.has(id)) warnings.push(`the product "${id}" has two different names in the file's catalogs`);
				else if (id !== null && !this.products.has(id)) warnings.push(`the product "${id}" is not described in the file's <Каталог>`);
				else if (id !== null) name = this.products.get(id) ?? null;
				return { id, name, price: attribute(line, 'Цена'), quantity: attribute(line, 'Количество'), total: attribute(line, 'Сумма') };
			}),
			warnings,
		};
	}
}
