import { existsSync, mkdirSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { N8N_VERSION, packPack, RealN8n, ROOT, template } from '../e2e/realN8n';
import { CHROMIUM, CHROMIUM_ARGS, SHOTS } from './chromium';

/**
 * The editor test: the real n8n editor (the pinned n8n, the packed pack installed as a community package) in headless
 * Chromium — Debian's `chromium` (scripts/install-chromium.sh) driven by playwright-core through its executable path,
 * no browser download. Every template of workflows/ is opened; the canvas is saved as docs/screenshots/<template>.png,
 * and each pack node's parameter panel as docs/screenshots/node-<type>.png. It fails when a node shows as unknown
 * ("?" icon, "Install this node to use it") or a pack node's icon is missing or does not load.
 *
 * Needs a built pack (npm run build) and n8n in .cache/ (scripts/install-n8n.sh). EDITOR_SCREENSHOTS_DIR writes the
 * PNGs elsewhere; CHROMIUM_PATH picks another Chromium.
 */
const PACK = 'n8n-nodes-sales-analytics';
const VIEWPORT = { width: 1400, height: 900 };
const OWNER = { email: 'editor@example.com', firstName: 'Editor', lastName: 'Test', password: 'Editor-Test-2026' };

/** Which node's panel is saved for each pack node type (a type missing here: its first node in the templates). */
const PANELS: Record<string, { file: string; node: string }> = {
	crmXmlImport: { file: 'crm-order-import.json', node: 'Import Orders' },
	crmStatusMap: { file: 'crm-order-import.json', node: 'Map Statuses' },
	orderMatcher: { file: 'order-sync.json', node: 'Match Orders' },
	attribution: { file: 'order-sync.json', node: 'Attribute Revenue' },
	revenuePush: { file: 'order-sync.json', node: 'Push Revenue to GA4' },
	touchpoint: { file: 'touch-intake.json', node: 'Touchpoint' },
	leadQueue: { file: 'lead-intake.json', node: 'Qualify' },
	salesReport: { file: 'weekly-source-report.json', node: 'Sales Report' },
};

/** Placeholder secrets for the credentials the templates refer to (the editor only needs them to exist). */
const CREDENTIAL_DATA: Record<string, Record<string, unknown>> = {
	crmFeedApi: { authType: 'basic', user: 'exchange', password: 'editor-test' },
	ga4MeasurementProtocolApi: { measurementId: 'G-EDITOR123', apiSecret: 'editor-test' },
	amoCrmApi: { baseUrl: 'https://example.amocrm.ru', token: 'editor-test' },
	yandexMetricaApi: { token: 'editor-test' },
	httpHeaderAuth: { name: 'X-Lead-Key', value: 'editor-test' },
	salesAnalyticsLeadDeskApi: { managerPasswords: 'editor@shop.ru: editor-test' },
};

interface TemplateNode {
	name: string;
	type: string;
	credentials?: Record<string, { id: string; name: string }>;
}
interface Template {
	id: string;
	name: string;
	nodes: TemplateNode[];
	connections: Record<string, Record<string, Array<Array<{ node: string }> | null>>>;
}

/** What a node on the canvas shows, read from the DOM. */
interface CanvasNode {
	name: string;
	type: string;
	text: string;
	/** n8n draws a "?" in place of the icon of a node type it does not know. */
	placeholderIcon: boolean;
	/** The "not installed" badge n8n puts on a community node whose package is missing. */
	notInstalledBadge: boolean;
	img: { src: string; complete: boolean; naturalWidth: number } | null;
	svgIcon: boolean;
	inView: boolean;
}

interface NodeTypeDescription {
	name: string;
	displayName: string;
	properties: Array<{ displayName: string; name: string; type: string; displayOptions?: unknown }>;
	credentials?: Array<{ name: string; displayOptions?: { show?: Record<string, unknown> } }>;
}

const templateFiles = readdirSync(join(ROOT, 'workflows'))
	.filter((file) => file.endsWith('.json'))
	.sort();
const templates = new Map(templateFiles.map((file) => [file, template(file) as unknown as Template]));
const shortType = (type: string) => type.slice(PACK.length + 1);
const isPackType = (type: string) => type.startsWith(`${PACK}.`);
const isSticky = (node: TemplateNode) => node.type === 'n8n-nodes-base.stickyNote';
const nodeSelector = (name: string) => `[data-test-id="canvas-node"][data-node-name=${JSON.stringify(name)}]`;

/** The pack node types whose panel is saved from `file`, with the node to open. */
function panelsIn(file: string): Array<{ type: string; node: string }> {
	const types = new Set([...templates.values()].flatMap((workflow) => workflow.nodes.filter((node) => isPackType(node.type)).map((node) => shortType(node.type))));
	const chosen: Array<{ type: string; node: string }> = [];
	for (const type of types) {
		const preferred = PANELS[type];
		const preferredOk = preferred && templates.get(preferred.file)?.nodes.some((node) => node.name === preferred.node && shortType(node.type) === type);
		let pick = preferredOk ? preferred : undefined;
		if (!pick) {
			for (const [other, workflow] of templates) {
				const node = workflow.nodes.find((candidate) => isPackType(candidate.type) && shortType(candidate.type) === type);
				if (node) {
					pick = { file: other, node: node.name };
					break;
				}
			}
		}
		if (pick?.file === file) chosen.push({ type, node: pick.node });
	}
	return chosen;
}

function connectionCount(workflow: Template): number {
	let count = 0;
	for (const outputs of Object.values(workflow.connections))
		for (const branches of Object.values(outputs)) for (const branch of branches) count += branch?.length ?? 0;
	return count;
}

let n8n: RealN8n;
let browser: Browser;
let page: Page;
let base = '';
let packTypes: NodeTypeDescription[] = [];
const pageErrors: string[] = [];
const panelsSaved = new Set<string>();

async function openCanvas(workflow: Template): Promise<CanvasNode[]> {
	await page.goto(`${base}/workflow/${workflow.id}`, { waitUntil: 'domcontentloaded' });
	const expected = workflow.nodes.filter((node) => !isSticky(node)).length;
	await page.waitForFunction((count) => document.querySelectorAll('[data-test-id="canvas-node"]').length >= count, expected, { timeout: 120000 });
	// Icons are <img> (pack nodes) or inline <svg> (n8n's own): wait until every <img> on the canvas has settled.
	await page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLImageElement>('[data-test-id="canvas-node"] .n8n-node-icon img')).every((img) => img.complete), undefined, { timeout: 60000 });
	await frame();
	return readCanvas();
}

/** Where a node's name label is covered by the editor's own controls (zoom buttons, "Execute workflow"). */
interface Covered {
	name: string;
	/** How far the label reaches into what covers it, in px. */
	overBy: number;
}

async function coveredLabels(): Promise<{ covered: Covered[]; room: number }> {
	return page.evaluate(() => {
		const canvas = document.querySelector('.vue-flow')?.getBoundingClientRect();
		const covered: Covered[] = [];
		let top = Infinity;
		for (const node of Array.from(document.querySelectorAll<HTMLElement>('.vue-flow__node'))) top = Math.min(top, node.getBoundingClientRect().top);
		for (const node of Array.from(document.querySelectorAll<HTMLElement>('[data-test-id="canvas-node"]'))) {
			const name = node.dataset.nodeName ?? '';
			const label = Array.from(node.querySelectorAll<HTMLElement>('*')).find((element) => element.children.length === 0 && element.textContent?.trim() === name);
			if (!label) {
				covered.push({ name, overBy: Infinity });
				continue;
			}
			// The text itself (the name and the subtitle under it), not its wider box; labels let the pointer through,
			// so what is hit at a point is whatever lies on top of the text there.
			const range = document.createRange();
			range.selectNodeContents(label.parentElement ?? label);
			const box = range.getBoundingClientRect();
			const points = [[box.left + 1, box.top + 1], [box.right - 1, box.top + 1], [box.left + 1, box.bottom - 1], [box.right - 1, box.bottom - 1], [(box.left + box.right) / 2, (box.top + box.bottom) / 2]];
			let overBy = 0;
			for (const [x, y] of points) {
				const hit = document.elementFromPoint(x, y);
				if (hit && (hit.closest('.vue-flow__transformationpane') || hit.classList.contains('vue-flow__pane'))) continue;
				overBy = Math.max(overBy, hit ? box.bottom - hit.getBoundingClientRect().top : Infinity);
			}
			if (overBy > 0) covered.push({ name, overBy });
		}
		// Room above the workflow, under the editor's header tabs.
		return { covered, room: canvas ? top - (canvas.top + 30) : 0 };
	});
}

/**
 * Fits the workflow in view ("zoom to fit"); n8n fits the nodes but not the names under them, so a name at the
 * bottom can end up under the zoom buttons or "Execute workflow": then the canvas is moved up if there is room
 * above, else zoomed out a step.
 */
async function frame(): Promise<void> {
	await page.locator('[data-test-id="zoom-to-fit"]').click();
	await page.mouse.move(VIEWPORT.width - 80, VIEWPORT.height / 2);
	await page.waitForTimeout(1000);
	let moved = false;
	for (let attempt = 0; attempt < 6; attempt++) {
		const { covered, room } = await coveredLabels();
		if (!covered.length) break;
		moved = true;
		const needed = Math.max(...covered.map((label) => label.overBy)) + 8;
		if (Number.isFinite(needed) && needed <= room) await page.mouse.wheel(0, needed * 2); // the canvas pans half the wheel's delta
		else await page.locator('[data-test-id="zoom-out-button"]').click();
		await page.mouse.move(VIEWPORT.width - 80, VIEWPORT.height / 2);
		await page.waitForTimeout(800);
	}
	// Panning with the wheel brings up the minimap; n8n hides it a second after the canvas stops moving (it fades in
	// first, so an opacity of 0 can mean "about to show"): wait until it is display:none.
	if (moved) await page.waitForTimeout(1200);
	const minimapHidden = () =>
		page
			.waitForFunction(
				() => {
					const minimap = document.querySelector('[data-test-id="canvas-minimap"]');
					return !minimap || getComputedStyle(minimap).display === 'none' || minimap.getBoundingClientRect().width === 0;
				},
				undefined,
				{ timeout: 10000 },
			)
			.then(() => true)
			.catch(() => false);
	if (await minimapHidden()) return;
	// Still there: n8n also hides it a second after the pointer leaves it.
	await page.locator('[data-test-id="canvas-minimap"]').hover();
	await page.mouse.move(VIEWPORT.width - 80, VIEWPORT.height / 2);
	if (!(await minimapHidden())) console.warn('the canvas minimap would not hide: it is in the screenshot');
}

async function readCanvas(): Promise<CanvasNode[]> {
	return page.evaluate(() =>
		Array.from(document.querySelectorAll<HTMLElement>('[data-test-id="canvas-node"]')).map((element) => {
			const icon = element.querySelector('.n8n-node-icon');
			const img = icon?.querySelector('img') ?? null;
			const box = element.getBoundingClientRect();
			return {
				name: element.dataset.nodeName ?? '',
				type: element.dataset.nodeType ?? '',
				text: element.innerText,
				placeholderIcon: !!icon?.querySelector('[class*="nodeIconPlaceholder"]'),
				notInstalledBadge: !!element.querySelector('[data-icon="hard-drive-download"]'),
				img: img ? { src: img.getAttribute('src') ?? '', complete: img.complete, naturalWidth: img.naturalWidth } : null,
				svgIcon: !!icon?.querySelector('svg'),
				inView: box.width > 0 && box.left >= 0 && box.top >= 0 && box.right <= window.innerWidth && box.bottom <= window.innerHeight,
			};
		}),
	);
}

/** Nodes n8n shows as unknown: the "?" icon, the not-installed badge, or no icon at all. */
const unknownOf = (nodes: CanvasNode[]) => nodes.filter((node) => node.placeholderIcon || node.notInstalledBadge || (!node.img && !node.svgIcon)).map((node) => `${node.name} (${node.type})`);

/** Pack nodes whose icon is not an <img> from the pack's own icon files that loaded. */
const brokenPackIcons = (nodes: CanvasNode[]) =>
	nodes
		.filter((node) => isPackType(node.type))
		.filter((node) => !node.img || !node.img.complete || node.img.naturalWidth === 0 || !node.img.src.startsWith(`/icons/${PACK}/`))
		.map((node) => `${node.name}: ${JSON.stringify(node.img)}`);

async function iconServed(src: string): Promise<string> {
	const res = await page.request.get(`${base}${src}`);
	const body = await res.text();
	return `${res.status()} ${res.headers()['content-type']?.split(';')[0]} ${body.includes('<svg') ? 'svg' : 'not-svg'}`;
}

interface PanelInfo {
	title: string;
	text: string;
	params: string | null;
	icon: { src: string; complete: boolean; naturalWidth: number } | null;
}

async function openPanel(nodeName: string): Promise<PanelInfo> {
	await page.locator(nodeSelector(nodeName)).dblclick();
	const ndv = page.locator('[data-test-id="ndv"]');
	await ndv.waitFor({ state: 'visible', timeout: 60000 });
	await ndv.locator('[data-test-id="node-parameters"]').or(ndv.getByText('Install this node to use it')).first().waitFor({ state: 'visible', timeout: 60000 });
	await page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLImageElement>('[data-test-id="ndv"] img')).every((img) => img.complete), undefined, { timeout: 30000 });
	await page.mouse.move(VIEWPORT.width - 10, VIEWPORT.height - 10);
	await page.waitForTimeout(700);
	return page.evaluate(() => {
		const ndv = document.querySelector<HTMLElement>('[data-test-id="ndv"]');
		const title = ndv?.querySelector<HTMLElement>('[data-test-id="node-title-container"]');
		const header = title?.closest('header') ?? title?.parentElement;
		const img = header?.querySelector<HTMLImageElement>('.n8n-node-icon img') ?? null;
		return {
			title: title?.innerText.trim() ?? '',
			text: ndv?.innerText ?? '',
			params: ndv?.querySelector<HTMLElement>('[data-test-id="node-parameters"]')?.innerText ?? null,
			icon: img ? { src: img.getAttribute('src') ?? '', complete: img.complete, naturalWidth: img.naturalWidth } : null,
		};
	});
}

async function closePanel(): Promise<void> {
	await page.locator('[data-test-id="ndv-close-button"]').click();
	await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden', timeout: 30000 });
}

beforeAll(async () => {
	const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } };
	const unbuilt = manifest.n8n.nodes.filter((file) => !existsSync(join(ROOT, file)));
	if (unbuilt.length) throw new Error(`the pack is not built (${unbuilt.join(', ')} missing): run npm run build`);
	if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run scripts/install-chromium.sh`);
	mkdirSync(SHOTS, { recursive: true });

	n8n = new RealN8n(packPack());
	const credentials = new Map<string, object>();
	for (const workflow of templates.values())
		for (const node of workflow.nodes)
			for (const [type, ref] of Object.entries(node.credentials ?? {})) credentials.set(ref.id, { id: ref.id, name: ref.name, type, data: CREDENTIAL_DATA[type] ?? {} });
	if (credentials.size) n8n.importCredentials([...credentials.values()]);
	for (const workflow of templates.values()) n8n.importWorkflow(workflow);
	// The control: a node of the pack's namespace whose type the pack does not have must be caught as unknown.
	const control = JSON.parse(JSON.stringify(templates.get('status-notifier.json') ?? [...templates.values()][0])) as Template;
	control.id = 'saEditorControl';
	control.name = 'Editor test control: an unknown node';
	const victim = control.nodes.find((node) => isPackType(node.type));
	if (!victim) throw new Error('the control template has no pack node');
	victim.type = `${PACK}.notAPackNode`;
	n8n.importWorkflow(control);
	await n8n.start();
	base = `http://127.0.0.1:${n8n.port}`;

	const setup = await fetch(`${base}/rest/owner/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(OWNER) });
	if (!setup.ok) throw new Error(`owner setup failed: ${setup.status} ${await setup.text()}`);

	browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
	const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, colorScheme: 'light', locale: 'en-US', timezoneId: 'Europe/Moscow' });
	page = await context.newPage();
	page.setDefaultTimeout(60000);
	page.on('pageerror', (error) => pageErrors.push(error.message));
	page.on('dialog', (dialog) => void dialog.accept());

	// Sign in through the editor's own form, as a user would.
	await page.goto(`${base}/signin`, { waitUntil: 'domcontentloaded' });
	await page.locator('#emailOrLdapLoginId').fill(OWNER.email);
	await page.locator('#password').fill(OWNER.password);
	await page.locator('[data-test-id="form-submit-button"]').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 120000 });

	const types = await page.request.get(`${base}/types/nodes.json`);
	if (!types.ok()) throw new Error(`/types/nodes.json: ${types.status()}`);
	// n8n also lists an "…Tool" twin of every node usable as an AI tool: those are not separate nodes of the pack.
	const described = ((await types.json()) as NodeTypeDescription[]).filter((type) => isPackType(type.name));
	packTypes = described.filter((type) => !(type.name.endsWith('Tool') && described.some((other) => other.name === type.name.slice(0, -4))));
}, 600000);

afterAll(async () => {
	await browser?.close();
	await n8n?.stop();
	if (pageErrors.length) console.warn(`errors in the editor page:\n${[...new Set(pageErrors)].join('\n')}`);
});

describe(`the pack in the n8n ${N8N_VERSION} editor (headless Chromium)`, () => {
	it('n8n has loaded every node of the pack', () => {
		const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } };
		const loaded = [...new Set(packTypes.map((type) => shortType(type.name)))].sort();
		expect(loaded).toHaveLength(manifest.n8n.nodes.length);
		const used = [...new Set([...templates.values()].flatMap((workflow) => workflow.nodes.filter((node) => isPackType(node.type)).map((node) => shortType(node.type))))].sort();
		expect(used.filter((type) => !loaded.includes(type))).toEqual([]);
	});

	it('catches a node it does not know (control: a made-up type of the pack on the canvas)', async () => {
		const nodes = await openCanvas({ ...(templates.get('status-notifier.json') ?? [...templates.values()][0]), id: 'saEditorControl' });
		const made = nodes.find((node) => node.type === `${PACK}.notAPackNode`);
		expect(made).toBeDefined();
		expect(unknownOf(nodes)).toEqual([`${made?.name} (${PACK}.notAPackNode)`]);
		expect(brokenPackIcons(nodes)).toEqual([`${made?.name}: null`]);
		const panel = await openPanel(made?.name ?? '');
		expect(panel.text).toContain('Install this node to use it');
		expect(panel.params).toBeNull();
		await closePanel();
	});

	it('catches a pack icon that does not load (control: the icon files answered with 404)', async () => {
		const icons = `**/icons/${PACK}/**`;
		await page.route(icons, (route) => route.fulfill({ status: 404, body: 'not found' }));
		try {
			const workflow = templates.get('status-notifier.json') ?? [...templates.values()][0];
			const nodes = await openCanvas(workflow);
			const pack = nodes.filter((node) => isPackType(node.type)).map((node) => node.name);
			expect(pack.length).toBeGreaterThan(0);
			expect(brokenPackIcons(nodes).map((line) => line.split(':')[0]).sort()).toEqual(pack.sort());
		} finally {
			await page.unroute(icons);
		}
	});

	describe.each(templateFiles)('%s', (file) => {
		it('opens with every node known and the pack icons loaded; saves the canvas and the pack nodes’ panels', async () => {
			const workflow = templates.get(file) as Template;
			const nodes = await openCanvas(workflow);
			const shot = join(SHOTS, `${file.replace(/\.json$/, '')}.png`);
			await page.screenshot({ path: shot });

			expect(unknownOf(nodes)).toEqual([]);
			expect(brokenPackIcons(nodes)).toEqual([]);
			const expected = workflow.nodes.filter((node) => !isSticky(node));
			expect(nodes.map((node) => [node.name, node.type]).sort()).toEqual(expected.map((node) => [node.name, node.type]).sort());
			// The whole workflow is in the picture, each node labelled with its name, no name under the editor's controls.
			expect(nodes.filter((node) => !node.inView || !node.text.includes(node.name)).map((node) => node.name)).toEqual([]);
			expect((await coveredLabels()).covered).toEqual([]);
			expect(await page.locator('.vue-flow__edge').count()).toBe(connectionCount(workflow));
			for (const src of new Set(nodes.filter((node) => isPackType(node.type)).map((node) => node.img?.src ?? ''))) expect([src, await iconServed(src)]).toEqual([src, '200 image/svg+xml svg']);

			for (const { type, node } of panelsIn(file)) {
				const panel = await openPanel(node);
				await page.screenshot({ path: join(SHOTS, `node-${type}.png`) });
				expect(panel.text).not.toMatch(/Install this node to use it|not currently installed/);
				expect(panel.title).toBe(node);
				expect(panel.icon).toEqual({ src: expect.stringMatching(new RegExp(`^/icons/${PACK}/`)), complete: true, naturalWidth: expect.any(Number) });
				expect(panel.icon?.naturalWidth).toBeGreaterThan(0);
				// Every parameter the node always shows is on the panel.
				const description = packTypes.find((candidate) => shortType(candidate.name) === type);
				// (Not a field credentials depend on: n8n may fold it into the credential selector, as it does Revenue Push's Destination.)
				const credentialFields = new Set((description?.credentials ?? []).flatMap((credential) => Object.keys(credential.displayOptions?.show ?? {})));
				const always = (description?.properties ?? [])
					.filter((property) => !property.displayOptions && !['hidden', 'notice', 'callout'].includes(property.type) && !credentialFields.has(property.name))
					.map((property) => property.displayName);
				expect(always.length).toBeGreaterThan(0);
				expect(always.filter((label) => !panel.params?.includes(label))).toEqual([]);
				await closePanel();
				panelsSaved.add(type);
			}
		});
	});

	it('saved a parameter panel for every pack node type', () => {
		expect([...panelsSaved].sort()).toEqual([...new Set(packTypes.map((type) => shortType(type.name)))].sort());
	});
});
