/**
 * The won guard: a status that negates, weakens or reverses what it names ("Не оплачен", "Неоплачен", "Unpaid",
 * "Not paid", "Частично оплачен", "Partially paid", "Payment failed", "Оплата не пройшла", "Відмова", "Refunded")
 * is never won through the preset or a user's pattern rule, whatever else the text says.
 *
 * One pass over the text: it is cut into words (runs of letters and digits; spaces, punctuation, "-", "_" and ":"
 * separate them), and each word is compared with a short fixed list. No regular expression runs over the status, so
 * the time is linear in its length.
 */

/** Whole words that negate or weaken: "ні", "без оплаты", "no-call", "part-paid" ("не", "нет", "not" are stems below). */
const NEGATING_WORDS = new Set(['ні', 'без', 'no', 'part']);

/**
 * Word beginnings that negate or weaken: the Russian / Ukrainian "не" prefix ("неоплачен", "невиконано",
 * "недоставлен", "неуспешно", "невдало"), English "un" / "non" / "not" ("unpaid", "unfulfilled", "non-paid",
 * "notpaid"), partial forms, failures, refusals and errors. A word that merely starts like one ("under", "неделя")
 * only loses the right to be won by the preset or a pattern rule: a false alarm costs an unmapped status, never a
 * wrong purchase.
 */
const NEGATING_STEMS = [
	'не',
	'un',
	'non',
	'not',
	'частичн',
	'частков',
	'partial',
	'fail',
	'declin',
	'error',
	'ошибк',
	'помилк',
	'отказ',
	'відмов',
	'отклон',
	'відхил',
	'reject',
	'denied',
	'incomplet',
	'invalid',
	'insufficient',
];

/** Word beginnings of money going back or never coming: cancelled, refunded, returned, charged back, voided, expired. */
const REVERSING_STEMS = ['отмен', 'скасов', 'cancel', 'refund', 'возврат', 'возвращ', 'поверн', 'return', 'chargeback', 'void', 'revers', 'expired', 'истек', 'сторн'];

const STEMS = [...NEGATING_STEMS, ...REVERSING_STEMS];

function isWordChar(ch: string): boolean {
	return (ch >= '0' && ch <= '9') || ch.toLowerCase() !== ch.toUpperCase();
}

function blocksWon(word: string): boolean {
	return NEGATING_WORDS.has(word) || STEMS.some((stem) => word.startsWith(stem));
}

/** Whether the text holds a negating, partial or reversing word, so that it must never be mapped to won by a guess. */
export function cannotBeWon(text: string): boolean {
	const lower = text.toLowerCase();
	let start = -1;
	for (let i = 0; i <= lower.length; i++) {
		const inWord = i < lower.length && isWordChar(lower[i]);
		if (inWord && start < 0) start = i;
		if (!inWord && start >= 0) {
			if (blocksWon(lower.slice(start, i))) return true;
			start = -1;
		}
	}
	return false;
}
