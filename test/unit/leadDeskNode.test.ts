import { join } from 'path';
import { NodeOperationError, type ICredentialDataDecryptedObject, type ICredentialsDecrypted, type ICredentialTestFunctions, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { SalesAnalyticsLeadDeskApi } from '../../credentials/SalesAnalyticsLeadDeskApi.credentials';
import { newLead } from '../../nodes/LeadQueue/lead';
import { fakeExecuteFunctions } from '../faults/fakeContext';

/**
 * The lead desk's operations through Lead Queue's real execute(): Sign In Manager against the Lead Desk Managers API
 * credential (the Authorization header and the passwords appear in no output and no error), Lead Desk Page, and the
 * credential's test. Base64 made with coreutils' base64: anna@shop.ru:secret one.
 */
const { LeadQueue } = require(join(__dirname, '..', '..', 'nodes', 'LeadQueue', 'LeadQueue.node.ts')) as typeof import('../../nodes/LeadQueue/LeadQueue.node');

const ANNA = 'Basic YW5uYUBzaG9wLnJ1OnNlY3JldCBvbmU=';
const CREDENTIAL = { managerPasswords: 'anna@shop.ru: secret one\nboris@shop.ru: pw2', displayNames: 'anna@shop.ru: Anna Petrova' };
const NOW = '2026-12-07T12:00:00+03:00';

async function run(input: IDataObject[], parameters: Record<string, unknown>, credential: ICredentialDataDecryptedObject = CREDENTIAL, continueOnFail = false): Promise<INodeExecutionData[][]> {
	const type = new LeadQueue();
	const node = { id: 'lead-desk-node', name: 'Sign In', type: 'n8n-nodes-sales-analytics.leadQueue', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
	const ctx = fakeExecuteFunctions(
		{ parameters: { options: { now: NOW, timeZone: 'Europe/Moscow' }, ...parameters }, credential, staticData: {}, continueOnFail, input: input.map((json) => ({ json })) },
		{ type, node, credentials: [new SalesAnalyticsLeadDeskApi()] },
	);
	return type.execute.call(ctx as IExecuteFunctions);
}

/** A Webhook node's item for a request with these headers and this form body. */
const request = (headers: IDataObject, body: IDataObject = {}) => ({ headers: { host: 'desk.shop.ru', ...headers }, params: {}, query: {}, body });

describe('Lead Queue Sign In Manager', () => {
	it('signs in the manager of each request, paired to it, and its output holds neither the header nor a password', async () => {
		const [out] = await run([request({ authorization: ANNA }), request({})], { operation: 'signIn', deskRequest: 'open' });
		expect(out.map(({ json, pairedItem }) => [json.outcome, json.httpStatus, json.managerId, json.displayName, pairedItem])).toEqual([
			['signedIn', 200, 'anna@shop.ru', 'Anna Petrova', { item: 0 }],
			['refused', 401, undefined, undefined, { item: 1 }],
		]);
		expect(out[0].json.formToken).toMatch(/^1796634000\.[A-Za-z0-9_-]{43}$/);
		expect(JSON.stringify(out)).not.toMatch(/YW5uYUBzaG9wLnJ1|secret one|pw2/);
	});

	it("takes a press with the page's token and refuses one from another site (the default Request is a press)", async () => {
		const [[opened]] = await run([request({ authorization: ANNA })], { operation: 'signIn', deskRequest: 'open' });
		const deskToken = opened.json.formToken as string;
		const [out] = await run(
			[request({ authorization: ANNA, origin: 'null', 'sec-fetch-site': 'cross-site' }, { deskToken }), request({ authorization: ANNA, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, { deskToken })],
			{ operation: 'signIn' },
		);
		expect(out.map(({ json }) => [json.outcome, json.httpStatus, json.message])).toEqual([
			['signedIn', 200, undefined],
			['refused', 403, 'Press refused: it came from a page of another site'],
		]);
	});

	it('stops at a managers list that does not read, naming the line and not the password; with Continue On Fail one error item', async () => {
		const broken = { managerPasswords: 'anna@shop.ru: secret one\nboris@shop.ru pw2' };
		const error = await run([request({ authorization: ANNA })], { operation: 'signIn' }, broken).then(
			() => null,
			(e: unknown) => e as NodeOperationError,
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error?.message).toBe('Managers and Passwords, line 2: no ":" between the login and the password');
		expect(`${error?.message} ${error?.description}`).not.toMatch(/secret one|pw2|YW5u/);
		const [items] = await run([request({ authorization: ANNA })], { operation: 'signIn' }, broken, true);
		expect(items.map(({ json, pairedItem }) => [json.error, pairedItem])).toEqual([['Managers and Passwords, line 2: no ":" between the login and the password', [{ item: 0 }]]]);
	});
});

describe('Lead Queue Lead Desk Page', () => {
	const lead = (leadId: string) => JSON.stringify(newLead({ leadId, createdAt: '2026-12-07T10:00:00+03:00', name: '<img src=x onerror=alert(1)>' }));

	it('before a press: the count of the waiting rows and the button, one item paired to all rows', async () => {
		const rows = [1, 2, 3].map((id) => ({ id, leadId: `L${id}`, state: 'waiting', lead: lead(`L${id}`) }));
		const [out] = await run(rows, { operation: 'deskPage', deskView: 'waiting', signedInAs: 'Anna Petrova', formToken: 'tok' });
		expect(out.map(({ json, pairedItem }) => [json.httpStatus, json.waiting, pairedItem])).toEqual([[200, 3, [{ item: 0 }, { item: 1 }, { item: 2 }]]]);
		expect(out[0].json.page).toContain('Leads waiting: <strong>3</strong>');
	});

	it("after a won claim: the lead with its hostile name as text, and Take Next's count", async () => {
		const won = { id: 7, leadId: 'L7', state: 'assigned', assignedTo: 'anna@shop.ru', lead: lead('L7') };
		const [out] = await run([won], { operation: 'deskPage', deskView: 'taken', signedInAs: 'Anna Petrova', formToken: 'tok', waitingLeft: 2 });
		expect([out[0].json.httpStatus, out[0].json.waiting]).toEqual([200, 2]);
		expect(out[0].json.page).toContain('<h2>&lt;img src=x onerror=alert(1)&gt;</h2>');
	});
});

describe('the Lead Desk Managers API credential', () => {
	const type = new LeadQueue();
	const test = type.methods?.credentialTest?.leadDeskManagers as (this: ICredentialTestFunctions, credential: ICredentialsDecrypted) => Promise<{ status: string; message: string }>;
	const credential = (data: ICredentialDataDecryptedObject): ICredentialsDecrypted => ({ id: 'c1', name: 'Lead Desk Managers', type: 'salesAnalyticsLeadDeskApi', data });

	it('is tested by the node: the list reads, or the line that does not', async () => {
		expect(await test.call({} as ICredentialTestFunctions, credential(CREDENTIAL))).toEqual({ status: 'OK', message: '2 managers can sign in' });
		expect(await test.call({} as ICredentialTestFunctions, credential({ managerPasswords: 'anna: one\nANNA: two' }))).toEqual({ status: 'Error', message: 'Managers and Passwords, line 2: the login of line 1 again' });
	});

	it('is asked for by Sign In Manager only, and its password list is a password field', () => {
		expect(type.description.credentials?.filter((credential) => credential.name === 'salesAnalyticsLeadDeskApi')).toEqual([{ name: 'salesAnalyticsLeadDeskApi', required: true, testedBy: 'leadDeskManagers', displayOptions: { show: { operation: ['signIn'] } } }]);
		expect(new SalesAnalyticsLeadDeskApi().properties.find((property) => property.name === 'managerPasswords')?.typeOptions).toEqual({ password: true, rows: 6 });
	});
});
