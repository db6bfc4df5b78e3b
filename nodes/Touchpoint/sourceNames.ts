/** The systems Touchpoint reads, by the name each touch carries in its `source`. */
export type SourceName = 'asterisk' | 'binotel' | 'zadarma' | 'mango' | 'ringostat' | 'calltouch' | 'uis' | 'callibri' | 'jivo' | 'wazzup' | 'umnico' | 'form';

/** A source chosen in the node, or 'auto' to recognise it from the payload. */
export type SourceChoice = SourceName | 'auto';

export const SOURCE_TITLES: Record<SourceName, string> = {
	asterisk: 'Asterisk CDR (Master.csv)',
	binotel: 'Binotel',
	zadarma: 'Zadarma',
	mango: 'Mango Office',
	ringostat: 'Ringostat',
	calltouch: 'Calltouch',
	uis: 'UIS / CoMagic',
	callibri: 'Callibri',
	jivo: 'Jivo',
	wazzup: 'Wazzup (WhatsApp, Telegram)',
	umnico: 'Umnico (WhatsApp, Telegram, VK, Avito)',
	form: 'Site',
};
