import { template, unflatten, type RealN8n } from './realN8n';

/**
 * What several real-n8n suites set up alike: the stand-ins' credentials as n8n imports them, and the lead queue's
 * managers, take-a-lead template and waiting leads.
 */
export const FEED_LOGIN = { user: 'exchange', password: 's3cret-pa55' } as const;
export const AMO_TOKEN = 'amo-l0ng-lived-t0ken';
export const METRICA_TOKEN = 'metrica-0auth-t0ken';

/**
 * The order sync's credentials (ids as the templates name them) against the stand-ins at these URLs; its Google Ads
 * pushes share the daily ad spend's credential (`google`: leave it out where adSpendCredentials brings it).
 */
export function pipelineCredentials(urls: { ga4: string; amo?: string; metrica: string; google?: string }, measurementId: string): object[] {
	return [
		{ id: 'saCrmFeed', name: 'CRM XML Feed', type: 'crmFeedApi', data: { authType: 'basic', ...FEED_LOGIN } },
		{ id: 'saGa4', name: 'GA4 Measurement Protocol', type: 'ga4MeasurementProtocolApi', data: { measurementId, apiSecret: 'ga4-api-s3cret', endpoint: urls.ga4 } },
		...(urls.amo ? [{ id: 'saAmoCrm', name: 'amoCRM', type: 'amoCrmApi', data: { baseUrl: urls.amo, token: AMO_TOKEN } }] : []),
		{ id: 'saMetrica', name: 'Yandex Metrica', type: 'yandexMetricaApi', data: { token: METRICA_TOKEN, apiBase: urls.metrica } },
		...(urls.google ? [googleAdsCredential(urls.google)] : []),
	];
}

export const MANAGERS = Array.from({ length: 20 }, (_, i) => `m${i + 1}@shop.ru`);
const CITIES = ['Москва', 'Новосибирск', 'Омск', 'Казань', 'Иркутск', 'Самара', 'Хабаровск', 'Санкт-Петербург'];

/** The take-a-lead template with MANAGERS as its known managers. */
export function takeLeadTemplate(): Record<string, unknown> {
	const workflow = template('take-lead.json') as { nodes: Array<{ name: string; parameters: Record<string, unknown> }> };
	const take = workflow.nodes.find((node) => node.name === 'Take Next');
	if (!take) throw new Error('the template has no "Take Next" node');
	take.parameters.managers = MANAGERS.join(', ');
	return workflow;
}

/** The i-th site-form lead: a route between two of the cities, this weight, created so many hours ago. */
export function siteLead(i: number, weight: string, hoursAgo: number): Record<string, unknown> {
	return {
		leadId: `L${String(i).padStart(4, '0')}`,
		createdAt: new Date(Date.now() - hoursAgo * 3_600_000).toISOString(),
		from: CITIES[i % CITIES.length],
		to: CITIES[(i * 3 + 1) % CITIES.length],
		weight,
		name: `Client ${i}`,
		phone: `+7 913 ${String(10000000 + i).slice(1)}`,
	};
}

/**
 * The order sync's run lock held `seconds` instead of the template's 30 minutes: a run killed or failed half way
 * keeps the lock until it expires, so a rerun a few seconds later finds it expired, as one 30 minutes later would.
 */
export function shortenRunLock(workflow: Record<string, unknown>, seconds: number): void {
	const claim = (workflow as { nodes: Array<{ name: string; parameters: Record<string, unknown> }> }).nodes.find((node) => node.name === 'Claim Lock');
	if (!claim) throw new Error('the order sync template has no "Claim Lock" node');
	(claim.parameters.columns as { value: Record<string, unknown> }).value.until = `={{ $now.plus({ seconds: ${seconds} }).toMillis() }}`;
}

type Stoppable = { stop(): Promise<void> } | { close(): Promise<void> };

/** Stops the local servers of a suite (feed servers stop, stand-ins close), one after another. */
export async function stopServers(...servers: Stoppable[]): Promise<void> {
	for (const server of servers) await ('stop' in server ? server.stop() : server.close());
}

/** The weekly report template with its Sales Report set to a custom period, as a user reporting on a past month does. */
export function weeklyReportFor(start: string, end: string): Record<string, unknown> {
	const workflow = template('weekly-source-report.json') as { nodes: Array<{ name: string; parameters: Record<string, unknown> }> };
	const report = workflow.nodes.find((node) => node.name === 'Sales Report');
	if (!report) throw new Error('the weekly report template has no "Sales Report" node');
	Object.assign(report.parameters, { period: 'custom', periodStart: start, periodEnd: end });
	return workflow;
}

export const DIRECT_TOKEN = 'direct-0auth-t0ken';
export const GOOGLE_ADS = { accessToken: 'google-access-t0ken', developerToken: 'google-developer-t0ken', customerId: '1234567890' } as const;

/** The Google Ads credential of the templates (the daily ad spend's and the order sync's) against the stand-in at `apiUrl`. */
export function googleAdsCredential(apiUrl: string): object {
	return {
		id: 'saGoogleAds',
		name: 'Sales Analytics Google Ads OAuth2',
		type: 'salesAnalyticsGoogleAdsOAuth2Api',
		data: { clientId: 'ads-client', clientSecret: 'ads-client-s3cret', developerToken: GOOGLE_ADS.developerToken, apiUrl, oauthTokenData: { access_token: GOOGLE_ADS.accessToken, token_type: 'Bearer' } },
	};
}

/** The daily ad spend template's credentials (ids as the template names them) against the stand-ins at these URLs. */
export function adSpendCredentials(urls: { direct: string; google: string }): object[] {
	return [{ id: 'saYandexDirect', name: 'Yandex Direct', type: 'yandexDirectApi', data: { token: DIRECT_TOKEN, apiUrl: urls.direct } }, googleAdsCredential(urls.google)];
}

/** The order sync template's Google Ads conversion action (its placeholder, which the stand-ins' customer GOOGLE_ADS accepts). */
export const ORDER_SYNC_CONVERSION_ACTION = `customers/${GOOGLE_ADS.customerId}/conversionActions/987654321`;

/** The output items of a node in the workflow's newest execution, read from what n8n stored. */
export function lastNodeOutput(n8n: RealN8n, workflowId: string, node: string): Array<Record<string, unknown>> {
	const data = unflatten(n8n.lastExecutionData(workflowId)) as { resultData: { runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }>> } }>> } };
	const runs = data.resultData.runData[node];
	if (!runs) throw new Error(`the last execution of ${workflowId} did not run "${node}"`);
	return runs.flatMap((run) => run.data?.main[0] ?? []).map((item) => item.json);
}

/** The daily ad spend template reading this Google Ads customer (the template's placeholder id otherwise). */
export function adSpendFor(googleCustomerId: string): Record<string, unknown> {
	const workflow = template('daily-ad-spend.json') as { nodes: Array<{ name: string; parameters: Record<string, unknown> }> };
	const google = workflow.nodes.find((node) => node.name === 'Google Ads Costs');
	if (!google) throw new Error('the daily ad spend template has no "Google Ads Costs" node');
	google.parameters.customerId = googleCustomerId;
	return workflow;
}

/** Waits until `done()` holds (polled every 200 ms), or fails naming `what` after `timeoutMs`. */
export async function waitFor(what: string, done: () => boolean, timeoutMs = 240000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!done()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

/** The Bitrix24 incoming webhook the CRM order sync template's credential (id `saBitrix24`) points at: user 1, this code. */
export const BITRIX24_HOOK = { userId: '1', token: 'b24h00kt0ken' } as const;

/** The Bitrix24 credential of the Bitrix24 order sync template against the stand-in at `standinUrl`. */
export function bitrix24Credential(standinUrl: string): object {
	return { id: 'saBitrix24', name: 'Bitrix24', type: 'bitrix24WebhookApi', data: { webhookUrl: `${standinUrl}/rest/${BITRIX24_HOOK.userId}/${BITRIX24_HOOK.token}/` } };
}
