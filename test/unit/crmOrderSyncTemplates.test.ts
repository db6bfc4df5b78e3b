import { readFileSync } from 'fs';
import { join } from 'path';

/**
 * The CRM variants of the order sync (workflows/order-sync-amocrm.json, order-sync-bitrix24.json) are
 * workflows/order-sync.json with the differences listed here and nothing else: a later fix to the order sync that is
 * not made in them too fails this test.
 */
const ROOT = join(__dirname, '..', '..');
const PACK = 'n8n-nodes-sales-analytics';

interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	[key: string]: unknown;
}
type Link = { node: string; type: string; index: number };
type Connections = Record<string, { main: Link[][] }>;
interface Workflow {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Connections;
	[key: string]: unknown;
}

const read = (file: string) => readFileSync(join(ROOT, 'workflows', file), 'utf8');

function omit(value: object, keys: string[]): Record<string, unknown> {
	return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
}

/** JSON with every object's keys sorted: two values are the same to n8n when these are equal. */
function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object') {
		return `{${Object.keys(value)
			.sort()
			.map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value);
}

interface Variant {
	file: string;
	id: string;
	/** The webhook's path, which is also the key of the variant's row in the Data Table locks. */
	path: string;
	/** The node that writes the revenue back into the CRM, in place of the order sync's "Push Revenue to amoCRM". */
	push: string;
	importParameters: Record<string, unknown>;
	credential: Record<string, { id: string; name: string }>;
	pushParameters: Record<string, unknown>;
}

const VARIANTS: Variant[] = [
	{
		file: 'order-sync-amocrm.json',
		id: 'saOrderSyncAmo',
		path: 'order-sync-amocrm',
		push: 'Push Revenue to amoCRM',
		importParameters: { crm: 'amocrm', authentication: 'amoCrmApi', emit: 'all', options: { timeZone: 'Europe/Moscow' } },
		credential: { amoCrmApi: { id: 'saAmoCrm', name: 'amoCRM' } },
		// No Won Status ID and no price (the lead's status and price are amoCRM's own); the attributed source into three
		// fields the shop names.
		pushParameters: {
			destination: 'amocrm',
			mode: 'won',
			crmIdFrom: 'orderId',
			writePrice: false,
			customFields: { field: [{ fieldId: 0, source: 'utm_source' }, { fieldId: 0, source: 'utm_medium' }, { fieldId: 0, source: 'utm_campaign' }] },
			options: {},
		},
	},
	{
		file: 'order-sync-bitrix24.json',
		id: 'saOrderSyncB24',
		path: 'order-sync-bitrix24',
		push: 'Push Revenue to Bitrix24',
		importParameters: { crm: 'bitrix24', emit: 'all', options: { timeZone: 'Europe/Moscow' } },
		credential: { bitrix24WebhookApi: { id: 'saBitrix24', name: 'Bitrix24' } },
		// No amount (the deal's sum is Bitrix24's own, and writing it would mark it as typed by hand): the UTM fields only.
		pushParameters: { destination: 'bitrix24', mode: 'won', crmIdFrom: 'orderId', writeAmount: false, options: {} },
	},
];

/** Nodes a variant has in place of the order sync's, or in addition to them. */
const OWN_NODES = ['About', 'Import Orders', 'Attributed Source', 'Revenue Back to CRM'];
const BASE_PUSH = 'Push Revenue to amoCRM';
const WEBHOOK = 'Sync Now (Webhook)';

/**
 * What the variant must equal: the order sync with its webhook path and run-lock key (both "order-sync", in the
 * webhook, the lock nodes and the notes that name them) renamed to the variant's, and its push back into the CRM
 * after Attributed Source.
 */
function expectedFrom(base: string, variant: Variant): Workflow {
	const workflow = JSON.parse(base.split('order-sync').join(variant.path)) as Workflow;
	const links = workflow.connections;
	for (const output of links['Match Orders'].main) for (const link of output) if (link.node === BASE_PUSH) link.node = 'Attributed Source';
	const pushLinks = links[BASE_PUSH];
	delete links[BASE_PUSH];
	links['Attributed Source'] = { main: [[{ node: variant.push, type: 'main', index: 0 }]] };
	links[variant.push] = pushLinks;
	return workflow;
}

/** Every difference between the variant and what it must equal outside its own nodes, in words (none: []). */
function drift(variant: Variant, actual: Workflow, base: string): string[] {
	const expected = expectedFrom(base, variant);
	const problems: string[] = [];
	const { nodes: expectedNodes, connections: expectedLinks } = expected;
	const { nodes, connections } = actual;
	// Everything else but the workflow's own id and name: settings, pinData, active.
	const rest = omit(actual, ['id', 'name', 'nodes', 'connections']);
	if (canonical(rest) !== canonical(omit(expected, ['id', 'name', 'nodes', 'connections']))) problems.push(`workflow settings differ: ${canonical(rest)}`);
	// The order sync's push into amoCRM: the amoCRM variant's own (other settings), in the Bitrix24 one replaced.
	const own = new Set([...OWN_NODES, BASE_PUSH, variant.push]);
	const byName = new Map(nodes.map((node) => [node.name, node]));
	for (const node of expectedNodes) {
		if (own.has(node.name)) continue;
		const found = byName.get(node.name);
		if (!found) problems.push(`node "${node.name}" is missing`);
		else if (node.name === WEBHOOK) {
			// Its own webhook id: n8n keeps one registration per id.
			if (canonical(omit(found, ['webhookId'])) !== canonical(omit(node, ['webhookId']))) problems.push(`node "${node.name}" differs`);
			if (found.webhookId === node.webhookId) problems.push(`node "${node.name}" has the order sync's webhookId`);
		} else if (canonical(found) !== canonical(node)) problems.push(`node "${node.name}" differs`);
	}
	const known = new Set([...expectedNodes.map((node) => node.name), ...own]);
	for (const node of nodes) if (!known.has(node.name)) problems.push(`node "${node.name}" is not in the order sync`);
	if (canonical(connections) !== canonical(expectedLinks)) problems.push('the connections differ');
	return problems;
}

const base = read('order-sync.json');

describe.each(VARIANTS)('$file', (variant) => {
	const workflow = JSON.parse(read(variant.file)) as Workflow;
	const node = (name: string) => workflow.nodes.find((candidate) => candidate.name === name) as WorkflowNode;

	it('is the order sync but for the nodes it lists, its webhook path and its run-lock key', () => {
		expect(drift(variant, workflow, base)).toEqual([]);
		expect([workflow.id, node(WEBHOOK).parameters.path, node('Seed Lock').parameters.columns]).toMatchObject([variant.id, variant.path, { value: { name: variant.path } }]);
	});

	it('imports every deal of the CRM each run (the run rewrites deals and credits) and maps statuses by the preset', () => {
		const importer = node('Import Orders');
		expect([importer.type, importer.typeVersion, importer.parameters, importer.credentials]).toEqual([`${PACK}.crmDealsImport`, 1, variant.importParameters, variant.credential]);
		expect(node('Map Statuses').parameters).toEqual({ usePreset: true, unmapped: 'other' });
	});

	it('writes the attributed source back into the CRM the deals came from, after Attributed Source, and no other CRM', () => {
		const push = node(variant.push);
		expect([push.type, push.parameters, push.credentials]).toEqual([`${PACK}.revenuePush`, variant.pushParameters, variant.credential]);
		expect(workflow.connections['Attributed Source'].main).toEqual([[{ node: variant.push, type: 'main', index: 0 }]]);
		const crmPushes = workflow.nodes.filter((candidate) => candidate.type === `${PACK}.revenuePush` && ['amocrm', 'bitrix24'].includes(String(candidate.parameters.destination)));
		expect(crmPushes.map((candidate) => candidate.name)).toEqual([variant.push]);
		const assignments = (node('Attributed Source').parameters.assignments as { assignments: Array<{ name: string; type: string }> }).assignments;
		expect(assignments.map((assignment) => [assignment.name, assignment.type])).toEqual([['utm', 'object']]);
	});
});

it('the two variants hold different run-lock rows and webhook paths', () => {
	const paths = VARIANTS.map((variant) => (JSON.parse(read(variant.file)) as Workflow).nodes.find((node) => node.name === WEBHOOK)?.parameters.path);
	expect(new Set([...paths, 'order-sync']).size).toBe(3);
});

it('the drift check catches a change to a shared node, a node added, and a connection changed', () => {
	const variant = VARIANTS[0];
	const workflow = () => JSON.parse(read(variant.file)) as Workflow;
	const changed = workflow();
	(changed.nodes.find((node) => node.name === 'Match Orders') as WorkflowNode).parameters.lookbackDays = 60;
	const added = workflow();
	added.nodes.push({ id: 'x', name: 'Extra', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} });
	const relinked = workflow();
	relinked.connections['Lock Won?'].main[1] = [];
	const renamedLock = workflow();
	(renamedLock.nodes.find((node) => node.name === 'Release Lock') as WorkflowNode).parameters.filters = { conditions: [{ keyName: 'name', condition: 'eq', keyValue: 'order-sync' }] };
	expect([changed, added, relinked, renamedLock].map((copy) => drift(variant, copy, base))).toEqual([
		['node "Match Orders" differs'],
		['node "Extra" is not in the order sync'],
		['the connections differ'],
		['node "Release Lock" differs'],
	]);
});
