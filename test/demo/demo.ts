/**
 * The main job on bundled sample data: a real n8n with the pack installed, a local stand-in for the CRM export
 * (the real 1C-Bitrix windows-1251 sample plus generated orders), the credentials and the templates imported with
 * n8n's CLI (each template webhook's Header Auth credential too, see RealN8n.importWorkflow); site form and cart
 * submissions posted to the touch intake webhook with that header, then the order sync run through
 * its webhook (revenue pushed to local stand-ins for GA4, Yandex Metrica, amoCRM and Google Ads), and the source report it answers with
 * printed: channels × models with orders, revenue and ROMI. Leaves nothing running.
 */
import { commercemlFeed } from '../fixtures/commercemlFeed';
import { siteTouches, withGoogleClicks } from '../fixtures/touchPayloads';
import { FeedServer } from '../helpers/feedServer';
import { AmoCrmServer } from '../helpers/standins/amocrmServer';
import { Ga4Server } from '../helpers/standins/ga4Server';
import { MetricaServer } from '../helpers/standins/metricaServer';
import { sample } from '../helpers/feeds';
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { packPack, RealN8n, ROOT, template, templateWithFeed, WEBHOOK_TOKEN_HEADER } from '../e2e/realN8n';
import { adSpendCredentials, adSpendFor, DIRECT_TOKEN, GOOGLE_ADS, weeklyReportFor } from '../e2e/setups';
import { GoogleAdsServer } from '../helpers/standins/googleAdsServer';
import { YandexDirectServer } from '../helpers/standins/yandexDirectServer';
import { rowsOf, sectionOf } from '../helpers/pageTables';

/** November 2026, day by day: what the ad cabinets' stand-ins answer the daily ad spend template with. */
const NOVEMBER = Array.from({ length: 30 }, (_, day) => `2026-11-${String(day + 1).padStart(2, '0')}`);
/** Yandex Direct's "Brand" campaign (utm_campaign brand): 8,000.00 a day, 240,000.00 in the month. */
const DIRECT_ROWS = NOVEMBER.map((date) => ({ date, campaignId: '70001', campaignName: 'Brand', impressions: 5000, clicks: 400, costMicros: '8000000000' }));
/** Google Ads' "Search" campaign (utm_campaign search): 6,000.00 a day, 180,000.00 in the month. */
const GOOGLE_ROWS = NOVEMBER.map((date) => ({ date, campaignId: '90001', campaignName: 'Search', costMicros: '6000000000', clicks: 300, impressions: 4000 }));

interface ReportRow {
	report: string;
	model: string;
	channel: string;
	orders: number;
	revenue: number;
	touches: number;
	romi?: number | null;
	hour?: number;
	missedCalls?: number;
}

async function main(): Promise<void> {
	const server = new FeedServer('exchange', 'demo-password');
	await server.start();
	const ga4 = await new Ga4Server().start();
	const amo = await new AmoCrmServer({ token: 'demo-amo-token' }).start();
	const metrica = await new MetricaServer({ token: 'demo-metrica-token' }).start();
	const direct = await new YandexDirectServer({ token: DIRECT_TOKEN, currency: 'RUB', rows: DIRECT_ROWS, queueSteps: 1, retryIn: '1' }).start();
	const google = await new GoogleAdsServer({ ...GOOGLE_ADS, currency: 'RUB', rows: GOOGLE_ROWS }).start();
	const real = sample('bitrix-sale-export_orders_cml205_cp1251.xml').toString('latin1');
	const generated = commercemlFeed({ orders: 600, seed: 3 });
	// One windows-1251 export: the two real Bitrix orders and the generated ones (re-encoded to windows-1251).
	const generatedDocs = generated.xml.slice(generated.xml.indexOf('<Документ>'), generated.xml.lastIndexOf('</КоммерческаяИнформация>'));
	const encode = (text: string) => Buffer.from([...text].map(cp1251Byte));
	const feed = Buffer.concat([Buffer.from(real.slice(0, real.lastIndexOf('</')), 'latin1'), encode(generatedDocs), encode('</КоммерческаяИнформация>\n')]);
	server.feeds.set('/bitrix/admin/1c_exchange.php', feed);

	console.log('Installing the pack into a fresh n8n user folder...');
	const n8n = new RealN8n(packPack());
	try {
		n8n.importCredentials([
			{ id: 'saCrmFeed', name: 'CRM XML Feed', type: 'crmFeedApi', data: { authType: 'basic', user: 'exchange', password: 'demo-password' } },
			{ id: 'saGa4', name: 'GA4 Measurement Protocol', type: 'ga4MeasurementProtocolApi', data: { measurementId: 'G-DEMO1234', apiSecret: 'demo-secret', endpoint: ga4.url } },
			{ id: 'saAmoCrm', name: 'amoCRM', type: 'amoCrmApi', data: { baseUrl: amo.url, token: 'demo-amo-token' } },
			{ id: 'saMetrica', name: 'Yandex Metrica', type: 'yandexMetricaApi', data: { token: 'demo-metrica-token', apiBase: metrica.url } },
			...adSpendCredentials({ direct: direct.url, google: google.url }),
		]);
		const feedUrl = server.url('/bitrix/admin/1c_exchange.php') + '?type=sale&mode=query';
		n8n.importWorkflow(templateWithFeed('crm-order-import.json', feedUrl));
		n8n.importWorkflow(template('touch-intake.json'));
		n8n.importWorkflow(templateWithFeed('order-sync.json', feedUrl));
		// The weekly report's dashboard, for the sample's month (November 2026) instead of last week.
		n8n.importWorkflow(weeklyReportFor('2026-11-01', '2026-11-30'));
		n8n.importWorkflow(adSpendFor(GOOGLE_ADS.customerId));
		for (const id of ['saCrmOrderImport', 'saTouchIntake', 'saDailyAdSpend', 'saOrderSync', 'saWeeklyReport']) n8n.publish(id);
		console.log(`Starting n8n (its webhooks check the ${WEBHOOK_TOKEN_HEADER} header of their Header Auth credentials)...`);
		await n8n.start();

		let started = Date.now();
		// The site auto-tags its Google Ads links: the visits from Google carry a gclid in their landing address.
		const touches = withGoogleClicks(siteTouches(generated.orders, { strangers: 150, seed: 5 }));
		for (let i = 0; i < touches.length; i += 250) {
			const posted = await n8n.callWebhook('touches', touches.slice(i, i + 250));
			if (posted.status !== 200) throw new Error(`touch intake failed: HTTP ${posted.status} ${posted.body}`);
		}
		console.log(`${touches.length} site form and cart submissions through the touch intake webhook in ${((Date.now() - started) / 1000).toFixed(1)} s`);

		started = Date.now();
		const fetched = await n8n.callWebhook('ad-spend', { startDate: NOVEMBER[0], endDate: NOVEMBER[NOVEMBER.length - 1] });
		if (fetched.status !== 200) throw new Error(`the daily ad spend backfill failed: HTTP ${fetched.status} ${fetched.body}`);
		const spendRows = n8n.dataTableRows('ad_spend');
		console.log(`Daily ad spend template, backfilled for November: ${spendRows.length} rows (day × campaign) from the Yandex Direct and Google Ads stand-ins in ${((Date.now() - started) / 1000).toFixed(1)} s, ${spendRows.reduce((sum, row) => sum + Math.round(Number(row.spend) * 100), 0) / 100} RUB in all\n`);

		started = Date.now();
		const run = await n8n.callWebhook('order-sync');
		if (run.status !== 200) throw new Error(`the order sync failed: HTTP ${run.status} ${run.body}`);
		await n8n.waitForExecutions('saOrderSync', 1);
		const stored = n8n.dataTableRows('deals');
		const linked = stored.filter((row) => Number(row.touches) > 0).length;
		const purchases = ga4.received.filter((request) => request.path === '/mp/collect').length;
		const leads = amo.received.filter((request) => request.method === 'PATCH').length;
		const uploads = metrica.received.filter((request) => request.outcome === 200).length;
		console.log(`Order sync (${generated.orders.length + 2} orders: import → statuses → matching → attribution → revenue push) in ${((Date.now() - started) / 1000).toFixed(1)} s: ${linked} orders linked to their touches, ${stored.length - linked} without a touch kept for the report; GA4 stand-in got ${purchases} Measurement Protocol requests, Metrica stand-in ${uploads} uploads (${metrica.conversions.length} offline conversions, ${metrica.orders.size} CRM orders), amoCRM stand-in ${leads} lead updates\n`);
		const conversions = google.taken.filter((row) => row.kind === 'conversion');
		const conversionCents = conversions.reduce((sum, row) => sum + Math.round(row.value * 100), 0);
		console.log(`Google Ads: ${conversions.length} click conversions, value ${(conversionCents / 100).toFixed(2)} RUB (won deals whose touches carry a gclid; the others reported as skipped)\n`);
		printReport(JSON.parse(run.body) as ReportRow[]);
		await printDashboard(n8n);
		console.log(`\nThe n8n user folder is ${n8n.userFolder}; to open the editor on it: N8N_USER_FOLDER=${n8n.userFolder} .cache/n8n-*/node_modules/.bin/n8n start (then http://localhost:5678)`);
	} finally {
		await n8n.stop();
		await server.stop();
		await ga4.close();
		await amo.close();
		await metrica.close();
		await direct.close();
		await google.close();
	}
}

/** Channels × models: orders and revenue each model credits to a channel, and ROMI against the ad spend. */
function printReport(rows: ReportRow[]): void {
	const channelRows = rows.filter((row) => row.report === 'channels');
	const models = [...new Set(channelRows.map((row) => row.model))];
	const channels = [...new Set(channelRows.map((row) => row.channel))];
	const cell = (channel: string, model: string) => channelRows.find((row) => row.channel === channel && row.model === model);
	console.log('Source report, RUB (orders credited · revenue · ROMI) by attribution model\n');
	console.log(`| channel | touches | ${models.join(' | ')} |`);
	console.log(`|---|---:|${models.map(() => '---:').join('|')}|`);
	for (const channel of channels) {
		const cells = models.map((model) => {
			const row = cell(channel, model);
			if (!row) return '';
			const romi = row.romi === null || row.romi === undefined ? '' : ` · ${row.romi >= 0 ? '+' : ''}${Math.round(row.romi * 100)} %`;
			return `${row.orders.toFixed(1)} · ${Math.round(row.revenue).toLocaleString('en-US')}${romi}`;
		});
		console.log(`| ${channel} | ${cell(channel, models[0])?.touches ?? 0} | ${cells.join(' | ')} |`);
	}
}

/** The weekly template's dashboard page for November: written to a file, and its campaign, phone and customer tables printed. */
async function printDashboard(n8n: RealN8n): Promise<void> {
	const answer = await n8n.callWebhook('weekly-report');
	if (answer.status !== 200) throw new Error(`the weekly report failed: HTTP ${answer.status} ${answer.body}`);
	const html = (JSON.parse(answer.body) as { html: string }).html;
	const folder = join(ROOT, '.tmp', 'demo');
	mkdirSync(folder, { recursive: true });
	const file = join(folder, 'sales-report.html');
	writeFileSync(file, html);
	const text = (cell: string) => cell.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\u202f/g, ' ');
	for (const [id, title] of [['campaigns', 'Campaigns (Last Non-Direct): source · medium · campaign · orders · revenue · share · by phone · online · spend · CPO · ROMI'], ['phone', 'Phone vs online: channel · phone orders · phone revenue · online orders · online revenue · phone share'], ['customers', 'New vs returning customers: segment · channel · customers · orders · revenue · orders / customer · revenue / customer']]) {
		const rows = rowsOf(sectionOf(html, id));
		console.log(`\n${title}\n`);
		for (const cells of rows.slice(0, 12)) console.log(`| ${cells.map(text).join(' | ')} |`);
		if (rows.length > 12) console.log(`| … ${rows.length - 12} more rows in the page |`);
	}
	console.log(`\nThe dashboard page (self-contained HTML, open it in a browser): ${file}`);
}

/** windows-1251 byte of one character (Cyrillic, ASCII, and the few marks the generator uses). */
function cp1251Byte(ch: string): number {
	const code = ch.charCodeAt(0);
	if (code < 0x80) return code;
	if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
	const special: Record<string, number> = { Ё: 0xa8, ё: 0xb8, '«': 0xab, '»': 0xbb, '№': 0xb9, '—': 0x97 };
	return special[ch] ?? 0x3f;
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
