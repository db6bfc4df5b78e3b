import type { Order, Touch } from '../../nodes/shared/contracts';
import { emptyUtm } from '../../nodes/shared/contracts';

/** A canonical order with only what a test names. */
export function order(orderId: string, createdAt: string, customer: Partial<Order['customer']> = {}, extra: Partial<Order> = {}): Order {
	return {
		orderId,
		number: null,
		createdAt,
		updatedAt: null,
		status: 'Выполнен',
		statusCode: null,
		stage: 'won',
		total: 1000,
		currency: 'RUB',
		customer: { name: null, phones: [], emails: [], gaClientId: null, ymClientId: null, ...customer },
		utm: emptyUtm(),
		items: [],
		warnings: [],
		...extra,
	};
}

/** A canonical touch with only what a test names. */
export function touch(touchId: string, at: string, fields: Partial<Touch> = {}): Touch {
	return {
		touchId,
		kind: 'call',
		at,
		phones: [],
		emails: [],
		gaClientId: null,
		gaSessionId: null,
		ymClientId: null,
		yclid: null,
		orderRef: null,
		channel: emptyUtm(),
		trackingNumber: null,
		durationSec: null,
		answered: null,
		outcome: null,
		source: 'test',
		warnings: [],
		...fields,
	};
}
