import axios, { type AxiosRequestConfig } from 'axios';
import {
	isObjectEmpty,
	NodeApiError,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type JsonObject,
	type WorkflowExecuteMode,
} from 'n8n-workflow';
import { CrmFeedApi } from '../../credentials/CrmFeedApi.credentials';
import { join } from 'path';
import { ProcessedStore } from './processedStore';

/**
 * Just enough of n8n's IExecuteFunctions to run a real node's execute(), transport included: exactly the methods
 * the pack's nodes (and transport.ts, nodeParameters.ts) call. Parameters not set take their default from the node's
 * description, as n8n fills them in. HTTP goes through axios configured the way n8n 2.x's OutboundHttp configures
 * it (the request's timeout, status errors ignored when asked, the response type the request asks for, gzip /
 * deflate decompressed by axios, redirects followed, no proxy) over a real socket to the local server;
 * httpRequestWithAuthentication applies the real credential class's authenticate() and wraps errors in
 * NodeApiError, as n8n-core does; credentials come back with the class's defaults filled in, as n8n decrypts them;
 * the de-duplication helpers (checkProcessedAndRecord, removeProcessed, clearAllProcessedItems, getProcessedDataCount)
 * use the caller's ProcessedStore, kept between runs like n8n's database.
 */
export interface NodeRun {
	parameters: Record<string, unknown>;
	credential: ICredentialDataDecryptedObject;
	/** The node's static data (getWorkflowStaticData('node')): kept by the caller between runs, as n8n does. */
	staticData: IDataObject;
	continueOnFail: boolean;
	/** The node's input items; one empty item when left out (the import node runs after a trigger). */
	input?: INodeExecutionData[];
	/** The items of a node's further inputs (index 1 on), for nodes with several inputs. */
	moreInputs?: INodeExecutionData[][];
	/** n8n's de-duplication store; a fresh one when left out. */
	processed?: ProcessedStore;
	/** How the execution started (getMode): "manual", as from the editor, when left out. */
	mode?: WorkflowExecuteMode;
}

/** The node a fake context runs: its class, how the workflow names it, and the credential classes it may use. */
export interface NodeUnderTest {
	type: INodeType;
	node: INode;
	credentials: ICredentialType[];
}

type NodeModule = typeof import('../../nodes/CrmXmlImport/CrmXmlImport.node');
// Node's resolution (ts-node) would take "CrmXmlImport.node" for the CrmXmlImport.node.json beside it: name the file.
const { CrmXmlImport } = require(join(__dirname, '..', '..', 'nodes', 'CrmXmlImport', 'CrmXmlImport.node.ts')) as NodeModule;

const IMPORT_NODE: NodeUnderTest = {
	type: new CrmXmlImport(),
	node: {
		id: 'fault-suite-import',
		name: 'CRM XML Import',
		type: 'n8n-nodes-sales-analytics.crmXmlImport',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { crmFeedApi: { id: 'fault-suite-credential', name: 'CRM XML Feed' } },
	},
	credentials: [new CrmFeedApi()],
};

/** n8n's IHttpRequestOptions -> the axios request n8n builds (backend-network's convertN8nRequestToAxios). */
function toAxios(options: IHttpRequestOptions): AxiosRequestConfig {
	const config: AxiosRequestConfig = {
		url: options.url,
		method: options.method ?? 'GET',
		headers: { ...(options.headers as Record<string, string>) },
		params: options.qs,
		timeout: options.timeout ?? 300000,
		auth: options.auth ? { username: options.auth.username, password: options.auth.password } : undefined,
		maxBodyLength: Infinity,
		maxContentLength: Infinity,
		proxy: false,
	};
	if (options.encoding !== undefined) config.responseType = options.encoding as AxiosRequestConfig['responseType'];
	// The body as n8n passes it on: text and non-empty objects (bytes included) as they are, a form as URLSearchParams.
	const body = options.body;
	if (typeof body === 'string' || (typeof body === 'object' && !isObjectEmpty(body))) {
		const type = Object.entries(config.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
		config.data = type === 'application/x-www-form-urlencoded' && typeof body === 'object' ? new URLSearchParams(body as Record<string, string>) : body;
	}
	if (config.method?.toUpperCase() === 'GET') delete config.data;
	if (options.ignoreHttpStatusErrors) config.validateStatus = () => true;
	if (options.disableFollowRedirect) config.maxRedirects = 0;
	return config;
}

async function httpRequest(options: IHttpRequestOptions): Promise<unknown> {
	const result = await axios.request(toAxios(options));
	if (options.returnFullResponse) {
		return { body: result.data, headers: result.headers, statusCode: result.status, statusMessage: result.statusText };
	}
	return result.data;
}

export function fakeExecuteFunctions(run: NodeRun, target: NodeUnderTest = IMPORT_NODE): IExecuteFunctions {
	const node = target.node;
	const processed = run.processed ?? new ProcessedStore();
	const credentialClass = (type: string): ICredentialType => {
		const found = target.credentials.find((credential) => credential.name === type);
		if (!found) throw new Error(`no credential of type "${type}"`);
		return found;
	};
	const ctx = {
		getInputData: (inputIndex = 0): INodeExecutionData[] => (inputIndex === 0 ? (run.input ?? [{ json: {} }]) : (run.moreInputs?.[inputIndex - 1] ?? [])),
		getNode: (): INode => node,
		getMode: (): WorkflowExecuteMode => run.mode ?? 'manual',
		getWorkflow: () => ({ id: 'fake-workflow', name: 'Fake workflow', active: run.mode !== undefined && run.mode !== 'manual' }),
		getTimezone: (): string => 'Europe/Moscow',
		continueOnFail: (): boolean => run.continueOnFail,
		getWorkflowStaticData: (type: string): IDataObject => {
			if (type !== 'node') throw new Error(`the fake context keeps only node static data, not "${type}"`);
			return run.staticData;
		},
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown): unknown => {
			const value = run.parameters[name] ?? target.type.description.properties.find((property) => property.name === name)?.default;
			if (value !== undefined) return value;
			if (fallback !== undefined) return fallback;
			throw new Error(`the fault suite sets no parameter "${name}"`);
		},
		getCredentials: async (type: string): Promise<ICredentialDataDecryptedObject> => withDefaults(credentialClass(type), run.credential),
		helpers: {
			httpRequest,
			async httpRequestWithAuthentication(this: IExecuteFunctions, type: string, options: IHttpRequestOptions): Promise<unknown> {
				try {
					const credential = await this.getCredentials(type);
					return await httpRequest(await authenticated(credentialClass(type), credential, options));
				} catch (error) {
					throw new NodeApiError(node, error as JsonObject);
				}
			},
			...processed.helpers(node.id),
			prepareBinaryData: async (data: Buffer, fileName: string, mimeType: string) => ({ data: data.toString('base64'), fileName, mimeType, fileSize: String(data.length) }),
			returnJsonArray: (json: IDataObject[]): INodeExecutionData[] => json.map((item) => ({ json: item })),
			constructExecutionMetaData: (items: INodeExecutionData[], meta: { itemData: { item: number } }): INodeExecutionData[] =>
				items.map((item) => ({ ...item, pairedItem: meta.itemData })),
		},
	};
	return ctx as unknown as IExecuteFunctions;
}

/** The credential as n8n hands it to a node: the class's defaults, then what the user saved; unknown fields refused. */
function withDefaults(credential: ICredentialType, saved: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
	const known = new Set(credential.properties.map((property) => property.name));
	const unknown = Object.keys(saved).filter((name) => !known.has(name));
	if (unknown.length > 0) throw new Error(`the ${credential.name} credential has no field ${unknown.join(', ')}`);
	const defaults = Object.fromEntries(credential.properties.map((property) => [property.name, property.default]));
	return { ...defaults, ...saved } as ICredentialDataDecryptedObject;
}

/** A credential class's authenticate(): a function, or n8n's generic form with "={{$credentials.x}}" values. */
async function authenticated(credential: ICredentialType, values: ICredentialDataDecryptedObject, options: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const authenticate = credential.authenticate;
	if (typeof authenticate === 'function') return await authenticate(values, options);
	if (!authenticate) return options;
	const resolve = (template: unknown) => String(template).replace(/^=/, '').replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_, name: string) => String(values[name] ?? ''));
	const resolved = (part: object | undefined) => Object.fromEntries(Object.entries(part ?? {}).map(([key, value]) => [key, resolve(value)]));
	const { headers, qs } = authenticate.properties;
	return { ...options, headers: { ...options.headers, ...resolved(headers) }, qs: { ...options.qs, ...resolved(qs) } };
}

/** One run of a real node: its output items, or what it threw. */
export async function executeNode(target: NodeUnderTest, run: NodeRun): Promise<{ items: INodeExecutionData[]; error?: Error & { description?: string | null } }> {
	try {
		if (!target.type.execute) throw new Error(`${target.node.name} has no execute()`);
		const output = (await target.type.execute.call(fakeExecuteFunctions(run, target))) as INodeExecutionData[][] | null;
		return { items: output?.[0] ?? [] };
	} catch (error) {
		return { items: [], error: error as Error & { description?: string | null } };
	}
}

/** One run of the real CRM XML Import node. */
export async function runNode(run: NodeRun): Promise<{ items: INodeExecutionData[]; error?: Error & { description?: string | null } }> {
	return await executeNode(IMPORT_NODE, run);
}
