/**
 * Parameters are a contract (issue 17): n8n saves only the parameters that differ from their defaults, so a node
 * version's defaults, parameter names, types and option values must never change once released. The record is
 * test/fixtures/parameterDefaults.json; a new node version is recorded with `node scripts/parameter-defaults.mjs --add`.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';
import {
	currentContract,
	loadNodeDescriptions,
	nodeContract,
	nodeDifferences,
	planAdd,
	shownInVersion,
	unrecordedVersions,
	versionContract,
	type Contract,
	type ContractDescription,
	type VersionContract,
} from '../helpers/parameterContract';

const ROOT = join(__dirname, '..', '..');
const recorded = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'parameterDefaults.json'), 'utf8')) as Contract;
const descriptions = loadNodeDescriptions(ROOT);
const current = currentContract(descriptions);
const ADVICE = '— see docs/parameters.md';
/** Order Matcher's versions when this was written (issue 16 added 1.1). */
const MATCHER_VERSIONS = [1, 1.1];

function description(name: string): ContractDescription {
	const found = descriptions.find((d) => d.name === name);
	if (found === undefined) throw new Error(`no node ${name}`);
	return found;
}

/**
 * A deep copy of a real node's description, cut to the given (recorded, so frozen) versions, with one edit: the "code"
 * the checker must catch. The cut keeps these tests true when the node gains a version.
 */
function edited(name: string, versions: number[], edit: (copy: ContractDescription) => void = () => {}): ContractDescription {
	const { displayName, properties } = description(name);
	const copy = structuredClone({ name, displayName, version: versions, properties });
	edit(copy);
	return copy;
}

/** The one property of that name (the first of several unless `pick` chooses). */
function property(list: INodeProperties[], name: string, pick: (p: INodeProperties) => boolean = () => true): INodeProperties {
	const found = list.find((p) => p.name === name && pick(p));
	if (found === undefined) throw new Error(`no parameter ${name}`);
	return found;
}

/** What the checker says about a real node edited one way, against the node as it is, in the given versions. */
function differencesAfter(name: string, versions: number[], edit: (copy: ContractDescription) => void): string[] {
	return nodeDifferences(nodeContract(edited(name, versions)), nodeContract(edited(name, versions, edit)));
}

describe('every recorded node version keeps its parameter contract', () => {
	it.each(Object.keys(recorded))('%s', (name) => {
		expect(nodeDifferences(recorded[name], current[name])).toEqual([]);
	});

	it('every node version in the code is recorded', () => {
		expect(unrecordedVersions(recorded, current)).toEqual([]);
	});
});

describe('the record is what the nodes promise', () => {
	it('Order Matcher 1 does not detect shared values unless asked, 1.1 does (issue 16), and the rest is the same', () => {
		const [v1, v11] = recorded.orderMatcher.versions;
		expect([v1.version, v11.version]).toEqual([1, 1.1]);
		expect(v1.parameters['options.detectSharedValues']).toEqual({ type: 'boolean', default: false });
		expect(v11.parameters['options.detectSharedValues']).toEqual({ type: 'boolean', default: true });
		expect(v1.parameters.lookbackDays).toEqual({ type: 'number', default: 30 });
		const rest = (parameters: VersionContract) => Object.entries(parameters).filter(([key]) => key !== 'options.detectSharedValues');
		expect(rest(v1.parameters)).toEqual(rest(v11.parameters));
	});

	it('keys a parameter shown under other conditions apart and nests collection options under their parent', () => {
		const crm = recorded.crmXmlImport.versions[0].parameters;
		expect(crm['url {"show":{"source":["url"]}}']).toEqual({ type: 'string', default: '' });
		expect(crm['fields {"show":{"format":["generic"]}}.phones']).toEqual({ type: 'string', default: '' });
		expect(crm['options.encoding']).toEqual({ type: 'options', default: 'auto', values: ['auto', 'koi8-r', 'utf-16le', 'utf-8', 'windows-1251'] });
		expect(recorded.crmStatusMap.versions[0].parameters['rules.rule.stage']).toEqual({ type: 'options', default: 'won', values: ['new', 'in_progress', 'won', 'lost', 'other'] });
	});

	it('leaves out notices, which hold no value', () => {
		expect(Object.keys(recorded.orderMatcher.versions[0].parameters)).not.toContain('inputsNotice');
	});
});

describe('the checker fails on a real node changed one way (it can fail)', () => {
	it('a changed default', () => {
		expect(differencesAfter('orderMatcher', MATCHER_VERSIONS, (d) => (property(d.properties, 'lookbackDays').default = 14))).toEqual([
			`Order Matcher v1: parameter lookbackDays default 30 -> 14: a changed default changes every saved workflow; add a new node version (version: [1, 1.1, 1.2]) and show the new default for it only ${ADVICE}`,
			`Order Matcher v1.1: parameter lookbackDays default 30 -> 14: a changed default changes every saved workflow; add a new node version (version: [1, 1.1, 1.2]) and show the new default for it only ${ADVICE}`,
		]);
	});

	it('a changed default of a collection option shown in version 1.1 only', () => {
		const options = (d: ContractDescription) => property(d.properties, 'options').options as INodeProperties[];
		expect(differencesAfter('orderMatcher', MATCHER_VERSIONS, (d) => (property(options(d), 'detectSharedValues', (p) => p.default === true).default = false))).toEqual([
			`Order Matcher v1.1: parameter options.detectSharedValues default true -> false: a changed default changes every saved workflow; add a new node version (version: [1, 1.1, 1.2]) and show the new default for it only ${ADVICE}`,
		]);
	});

	it('a changed default inside a fixed collection', () => {
		const rule = (d: ContractDescription) => (property(d.properties, 'rules').options as INodePropertyCollection[])[0].values;
		expect(differencesAfter('crmStatusMap', [1], (d) => (property(rule(d), 'match').default = 'exact'))).toEqual([
			`CRM Status Map v1: parameter rules.rule.match default "insensitive" -> "exact": a changed default changes every saved workflow; add a new node version (version: [1, 1.1]) and show the new default for it only ${ADVICE}`,
		]);
	});

	it('a changed type', () => {
		expect(differencesAfter('orderMatcher', MATCHER_VERSIONS, (d) => (property(d.properties, 'graceHours').type = 'string'))).toEqual([
			`Order Matcher v1: parameter graceHours type number -> string: a saved value would be read as the new type; add a new node version (version: [1, 1.1, 1.2]) and show the new type for it only ${ADVICE}`,
			`Order Matcher v1.1: parameter graceHours type number -> string: a saved value would be read as the new type; add a new node version (version: [1, 1.1, 1.2]) and show the new type for it only ${ADVICE}`,
		]);
	});

	it('a removed option value', () => {
		const destination = (d: ContractDescription) => property(d.properties, 'destination');
		expect(differencesAfter('revenuePush', [1], (d) => (destination(d).options = (destination(d).options as INodePropertyOptions[]).filter((o) => o.value !== 'webhook')))).toEqual([
			`Revenue Push v1: parameter destination option value "webhook" removed: workflows saved with it lose their choice; keep the value in this version, add a new node version (version: [1, 1.1]) and hide it there only ${ADVICE}`,
		]);
	});

	it('a removed parameter, and its collection options with it', () => {
		expect(differencesAfter('touchpoint', [1], (d) => (d.properties = d.properties.filter((p) => p.name !== 'trackingNumbers')))).toEqual(
			['trackingNumbers', 'trackingNumbers.number.number', 'trackingNumbers.number.source', 'trackingNumbers.number.medium', 'trackingNumbers.number.campaign'].map(
				(key) =>
					`Touchpoint v1: parameter ${key} removed (or its show/hide conditions changed): workflows saved with it lose the setting; keep it in this version, add a new node version (version: [1, 1.1]) and hide it there only ${ADVICE}`,
			),
		);
	});

	it('changed show conditions count as a removal: the saved value may no longer apply', () => {
		expect(differencesAfter('crmXmlImport', [1], (d) => (property(d.properties, 'url').displayOptions = { show: { source: ['url', 'binary'] } }))).toEqual([
			`CRM XML Import v1: parameter url {"show":{"source":["url"]}} removed (or its show/hide conditions changed): workflows saved with it lose the setting; keep it in this version, add a new node version (version: [1, 1.1]) and hide it there only ${ADVICE}`,
		]);
	});

	it('a recorded version dropped from the code', () => {
		expect(differencesAfter('orderMatcher', MATCHER_VERSIONS, (d) => (d.version = [1]))).toEqual([
			`Order Matcher v1.1: the version is recorded but the node no longer has it (version: [1]): workflows saved with it would no longer load; keep every recorded version in description.version ${ADVICE}`,
		]);
	});

	it('a node version not recorded yet', () => {
		const withNewVersion = currentContract([edited('orderMatcher', [1, 1.1, 1.2])]);
		expect(unrecordedVersions({ orderMatcher: nodeContract(edited('orderMatcher', MATCHER_VERSIONS)) }, withNewVersion)).toEqual([
			`Order Matcher v1.2 is not recorded: run \`node scripts/parameter-defaults.mjs --add\` to record it (\`node scripts/parameter-defaults.mjs --add orderMatcher\` records this node only) ${ADVICE}`,
		]);
	});

	it('allows a new parameter, a new collection option and a new option value in a recorded version', () => {
		const differences = differencesAfter('revenuePush', [1], (d) => {
			d.properties.push({ displayName: 'Dry Run', name: 'dryRun', type: 'boolean', default: false });
			(property(d.properties, 'options').options as INodeProperties[]).push({ displayName: 'Batch Size', name: 'batchSize', type: 'number', default: 25 });
			(property(d.properties, 'mode').options as INodePropertyOptions[]).push({ name: 'Correction', value: 'correction' });
		});
		expect(differences).toEqual([]);
	});
});

describe('which parameters a node version shows', () => {
	it('evaluates @version the way n8n does: show needs a match, a matching hide hides', () => {
		expect([1, 1.1, 2].map((v) => shownInVersion({ show: { '@version': [1] } }, v))).toEqual([true, false, false]);
		expect([1, 1.1, 2].map((v) => shownInVersion({ show: { '@version': [{ _cnd: { gte: 1.1 } }] } }, v))).toEqual([false, true, true]);
		expect([1, 1.1, 2].map((v) => shownInVersion({ show: { '@version': [{ _cnd: { lt: 1.1 } }] } }, v))).toEqual([true, false, false]);
		expect([1, 1.1, 2].map((v) => shownInVersion({ hide: { '@version': [{ _cnd: { lt: 2 } }] } }, v))).toEqual([false, false, true]);
		expect([1, 2].map((v) => shownInVersion({ show: { operation: ['rank'] } }, v))).toEqual([true, true]);
	});

	it('keys the same name under other conditions apart, without @version, and filters option values by version', () => {
		const properties: INodeProperties[] = [
			{ displayName: 'Days', name: 'days', type: 'number', default: 30, displayOptions: { show: { operation: ['a'] } } },
			{ displayName: 'Days', name: 'days', type: 'number', default: 7, displayOptions: { show: { operation: ['b'], '@version': [{ _cnd: { gte: 2 } }] } } },
			{
				displayName: 'Mode',
				name: 'mode',
				type: 'options',
				default: 'x',
				options: [
					{ name: 'X', value: 'x' },
					{ name: 'Y', value: 'y', displayOptions: { show: { '@version': [2] } } },
				],
			},
		];
		expect(versionContract(properties, 1)).toEqual({
			'days {"show":{"operation":["a"]}}': { type: 'number', default: 30 },
			mode: { type: 'options', default: 'x', values: ['x'] },
		});
		expect(versionContract(properties, 2)).toEqual({
			'days {"show":{"operation":["a"]}}': { type: 'number', default: 30 },
			'days {"show":{"operation":["b"]}}': { type: 'number', default: 7 },
			mode: { type: 'options', default: 'x', values: ['x', 'y'] },
		});
	});

	it('refuses a parameter shown twice under the same conditions in one version', () => {
		const twice: INodeProperties[] = [
			{ displayName: 'Days', name: 'days', type: 'number', default: 30 },
			{ displayName: 'Days', name: 'days', type: 'number', default: 7, displayOptions: { show: { '@version': [2] } } },
		];
		expect(Object.keys(versionContract(twice, 1))).toEqual(['days']);
		expect(() => versionContract(twice, 2)).toThrow('Parameter days is shown twice in version 2');
	});
});

describe('recording (scripts/parameter-defaults.mjs --add)', () => {
	const matcher = nodeContract(edited('orderMatcher', MATCHER_VERSIONS));
	const onlyV1: Contract = { orderMatcher: { displayName: 'Order Matcher', versions: [matcher.versions[0]] } };

	it('adds the versions not recorded yet and keeps the recorded ones as they are', () => {
		const plan = planAdd(onlyV1, { orderMatcher: matcher });
		expect(plan.refused).toEqual([]);
		expect(plan.added).toEqual({ orderMatcher: { displayName: 'Order Matcher', versions: [matcher.versions[1]] } });
		expect(plan.contract.orderMatcher.versions.map((v) => v.version)).toEqual([1, 1.1]);
		expect(plan.contract.orderMatcher.versions[0]).toBe(onlyV1.orderMatcher.versions[0]);
	});

	it('adds only the named nodes', () => {
		const plan = planAdd({}, currentContract([edited('orderMatcher', MATCHER_VERSIONS), edited('touchpoint', [1])]), ['touchpoint']);
		expect(Object.keys(plan.contract)).toEqual(['touchpoint']);
	});

	it('refuses, writing nothing, while a recorded version no longer matches the code', () => {
		const changed = nodeContract(edited('orderMatcher', MATCHER_VERSIONS, (d) => (property(d.properties, 'graceHours').default = 4)));
		const plan = planAdd(onlyV1, { orderMatcher: changed });
		expect(plan.refused).toEqual([
			'A recorded node version is never rewritten, and these no longer match the code:',
			`Order Matcher v1: parameter graceHours default 2 -> 4: a changed default changes every saved workflow; add a new node version (version: [1, 1.1, 1.2]) and show the new default for it only ${ADVICE}`,
		]);
		expect(plan.contract).toBe(onlyV1);
		expect(plan.added).toEqual({});
	});
});
