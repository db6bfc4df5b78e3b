import { N8N_VERSION } from '../e2e/realN8n';
import { defaultDeadlineSec, loadFaultResults, loadReport, runIntakeLoad, type LoadResult } from './intakeLoad';

/**
 * The intake load at CI size (the full 50,000 is `npx ts-node test/load/intakeLoad.ts`): 300 touches from 20
 * clients at once, 10 % of them delivered twice (half both at once), into the touch intake template in a real n8n.
 * At the 4 to 5 touches a second a busy two-core machine gives, about a minute. After it, 200 fresh payloads go to
 * n8n's do-nothing webhook, n8n's store-the-request webhook and the intake in rounds that take turns, in the same n8n:
 * the report prints the intake's throughput against both (figures, not pass conditions: speed is judged in the
 * benchmark).
 */
const COUNT = 300;
let result: LoadResult;

beforeAll(async () => {
	result = await runIntakeLoad({ count: COUNT, clients: 20, redeliverShare: 0.1, deadlineSec: defaultDeadlineSec(COUNT), seed: 11, baseline: 200 });
	console.log(loadReport(result));
}, 1_200_000);

describe(`touch intake under load in real n8n ${N8N_VERSION}`, () => {
	it('stores every touch exactly once, redeliveries racing each other included', () => {
		expect({ lost: result.lost, duplicated: result.duplicated, extra: result.extra, timedOut: result.timedOut }).toEqual({ lost: 0, duplicated: 0, extra: 0, timedOut: false });
		expect(result.rows).toBe(result.touches);
		expect(result.redelivered.concurrent + result.redelivered.later).toBe(30);
		expect([result.redeliveredLost, result.redeliveredDuplicated]).toEqual([0, 0]);
	});

	it('gets every delivery through, answering each with the touchIds the Touchpoint parser gives', () => {
		expect({ failed: result.failed, notSent: result.notSent, answerMismatches: result.answerMismatches }).toEqual({ failed: 0, notSent: 0, answerMismatches: 0 });
		expect(result.requests).toBeGreaterThanOrEqual(COUNT + 30);
	});

	it('gives the fault table its rows', () => {
		const rows = loadFaultResults(result);
		expect(rows.map((row) => [row.tries, row.survived, row.lost, row.duplicated])).toEqual([
			[COUNT, COUNT, 0, 0],
			[30, 30, 0, 0],
		]);
	});
});
