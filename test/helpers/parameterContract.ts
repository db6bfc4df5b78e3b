/**
 * The parameter contract of the pack's nodes (issue 17). n8n saves only the parameters that differ from their defaults,
 * so a node version's defaults, parameter names, types and option values are a promise to every saved workflow. This
 * module works out that contract from the node descriptions, compares it with the recorded one
 * (test/fixtures/parameterDefaults.json) and plans the additions `scripts/parameter-defaults.mjs --add` may make.
 */
import { readdirSync } from 'fs';
import { join } from 'path';
import {
	NodeHelpers,
	type IDisplayOptions,
	type INodeProperties,
	type INodePropertyCollection,
	type INodePropertyOptions,
	type INodeTypeDescription,
} from 'n8n-workflow';

/** What a saved workflow relies on for one parameter in one node version. */
export interface ParameterEntry {
	type: string;
	default?: unknown;
	/** The option values an options or multiOptions parameter offers in this version. */
	values?: unknown[];
}

/** One node version's parameters, keyed by path (`options.detectSharedValues`) and the non-version display conditions. */
export type VersionContract = Record<string, ParameterEntry>;

export interface RecordedVersion {
	version: number;
	parameters: VersionContract;
}

export interface NodeContract {
	displayName: string;
	versions: RecordedVersion[];
}

/** The contract of every node, keyed by the node type name (`orderMatcher`). */
export type Contract = Record<string, NodeContract>;

export type ContractDescription = Pick<INodeTypeDescription, 'name' | 'displayName' | 'version' | 'properties'>;

const GUIDE = 'see docs/parameters.md';
const RECORD_COMMAND = 'node scripts/parameter-defaults.mjs --add';

/** JSON with object keys sorted, so equal values always print the same. */
function stableJson(value: unknown): string {
	return JSON.stringify(value, (_key, inner: unknown) =>
		inner !== null && typeof inner === 'object' && !Array.isArray(inner)
			? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
			: inner,
	) ?? 'undefined';
}

function versionsOf(description: Pick<INodeTypeDescription, 'version'>): number[] {
	return Array.isArray(description.version) ? [...description.version] : [description.version];
}

/**
 * Whether display options let a parameter (or an option value) appear in a node version. Only the `@version` rules are
 * evaluated, with n8n-workflow's own `checkConditions`, the way its displayParameter does: every `show` rule must match,
 * a matching `hide` rule hides. The other rules depend on what the user chose and become part of the parameter's key.
 */
export function shownInVersion(displayOptions: IDisplayOptions | undefined, version: number): boolean {
	const show = displayOptions?.show?.['@version'];
	if (show !== undefined && !NodeHelpers.checkConditions(show, [version])) return false;
	const hide = displayOptions?.hide?.['@version'];
	return hide === undefined || !NodeHelpers.checkConditions(hide, [version]);
}

/** The display conditions other than `@version`, as a stable suffix of the parameter's key ('' when there are none). */
function conditionsKey(displayOptions: IDisplayOptions | undefined): string {
	const conditions: Record<string, Record<string, unknown>> = {};
	for (const side of ['show', 'hide'] as const) {
		const rules = Object.entries(displayOptions?.[side] ?? {}).filter(([name]) => name !== '@version');
		if (rules.length > 0) conditions[side] = Object.fromEntries(rules);
	}
	return Object.keys(conditions).length === 0 ? '' : ` ${stableJson(conditions)}`;
}

/** Types the editor shows but never stores a value for: removing or rewording one changes no saved workflow. */
const VALUELESS_TYPES = new Set(['notice', 'callout', 'button']);

function collect(properties: INodeProperties[], version: number, prefix: string, out: VersionContract): void {
	for (const property of properties) {
		if (VALUELESS_TYPES.has(property.type) || !shownInVersion(property.displayOptions, version)) continue;
		const key = `${prefix}${property.name}${conditionsKey(property.displayOptions)}`;
		if (key in out) throw new Error(`Parameter ${key} is shown twice in version ${version}: n8n cannot tell which one a saved value belongs to`);
		const entry: ParameterEntry = { type: property.type };
		if (property.default !== undefined) entry.default = property.default;
		if (property.type === 'options' || property.type === 'multiOptions') {
			entry.values = ((property.options ?? []) as INodePropertyOptions[])
				.filter((option) => shownInVersion(option.displayOptions, version))
				.map((option) => option.value);
		}
		out[key] = entry;
		if (property.type === 'collection') collect((property.options ?? []) as INodeProperties[], version, `${key}.`, out);
		if (property.type === 'fixedCollection') {
			for (const group of (property.options ?? []) as INodePropertyCollection[]) collect(group.values, version, `${key}.${group.name}.`, out);
		}
	}
}

/** The parameters as a workflow saved with this node version sees them, nested collection options included. */
export function versionContract(properties: INodeProperties[], version: number): VersionContract {
	const out: VersionContract = {};
	collect(properties, version, '', out);
	return out;
}

export function nodeContract(description: ContractDescription): NodeContract {
	return {
		displayName: description.displayName,
		versions: versionsOf(description).map((version) => ({ version, parameters: versionContract(description.properties, version) })),
	};
}

/** Every node description in `nodes/<Dir>/<Name>.node.ts` under the project root, in directory order. */
export function loadNodeDescriptions(root: string): ContractDescription[] {
	const nodesDir = join(root, 'nodes');
	const descriptions: ContractDescription[] = [];
	for (const dir of readdirSync(nodesDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()) {
		for (const file of readdirSync(join(nodesDir, dir)).filter((name) => name.endsWith('.node.ts')).sort()) {
			// eslint-disable-next-line @typescript-eslint/no-require-imports -- the node files are found at run time
			const exported = require(join(nodesDir, dir, file)) as Record<string, unknown>;
			const classes = Object.values(exported).filter((value): value is new () => { description?: ContractDescription } => typeof value === 'function');
			const described = classes.map((NodeClass) => new NodeClass().description).filter((d): d is ContractDescription => d !== undefined);
			if (described.length !== 1) throw new Error(`nodes/${dir}/${file} must export exactly one node class with a description, found ${described.length}`);
			descriptions.push(described[0]);
		}
	}
	return descriptions;
}

export function currentContract(descriptions: ContractDescription[]): Contract {
	return Object.fromEntries(descriptions.map((description) => [description.name, nodeContract(description)]));
}

/** The node's versions as they would be with one more minor version, for the advice in a message. */
function withNextVersion(versions: number[]): string {
	const next = Math.round((Math.max(...versions) + 0.1) * 1000) / 1000;
	return `version: [${[...versions, next].join(', ')}]`;
}

/**
 * What changed in one recorded node version, one message per change. New parameters and new option values are allowed
 * (n8n fills a new parameter's default into saved workflows); a changed default or type, a removed parameter (or one
 * whose show/hide conditions changed, which moves it to another key) and a removed option value are not.
 */
export function versionDifferences(displayName: string, codeVersions: number[], recorded: RecordedVersion, current: VersionContract | undefined): string[] {
	const label = `${displayName} v${recorded.version}`;
	if (current === undefined) {
		return [`${label}: the version is recorded but the node no longer has it (version: [${codeVersions.join(', ')}]): workflows saved with it would no longer load; keep every recorded version in description.version — ${GUIDE}`];
	}
	const addVersion = `add a new node version (${withNextVersion(codeVersions)})`;
	const messages: string[] = [];
	for (const [key, was] of Object.entries(recorded.parameters)) {
		const now = current[key];
		if (now === undefined) {
			messages.push(`${label}: parameter ${key} removed (or its show/hide conditions changed): workflows saved with it lose the setting; keep it in this version, ${addVersion} and hide it there only — ${GUIDE}`);
			continue;
		}
		if (now.type !== was.type) {
			messages.push(`${label}: parameter ${key} type ${was.type} -> ${now.type}: a saved value would be read as the new type; ${addVersion} and show the new type for it only — ${GUIDE}`);
		}
		if (stableJson(now.default) !== stableJson(was.default)) {
			messages.push(`${label}: parameter ${key} default ${stableJson(was.default)} -> ${stableJson(now.default)}: a changed default changes every saved workflow; ${addVersion} and show the new default for it only — ${GUIDE}`);
		}
		const offered = new Set((now.values ?? []).map(stableJson));
		for (const value of (was.values ?? []).filter((v) => !offered.has(stableJson(v)))) {
			messages.push(`${label}: parameter ${key} option value ${stableJson(value)} removed: workflows saved with it lose their choice; keep the value in this version, ${addVersion} and hide it there only — ${GUIDE}`);
		}
	}
	return messages;
}

/** Every difference between the recorded node and the node in code, over all its recorded versions. */
export function nodeDifferences(recorded: NodeContract, current: NodeContract | undefined): string[] {
	if (current === undefined) return [`${recorded.displayName}: the node is recorded but no longer in nodes/*/*.node.ts: workflows saved with it would no longer load — ${GUIDE}`];
	const codeVersions = current.versions.map((v) => v.version);
	return recorded.versions.flatMap((version) =>
		versionDifferences(current.displayName, codeVersions, version, current.versions.find((v) => v.version === version.version)?.parameters),
	);
}

/** One message per node version in code that the record does not have yet. */
export function unrecordedVersions(recorded: Contract, current: Contract): string[] {
	return Object.entries(current).flatMap(([name, node]) =>
		node.versions
			.filter((v) => !recorded[name]?.versions.some((r) => r.version === v.version))
			.map((v) => `${node.displayName} v${v.version} is not recorded: run \`${RECORD_COMMAND}\` to record it (\`${RECORD_COMMAND} ${name}\` records this node only) — ${GUIDE}`),
	);
}

export interface AddPlan {
	/** The record with the new versions added; the recorded versions are the very same objects. */
	contract: Contract;
	/** Only the node versions added, in the record's shape. */
	added: Contract;
	/** Why nothing may be written: a recorded version no longer matches the code. */
	refused: string[];
}

/**
 * What `--add` would record: the node versions in code not recorded yet, of the named nodes or of all. A recorded
 * version is never rewritten; when one of them no longer matches the code the plan is refused with the differences.
 */
export function planAdd(recorded: Contract, current: Contract, only: string[] = []): AddPlan {
	const unknown = only.filter((name) => current[name] === undefined);
	if (unknown.length > 0) return { contract: recorded, added: {}, refused: [`No node named ${unknown.join(', ')}; the nodes are ${Object.keys(current).join(', ')}`] };
	const differences = Object.entries(recorded).flatMap(([name, node]) => nodeDifferences(node, current[name]));
	if (differences.length > 0) return { contract: recorded, added: {}, refused: ['A recorded node version is never rewritten, and these no longer match the code:', ...differences] };
	const contract: Contract = { ...recorded };
	const added: Contract = {};
	for (const [name, node] of Object.entries(current)) {
		if (only.length > 0 && !only.includes(name)) continue;
		const known = recorded[name]?.versions ?? [];
		const fresh = node.versions.filter((v) => !known.some((r) => r.version === v.version));
		if (fresh.length === 0) continue;
		added[name] = { displayName: node.displayName, versions: fresh };
		contract[name] = { displayName: recorded[name]?.displayName ?? node.displayName, versions: [...known, ...fresh].sort((a, b) => a.version - b.version) };
	}
	return { contract, added, refused: [] };
}
