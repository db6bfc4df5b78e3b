import type { Deal, Touch } from '../../../nodes/shared/contracts';
import { emptyUtm } from '../../../nodes/shared/contracts';
import { touch } from '../records';

/** A won deal with sensible defaults; override what a test is about. */
export function makeDeal(overrides: Partial<Deal> = {}): Deal {
	return {
		orderId: '1001',
		number: 'A-1001',
		createdAt: '2024-01-01T09:00:00Z',
		updatedAt: '2024-01-01T10:00:00Z',
		status: 'Оплачен',
		statusCode: null,
		stage: 'won',
		total: 1500.5,
		currency: 'RUB',
		customer: { name: 'Иван', phones: ['+79123456789'], emails: ['Ivan@Example.RU'], gaClientId: null, ymClientId: null },
		utm: { ...emptyUtm(), source: 'yandex', medium: 'cpc', campaign: 'spring & sale' },
		items: [{ id: 'sku-1', name: 'Чайник', price: 1000.5, quantity: 1, total: 1000.5 }, { id: 'sku-2', name: 'Кружка', price: 250, quantity: 2, total: 500 }],
		warnings: [],
		touches: [],
		match: { method: 'phone', keys: [], reason: 'test' },
		...overrides,
	};
}

export function makeTouch(overrides: Partial<Touch> = {}): Touch {
	return touch(overrides.touchId ?? 't1', overrides.at ?? '2024-01-01T08:00:00Z', { kind: 'visit', source: 'form', ...overrides });
}

/** `count` won deals with distinct ids, GA and Metrica client ids and CRM ids 5000+i. */
export function manyDeals(count: number, at = '2024-01-01T10:00:00Z'): Deal[] {
	return Array.from({ length: count }, (_, i) =>
		makeDeal({
			orderId: String(5000 + i),
			number: `N-${i}`,
			updatedAt: at,
			total: 100 + i + 0.25,
			touches: [makeTouch({ touchId: `t${i}`, gaClientId: `${1000 + i}.1700000000`, gaSessionId: `17000${i}`, ymClientId: `17000000000000${String(i).padStart(4, '0')}` })],
		}),
	);
}
