import { pageHead } from '../shared/html';
import { toCents } from '../shared/money';
import { formatChange, formatCount, formatMoney, formatOrders, formatPercent, formatRatio, htmlText, NO_VALUE } from './htmlText';
import type {
	BreakdownRow,
	CustomerSegment,
	CustomerSegmentRow,
	Dashboard,
	PeriodComparisonRow,
	RepeatSalesRow,
	UnattributedRow,
	UtmLevel,
} from './reportModel';

/**
 * The dashboard as one self-contained HTML document: inline CSS, no script, no request of any kind (a
 * Content-Security-Policy that allows nothing else backs that up), a bar chart drawn here as inline SVG. Every text
 * from the data goes through `htmlText` (cut to 200 characters, escaped), every number through the formatters of
 * htmlText.ts. Figures of each currency are shown apart, never added across currencies.
 */

const NO_DATA = 'No data for this period';
/**
 * Said where orders without a source would be when none reached the report: the report cannot tell "none" from "not
 * connected", so it claims neither a 0 % nor a figure.
 */
export const NO_UNATTRIBUTED = "No order without a touch reached this report: connect the Order Matcher's second output (Orders Without Touch) to its second input to see them.";

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1d2329;background:#f3f5f7}
main{max-width:1180px;margin:0 auto;padding:8px}
header,section{background:#fff;border:1px solid #dce2e7;border-radius:8px;padding:12px;margin:0 0 12px;min-width:0}
h1{font-size:1.4rem;line-height:1.25;margin:0 0 10px;overflow-wrap:anywhere}
h2{font-size:1.1rem;margin:0 0 10px}
h3,caption,figcaption{font-size:.85rem;font-weight:600;color:#56606b;text-align:left;margin:0 0 6px;overflow-wrap:anywhere}
h3{margin-top:12px}
.meta{display:flex;flex-wrap:wrap;gap:6px 28px;margin:0}
.meta div{min-width:0}
.meta dt{font-size:.8rem;color:#56606b}
.meta dd{margin:0;overflow-wrap:anywhere}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,190px),1fr));gap:10px}
.card{border:1px solid #dce2e7;border-radius:6px;padding:10px 12px;min-width:0}
.card .label,.card .note{font-size:.8rem;color:#56606b;overflow-wrap:anywhere}
.card .value{font-size:1.35rem;font-weight:600;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
.scroll{overflow-x:auto;margin:0 0 14px}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
caption{padding:0 0 6px}
th,td{padding:6px 10px;border-bottom:1px solid #e5e9ed;text-align:left;vertical-align:top}
th{font-size:.8rem;color:#56606b;font-weight:600}
td{min-width:7em;max-width:26em;overflow-wrap:anywhere}
th:first-child,td:first-child{position:sticky;left:0;min-width:9.5em;background:#fff;box-shadow:inset -1px 0 0 #e5e9ed}
th.num,td.num{text-align:right;min-width:0}
th.num{min-width:5.5em}
td.num{white-space:nowrap}
tr.total td{font-weight:600;background:#f7f9fa}
.up{color:#1a7f37}
.down{color:#c62828}
.empty{color:#56606b;margin:0}
figure{margin:0 0 10px}
.chart{display:block;max-width:760px}
.chart rect{fill:#2f6f8f}
.chart text{font-size:13px;fill:#1d2329}
.chart text.figure{fill:#56606b;font-variant-numeric:tabular-nums}
footer{color:#56606b;font-size:.8rem;padding:0 4px 12px}
@media (min-width:720px){main{padding:20px}header,section{padding:18px 20px;margin-bottom:16px}h1{font-size:1.7rem}}
`;

/** One table column: its header and the plain text of its cell in a row (the table escapes both). */
interface Column<Row> {
	header: string;
	cell: (row: Row) => string;
	/** A figure: right-aligned, never wrapped. */
	figure?: boolean;
	/** A class for the cell from its text (the colour of a change). */
	tone?: (text: string) => string | undefined;
}

const SEGMENT_NAMES: Record<CustomerSegment, string> = { new: 'New', returning: 'Returning', reactivated: 'Reactivated', lapsed: 'Lapsed' };

const LEVEL_NAMES: Record<UtmLevel, string> = { source: 'Source', medium: 'Medium', campaign: 'Campaign', content: 'Content', term: 'Term' };

/** The part of the chart's width the longest bar takes (its figure goes after it), in %. */
const BAR_SPAN = 62;
/** Height of one channel in the chart (its name above its bar), in px. */
const BAR_ROW = 44;

const label = (currency: string | null) => currency ?? 'no currency';

const textColumn = <Row>(header: string, cell: (row: Row) => string): Column<Row> => ({ header, cell });

const figureColumn = <Row>(header: string, cell: (row: Row) => string, tone?: (text: string) => string | undefined): Column<Row> => ({
	header,
	cell,
	figure: true,
	tone,
});

/** Green for a rise, red for a fall, by the sign the change is written with. */
const changeTone = (text: string) => (text.startsWith('+') ? 'up' : text.startsWith('-') ? 'down' : undefined);

/** The rows of each currency, currencies in the order they first come. */
function byCurrency<Row extends { currency: string | null }>(rows: readonly Row[]): Array<[string | null, Row[]]> {
	const groups = new Map<string | null, Row[]>();
	for (const row of rows) {
		const group = groups.get(row.currency);
		if (group) group.push(row);
		else groups.set(row.currency, [row]);
	}
	return [...groups];
}

function table<Row>(caption: string, columns: ReadonlyArray<Column<Row>>, rows: readonly Row[], rowClass?: (row: Row) => string | undefined): string {
	const head = columns.map((column) => `<th scope="col"${column.figure ? ' class="num"' : ''}>${htmlText(column.header)}</th>`).join('');
	const body = rows
		.map((row) => {
			const cells = columns.map((column) => {
				const text = column.cell(row);
				const classes = [column.figure ? 'num' : undefined, column.tone?.(text)].filter((name) => name !== undefined);
				return `<td${classes.length ? ` class="${classes.join(' ')}"` : ''}>${htmlText(text)}</td>`;
			});
			const className = rowClass?.(row);
			return `<tr${className ? ` class="${className}"` : ''}>${cells.join('')}</tr>`;
		})
		.join('');
	return `<div class="scroll"><table><caption>${htmlText(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** One table per currency, captioned with it; '' without rows. */
function currencyTables<Row extends { currency: string | null }>(
	rows: readonly Row[],
	columns: (currency: string, rows: readonly Row[]) => ReadonlyArray<Column<Row>>,
	rowClass?: (row: Row) => string | undefined,
): string {
	return byCurrency(rows)
		.map(([currency, group]) => table(label(currency), columns(label(currency), group), group, rowClass))
		.join('');
}

function section(id: string, title: string, body: string): string {
	return `<section id="${id}"><h2>${htmlText(title)}</h2>${body === '' ? `<p class="empty">${NO_DATA}</p>` : body}</section>`;
}

/** The figures of a drill-down row after its name: orders, revenue, share, phone and online orders, and spend, CPO, ROMI when the rows have spend. */
function breakdownFigures(currency: string, rows: readonly BreakdownRow[]): Array<Column<BreakdownRow>> {
	const columns = [
		figureColumn<BreakdownRow>('Orders', (row) => formatOrders(row.orders)),
		figureColumn<BreakdownRow>(`Revenue, ${currency}`, (row) => formatMoney(row.revenue)),
		figureColumn<BreakdownRow>('Share of revenue', (row) => formatPercent(row.revenueShare)),
		figureColumn<BreakdownRow>('Phone orders', (row) => formatOrders(row.phone.orders)),
		figureColumn<BreakdownRow>('Online orders', (row) => formatOrders(row.online.orders)),
	];
	if (!rows.some((row) => row.spend !== undefined)) return columns;
	return [
		...columns,
		figureColumn<BreakdownRow>(`Spend, ${currency}`, (row) => formatMoney(row.spend)),
		figureColumn<BreakdownRow>(`CPO, ${currency}`, (row) => formatMoney(row.cpo)),
		figureColumn<BreakdownRow>('ROMI', (row) => formatPercent(row.romi)),
	];
}

/** Horizontal bars of revenue, one per row, longest for the largest revenue; each bar's name above it, its figure after it. */
function revenueChart(rows: readonly BreakdownRow[], currency: string): string {
	const top = rows.reduce((max, row) => Math.max(max, row.revenue), 0);
	const bars = rows.map((row, index) => {
		const y = index * BAR_ROW;
		const width = top > 0 && row.revenue > 0 ? (BAR_SPAN * row.revenue) / top : 0;
		return (
			`<text x="0" y="${y + 14}">${htmlText(row.name)}</text>` +
			`<rect x="0" y="${y + 20}" width="${width.toFixed(2)}%" height="16" rx="2"></rect>` +
			`<text class="figure" x="${(width + 1.5).toFixed(2)}%" y="${y + 33}">${htmlText(formatMoney(row.revenue))}</text>`
		);
	});
	const caption = htmlText(`Revenue, ${currency}`);
	const description = htmlText(`Revenue by channel, ${currency}`);
	return `<figure><figcaption>${caption}</figcaption><svg class="chart" width="100%" height="${rows.length * BAR_ROW}" role="img" aria-label="${description}">${bars.join('')}</svg></figure>`;
}

function channelsSection(channels: readonly BreakdownRow[]): string {
	const body = byCurrency(channels)
		.map(([currency, rows]) => {
			const name = label(currency);
			return revenueChart(rows, name) + table(name, [textColumn<BreakdownRow>('Channel', (row) => row.name), ...breakdownFigures(name, rows)], rows);
		})
		.join('');
	return section('channels', 'Revenue by channel', body);
}

function campaignsSection(campaigns: readonly BreakdownRow[], levels: readonly UtmLevel[]): string {
	const levelColumns = levels.map((level) => textColumn<BreakdownRow>(LEVEL_NAMES[level] ?? level, (row) => row.group[level] ?? NO_VALUE));
	const columns = levelColumns.length ? levelColumns : [textColumn<BreakdownRow>('Campaign', (row) => row.name)];
	return section('campaigns', 'Campaigns', currencyTables(campaigns, (currency, rows) => [...columns, ...breakdownFigures(currency, rows)]));
}

/** The phone part of a row's orders; null without orders. */
function phoneShare(row: BreakdownRow): number | null {
	const orders = row.phone.orders + row.online.orders;
	return orders > 0 ? row.phone.orders / orders : null;
}

function phoneSection(channels: readonly BreakdownRow[]): string {
	const columns = (currency: string) => [
		textColumn<BreakdownRow>('Channel', (row) => row.name),
		figureColumn<BreakdownRow>('Phone orders', (row) => formatOrders(row.phone.orders)),
		figureColumn<BreakdownRow>(`Phone revenue, ${currency}`, (row) => formatMoney(row.phone.revenue)),
		figureColumn<BreakdownRow>('Online orders', (row) => formatOrders(row.online.orders)),
		figureColumn<BreakdownRow>(`Online revenue, ${currency}`, (row) => formatMoney(row.online.revenue)),
		figureColumn<BreakdownRow>('Phone share of orders', (row) => formatPercent(phoneShare(row))),
	];
	return section('phone', 'Phone vs online', currencyTables(channels, columns));
}

function customersSection(rows: readonly CustomerSegmentRow[]): string {
	const columns = (currency: string) => [
		textColumn<CustomerSegmentRow>('Segment', (row) => SEGMENT_NAMES[row.segment] ?? row.segment),
		textColumn<CustomerSegmentRow>('Channel', (row) => row.channel),
		figureColumn<CustomerSegmentRow>('Customers', (row) => formatCount(row.customers)),
		figureColumn<CustomerSegmentRow>('Orders', (row) => formatOrders(row.orders)),
		figureColumn<CustomerSegmentRow>(`Revenue, ${currency}`, (row) => formatMoney(row.revenue)),
		figureColumn<CustomerSegmentRow>('Orders per customer', (row) => formatRatio(row.ordersPerCustomer)),
		figureColumn<CustomerSegmentRow>(`Revenue per customer, ${currency}`, (row) => formatMoney(row.revenuePerCustomer)),
	];
	return section('customers', 'New vs returning customers', currencyTables(rows, columns, (row) => (row.channel === '(all)' ? 'total' : undefined)));
}

function repeatSection(rows: readonly RepeatSalesRow[]): string {
	const columns = (currency: string) => [
		textColumn<RepeatSalesRow>('Channel', (row) => row.channel),
		figureColumn<RepeatSalesRow>('Orders', (row) => formatOrders(row.orders)),
		figureColumn<RepeatSalesRow>(`Revenue, ${currency}`, (row) => formatMoney(row.revenue)),
		figureColumn<RepeatSalesRow>('Repeat orders', (row) => formatOrders(row.repeatOrders)),
		figureColumn<RepeatSalesRow>(`Repeat revenue, ${currency}`, (row) => formatMoney(row.repeatRevenue)),
		figureColumn<RepeatSalesRow>('Repeat share of revenue', (row) => formatPercent(row.repeatRevenueShare)),
	];
	return section('repeat', 'Repeat sales by channel', currencyTables(rows, columns));
}

function unattributedSection(rows: readonly UnattributedRow[]): string {
	const columns = (currency: string) => [
		textColumn<UnattributedRow>('Reason', (row) => row.reason),
		figureColumn<UnattributedRow>('Orders', (row) => formatOrders(row.orders)),
		figureColumn<UnattributedRow>(`Revenue, ${currency}`, (row) => formatMoney(row.revenue)),
		figureColumn<UnattributedRow>('Share of all orders', (row) => formatPercent(row.orderShare)),
		figureColumn<UnattributedRow>('Share of all revenue', (row) => formatPercent(row.revenueShare)),
	];
	const tables = currencyTables(rows, columns);
	return section('unattributed', 'Orders without a source', tables === '' ? `<p class="empty">${htmlText(NO_UNATTRIBUTED)}</p>` : tables);
}

function comparisonSection(rows: readonly PeriodComparisonRow[]): string {
	const columns = (currency: string) => [
		textColumn<PeriodComparisonRow>('Channel', (row) => row.name),
		figureColumn<PeriodComparisonRow>('Orders', (row) => formatOrders(row.orders.current)),
		figureColumn<PeriodComparisonRow>('Orders before', (row) => formatOrders(row.orders.previous)),
		figureColumn<PeriodComparisonRow>('Change', (row) => formatChange(row.orders.change), changeTone),
		figureColumn<PeriodComparisonRow>(`Revenue, ${currency}`, (row) => formatMoney(row.revenue.current)),
		figureColumn<PeriodComparisonRow>(`Revenue before, ${currency}`, (row) => formatMoney(row.revenue.previous)),
		figureColumn<PeriodComparisonRow>('Change', (row) => formatChange(row.revenue.change), changeTone),
	];
	return section('comparison', 'This period vs previous', currencyTables(rows, columns));
}

/** The totals of one currency, money in whole cents so that adding never drifts. */
interface CurrencyTotals {
	orders: number;
	revenue: number;
	unattributedOrders: number;
	unattributedRevenue: number;
	/** Spend of the channels that have a spend figure; null when none has. */
	spend: number | null;
	/** Revenue of the channels that cost something: what ROMI sets against the spend. */
	paidRevenue: number;
}

/**
 * Totals per currency. The channels are the whole attributed breakdown and the orders without a source the rest, so
 * together they are every order of the period in that currency.
 */
function currencyTotals(dashboard: Dashboard): Array<[string | null, CurrencyTotals]> {
	const totals = new Map<string | null, CurrencyTotals>();
	const of = (currency: string | null): CurrencyTotals => {
		let found = totals.get(currency);
		if (!found) {
			found = { orders: 0, revenue: 0, unattributedOrders: 0, unattributedRevenue: 0, spend: null, paidRevenue: 0 };
			totals.set(currency, found);
		}
		return found;
	};
	for (const row of dashboard.channels) {
		const total = of(row.currency);
		total.orders += row.orders;
		total.revenue += toCents(row.revenue);
		if (row.spend === undefined) continue;
		total.spend = (total.spend ?? 0) + toCents(row.spend);
		if (row.spend > 0) total.paidRevenue += toCents(row.revenue);
	}
	for (const row of dashboard.unattributed) {
		const total = of(row.currency);
		total.orders += row.orders;
		total.revenue += toCents(row.revenue);
		total.unattributedOrders += row.orders;
		total.unattributedRevenue += toCents(row.revenue);
	}
	return [...totals];
}

function card(title: string, value: string, note?: string): string {
	return `<div class="card"><div class="label">${htmlText(title)}</div><div class="value">${htmlText(value)}</div>${note === undefined ? '' : `<div class="note">${htmlText(note)}</div>`}</div>`;
}

function keyFiguresSection(dashboard: Dashboard): string {
	const body = currencyTotals(dashboard)
		.map(([currency, total]) => {
			const name = label(currency);
			const cards = [card(`Revenue, ${name}`, formatMoney(total.revenue / 100)), card('Orders', formatOrders(total.orders))];
			if (total.spend !== null) {
				const romi = total.spend > 0 ? (total.paidRevenue - total.spend) / total.spend : null;
				cards.push(card(`Ad spend, ${name}`, formatMoney(total.spend / 100)), card('ROMI', formatPercent(romi), 'revenue of the paid channels against their spend'));
			}
			if (dashboard.unattributed.length === 0) {
				cards.push(card('Revenue without a source', formatPercent(null), 'no order without a touch reached the report'));
			} else {
				const unattributedShare = total.revenue !== 0 ? total.unattributedRevenue / total.revenue : null;
				const note = `${formatOrders(total.unattributedOrders)} ${total.unattributedOrders === 1 ? 'order' : 'orders'}, ${formatMoney(total.unattributedRevenue / 100)} ${name}`;
				cards.push(card('Revenue without a source', formatPercent(unattributedShare), note));
			}
			return `<h3>${htmlText(name)}</h3><div class="cards">${cards.join('')}</div>`;
		})
		.join('');
	return section('key-figures', 'Key figures', body);
}

function header(dashboard: Dashboard): string {
	const range = (period: { start: string; end: string } | null) => (period ? `${htmlText(period.start)} – ${htmlText(period.end)}` : NO_VALUE);
	const facts: Array<[string, string]> = [
		['Period', range(dashboard.period)],
		['Previous period', range(dashboard.previousPeriod)],
		['Attribution model', htmlText(dashboard.model)],
		['Generated at', htmlText(dashboard.generatedAt)],
	];
	const list = facts.map(([term, value]) => `<div><dt>${term}</dt><dd>${value}</dd></div>`).join('');
	return `<header><h1>${htmlText(dashboard.title)}</h1><dl class="meta">${list}</dl></header>`;
}

/** The dashboard page: one HTML document, nothing to load besides. */
export function dashboardPage(dashboard: Dashboard): string {
	return [
		...pageHead(CSP, `${htmlText(dashboard.title)} · ${htmlText(dashboard.period.start)} – ${htmlText(dashboard.period.end)}`, STYLE),
		header(dashboard),
		keyFiguresSection(dashboard),
		channelsSection(dashboard.channels),
		campaignsSection(dashboard.campaigns, dashboard.levels),
		phoneSection(dashboard.channels),
		customersSection(dashboard.customers),
		repeatSection(dashboard.repeatSales),
		unattributedSection(dashboard.unattributed),
		comparisonSection(dashboard.comparison),
		'<footer>Orders are fractional where the attribution model splits an order between channels. ' +
			'Each currency is shown apart: figures are never added across currencies.</footer>',
		'</main></body></html>',
	].join('\n');
}
