import { dashboardPage, NO_UNATTRIBUTED } from '../../nodes/SalesReport/dashboardPage';
import { cutText, escapeHtml, formatChange, formatCount, formatMoney, formatOrders, formatPercent, formatRatio, htmlText } from '../../nodes/SalesReport/htmlText';
import type { BreakdownRow, Dashboard } from '../../nodes/SalesReport/reportModel';
import { rowsOf, sectionOf } from '../helpers/pageTables';
import { ESCAPED_LOOKING, HOSTILE_NAMES, hostileShopWeek, shopWeek } from '../fixtures/dashboard';

/** The narrow no-break space that groups thousands. */
const S = '\u202f';
const NO_DATA = 'No data for this period';
const SECTIONS = ['key-figures', 'channels', 'campaigns', 'phone', 'customers', 'repeat', 'unattributed', 'comparison'];
/** Every tag the page writes; anything else in it would have come from the data. */
const OWN_TAGS = new Set(['!DOCTYPE', 'html', 'head', 'meta', 'title', 'style', 'body', 'main', 'header', 'h1', 'h2', 'h3', 'dl', 'dt', 'dd', 'div', 'section', 'p', 'figure', 'figcaption', 'svg', 'text', 'rect', 'table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td', 'footer']);

/** Every tag of the page: from each "<" to the next ">". */
function tagsOf(html: string): string[] {
	const tags: string[] = [];
	for (let at = html.indexOf('<'); at !== -1; at = html.indexOf('<', at + 1)) tags.push(html.slice(at, html.indexOf('>', at) + 1));
	return tags;
}

const tagName = (tag: string) => tag.slice(tag.startsWith('</') ? 2 : 1).split(/[\s>]/)[0];

/** Every attribute the page writes. */
const OWN_ATTRIBUTES = new Set(['lang', 'charset', 'http-equiv', 'content', 'name', 'id', 'class', 'scope', 'x', 'y', 'width', 'height', 'rx', 'role', 'aria-label']);

/** The attribute names of the tags, read as a browser does: a name, then a value in double quotes (the page writes no other). */
function attributeNames(tags: string[]): string[] {
	const names: string[] = [];
	for (const tag of tags.filter((candidate) => !candidate.startsWith('<!'))) {
		let at = tag.search(/[\s>]/);
		while (at < tag.length - 1) {
			while (tag[at] === ' ' || tag[at] === '\n') at++;
			const end = tag.slice(at).search(/[\s=>]/) + at;
			if (end > at) names.push(tag.slice(at, end));
			at = tag[end] === '=' && tag[end + 1] === '"' ? tag.indexOf('"', end + 2) + 1 : end + 1;
		}
	}
	return names;
}

function channel(name: string, currency: string, orders: number, revenue: number): BreakdownRow {
	const none = { orders: 0, revenue: 0 };
	const kinds = { call: none, chat: none, form: none, cart: { orders, revenue }, email: none, visit: none };
	return { group: { source: name }, name, currency, orders, revenue, revenueShare: 1, byConvertingKind: kinds, byKindTouched: kinds, phone: none, online: { orders, revenue } };
}

function emptyDashboard(): Dashboard {
	return { ...shopWeek(), channels: [], campaigns: [], customers: [], repeatSales: [], unattributed: [], comparison: [] };
}

describe('htmlText', () => {
	it('escapes the five characters that end text or attributes, and an entity is written as text', () => {
		expect(escapeHtml(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&#39;f');
		expect(escapeHtml('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
		expect(escapeHtml("' onmouseover='x")).toBe('&#39; onmouseover=&#39;x');
		expect(escapeHtml('&lt;')).toBe('&amp;lt;');
		expect(escapeHtml('Рога и копыта')).toBe('Рога и копыта');
	});

	it('cuts a text over 200 characters to 199 and "…", never inside a surrogate pair, before escaping', () => {
		expect(cutText('a'.repeat(200))).toBe('a'.repeat(200));
		expect(cutText('a'.repeat(201))).toBe(`${'a'.repeat(199)}…`);
		// "😀" is two UTF-16 units: at 198-199 the pair would be split by a cut at 199, so it goes whole.
		expect(cutText(`${'a'.repeat(198)}😀${'b'.repeat(10)}`)).toBe(`${'a'.repeat(198)}…`);
		expect(cutText(`${'a'.repeat(197)}😀${'b'.repeat(10)}`)).toBe(`${'a'.repeat(197)}😀…`);
		expect(htmlText(`${'<'.repeat(300)}`)).toBe(`${'&lt;'.repeat(199)}…`);
		expect(cutText('x'.repeat(1_000_000))).toHaveLength(200);
	});

	it('writes money with 2 decimals and U+202F between thousands, rounding half up on the decimal text', () => {
		expect(formatMoney(1_234_567.5)).toBe(`1${S}234${S}567.50`);
		expect(formatMoney(0)).toBe('0.00');
		expect(formatMoney(999)).toBe('999.00');
		expect(formatMoney(1000)).toBe(`1${S}000.00`);
		expect(formatMoney(-1234.5)).toBe(`-1${S}234.50`);
		expect(formatMoney(1.005)).toBe('1.01');
		expect(formatMoney(999.995)).toBe(`1${S}000.00`);
		expect(formatMoney(0.07)).toBe('0.07');
		expect(formatMoney(-0.001)).toBe('0.00');
		expect(formatMoney(1e21)).toBe(`1${S}000${S}000${S}000${S}000${S}000${S}000${S}000.00`);
		expect([formatMoney(null), formatMoney(undefined), formatMoney(NaN), formatMoney(Infinity)]).toEqual(['—', '—', '—', '—']);
	});

	it('writes orders with 1 decimal only when they are fractional, counts whole, ratios with 2 decimals', () => {
		expect([formatOrders(14.5), formatOrders(6), formatOrders(1 / 3), formatOrders(0.1 + 0.2 + 11.7 - 0.000001), formatOrders(1234.25), formatOrders(0.04)]).toEqual(['14.5', '6', '0.3', '12', `1${S}234.3`, '0']);
		expect([formatCount(12_345), formatCount(null)]).toEqual([`12${S}345`, '—']);
		expect([formatRatio(21 / 20), formatRatio(19 / 14), formatRatio(null)]).toEqual(['1.05', '1.36', '—']);
	});

	it('writes shares as percentages with 1 decimal and changes with their sign', () => {
		expect([formatPercent(0.4959959), formatPercent(20.42), formatPercent(1), formatPercent(0), formatPercent(null)]).toEqual(['49.6%', `2${S}042.0%`, '100.0%', '0.0%', '—']);
		expect([formatChange(2.5 / 12), formatChange(-1.5 / 9), formatChange(0), formatChange(-0.00001), formatChange(null)]).toEqual(['+20.8%', '-16.7%', '0.0%', '0.0%', '—']);
	});
});

describe('dashboardPage', () => {
	const html = dashboardPage(shopWeek());

	it('is one self-contained document: a CSP that allows no script or request, a viewport, no script, no link, no URL', () => {
		expect(html.startsWith('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">')).toBe(true);
		expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
		expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
		expect(html.toLowerCase()).not.toMatch(/<script|<link|<img|<iframe|url\(|@import|https?:|\/\/|src=|href=/);
		expect(tagsOf(html).map(tagName).filter((name) => !OWN_TAGS.has(name))).toEqual([]);
		expect(new Set(attributeNames(tagsOf(html)))).toEqual(OWN_ATTRIBUTES);
		for (const id of SECTIONS) expect(sectionOf(html, id)).not.toContain(NO_DATA);
	});

	it('heads the page with the title, the period, the previous period, the model and when it was made', () => {
		expect(html).toContain('<title>Weekly sales report · 2024-03-04 – 2024-03-10</title>');
		expect(html).toContain(
			'<header><h1>Weekly sales report</h1><dl class="meta"><div><dt>Period</dt><dd>2024-03-04 – 2024-03-10</dd></div><div><dt>Previous period</dt><dd>2024-02-26 – 2024-03-03</dd></div>' +
				'<div><dt>Attribution model</dt><dd>Linear</dd></div><div><dt>Generated at</dt><dd>2024-03-11T06:00:00+03:00</dd></div></dl></header>',
		);
	});

	it('shows the key figures of the week: revenue and orders with those without a source, spend, ROMI of the paid channels', () => {
		const cards = [...sectionOf(html, 'key-figures').matchAll(/<div class="label">(.*?)<\/div><div class="value">(.*?)<\/div>(?:<div class="note">(.*?)<\/div>)?/g)].map(([, name, value, note]) => [name, value, note ?? null]);
		expect(cards).toEqual([
			['Revenue, RUB', `1${S}284${S}500.00`, null],
			['Orders', '33', null],
			['Ad spend, RUB', `280${S}000.00`, null],
			// (1 024 558.50 - 280 000) / 280 000 = 2.6591…
			['ROMI', '265.9%', 'revenue of the paid channels against their spend'],
			// 49 932.50 / 1 284 500 = 0.0388…
			['Revenue without a source', '3.9%', `3 orders, 49${S}932.50 RUB`],
		]);
	});

	it('charts revenue by channel, one bar per channel scaled to the largest, and lists each channel with spend, CPO and ROMI', () => {
		const part = sectionOf(html, 'channels');
		// 62 % of the width for 612 340.50; 305 118 / 612 340.50 × 62 = 30.89, 210 009 → 21.26, 107 100 → 10.84.
		expect([...part.matchAll(/<rect [^>]*width="([\d.]+%)"/g)].map(([, width]) => width)).toEqual(['62.00%', '30.89%', '21.26%', '10.84%']);
		expect([...part.matchAll(/<text x="0" y="\d+">(.*?)<\/text>/g)].map(([, name]) => name)).toEqual(['yandex / cpc', 'google / cpc', '(direct) / (none)', 'email / newsletter']);
		expect(part).toContain(`<text class="figure" x="63.50%" y="33">612${S}340.50</text>`);
		expect(rowsOf(part)).toEqual([
			['yandex / cpc', '14.5', `612${S}340.50`, '49.6%', '6', '8.5', `180${S}000.00`, `12${S}413.79`, '240.2%'],
			['google / cpc', '7.5', `305${S}118.00`, '24.7%', '2.5', '5', `95${S}000.00`, `12${S}666.67`, '221.2%'],
			['(direct) / (none)', '6', `210${S}009.00`, '17.0%', '4', '2', '0.00', '0.00', '—'],
			['email / newsletter', '2', `107${S}100.00`, '8.7%', '0', '2', `5${S}000.00`, `2${S}500.00`, `2${S}042.0%`],
		]);
	});

	it('lists the campaigns with one column per level of the drill-down', () => {
		const part = sectionOf(html, 'campaigns');
		expect(part).toContain('<th scope="col">Source</th><th scope="col">Medium</th><th scope="col">Campaign</th>');
		expect(rowsOf(part)).toEqual([
			['yandex', 'cpc', 'brand', '5', `221${S}000.00`, '17.9%', '3', '2', `40${S}000.00`, `8${S}000.00`, '452.5%'],
			['yandex', 'cpc', 'generic-search', '6.5', `280${S}340.50`, '22.7%', '2', '4.5', `110${S}000.00`, `16${S}923.08`, '154.9%'],
			['yandex', 'cpc', 'retargeting', '3', `111${S}000.00`, '9.0%', '1', '2', `30${S}000.00`, `10${S}000.00`, '270.0%'],
			['google', 'cpc', 'pmax', '7.5', `305${S}118.00`, '24.7%', '2.5', '5', `95${S}000.00`, `12${S}666.67`, '221.2%'],
			['(direct)', '(none)', '(none)', '6', `210${S}009.00`, '17.0%', '4', '2', '0.00', '0.00', '—'],
			['email', 'newsletter', 'march-sale', '2', `107${S}100.00`, '8.7%', '0', '2', `5${S}000.00`, `2${S}500.00`, `2${S}042.0%`],
		]);
	});

	it('splits each channel into phone and online orders, with the phone share of its orders', () => {
		expect(rowsOf(sectionOf(html, 'phone'))).toEqual([
			// 6 / 14.5 = 0.4138; 2.5 / 7.5; 4 / 6
			['yandex / cpc', '6', `251${S}000.00`, '8.5', `361${S}340.50`, '41.4%'],
			['google / cpc', '2.5', `98${S}500.00`, '5', `206${S}618.00`, '33.3%'],
			['(direct) / (none)', '4', `150${S}000.00`, '2', `60${S}009.00`, '66.7%'],
			['email / newsletter', '0', '0.00', '2', `107${S}100.00`, '0.0%'],
		]);
	});

	it('shows new, returning, reactivated and lapsed customers, the segment totals marked', () => {
		const part = sectionOf(html, 'customers');
		expect(rowsOf(part)).toEqual([
			['New', '(all)', '20', '21', `839${S}582.00`, '1.05', `41${S}979.10`],
			// 11.5 / 11 = 1.045…; 492 340.50 / 11 = 44 758.227…
			['New', 'yandex / cpc', '11', '11.5', `492${S}340.50`, '1.05', `44${S}758.23`],
			['New', 'google / cpc', '5', '6.5', `268${S}500.00`, '1.30', `53${S}700.00`],
			['Returning', '(all)', '8', '10', `374${S}918.00`, '1.25', `46${S}864.75`],
			['Returning', 'email / newsletter', '2', '2', `107${S}100.00`, '1.00', `53${S}550.00`],
			['Reactivated', '(all)', '2', '2', `70${S}000.00`, '1.00', `35${S}000.00`],
			// 19 / 14 = 1.357…; 655 400 / 14 = 46 814.285…
			['Lapsed', '(all)', '14', '19', `655${S}400.00`, '1.36', `46${S}814.29`],
		]);
		expect((part.match(/<tr class="total">/g) ?? []).length).toBe(4);
	});

	it('shows repeat sales by channel and the orders without a source by reason', () => {
		expect(rowsOf(sectionOf(html, 'repeat'))).toEqual([
			// 120 000 / 612 340.50 = 0.19597; 36 618 / 305 118 = 0.12001; 150 000 / 210 009 = 0.71426
			['yandex / cpc', '14.5', `612${S}340.50`, '3', `120${S}000.00`, '19.6%'],
			['google / cpc', '7.5', `305${S}118.00`, '1', `36${S}618.00`, '12.0%'],
			['(direct) / (none)', '6', `210${S}009.00`, '4', `150${S}000.00`, '71.4%'],
			['email / newsletter', '2', `107${S}100.00`, '2', `107${S}100.00`, '100.0%'],
		]);
		expect(rowsOf(sectionOf(html, 'unattributed'))).toEqual([
			// 2 / 33 = 0.0606, 31 200 / 1 284 500 = 0.0243; 1 / 33 = 0.0303, 18 732.50 / 1 284 500 = 0.01458
			['no touch in the window', '2', `31${S}200.00`, '6.1%', '2.4%'],
			['no contact data', '1', `18${S}732.50`, '3.0%', '1.5%'],
		]);
	});

	it('compares the period with the one before: signed changes, green up, red down, none from zero', () => {
		const part = sectionOf(html, 'comparison');
		expect(rowsOf(part)).toEqual([
			['yandex / cpc', '14.5', '12', '+20.8%', `612${S}340.50`, `540${S}000.00`, '+13.4%'],
			['google / cpc', '7.5', '9', '-16.7%', `305${S}118.00`, `351${S}000.00`, '-13.1%'],
			['(direct) / (none)', '6', '6', '0.0%', `210${S}009.00`, `198${S}500.00`, '+5.8%'],
			['email / newsletter', '2', '0', '—', `107${S}100.00`, '0.00', '—'],
		]);
		expect([...part.matchAll(/<td class="num (up|down)">([^<]*)<\/td>/g)].map(([, tone, text]) => `${tone} ${text}`)).toEqual(['up +20.8%', 'up +13.4%', 'down -16.7%', 'down -13.1%', 'up +5.8%']);
	});

	it('shows hostile names as text only: no tag, attribute or script comes from the data', () => {
		const hostile = dashboardPage(hostileShopWeek());
		expect(hostile.toLowerCase()).not.toMatch(/<script|<img|<\/svg><s|https?:/);
		const tags = tagsOf(hostile);
		expect(tags.map(tagName).filter((name) => !OWN_TAGS.has(name))).toEqual([]);
		// No event handler in any tag: "onerror=" and "onmouseover=" stand only in text, between the tags.
		expect(attributeNames(tags).filter((name) => !OWN_ATTRIBUTES.has(name))).toEqual([]);
		expect(tagsOf(dashboardPage(shopWeek())).length).toBe(tags.length);
		const channels = sectionOf(hostile, 'channels');
		expect([...channels.matchAll(/<text x="0" y="\d+">(.*?)<\/text>/g)].map(([, name]) => name)).toEqual([
			'&lt;img src=x onerror=alert(1)&gt;',
			'&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;',
			'&lt;/svg&gt;&lt;script&gt;alert(2)&lt;/script&gt;',
			'&#39; onmouseover=&#39;x',
		]);
		expect(rowsOf(channels).map((row) => row[0])).toEqual(rowsOf(sectionOf(hostile, 'comparison')).map((row) => row[0]));
		expect(rowsOf(sectionOf(hostile, 'campaigns'))[0].slice(0, 3)).toEqual(['&lt;img src=x onerror=alert(1)&gt;', 'cpc', '&amp;lt;b&amp;gt;sale&amp;lt;/b&amp;gt;']);
		expect(hostile).toContain('<h1>Sales &amp;lt;week&amp;gt; &lt;b&gt;report&lt;/b&gt;</h1>');
		expect(HOSTILE_NAMES.some((name) => hostile.includes(name)) || hostile.includes(ESCAPED_LOOKING)).toBe(false);
		// A currency goes into the chart's aria-label attribute: its quote is escaped there too.
		const dashboard = shopWeek();
		dashboard.channels[0].currency = '" onload="alert(1)';
		const attribute = dashboardPage(dashboard);
		expect(attributeNames(tagsOf(attribute)).filter((name) => !OWN_ATTRIBUTES.has(name))).toEqual([]);
		expect(attribute).toContain('aria-label="Revenue by channel, &quot; onload=&quot;alert(1)"');
	});

	it('cuts a 1 MB name to 200 characters wherever it is shown', () => {
		const dashboard = shopWeek();
		const huge = '<'.repeat(1_000_000);
		dashboard.channels[0].name = huge;
		dashboard.title = huge;
		const page = dashboardPage(dashboard);
		const cut = `${'&lt;'.repeat(199)}…`;
		// The title, the <title>, the bar label, the channel and the phone rows.
		expect(page.split(cut).length - 1).toBe(5);
		expect(page).not.toContain('&lt;'.repeat(200));
		expect(page.length).toBeLessThan(dashboardPage(shopWeek()).length + 5 * cut.length);
	});

	it('writes "—" for missing figures and leaves spend columns out where no row has spend', () => {
		const dashboard = shopWeek();
		dashboard.previousPeriod = null;
		dashboard.channels = [{ ...dashboard.channels[2], revenueShare: null, cpo: null, romi: null }];
		dashboard.campaigns = dashboard.campaigns.map(({ spend: _spend, cpo: _cpo, romi: _romi, ...row }) => row);
		dashboard.customers = [{ ...dashboard.customers[0], customers: 0, ordersPerCustomer: null, revenuePerCustomer: null }];
		const page = dashboardPage(dashboard);
		expect(page).toContain('<dt>Previous period</dt><dd>—</dd>');
		expect(rowsOf(sectionOf(page, 'channels'))).toEqual([['(direct) / (none)', '6', `210${S}009.00`, '—', '4', '2', '0.00', '—', '—']]);
		// Spend 0 only: ROMI of the paid channels has nothing to set against.
		expect(sectionOf(page, 'key-figures')).toContain('<div class="label">ROMI</div><div class="value">—</div>');
		expect(sectionOf(page, 'campaigns')).not.toMatch(/Spend|CPO|ROMI/);
		expect(rowsOf(sectionOf(page, 'campaigns'))[0]).toEqual(['yandex', 'cpc', 'brand', '5', `221${S}000.00`, '17.9%', '3', '2']);
		expect(rowsOf(sectionOf(page, 'customers'))).toEqual([['New', '(all)', '0', '21', `839${S}582.00`, '—', '—']]);
	});

	it('keeps every section of an empty dashboard, each saying there is no data', () => {
		const page = dashboardPage(emptyDashboard());
		for (const id of SECTIONS.filter((section) => section !== 'unattributed')) {
			expect(sectionOf(page, id)).toMatch(new RegExp(`^<section id="${id}"><h2>[^<]+</h2><p class="empty">${NO_DATA}</p>$`));
		}
		// No order without a touch reached the report: it says so, rather than "no data", which would read as 0 %.
		expect(sectionOf(page, 'unattributed')).toBe(`<section id="unattributed"><h2>Orders without a source</h2><p class="empty">${NO_UNATTRIBUTED.replace("'", '&#39;')}</p>`);
		expect(page).not.toMatch(/<table|<svg/);
	});

	it('with channels but no order without a touch, the key figure of revenue without a source is no figure, not 0 %', () => {
		const dashboard = emptyDashboard();
		dashboard.channels = [channel('yandex / cpc', 'RUB', 3, 90_000)];
		const keys = sectionOf(dashboardPage(dashboard), 'key-figures');
		expect(keys).toContain('<div class="label">Revenue without a source</div><div class="value">—</div><div class="note">no order without a touch reached the report</div>');
		expect(keys).not.toContain('0.0%');
	});

	it('shows each currency apart and never adds figures across currencies', () => {
		const dashboard = emptyDashboard();
		dashboard.channels = [channel('yandex / cpc', 'RUB', 3, 90_000), channel('google / cpc', 'UAH', 2, 4_000.5), channel('google / cpc', 'RUB', 1, 10_000)];
		const page = dashboardPage(dashboard);
		const keys = sectionOf(page, 'key-figures');
		expect([...keys.matchAll(/<h3>(.*?)<\/h3>/g)].map(([, name]) => name)).toEqual(['RUB', 'UAH']);
		expect(keys).toContain(`<div class="label">Revenue, RUB</div><div class="value">100${S}000.00</div>`);
		expect(keys).toContain(`<div class="label">Revenue, UAH</div><div class="value">4${S}000.50</div>`);
		expect([...keys.matchAll(/<div class="label">Orders<\/div><div class="value">([^<]*)</g)].map(([, orders]) => orders)).toEqual(['4', '2']);
		// 100 000 + 4 000.50 would be 104 000.50, 6 orders.
		expect(page).not.toContain(`104${S}000.50`);
		expect(page).not.toContain('<div class="value">6</div>');
		const part = sectionOf(page, 'channels');
		expect([...part.matchAll(/<figcaption>(.*?)<\/figcaption>/g)].map(([, name]) => name)).toEqual(['Revenue, RUB', 'Revenue, UAH']);
		// Each chart scales to its own currency's largest bar.
		expect([...part.matchAll(/<rect [^>]*width="([\d.]+%)"/g)].map(([, width]) => width)).toEqual(['62.00%', '6.89%', '62.00%']);
		expect([...part.matchAll(/<caption>(.*?)<\/caption>/g)].map(([, name]) => name)).toEqual(['RUB', 'UAH']);
		expect(rowsOf(part).map((row) => row.slice(0, 3))).toEqual([
			['yandex / cpc', '3', `90${S}000.00`],
			['google / cpc', '1', `10${S}000.00`],
			['google / cpc', '2', `4${S}000.50`],
		]);
	});
});

describe('the dashboard fixture', () => {
	it('adds up: campaigns to channels, phone and online to orders, shares to 1, every order of the week to 33 and 1 284 500.00', () => {
		const week = shopWeek();
		const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
		for (const row of [...week.channels, ...week.campaigns]) expect([row.phone.orders + row.online.orders, row.phone.revenue + row.online.revenue]).toEqual([row.orders, row.revenue]);
		for (const row of week.channels) {
			const campaigns = week.campaigns.filter((campaign) => campaign.name.startsWith(`${row.name} / `));
			expect([sum(campaigns.map((campaign) => campaign.orders)), sum(campaigns.map((campaign) => campaign.revenue)), sum(campaigns.map((campaign) => campaign.spend ?? 0))]).toEqual([row.orders, row.revenue, row.spend]);
		}
		expect(sum(week.channels.map((row) => row.revenueShare ?? 0))).toBeCloseTo(1, 12);
		expect(sum([...week.channels, ...week.unattributed].map((row) => row.orders))).toBe(33);
		expect(sum([...week.channels, ...week.unattributed].map((row) => row.revenue))).toBe(1_284_500);
		const allRows = week.customers.filter((row) => row.channel === '(all)' && row.segment !== 'lapsed');
		expect([sum(allRows.map((row) => row.orders)), sum(allRows.map((row) => row.revenue))]).toEqual([33, 1_284_500]);
	});
});
