import type { Change, OrdersAndRevenue, PeriodComparisonRow } from './reportModel';

export interface NamedFigures extends OrdersAndRevenue {
	name: string;
	currency: string | null;
}

export function change(current: number, previous: number): Change {
	return { current, previous, change: previous === 0 ? null : (current - previous) / previous };
}

/**
 * This period's rows beside the previous period's, matched by name and currency: a row in only one period is set
 * against 0 (a channel that stopped bringing orders shows as -100 %, a new one as "no change figure"). Each
 * currency ends with its "(all)" row. Rows keep the current period's order, then the rows only the previous had.
 */
export function comparePeriods(current: readonly NamedFigures[], previous: readonly NamedFigures[]): PeriodComparisonRow[] {
	const keyOf = (row: NamedFigures) => `${row.currency ?? ''}\u0000${row.name}`;
	const before = new Map(previous.map((row) => [keyOf(row), row]));
	const now = new Set(current.map(keyOf));
	const rows = [...current, ...previous.filter((row) => !now.has(keyOf(row)))];
	const currencies = [...new Set(rows.map((row) => row.currency))];
	const out: PeriodComparisonRow[] = [];
	for (const currency of currencies) {
		const total = { orders: [0, 0], cents: [0, 0] };
		for (const row of rows) {
			if (row.currency !== currency) continue;
			const key = keyOf(row);
			const was = before.get(key);
			const is = now.has(key) ? row : undefined;
			const figures = [is ?? { orders: 0, revenue: 0 }, was ?? { orders: 0, revenue: 0 }];
			figures.forEach((f, p) => {
				total.orders[p] += f.orders;
				total.cents[p] += Math.round(f.revenue * 100);
			});
			out.push({ name: row.name, currency, orders: change(figures[0].orders, figures[1].orders), revenue: change(figures[0].revenue, figures[1].revenue) });
		}
		out.push({ name: '(all)', currency, orders: change(total.orders[0], total.orders[1]), revenue: change(total.cents[0] / 100, total.cents[1] / 100) });
	}
	return out;
}
