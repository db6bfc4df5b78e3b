import { fixtureJson, fixtureText } from '../fixtures/touches/load';
import { N8N_VERSION, packPack, RealN8n, template } from './realN8n';

/**
 * The pipeline's templates in one real n8n: touch intake (webhook -> Touchpoint -> Data Table), checked in what
 * lands in n8n's own database.
 */
let n8n: RealN8n;

beforeAll(async () => {
	n8n = new RealN8n(packPack());
	n8n.importWorkflow(template('touch-intake.json'));
	n8n.publish('saTouchIntake');
	await n8n.start();
}, 300000);

afterAll(async () => {
	await n8n?.stop();
});

describe(`touch intake template in real n8n ${N8N_VERSION}`, () => {
	it('stores calls, chats and forms from every kind of sender as canonical touches, once per touchId', async () => {
		const posts: Array<[object | string, string?]> = [
			[fixtureText('binotel-completed-form.txt')],
			[fixtureJson('jivo-chat-finished.json') as object],
			[fixtureJson('zadarma-notify-end.json') as object],
			[fixtureJson('form-tilda.json') as object],
			[fixtureJson('jivo-chat-finished.json') as object],
		];
		for (const [payload, type] of posts) {
			const run = await n8n.callWebhook('touches', payload, type);
			expect([run.status, run.status === 200 ? '' : run.body]).toEqual([200, '']);
		}
		const rows = n8n.dataTableRows('touches');
		expect(rows.map((row) => [row.system, row.kind])).toEqual([
			['binotel', 'call'],
			['jivo', 'chat'],
			['zadarma', 'call'],
			['form', 'form'],
		]);
		const binotel = JSON.parse(String(rows[0].touch)) as Record<string, unknown>;
		expect(binotel).toMatchObject({ touchId: 'binotel:4417349911', phones: ['+380501112233'], answered: false, outcome: 'missed', trackingNumber: '+380443334455' });
		expect(rows[1]).toMatchObject({ emails: 'ivan.petrov@example.com', phones: '+79161234567' });
	});

	it('answers 500 to a payload no source recognises and stores nothing', async () => {
		const before = n8n.dataTableRows('touches').length;
		const run = await n8n.callWebhook('touches', { hello: 'world' });
		expect(run.status).toBe(500);
		expect(n8n.dataTableRows('touches')).toHaveLength(before);
	});
});
