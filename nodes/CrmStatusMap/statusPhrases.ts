import type { Stage } from '../shared/contracts';

/**
 * The preset: whole status names as the CRMs and shop engines write them, each with its stage. A status matches an
 * entry only as a whole (see presetKey), never as a part of a longer text: "Не выполнен" is not "Выполнен".
 *
 * "won" means money that is in: paid, or the CRM's own final success state (completed, delivered as the last step).
 * A status that only says the goods moved (shipped, fulfilled) or that an invoice was issued is in_progress; one
 * that is partial or ambiguous about the money is in_progress or left out. A status left out is UNMAPPED, and the
 * node's Unmapped Statuses setting decides (fail, pass as "other", or the second output): the user writes a rule.
 * No entry that the won guard (statusGuard.ts) flags may be won: a test holds the table to that.
 */
export interface CrmPhrases {
	crm: string;
	phrases: Partial<Record<Stage, string[]>>;
}

export const STATUS_PHRASES: CrmPhrases[] = [
	{
		// Default order statuses of the sale module: N "Принят, ожидается оплата", P "Оплачен, формируется к отправке",
		// F "Выполнен"; a cancelled order comes from CommerceML as "Отменен" (see CRM XML Import).
		// Debatable: P's default name says "paid", so that text is won, while the bare code P stays in_progress
		// (BITRIX_STATUS_CODES): shops rename P freely, and only its default name says the money is in.
		crm: '1C-Bitrix',
		phrases: {
			new: ['Принят, ожидается оплата', 'Принят', 'Ожидает обработки'],
			won: ['Оплачен, формируется к отправке', 'Выполнен'],
			lost: ['Отменен'],
		},
	},
	{
		// 1C:Управление торговлей 11, Комплексная автоматизация 2, ERP (order status and state) and 1C:УНФ.
		// Left out on purpose: "Закрыт". In УТ 11 / КА 2 an order is closed both when it is done and when its rows are
		// cancelled (there is no "Отменен" status there), so "Закрыт" says nothing about money.
		// Debatable: "Готов к закрытию" (УТ: every row not cancelled is shipped and the debt is zero) and УНФ's
		// "Завершен" are won as the systems' final done states.
		crm: '1C',
		phrases: {
			new: [
				'Не согласован',
				'Ожидается согласование',
				'Ожидается предоплата',
				'Ожидается предоплата (до обеспечения)',
				'Ожидается предоплата (до отгрузки)',
				'Новый',
				// The import's name for a document without a status requisite whose Проведен flag is false.
				'Не проведен',
			],
			in_progress: [
				'Согласован',
				'К обеспечению',
				'К выполнению',
				'К отгрузке',
				'Ожидается обеспечение',
				'Готов к обеспечению',
				'Готов к отгрузке',
				'Ожидается отгрузка',
				'В процессе отгрузки',
				'Ожидается оплата (после отгрузки)',
				'В резерве',
				'В работе',
				// The import's names for 1C's document flags when there is no status requisite: posted, shipped. Neither
				// says the money is in.
				'Проведен',
				'Отгружен',
			],
			won: ['Готов к закрытию', 'Завершен', 'Выполнен'],
			// ПометкаУдаления: the document is marked for deletion.
			lost: ['Отменен', 'Помечен на удаление'],
		},
	},
	{
		// The default pipeline in Russian, Ukrainian and English (Kommo). "Неразобранное" / "Incoming leads" is the
		// unsorted stage, new.
		crm: 'amoCRM / Kommo',
		phrases: {
			new: ['Неразобранное', 'Первичный контакт', 'Нерозібране', 'Первинний контакт', 'Incoming leads', 'Initial contact'],
			in_progress: [
				'Переговоры',
				'Принимают решение',
				'Согласование договора',
				'Переговори',
				'Приймають рішення',
				'Узгодження договору',
				'Discussions',
				'Negotiation',
				'Decision making',
				'Contract discussion',
			],
			won: ['Успешно реализовано', 'Успішно реалізовано', 'Closed - won', 'Won'],
			lost: ['Закрыто и не реализовано', 'Закрито і не реалізовано', 'Closed - lost', 'Lost'],
		},
	},
	{
		// Deal stages: the ids (a pipeline other than the first prefixes them, "C3:WON": presetKey drops the prefix)
		// and their default names in Russian, Ukrainian and English. Invoices issued are in_progress, not money in.
		crm: 'Bitrix24',
		phrases: {
			new: ['NEW', 'Новая', 'Нова'],
			in_progress: [
				'PREPARATION',
				'PREPAYMENT_INVOICE',
				'EXECUTING',
				'FINAL_INVOICE',
				'Подготовка документов',
				'Счёт на предоплату',
				'В работе',
				'Финальный счёт',
				'Підготовка документів',
				'Рахунок на передоплату',
				'В роботі',
				'Фінальний рахунок',
				'Preparing documents',
				'Prepayment invoice',
				'In progress',
				'Final invoice',
			],
			won: ['WON', 'Сделка успешна', 'Угода успішна', 'Deal won'],
			lost: ['LOSE', 'APOLOGY', 'Сделка провалена', 'Анализ причины провала', 'Угода провалена', 'Аналіз причини провалу', 'Deal lost', 'Analyze failure'],
		},
	},
	{
		// Default status codes and names. Debatable: "prepayed" (a prepayment came in, maybe not all of it) is
		// in_progress; the order is won at "complete". Left out on purpose: "partially-completed" ("Выполнен
		// частично", a final state where part of the order was bought): the user decides.
		crm: 'RetailCRM',
		phrases: {
			new: ['new', 'Новый'],
			in_progress: [
				'availability-confirmed',
				'offer-analog',
				'client-confirmed',
				'prepayed',
				'send-to-assembling',
				'assembling',
				'assembled',
				'send-to-delivery',
				'delivering',
				'redirect',
				'ready-for-self-pickup',
				'Наличие подтверждено',
				'Предложить замену',
				'Согласовано с клиентом',
				'Предоплата поступила',
				'Передано в комплектацию',
				'Комплектуется',
				'Укомплектован',
				'Передан в доставку',
				'Доставляется',
				'Доставка перенесена',
				'Готов к самовывозу',
			],
			won: ['complete', 'Выполнен'],
			lost: [
				'cancel-other',
				'no-call',
				'no-product',
				'already-buyed',
				'delyvery-did-not-suit',
				'prices-did-not-suit',
				'return',
				'Отменен',
				'Недозвон',
				'Нет в наличии',
				'Купил в другом месте',
				'Не устроила доставка',
				'Не устроила цена',
				'Возврат',
			],
		},
	},
	{
		// Order statuses (fulfillment_status) and their names. Debatable: "delivered" / "Доставлен" is won as
		// InSales' last success step (no separate "completed"); "dispatched" is in_progress.
		crm: 'InSales',
		phrases: {
			new: ['new', 'Новый'],
			in_progress: ['accepted', 'approved', 'dispatched', 'В обработке', 'Согласован', 'Отгружен'],
			won: ['delivered', 'Доставлен'],
			lost: ['declined', 'Отменён'],
		},
	},
	{
		// Default order statuses. Debatable: "Processing" and "Processed" are in_progress (set by hand or by a payment
		// module, they do not say for sure that the money is in; WooCommerce's bare "processing" is the same word,
		// below). Left out on purpose: "Canceled Reversal" (a chargeback undone: the money came back, but the words
		// say cancelled), the user decides.
		crm: 'OpenCart',
		phrases: {
			new: ['Pending'],
			in_progress: ['Processing', 'Processed', 'Shipped'],
			won: ['Complete'],
			lost: ['Canceled', 'Denied', 'Failed', 'Refunded', 'Reversed', 'Chargeback', 'Expired', 'Voided'],
		},
	},
	{
		// Order statuses with and without the "wc-" prefix, and their names in English, Russian and Ukrainian.
		// Debatable: WooCommerce's "processing" means paid and not yet shipped. The prefixed "wc-processing" can
		// only be WooCommerce, so it is won; the bare "processing" / "Processing" / "Обработка" is also OpenCart's
		// and many CRMs' "being handled", so it is in_progress, and a WooCommerce shop that counts a paid order as
		// a sale adds a case-insensitive rule "processing" -> won. "checkout-draft" (a checkout not placed) is other.
		crm: 'WooCommerce',
		phrases: {
			new: ['pending', 'on-hold', 'wc-pending', 'wc-on-hold', 'Pending payment', 'В ожидании оплаты', 'На удержании', 'Очікування оплати', 'На утриманні'],
			in_progress: ['processing', 'Обработка', 'Обробка'],
			won: ['wc-processing', 'completed', 'wc-completed', 'Выполнен', 'Виконано'],
			lost: [
				'cancelled',
				'refunded',
				'failed',
				'wc-cancelled',
				'wc-refunded',
				'wc-failed',
				'Отменён',
				'Возвращён',
				'Не удался',
				'Скасовано',
				'Повернено',
				'Невдало',
			],
			other: ['checkout-draft', 'wc-checkout-draft', 'Draft', 'Черновик', 'Чернетка'],
		},
	},
	{
		// financial_status and fulfillment_status, as the API writes them and as the admin shows them.
		// Debatable: only "paid" is won; "fulfilled" (shipped, says nothing of payment) is in_progress, so map the
		// financial status for revenue. Left out on purpose: "partially_refunded" (most of the money stays, some went
		// back): the user decides.
		crm: 'Shopify',
		phrases: {
			new: ['unfulfilled', 'Payment pending'],
			in_progress: ['authorized', 'partially_paid', 'fulfilled', 'partial', 'Partially fulfilled'],
			won: ['paid'],
			lost: ['voided', 'restocked'],
		},
	},
	{
		// Payment status of an order as Tilda writes it in its order list and order e-mails (no published list of
		// these texts was found to confirm them): paid or not paid.
		crm: 'Tilda',
		phrases: {
			new: ['Не оплачено', 'Not paid', 'Ожидает оплаты', 'Awaiting payment'],
			won: ['Оплачено', 'Paid'],
		},
	},
	{
		// Words that many shop engines and hand-made CRMs use (Russian, Ukrainian, English), the negated and partial
		// forms included with their meaning: not paid is new, partly paid is in_progress, "not done" and failed
		// payments are lost. Left out on purpose: "Не доставлен", "Не получен", "Not delivered" (a delivery that
		// failed or one that is not there yet: the user decides).
		crm: 'common words',
		phrases: {
			new: ['Новый заказ', 'Не оплачен', 'Неоплачен', 'Неоплачено', 'Unpaid', 'Ожидается оплата', 'Новий', 'Нове', 'Нове замовлення'],
			in_progress: [
				'Частично оплачен',
				'Оплачен частично',
				'Частково оплачено',
				'Оплачено частково',
				'Partially paid',
				'Подтвержден',
				'Підтверджено',
				'Отправлен',
				'Відправлено',
				'В обробці',
			],
			won: ['Оплачен', 'Доставлено'],
			lost: [
				'Не выполнен',
				'Невыполнен',
				'Не виконано',
				'Невиконано',
				'Not completed',
				'Payment failed',
				'Оплата не прошла',
				'Оплата не пройшла',
				'Ошибка оплаты',
				'Помилка оплати',
				'Отказ',
				'Відмова',
				'Отклонен',
				'Повернення',
			],
		},
	},
];

/**
 * Default status codes of 1C-Bitrix, used when the status text is not in the table: N and F are system statuses
 * (the first and the final one; F is "Выполнен" in a default shop, the won guard still applies to its text), P is
 * a default one that shops rename, so it is only in_progress.
 */
export const BITRIX_STATUS_CODES = new Map<string, Stage>([
	['N', 'new'],
	['P', 'in_progress'],
	['F', 'won'],
]);

/**
 * Codes CRM Deals Import writes into statusCode that say a deal's outcome whatever its stage is called (keys upper
 * case):
 * - amoCRM / Kommo: the system statuses 142 ("Успешно реализовано") and 143 ("Закрыто и не реализовано"), the same
 *   ids in every pipeline (https://www.amocrm.ru/developers/content/crm_platform/leads_pipelines). Numeric, so they
 *   never meet the 1C-Bitrix letter codes above.
 * - Bitrix24: a deal stage's STAGE_SEMANTIC_ID (S success, F failure, P in work; crm.deal.fields), written
 *   "bitrix24:S": a bare F is 1C-Bitrix's "Выполнен" (won) above, while a Bitrix24 F is a lost deal.
 */
export const DEAL_STATUS_CODES = new Map<string, { stage: Stage; crm: string }>([
	['142', { stage: 'won', crm: 'amoCRM' }],
	['143', { stage: 'lost', crm: 'amoCRM' }],
	['BITRIX24:S', { stage: 'won', crm: 'Bitrix24' }],
	['BITRIX24:F', { stage: 'lost', crm: 'Bitrix24' }],
	['BITRIX24:P', { stage: 'in_progress', crm: 'Bitrix24' }],
]);

const SEPARATORS = ['-', '_', '–', '—'];

/**
 * The form a status is compared in: lower case, "ё" as "е", runs of spaces, "-", "_", "–" and "—" as one space, no
 * spaces at the ends, no trailing ".", and a Bitrix24 pipeline prefix ("C3:") dropped. One pass, no regular expression.
 */
export function presetKey(text: string): string {
	const lower = text.toLowerCase();
	let out = '';
	let pendingSpace = false;
	for (const ch of lower) {
		if (ch.trim() === '' || SEPARATORS.includes(ch)) {
			pendingSpace = out !== '';
			continue;
		}
		if (pendingSpace) out += ' ';
		pendingSpace = false;
		out += ch === 'ё' ? 'е' : ch;
	}
	let end = out.length;
	while (end > 0 && (out[end - 1] === '.' || out[end - 1] === ' ')) end--;
	return withoutPipelinePrefix(out.slice(0, end));
}

/** "c3:won" -> "won"; anything else as it is. */
function withoutPipelinePrefix(key: string): string {
	if (key[0] !== 'c') return key;
	let i = 1;
	while (i < key.length && key[i] >= '0' && key[i] <= '9') i++;
	return i > 1 && key[i] === ':' ? key.slice(i + 1).trimStart() : key;
}

export interface PhraseEntry {
	/** The phrase as the table first writes it. */
	phrase: string;
	stage: Stage;
	crms: string[];
}

/** Key -> entry over the whole table; a phrase that two CRMs put at different stages is a fault of the table. */
export function buildPhraseIndex(table: CrmPhrases[]): Map<string, PhraseEntry> {
	const index = new Map<string, PhraseEntry>();
	for (const { crm, phrases } of table) {
		for (const [stage, list] of Object.entries(phrases) as Array<[Stage, string[]]>) {
			for (const phrase of list) {
				const key = presetKey(phrase);
				const known = index.get(key);
				if (!known) {
					index.set(key, { phrase, stage, crms: [crm] });
				} else if (known.stage !== stage) {
					throw new Error(`The preset puts "${phrase}" (${crm}) at ${stage} and "${known.phrase}" (${known.crms.join(', ')}) at ${known.stage}`);
				} else if (!known.crms.includes(crm)) {
					known.crms.push(crm);
				}
			}
		}
	}
	return index;
}

let presetIndex: Map<string, PhraseEntry> | undefined;

/** The preset's entry for a whole status text, if the table has it. */
export function presetPhrase(status: string): PhraseEntry | undefined {
	presetIndex ??= buildPhraseIndex(STATUS_PHRASES);
	return presetIndex.get(presetKey(status));
}
