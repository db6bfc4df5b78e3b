import { readdirSync, readFileSync } from 'fs';
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

describe.each(templates)('template %s', (file) => {
	const workflow = JSON.parse(readFileSync(join(ROOT, 'workflows', file), 'utf8')) as { id: string; nodes: TemplateNode[]; connections: Record<string, unknown> };
	const ours = workflow.nodes.filter((node) => node.type.startsWith(`${pkg.name}.`));

	it('has an id n8n accepts, uses pack nodes, and connects only nodes it has', () => {
		expect(workflow.id.length).toBeLessThanOrEqual(21);
		expect(ours.length).toBeGreaterThan(0);
		const names = new Set(workflow.nodes.map((node) => node.name));
		const targets = JSON.stringify(workflow.connections).match(/"node":"[^"]+"/g) ?? [];
		expect([...Object.keys(workflow.connections), ...targets.map((t) => t.slice(8, -1))].filter((name) => !names.has(name))).toEqual([]);
	});

	it("uses only the pack's node types, parameters, option values and credential types", () => {
		const problems: string[] = [];
		for (const node of ours) {
			const type = nodes.get(node.type);
			if (!type) {
				problems.push(`${node.name}: the pack has no node ${node.type}`);
				continue;
			}
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

it('the check itself catches an unknown parameter and an unknown option value', () => {
	const matcher = nodes.get(`${pkg.name}.orderMatcher`) as INodeType;
	const options = matcher.description.properties.find((property) => property.name === 'options') as INodeProperties;
	expect(checkValue(options, { lookback: 3 }, 'x.options')).toEqual(['x.options: the pack defines no option "lookback"']);
	const source = (nodes.get(`${pkg.name}.touchpoint`) as INodeType).description.properties.find((property) => property.name === 'source') as INodeProperties;
	expect(checkValue(source, 'skype', 'x.source')[0]).toMatch(/^x.source: "skype" is not one of auto, asterisk/);
});
