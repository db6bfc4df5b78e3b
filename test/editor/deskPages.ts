import type { Browser, Page } from 'playwright-core';

/** What the lead desk suites share: a manager's browser, a press of the button, the count and the page as opened. */

export const DESKTOP = { width: 1280, height: 800 };

/** A browser context signed in as `credentials` (the browser's own sign-in answers the page's 401), and its page. */
export async function managerPage(browser: Browser, credentials: { username: string; password: string }, viewport = DESKTOP): Promise<Page> {
	const context = await browser.newContext({ viewport, httpCredentials: credentials, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'Europe/Moscow' });
	return await context.newPage();
}

/** Presses "Take a lead" and waits for the page the press answers with. */
export async function press(page: Page): Promise<number> {
	const [response] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
	return response?.status() ?? 0;
}

/** The count of leads waiting the page shows. */
export const waitingOn = async (page: Page) => Number(await page.locator('#waiting strong').textContent());

/** Opens the desk at `url` on each page at once: per page its status, content type, frame option, count and greeting. */
export async function openDesks(pages: Page[], url: string): Promise<Array<[number | undefined, string | undefined, string | undefined, number, string | null]>> {
	const opened = await Promise.all(pages.map(async (page) => await page.goto(url)));
	return await Promise.all(
		pages.map(async (page, i) => {
			const headers = opened[i]?.headers() ?? {};
			return [opened[i]?.status(), headers['content-type'], headers['x-frame-options'], await waitingOn(page), await page.textContent('#manager')] as [number | undefined, string | undefined, string | undefined, number, string | null];
		}),
	);
}
