import axios, { type AxiosRequestConfig } from 'axios';
import {
	NodeApiError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';
import { CrmFeedApi } from '../../credentials/CrmFeedApi.credentials';
import { join } from 'path';

/**
 * Just enough of n8n's IExecuteFunctions to run the real CRM XML Import node's execute(), transport included:
 * exactly the methods the node (and transport.ts, nodeParameters.ts) call. HTTP goes through axios configured the
 * way n8n 2.x's OutboundHttp configures it (responseType "stream", the request's timeout, status errors ignored
 * when asked, gzip / deflate decompressed by axios, redirects followed, no proxy) over a real socket to the local
 * server; httpRequestWithAuthentication applies the real CrmFeedApi credential's authenticate() and wraps errors
 * in NodeApiError, as n8n-core does.
 */
export interface NodeRun {
	parameters: Record<string, unknown>;
	credential: ICredentialDataDecryptedObject;
	/** The node's static data (getWorkflowStaticData('node')): kept by the caller between runs, as n8n does. */
	staticData: IDataObject;
	continueOnFail: boolean;
}

type NodeModule = typeof import('../../nodes/CrmXmlImport/CrmXmlImport.node');
// Node's resolution (ts-node) would take "CrmXmlImport.node" for the CrmXmlImport.node.json beside it: name the file.
const { CrmXmlImport } = require(join(__dirname, '..', '..', 'nodes', 'CrmXmlImport', 'CrmXmlImport.node.ts')) as NodeModule;

const NODE: INode = {
	id: 'fault-suite-import',
	name: 'CRM XML Import',
	type: 'n8n-nodes-sales-analytics.crmXmlImport',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
	credentials: { crmFeedApi: { id: 'fault-suite-credential', name: 'CRM XML Feed' } },
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

export function fakeExecuteFunctions(run: NodeRun): IExecuteFunctions {
	const credentialType = new CrmFeedApi();
	const ctx = {
		getInputData: (): INodeExecutionData[] => [{ json: {} }],
		getNode: (): INode => NODE,
		getTimezone: (): string => 'Europe/Moscow',
		continueOnFail: (): boolean => run.continueOnFail,
		getWorkflowStaticData: (type: string): IDataObject => {
			if (type !== 'node') throw new Error(`the fake context keeps only node static data, not "${type}"`);
			return run.staticData;
		},
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown): unknown => {
			const value = run.parameters[name];
			if (value !== undefined) return value;
			if (fallback !== undefined) return fallback;
			throw new Error(`the fault suite sets no parameter "${name}"`);
		},
		getCredentials: async (type: string): Promise<ICredentialDataDecryptedObject> => {
			if (type !== 'crmFeedApi') throw new Error(`no credential of type "${type}"`);
			return { ...run.credential };
		},
		helpers: {
			httpRequest,
			async httpRequestWithAuthentication(this: IExecuteFunctions, type: string, options: IHttpRequestOptions): Promise<unknown> {
				try {
					const credential = await this.getCredentials(type);
					return await httpRequest(await credentialType.authenticate(credential, options));
				} catch (error) {
					throw new NodeApiError(NODE, error as JsonObject);
				}
			},
			returnJsonArray: (json: IDataObject[]): INodeExecutionData[] => json.map((item) => ({ json: item })),
			constructExecutionMetaData: (items: INodeExecutionData[], meta: { itemData: { item: number } }): INodeExecutionData[] =>
				items.map((item) => ({ ...item, pairedItem: meta.itemData })),
		},
	};
	return ctx as unknown as IExecuteFunctions;
}

/** One run of the real node: its output items, or what it threw. */
export async function runNode(run: NodeRun): Promise<{ items: INodeExecutionData[]; error?: Error & { description?: string | null } }> {
	const node = new CrmXmlImport();
	try {
		const [items] = await node.execute.call(fakeExecuteFunctions(run));
		return { items };
	} catch (error) {
		return { items: [], error: error as Error & { description?: string | null } };
	}
}
