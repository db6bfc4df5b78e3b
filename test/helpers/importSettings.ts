import type { ImportSettings } from '../../nodes/CrmXmlImport/importOrders';

export function commercemlSettings(overrides: Partial<ImportSettings> = {}): ImportSettings {
	return {
		format: { format: 'commerceml', statusRequisite: 'Статус заказа' },
		encoding: 'auto',
		maxBytes: 512 * 1048576,
		maxDepth: 64,
		includeRaw: false,
		timeZone: 'Europe/Moscow',
		phoneCountries: ['RU', 'UA'],
		defaultCurrency: null,
		...overrides,
	};
}
