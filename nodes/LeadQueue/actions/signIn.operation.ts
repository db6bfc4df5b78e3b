import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IExecuteFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { signInAnswer } from '../desk';
import { parseManagers } from '../deskAuth';
import { show, type QueueOptions } from './common';

export const description: INodeProperties[] = [
	{
		displayName: 'Request',
		name: 'deskRequest',
		type: 'options',
		options: [
			{ name: 'Open the Page (GET)', value: 'open', description: 'Sign in only' },
			{
				name: 'Press the Button (POST)',
				value: 'press',
				description: "Sign in, and refuse (403) a press from another site or without a form token of the desk's page",
			},
		],
		default: 'press',
		displayOptions: show('signIn'),
		description: 'Which request of the lead desk page the input item (a Webhook item) is',
	},
];

/**
 * One answer per input item (a Webhook item): signedIn with managerId, displayName and a fresh formToken, or refused
 * with the HTTP status (401: sign in; 403: a press from elsewhere) and the page to answer with. The list of managers
 * is the Lead Desk Managers credential; a list that does not read stops the run with the line it is on.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[], options: QueueOptions): Promise<INodeExecutionData[][]> {
	const credentials = await this.getCredentials('salesAnalyticsLeadDeskApi');
	const managers = parseManagers(credentials.managerPasswords, credentials.displayNames);
	const press = this.getNodeParameter('deskRequest', 0) === 'press';
	const nowMs = options.now.getTime();
	return [items.map(({ json }, item) => ({ json: signInAnswer(json, managers, press, nowMs) as unknown as IDataObject, pairedItem: { item } }))];
}

/** The credential's test: the list reads (every line, nobody twice, names only for listed logins). */
export async function testManagers(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	try {
		const { byLogin } = parseManagers(credential.data?.managerPasswords, credential.data?.displayNames);
		return { status: 'OK', message: `${byLogin.size} ${byLogin.size === 1 ? 'manager' : 'managers'} can sign in` };
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
}
