/**
 * The main job on bundled sample data: a real n8n with the pack installed, a local stand-in for the CRM export
 * (the real 1C-Bitrix windows-1251 sample plus generated orders), the credential and the order import template
 * imported with n8n's CLI, the template run through its webhook, and a report of what landed in the Data Table.
 * Leaves nothing running.
 */
import { commercemlFeed } from '../fixtures/commercemlFeed';
import { FeedServer } from '../helpers/feedServer';
import { sample } from '../helpers/feeds';
import { orderImportTemplate, packPack, RealN8n } from '../e2e/realN8n';

async function main(): Promise<void> {
	const server = new FeedServer('exchange', 'demo-password');
	await server.start();
	const real = sample('bitrix-sale-export_orders_cml205_cp1251.xml').toString('latin1');
	const generated = commercemlFeed({ orders: 1000, seed: 3 }).xml;
	// One windows-1251 export: the two real Bitrix orders and 1,000 generated ones (re-encoded to windows-1251).
	const generatedDocs = generated.slice(generated.indexOf('<Документ>'), generated.lastIndexOf('</КоммерческаяИнформация>'));
	const encode = (text: string) => Buffer.from([...text].map(cp1251Byte));
	const feed = Buffer.concat([Buffer.from(real.slice(0, real.lastIndexOf('</')), 'latin1'), encode(generatedDocs), encode('</КоммерческаяИнформация>\n')]);
	server.feeds.set('/bitrix/admin/1c_exchange.php', feed);

	console.log('Installing the pack into a fresh n8n user folder...');
	const n8n = new RealN8n(packPack());
	try {
		n8n.importCredentials([{ id: 'saCrmFeed', name: 'CRM XML Feed', type: 'crmFeedApi', data: { authType: 'basic', user: 'exchange', password: 'demo-password' } }]);
		n8n.importWorkflow(orderImportTemplate(server.url('/bitrix/admin/1c_exchange.php') + '?type=sale&mode=query'));
		n8n.publish('saCrmOrderImport');
		console.log('Starting n8n...');
		await n8n.start();
		const started = Date.now();
		const run = await n8n.callWebhook('crm-order-import');
		if (run.status !== 200) throw new Error(`the import failed: HTTP ${run.status} ${run.body}`);
		console.log(`Order import ran in ${((Date.now() - started) / 1000).toFixed(1)} s (webhook → Data Table).`);
		const rows = n8n.dataTableRows('crm_orders');
		const byStage = new Map<string, { orders: number; revenue: number }>();
		const bySource = new Map<string, { orders: number; won: number; revenue: number }>();
		for (const row of rows) {
			const stage = String(row.stage);
			const s = byStage.get(stage) ?? { orders: 0, revenue: 0 };
			s.orders++;
			s.revenue += Number(row.total ?? 0);
			byStage.set(stage, s);
			const source = String(row.utmSource ?? '(none)');
			const t = bySource.get(source) ?? { orders: 0, won: 0, revenue: 0 };
			t.orders++;
			if (stage === 'won') {
				t.won++;
				t.revenue += Number(row.total ?? 0);
			}
			bySource.set(source, t);
		}
		console.log(`\n${rows.length} orders in the crm_orders Data Table\n`);
		console.log('| stage | orders | sum, RUB |\n|---|---:|---:|');
		for (const [stage, s] of [...byStage].sort()) console.log(`| ${stage} | ${s.orders} | ${s.revenue.toFixed(2)} |`);
		console.log('\nSource report (utm_source as the CRM recorded it; touch matching and attribution models come with the next nodes)\n');
		console.log('| source | orders | won | won revenue, RUB | share of won revenue |\n|---|---:|---:|---:|---:|');
		const total = [...bySource.values()].reduce((sum, t) => sum + t.revenue, 0);
		for (const [source, t] of [...bySource].sort((a, b) => b[1].revenue - a[1].revenue)) {
			console.log(`| ${source} | ${t.orders} | ${t.won} | ${t.revenue.toFixed(2)} | ${((100 * t.revenue) / total).toFixed(1)} % |`);
		}
		console.log(`\nThe n8n user folder is ${n8n.userFolder}; to look at it in the editor: N8N_USER_FOLDER=${n8n.userFolder} .cache/n8n-*/node_modules/.bin/n8n start`);
	} finally {
		await n8n.stop();
		await server.stop();
	}
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
