import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import type { ICredentialType, INodeProperties, INodeType } from 'n8n-workflow';

/**
 * Every template in workflows/ may only use what the pack defines: its node types (by the name n8n gives an
 * installed package's nodes), their parameters and option values, and its credential types.
 */
const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; n8n: { nodes: string[]; credentials: string[] } };

function load<T>(built: string): T {
	const source = join(ROOT, built.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
	const module = require(source) as Record<string, new () => T>;
	return new (Object.values(module)[0])();
}

const nodes = new Map(pkg.n8n.nodes.map((file) => load<INodeType>(file)).map((node) => [`${pkg.name}.${node.description.name}`, node]));
const credentials = new Set(pkg.n8n.credentials.map((file) => load<ICredentialType>(file).name));
const templates = readdirSync(join(ROOT, 'workflows')).filter((file) => file.endsWith('.json'));

interface TemplateNode {
	name: string;
	type: string;
	typeVersion?: number;
	parameters: Record<string, unknown>;
	credentials?: Record<string, unknown>;
}

/** Problems with one parameter value against its property (unknown option values, unknown collection fields). */
function checkValue(property: INodeProperties, value: unknown, where: string): string[] {
	if (typeof value === 'string' && value.startsWith('=')) return [];
	if (property.type === 'options' && property.options) {
		const allowed = property.options.map((option) => ('value' in option ? option.value : undefined));
		return allowed.includes(value as never) ? [] : [`${where}: "${String(value)}" is not one of ${allowed.join(', ')}`];
	}
	if (property.type === 'multiOptions' && property.options && Array.isArray(value)) {
		const allowed = property.options.map((option) => ('value' in option ? option.value : undefined));
		return value.filter((entry) => !allowed.includes(entry)).map((entry) => `${where}: "${String(entry)}" is not one of ${allowed.join(', ')}`);
	}
	if (property.type === 'collection' && property.options && value && typeof value === 'object') {
		const fields = property.options as INodeProperties[];
		return Object.entries(value).flatMap(([key, inner]) => {
			const field = fields.find((candidate) => candidate.name === key);
			return field ? checkValue(field, inner, `${where}.${key}`) : [`${where}: the pack defines no option "${key}"`];
		});
	}
	return [];
}

/** The versions a pack node defines (n8n's light versioning: `version: [1, 1.1]`). */
function versionsOf(type: INodeType): number[] {
	const version = type.description.version;
	return Array.isArray(version) ? version : [version];
}

/** The credential type n8n's Webhook node checks a header with, and the value of its Authentication parameter for it. */
const HEADER_AUTH = { authentication: 'headerAuth', credential: 'httpHeaderAuth' } as const;
const WEBHOOK_TYPE = 'n8n-nodes-base.webhook';

/** The pack's sign-in step (Lead Queue, Sign In Manager) and the credential it checks managers against. */
const SIGN_IN = { type: `${pkg.name}.leadQueue`, operation: 'signIn', credential: 'salesAnalyticsLeadDeskApi' } as const;

type Connections = Record<string, { main?: Array<Array<{ node: string }> | null> }>;

/**
 * Problems with a webhook that authenticates through the pack's sign-in instead of n8n's (its authentication is
 * n8n's "none"): every output of the webhook leads only to Sign In Manager nodes that name their credential, and a
 * sticky note says how to set that credential up (its name, the path, the 401 a stranger gets).
 */
function signInProblems(hook: TemplateNode, workflow: { nodes: TemplateNode[]; connections?: Connections }, notes: string[]): string[] {
	const outputs = workflow.connections?.[hook.name]?.main ?? [];
	const targets = outputs.flatMap((output) => output ?? []).map((link) => workflow.nodes.find((node) => node.name === link.node));
	if (targets.length === 0 || outputs.some((output) => (output ?? []).length === 0)) return [`${hook.name}: authentication is none and an output of it leads to no sign-in step`];
	const problems: string[] = [];
	for (const target of targets) {
		if (target?.type !== SIGN_IN.type || target.parameters.operation !== SIGN_IN.operation) {
			problems.push(`${hook.name}: authentication is none and ${target?.name ?? 'a missing node'} after it is no sign-in step`);
			continue;
		}
		const credential = target.credentials?.[SIGN_IN.credential] as { id?: string; name?: string } | undefined;
		if (!credential?.id || !credential.name) problems.push(`${target.name}: no ${SIGN_IN.credential} credential`);
		else if (!notes.some((note) => note.includes(`**${credential.name}**`) && note.includes(`/webhook/${String(hook.parameters.path)}`) && note.includes('401'))) {
			problems.push(`${target.name}: no sticky note says how to set up "${credential.name}" and sign in at /webhook/${String(hook.parameters.path)}`);
		}
	}
	return problems;
}

/**
 * Problems with the template's webhooks: every Webhook node authenticates, with n8n's Header Auth and its credential
 * named and a sticky note saying how to set that credential up (its name, the header, the path); or, with n8n's
 * authentication "none", through the pack's sign-in step right after it (see signInProblems).
 */
function webhookAuthProblems(workflow: { nodes: TemplateNode[]; connections?: Connections }): string[] {
	const problems: string[] = [];
	const notes = workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote').map((node) => String(node.parameters.content ?? ''));
	for (const node of workflow.nodes.filter((candidate) => candidate.type === WEBHOOK_TYPE)) {
		if ((node.parameters.authentication ?? 'none') === 'none' && workflow.connections?.[node.name] !== undefined) {
			problems.push(...signInProblems(node, workflow, notes));
			continue;
		}
		if (node.parameters.authentication !== HEADER_AUTH.authentication) problems.push(`${node.name}: authentication is ${String(node.parameters.authentication ?? 'none')}, not ${HEADER_AUTH.authentication}`);
		const credential = node.credentials?.[HEADER_AUTH.credential] as { id?: string; name?: string } | undefined;
		if (!credential?.id || !credential.name) {
			problems.push(`${node.name}: no ${HEADER_AUTH.credential} credential`);
			continue;
		}
		const path = String(node.parameters.path);
		if (!notes.some((note) => note.includes(`**${credential.name}**`) && note.includes('X-Webhook-Token') && note.includes(`/webhook/${path}`) && note.includes('403'))) {
			problems.push(`${node.name}: no sticky note says how to set up "${credential.name}" and call /webhook/${path} with its header`);
		}
	}
	return problems;
}

describe.each(templates)('template %s', (file) => {
	const workflow = JSON.parse(readFileSync(join(ROOT, 'workflows', file), 'utf8')) as { id: string; nodes: TemplateNode[]; connections: Connections };
	const ours = workflow.nodes.filter((node) => node.type.startsWith(`${pkg.name}.`));

	it('has an id n8n accepts, uses pack nodes, and connects only nodes it has', () => {
		expect(workflow.id.length).toBeLessThanOrEqual(21);
		expect(ours.length).toBeGreaterThan(0);
		const names = new Set(workflow.nodes.map((node) => node.name));
		const targets = JSON.stringify(workflow.connections).match(/"node":"[^"]+"/g) ?? [];
		expect([...Object.keys(workflow.connections), ...targets.map((t) => t.slice(8, -1))].filter((name) => !names.has(name))).toEqual([]);
	});

	it('authenticates its webhook by default (Header Auth, or the sign-in step right after it), and its sticky note says how to set it up', () => {
		expect(workflow.nodes.filter((node) => node.type === WEBHOOK_TYPE)).toHaveLength(1);
		expect(webhookAuthProblems(workflow)).toEqual([]);
	});

	it("uses only the pack's node types, parameters, option values and credential types", () => {
		const problems: string[] = [];
		for (const node of ours) {
			const type = nodes.get(node.type);
			if (!type) {
				problems.push(`${node.name}: the pack has no node ${node.type}`);
				continue;
			}
			if (!versionsOf(type).includes(node.typeVersion ?? NaN)) problems.push(`${node.name}: ${node.type} has no version ${String(node.typeVersion)}`);
			const properties = type.description.properties;
			for (const [key, value] of Object.entries(node.parameters)) {
				const candidates = properties.filter((property) => property.name === key);
				if (candidates.length === 0) problems.push(`${node.name}: ${node.type} has no parameter "${key}"`);
				else if (candidates.every((property) => checkValue(property, value, `${node.name}.${key}`).length > 0)) problems.push(...checkValue(candidates[0], value, `${node.name}.${key}`));
			}
		}
		for (const node of workflow.nodes) {
			for (const credential of Object.keys(node.credentials ?? {})) {
				if (node.type.startsWith(`${pkg.name}.`) && !credentials.has(credential)) problems.push(`${node.name}: the pack has no credential type ${credential}`);
			}
		}
		expect(problems).toEqual([]);
	});
});

it('the order sync uses the Order Matcher version that finds shared values by default', () => {
	const workflow = JSON.parse(readFileSync(join(ROOT, 'workflows', 'order-sync.json'), 'utf8')) as { nodes: TemplateNode[] };
	const matcher = workflow.nodes.find((node) => node.type === `${pkg.name}.orderMatcher`) as TemplateNode;
	expect([matcher.typeVersion, versionsOf(nodes.get(matcher.type) as INodeType)]).toEqual([1.1, [1, 1.1]]);
});

it('the check itself catches an unknown parameter and an unknown option value', () => {
	const matcher = nodes.get(`${pkg.name}.orderMatcher`) as INodeType;
	const options = matcher.description.properties.find((property) => property.name === 'options') as INodeProperties;
	expect(checkValue(options, { lookback: 3 }, 'x.options')).toEqual(['x.options: the pack defines no option "lookback"']);
	const source = (nodes.get(`${pkg.name}.touchpoint`) as INodeType).description.properties.find((property) => property.name === 'source') as INodeProperties;
	expect(checkValue(source, 'skype', 'x.source')[0]).toMatch(/^x.source: "skype" is not one of auto, asterisk/);
});

it('the webhook check fails on a template webhook without authentication, or without its credential', () => {
	const workflow = JSON.parse(readFileSync(join(ROOT, 'workflows', 'touch-intake.json'), 'utf8')) as { nodes: TemplateNode[] };
	const hook = workflow.nodes.find((node) => node.type === WEBHOOK_TYPE) as TemplateNode;
	const open = { nodes: workflow.nodes.map((node) => (node === hook ? { ...node, parameters: { ...node.parameters, authentication: 'none' } } : node)) };
	expect(webhookAuthProblems(open)).toEqual(['Touch Webhook: authentication is none, not headerAuth']);
	const unset = { nodes: workflow.nodes.map((node) => (node === hook ? { ...node, parameters: { ...node.parameters, authentication: undefined }, credentials: undefined } : node)) };
	expect(webhookAuthProblems(unset)).toEqual(['Touch Webhook: authentication is none, not headerAuth', 'Touch Webhook: no httpHeaderAuth credential']);
	const silent = { nodes: workflow.nodes.filter((node) => node.name !== 'Webhook Auth') };
	expect(webhookAuthProblems(silent)).toEqual(['Touch Webhook: no sticky note says how to set up "Touch webhook token" and call /webhook/touches with its header']);
});

it("the webhook check takes the lead desk's sign-in step, and fails without it or with another node in its place", () => {
	const workflow = JSON.parse(readFileSync(join(ROOT, 'workflows', 'lead-desk.json'), 'utf8')) as { nodes: TemplateNode[]; connections: Connections };
	expect(webhookAuthProblems(workflow)).toEqual([]);
	const bypass = { ...workflow, connections: { ...workflow.connections, 'Lead Desk': { main: [[{ node: 'Sign In to Open' }], [{ node: 'Load Waiting Leads' }]] } } };
	expect(webhookAuthProblems(bypass)).toEqual(['Lead Desk: authentication is none and Load Waiting Leads after it is no sign-in step']);
	const unwired = { ...workflow, connections: { ...workflow.connections, 'Lead Desk': { main: [[{ node: 'Sign In to Open' }], []] } } };
	expect(webhookAuthProblems(unwired)).toEqual(['Lead Desk: authentication is none and an output of it leads to no sign-in step']);
	const nothing = { nodes: workflow.nodes, connections: { ...workflow.connections, 'Lead Desk': { main: [] } } };
	expect(webhookAuthProblems(nothing)).toEqual(['Lead Desk: authentication is none and an output of it leads to no sign-in step']);
	const noCredential = { ...workflow, nodes: workflow.nodes.map((node) => (node.name === 'Sign In to Take' ? { ...node, credentials: undefined } : node)) };
	expect(webhookAuthProblems(noCredential)).toEqual(['Sign In to Take: no salesAnalyticsLeadDeskApi credential']);
	const silent = { ...workflow, nodes: workflow.nodes.filter((node) => node.name !== 'Sign-in') };
	expect(webhookAuthProblems(silent)).toEqual([
		'Sign In to Open: no sticky note says how to set up "Lead Desk Managers" and sign in at /webhook/lead-desk',
		'Sign In to Take: no sticky note says how to set up "Lead Desk Managers" and sign in at /webhook/lead-desk',
	]);
});

it('the lead desk does not save successful executions: they would hold the managers\' Authorization headers', () => {
	const workflow = JSON.parse(readFileSync(join(ROOT, 'workflows', 'lead-desk.json'), 'utf8')) as { settings: Record<string, unknown> };
	expect(workflow.settings.saveDataSuccessExecution).toBe('none');
});

/** n8n's own Webhook node, from the pinned n8n the end-to-end suite installs (not a dependency of the unit tests). */
const pinned = (JSON.parse(readFileSync(join(ROOT, 'test/e2e/n8n-version.json'), 'utf8')) as { default: string }).default;
const webhookNodeFile = join(ROOT, '.cache', `n8n-${pinned}`, 'node_modules/n8n-nodes-base/dist/nodes/Webhook/Webhook.node.js');
(existsSync(webhookNodeFile) ? it : it.skip)(`n8n ${pinned}'s Webhook node has the Authentication value and credential type the templates use`, () => {
	const { Webhook } = require(webhookNodeFile) as { Webhook: new () => INodeType };
	const description = new Webhook().description;
	const authentication = description.properties.find((property) => property.name === 'authentication');
	expect(authentication?.options?.map((option) => ('value' in option ? option.value : undefined))).toContain(HEADER_AUTH.authentication);
	expect(description.credentials?.find((credential) => credential.name === HEADER_AUTH.credential)?.displayOptions).toEqual({ show: { authentication: [HEADER_AUTH.authentication] } });
	const versions = ([] as number[]).concat(description.version);
	for (const file of templates) {
		const workflow = JSON.parse(readFileSync(join(ROOT, 'workflows', file), 'utf8')) as { nodes: Array<TemplateNode & { typeVersion: number }> };
		for (const hook of workflow.nodes.filter((node) => node.type === WEBHOOK_TYPE)) expect([file, versions.includes(hook.typeVersion)]).toEqual([file, true]);
	}
});
