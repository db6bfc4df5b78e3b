import type { Touch } from '../../nodes/shared/contracts';
import { commercemlFeed } from '../fixtures/commercemlFeed';
import { siteTouches, withGoogleClicks } from '../fixtures/touchPayloads';
import { FeedServer } from '../helpers/feedServer';
import { HAND_TOUCHES, handWorkedFeed } from '../helpers/handWorked';
import { pipelineInProcess } from '../helpers/pipeline';
import { AmoCrmServer } from '../helpers/standins/amocrmServer';
import { Ga4Server } from '../helpers/standins/ga4Server';
import { GoogleAdsServer } from '../helpers/standins/googleAdsServer';
import { MetricaServer } from '../helpers/standins/metricaServer';
import { N8N_VERSION, packPack, RealN8n, template, templateWithFeed } from './realN8n';
import { AMO_TOKEN, FEED_LOGIN, GOOGLE_ADS, lastNodeOutput, METRICA_TOKEN, ORDER_SYNC_CONVERSION_ACTION, pipelineCredentials, shortenRunLock, stopServers, waitFor } from './setups';

/**
 * The order sync template pushing to Google Ads (its stand-in keeps one conversion per order id and conversion action,
 * as Google does, and answers ORDER_ID_ALREADY_IN_USE to another), in one real n8n:
 * the hand-worked orders first (conversions, a run that sends nothing, a restatement and a retraction), then the
 * feed grows by generated orders and n8n is killed while Google holds an upload open; after a restart and a rerun
 * every conversion is at Google exactly once.
 */
const feedServer = new FeedServer(FEED_LOGIN.user, FEED_LOGIN.password);
const ga4 = new Ga4Server();
const amo = new AmoCrmServer({ token: AMO_TOKEN });
const metrica = new MetricaServer({ token: METRICA_TOKEN });
const google = new GoogleAdsServer({ ...GOOGLE_ADS, currency: 'RUB', conversionActions: ['987654321'] });
let n8n: RealN8n;

/**
 * The hand-worked touches (test/helpers/handWorked.ts) as an auto-tagged site posts them, with one more Google visit,
 * of P7 (+7 919 555-66-77) the day before the order 7008 that was cancelled: T02, T05, T08 and G12 come from Google
 * and carry the gclids Cj0KCQiA_T02, Cj0KCQiA_T05, Cj0KCQiA_T08 and Cj0KCQiA_G12.
 */
const TOUCHES = withGoogleClicks([
	...HAND_TOUCHES,
	{ type: 'form', submission_id: 'G12', date: '2026-03-15T13:00:00+03:00', phone: '+7 919 555 66 77', utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'search' },
]);

/** The hand-worked feed with some of its orders changed (by order id) as the CRM would export them later. */
function handFeed(changes: Record<string, (document: string) => string> = {}): string {
	return handWorkedFeed()
		.split('<Документ>')
		.map((document) => {
			const id = /^\s*<Ид>(\d+)<\/Ид>/.exec(document)?.[1];
			return id && changes[id] ? changes[id](document) : document;
		})
		.join('<Документ>');
}

/** A later export: 7004's total raised from 400.00 to 450.00, 7006 cancelled after it was won. */
const CHANGED = { '7004': (document: string) => document.split('400.00').join('450.00'), '7006': (document: string) => document.replace('[F] Выполнен', '[C] Отменен') };

const uploadRequests = (method: string) => google.received.filter((request) => request.path === `/v25/customers/${GOOGLE_ADS.customerId}:${method}`);
/** The order id of every row of every click conversion upload that reached the stand-in, answered or not. */
const attemptedConversions = () => uploadRequests('uploadClickConversions').flatMap((request) => (request.body as { conversions: Array<{ orderId: string }> }).conversions.map((row) => row.orderId));

async function syncOnce(): Promise<void> {
	const runs = n8n.executions('saOrderSync').length;
	const sync = await n8n.callWebhook('order-sync');
	expect([sync.status, sync.status === 200 ? '' : sync.body]).toEqual([200, '']);
	await n8n.waitForExecutions('saOrderSync', runs + 1);
	expect(n8n.executions('saOrderSync')[0].status).toBe('success');
}

beforeAll(async () => {
	for (const server of [feedServer, ga4, amo, metrica, google]) await server.start();
	feedServer.feeds.set('/orders.xml', Buffer.from(handFeed()));
	n8n = new RealN8n(packPack());
	n8n.importCredentials(pipelineCredentials({ ga4: ga4.url, amo: amo.url, metrica: metrica.url, google: google.url }, 'G-GADS1234'));
	n8n.importWorkflow(template('touch-intake.json'));
	const sync = templateWithFeed('order-sync.json', feedServer.url('/orders.xml')) as { nodes: Array<{ name: string; parameters: Record<string, unknown> }> };
	// As a shop with many conversions may set it: ten per request (Google takes up to 2000), so a run makes several.
	for (const node of sync.nodes.filter((candidate) => candidate.parameters.destination === 'googleAds')) node.parameters.googleAdsRowsPerRequest = 10;
	// The killed run keeps the template's run lock until it expires (30 minutes): here it lasts 5 s.
	shortenRunLock(sync, 5);
	n8n.importWorkflow(sync);
	for (const id of ['saTouchIntake', 'saOrderSync']) n8n.publish(id);
	await n8n.start();
}, 300000);

afterAll(async () => {
	await n8n?.stop();
	await stopServers(feedServer, ga4, amo, metrica, google);
});

describe(`Google Ads conversions from the order sync template in real n8n ${N8N_VERSION}`, () => {
	it('uploads one click conversion per won deal with a Google click id, as worked out by hand; reports the others', async () => {
		const intake = await n8n.callWebhook('touches', TOUCHES);
		expect([intake.status, intake.status === 200 ? '' : intake.body]).toEqual([200, '']);
		await syncOnce();

		// Won deals and their touches (the pipeline test's hand-worked links): 7002 <- T02, 7004 <- T05 (T04 is outside
		// the lookback), 7006 <- T06, T07, T08: the latest touch with a click id is T08. 7001 (T01 Yandex), 7003 (T03 VK)
		// and 7007 (T09 VK, T10 direct) have none; 7008 was cancelled. Times: the order's Дата and Время, Moscow time,
		// written in the account's zone (empty in the template: the workflow's, Europe/Moscow, +03:00 all year).
		const [request, ...more] = uploadRequests('uploadClickConversions');
		expect(more).toEqual([]);
		expect(request.body).toEqual({
			conversions: [
				{ gclid: 'Cj0KCQiA_T02', conversionAction: ORDER_SYNC_CONVERSION_ACTION, conversionDateTime: '2026-03-25 12:00:00+03:00', conversionValue: 700, currencyCode: 'RUB', orderId: '7002' },
				{ gclid: 'Cj0KCQiA_T05', conversionAction: ORDER_SYNC_CONVERSION_ACTION, conversionDateTime: '2026-03-20 10:00:00+03:00', conversionValue: 400, currencyCode: 'RUB', orderId: '7004' },
				{ gclid: 'Cj0KCQiA_T08', conversionAction: ORDER_SYNC_CONVERSION_ACTION, conversionDateTime: '2026-03-18 18:00:00+03:00', conversionValue: 1000, currencyCode: 'RUB', orderId: '7006' },
			],
			partialFailure: true,
		});
		expect(google.taken.map((row) => [row.kind, row.orderId, row.value, row.currency])).toEqual([
			['conversion', '7002', 700, 'RUB'],
			['conversion', '7004', 400, 'RUB'],
			['conversion', '7006', 1000, 'RUB'],
		]);
		const noClick = "no Google Ads click id (gclid, gbraid or wbraid) on the deal's touches";
		expect(lastNodeOutput(n8n, 'saOrderSync', 'Push Revenue to Google Ads').map((item) => [item.orderId, item.status, item.reason])).toEqual([
			['7001', 'skipped', noClick],
			['7002', 'sent', null],
			['7003', 'skipped', noClick],
			['7004', 'sent', null],
			['7006', 'sent', null],
			['7007', 'skipped', noClick],
			['7008', 'skipped', 'the deal\'s stage is "lost", not won'],
		]);
		// 7008 was cancelled with a Google click (G12) but never won: nothing to retract, and no request for it.
		expect(lastNodeOutput(n8n, 'saOrderSync', 'Retract Refunds in Google Ads').map((item) => [item.orderId, item.status, item.reason])).toEqual([
			['7008', 'skipped', 'no conversion of this order was uploaded to Google Ads from this workflow: nothing to retract'],
		]);
		expect(uploadRequests('uploadConversionAdjustments')).toEqual([]);
	});

	it('sends nothing when nothing changed', async () => {
		const before = google.received.length;
		await syncOnce();
		expect(google.received).toHaveLength(before);
	});

	it('restates a changed total and retracts a cancelled deal, one adjustment each and nothing else', async () => {
		const [received, taken] = [google.received.length, google.taken.length];
		feedServer.feeds.set('/orders.xml', Buffer.from(handFeed(CHANGED)));
		await syncOnce();
		expect(uploadRequests('uploadClickConversions')).toHaveLength(1);
		expect(google.received.slice(received).map((request) => (request.body as { conversionAdjustments: Array<Record<string, unknown>> }).conversionAdjustments)).toEqual([
			[expect.objectContaining({ orderId: '7004', conversionAction: ORDER_SYNC_CONVERSION_ACTION, adjustmentType: 'RESTATEMENT', restatementValue: { adjustedValue: 450, currencyCode: 'RUB' } })],
			// Dated when the deal was cancelled: the order's own time (the feed has no later one), 2026-03-18 18:00 Moscow time.
			[{ orderId: '7006', conversionAction: ORDER_SYNC_CONVERSION_ACTION, adjustmentDateTime: '2026-03-18 18:00:00+03:00', adjustmentType: 'RETRACTION' }],
		]);
		expect(google.taken.slice(taken).map((row) => [row.kind, row.orderId, row.value])).toEqual([
			['RESTATEMENT', '7004', 450],
			['RETRACTION', '7006', 0],
		]);
		expect([google.conversions.get(`7004 ${ORDER_SYNC_CONVERSION_ACTION}`)?.value, google.conversions.get(`7006 ${ORDER_SYNC_CONVERSION_ACTION}`)?.retracted]).toEqual([450, true]);
		// Run again: the changed versions are recorded, nothing goes out.
		const after = google.received.length;
		await syncOnce();
		expect(google.received).toHaveLength(after);
	});

	it('killed while Google holds an upload open, restarted and rerun: every conversion is at Google exactly once', async () => {
		// The export grows by 400 generated orders (November 2026) and their site visits, the Google ones auto-tagged.
		const generated = commercemlFeed({ orders: 400, seed: 41 });
		const hand = handFeed(CHANGED);
		const feed = hand.slice(0, hand.lastIndexOf('</КоммерческаяИнформация>')) + generated.xml.slice(generated.xml.indexOf('<Документ>') - 2, generated.xml.lastIndexOf('</КоммерческаяИнформация>')) + '</КоммерческаяИнформация>\n';
		feedServer.feeds.set('/orders.xml', Buffer.from(feed));
		const intake = await n8n.callWebhook('touches', withGoogleClicks(siteTouches(generated.orders, { strangers: 20, seed: 9 })));
		expect([intake.status, intake.status === 200 ? '' : intake.body]).toEqual([200, '']);
		// Which won deals have a Google click among their touches comes from the same steps run in process: this proves
		// the plumbing (every one of them reaches Google once), not the figures, which the hand-worked run above checks.
		const storedTouches = n8n.dataTableRows('touches').map((row) => JSON.parse(String(row.touch)) as Touch);
		const expected = await pipelineInProcess(Buffer.from(feed), storedTouches);
		const clicked = expected.match.deals.filter((deal) => deal.stage === 'won' && deal.touches.some((touch) => touch.gclid || touch.gbraid || touch.wbraid)).map((deal) => deal.orderId);
		const fresh = clicked.filter((orderId) => !['7002', '7004'].includes(orderId));
		expect(fresh.length).toBeGreaterThan(30);
		const attemptedBefore = attemptedConversions().length;

		// Google takes the first two requests (ten conversions each), then takes the third but its answer never comes:
		// n8n is killed while the stand-in holds that connection open.
		google.faults.next(2, 'pass').next(1, { kind: 'lostAnswer', after: 'hold' });
		const first = await n8n.callWebhook('order-sync');
		expect(first.status).toBe(200);
		await waitFor('the held Google Ads upload', () => google.received.some((request) => request.answerLost === 'timeout'));
		await n8n.kill();
		const held = uploadRequests('uploadClickConversions').find((request) => request.answerLost === 'timeout');
		const heldIds = (held?.body as { conversions: Array<{ orderId: string }> }).conversions.map((row) => row.orderId);
		expect(heldIds).toHaveLength(10);

		await n8n.start();
		await syncOnce();

		// Accepted: every won deal with a click id once, the hand-worked ones included (7006 retracted, 7004 restated).
		const conversions = google.taken.filter((row) => row.kind === 'conversion').map((row) => row.orderId);
		expect([...conversions].sort()).toEqual([...clicked, '7006'].sort());
		expect(new Set(conversions).size).toBe(conversions.length);
		expect(google.taken.filter((row) => row.kind !== 'conversion').map((row) => [row.kind, row.orderId])).toEqual([
			['RESTATEMENT', '7004'],
			['RETRACTION', '7006'],
		]);
		// Attempted: each new conversion once, except the ten of the request the kill cut. That request reached Google
		// (which took its rows) but n8n never learnt the answer, so nothing recorded them: the rerun sends those ten again,
		// Google answers ORDER_ID_ALREADY_IN_USE and they count as delivered. A cut request can cause that one more
		// attempt of its own rows, never a second conversion (Google keeps one per order id and action), and it cannot
		// make the rerun resend rows of requests answered before the kill: those were journaled as they were answered.
		const attempts = attemptedConversions().slice(attemptedBefore);
		expect([...attempts].sort()).toEqual([...fresh, ...heldIds].sort());
		expect(attempts.filter((orderId) => heldIds.includes(orderId))).toHaveLength(20);
	});
});
