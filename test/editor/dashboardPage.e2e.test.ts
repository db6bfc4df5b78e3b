import { existsSync, mkdirSync } from 'fs';
import { join } from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { dashboardPage } from '../../nodes/SalesReport/dashboardPage';
import type { Dashboard } from '../../nodes/SalesReport/reportModel';
import { ESCAPED_LOOKING, HOSTILE_NAMES, hostileShopWeek, shopWeek } from '../fixtures/dashboard';
import { CHROMIUM, CHROMIUM_ARGS, SHOTS } from './chromium';

/**
 * The Sales Report dashboard page in headless Chromium (no n8n needed): hostile channel names show as text and run
 * nothing, even with the page's Content-Security-Policy taken out; the page asks for nothing over the network; the
 * tables, the chart's bars and the phone layout (no sideways scrolling of the page at 360 px, only of the tables
 * inside it). Saves docs/screenshots/dashboard.png (1280 px wide) and dashboard-phone.png (360 px).
 * Run: npx jest --ci --config test/editor/jest.editor.config.js --runInBand test/editor/dashboardPage.e2e.test.ts
 */
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };
/** Body rows of the fixture's tables: channels 4, campaigns 6, phone vs online 4, customers 7, repeat sales 4, without a source 2, comparison 4. */
const TABLE_ROWS = 31;
const CSP_META = /<meta http-equiv="Content-Security-Policy" content="[^"]*">/;

/** What a page did besides showing itself: dialogs, console messages, errors, requests. */
interface Events {
	dialogs: string[];
	console: string[];
	errors: string[];
	requests: string[];
}

let browser: Browser;

async function open(html: string, viewport: { width: number; height: number }): Promise<{ page: Page; events: Events }> {
	const context = await browser.newContext({ viewport, deviceScaleFactor: 1, colorScheme: 'light', locale: 'en-US', timezoneId: 'Europe/Moscow' });
	const page = await context.newPage();
	const events: Events = { dialogs: [], console: [], errors: [], requests: [] };
	page.on('dialog', (dialog) => {
		events.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
		void dialog.dismiss();
	});
	page.on('console', (message) => events.console.push(`${message.type()}: ${message.text()}`));
	page.on('pageerror', (error) => events.errors.push(error.message));
	page.on('request', (request) => events.requests.push(request.url()));
	await page.setContent(html, { waitUntil: 'load' });
	// Anything the page could start (an image's error handler, a timer) has had its turn by the next frames.
	await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
	return { page, events };
}

/** The page's layout as the browser laid it out. */
async function layout(page: Page) {
	return page.evaluate(() => ({
		pageWidth: document.documentElement.scrollWidth,
		viewportWidth: document.documentElement.clientWidth,
		bodyRows: document.querySelectorAll('tbody tr').length,
		bars: Array.from(document.querySelectorAll('svg.chart')).map((svg) => svg.querySelectorAll('rect').length),
		barWidths: Array.from(document.querySelectorAll('svg.chart rect')).map((rect) => Math.round(rect.getBoundingClientRect().width)),
		scripts: document.querySelectorAll('script, img, iframe, object, embed, link').length,
		/** Tables wider than their wrapper: they scroll inside it. */
		scrollingTables: Array.from(document.querySelectorAll<HTMLElement>('.scroll')).filter((wrapper) => wrapper.scrollWidth > wrapper.clientWidth).length,
		wrappers: document.querySelectorAll('.scroll').length,
		/** Elements that reach past the right edge of the page, besides what scrolls in the table wrappers or is clipped by a chart. */
		overflowing: Array.from(document.querySelectorAll<Element>('body *'))
			.filter((element) => !element.closest('.scroll, svg text') && element.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
			.map((element) => element.tagName),
	}));
}

async function close(page: Page): Promise<void> {
	await page.context().close();
}

const noEvents: Events = { dialogs: [], console: [], errors: [], requests: [] };

beforeAll(async () => {
	if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run scripts/install-chromium.sh`);
	mkdirSync(SHOTS, { recursive: true });
	browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

afterAll(async () => {
	await browser?.close();
});

describe('the dashboard page in Chromium', () => {
	it('shows hostile channel names as text and runs, logs and requests nothing', async () => {
		const { page, events } = await open(dashboardPage(hostileShopWeek()), DESKTOP);
		const text = await page.innerText('body');
		for (const name of [...HOSTILE_NAMES, ESCAPED_LOOKING]) expect([name, text.includes(name)]).toEqual([name, true]);
		expect(await page.textContent('h1')).toBe('Sales &lt;week&gt; <b>report</b>');
		expect(await page.locator('svg.chart text').first().textContent()).toBe('<img src=x onerror=alert(1)>');
		const seen = await layout(page);
		expect([seen.scripts, seen.bodyRows, seen.bars]).toEqual([0, TABLE_ROWS, [4]]);
		expect(events).toEqual(noEvents);
		await close(page);
	});

	it('is safe by its escaping alone: without the Content-Security-Policy the hostile names still run nothing', async () => {
		const html = dashboardPage(hostileShopWeek());
		expect(html).toMatch(CSP_META);
		const { page, events } = await open(html.replace(CSP_META, ''), DESKTOP);
		expect(await page.evaluate(() => document.querySelector('meta[http-equiv]'))).toBeNull();
		expect(events).toEqual(noEvents);
		expect((await layout(page)).scripts).toBe(0);
		await close(page);
	});

	it('lays the week out on a desktop: every table row, one bar per channel scaled to revenue; saves dashboard.png', async () => {
		const { page, events } = await open(dashboardPage(shopWeek()), DESKTOP);
		const seen = await layout(page);
		expect([seen.bodyRows, seen.bars, seen.pageWidth, seen.overflowing, seen.scrollingTables]).toEqual([TABLE_ROWS, [4], seen.viewportWidth, [], 0]);
		expect(seen.pageWidth).toBeLessThanOrEqual(DESKTOP.width);
		// Bars in proportion to 612 340.50 : 305 118 : 210 009 : 107 100 (100 : 49.8 : 34.3 : 17.5), within a pixel of rounding.
		const [top, ...rest] = seen.barWidths;
		expect(rest.map((width) => Math.round((1000 * width) / top) / 10)).toEqual([expect.closeTo(49.8, 0), expect.closeTo(34.3, 0), expect.closeTo(17.5, 0)]);
		expect(await page.locator('#comparison td.up').first().evaluate((cell) => getComputedStyle(cell).color)).toBe('rgb(26, 127, 55)');
		expect(await page.locator('#comparison td.down').first().evaluate((cell) => getComputedStyle(cell).color)).toBe('rgb(198, 40, 40)');
		await page.screenshot({ path: join(SHOTS, 'dashboard.png'), fullPage: true });
		expect(events).toEqual(noEvents);
		await close(page);
	});

	it('fits a 360 px phone: the page does not scroll sideways, the wide tables scroll in their wrappers; saves dashboard-phone.png', async () => {
		const { page, events } = await open(dashboardPage(shopWeek()), PHONE);
		const seen = await layout(page);
		expect([seen.pageWidth, seen.overflowing, seen.bodyRows]).toEqual([seen.viewportWidth, [], TABLE_ROWS]);
		expect(seen.pageWidth).toBeLessThanOrEqual(PHONE.width);
		expect(seen.scrollingTables).toBeGreaterThan(0);
		await page.screenshot({ path: join(SHOTS, 'dashboard-phone.png'), fullPage: true });
		expect(events).toEqual(noEvents);
		await close(page);
	});

	it('fits a 360 px phone with a 1 MB unbroken name in the title and a channel', async () => {
		const dashboard: Dashboard = shopWeek();
		const huge = 'W'.repeat(1_000_000);
		dashboard.title = huge;
		dashboard.channels[0].name = huge;
		dashboard.customers[1].channel = huge;
		const { page, events } = await open(dashboardPage(dashboard), PHONE);
		const seen = await layout(page);
		expect([seen.pageWidth, seen.overflowing]).toEqual([seen.viewportWidth, []]);
		expect(seen.pageWidth).toBeLessThanOrEqual(PHONE.width);
		expect(await page.textContent('h1')).toBe(`${'W'.repeat(199)}…`);
		expect(events).toEqual(noEvents);
		await close(page);
	});
});
