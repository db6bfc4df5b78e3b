/**
 * "Take a lead" from the queue kept in amoCRM, latency in a real n8n (issue 20, item 4): the amoCRM stand-in answering
 * every request in about 100 ms (test/e2e/amoQueueSetup.ts), waiting leads in the queue status, and three workflows
 * of the same n8n pressed in rounds whose order turns each round, so that a change in the shared host's speed weighs
 * on all of them alike:
 * - n8n's own do-nothing webhook: the template's Webhook node alone (same credential and settings), answering when
 *   its execution ends: the baseline;
 * - the CRM floor: n8n's own nodes only, doing the CRM work any press needs (Webhook -> HTTP Request GETs of the
 *   queue status's pages, the requests Load CRM Queue makes (the rank needs every waiting lead: n8n's pagination,
 *   page after page while amoCRM links a next one) -> one HTTP Request PATCH of the first lead of the first page
 *   setting its price to the 0 it has, which leaves it in the queue and changes nothing a press sees -> Respond to
 *   Webhook): a round trip to the CRM for each page of 250 waiting leads, and one;
 * - the CRM and claim floor and the CRM and one-update floor (below): the CRM floor with the Data Table work of a claim;
 * - take a lead from amoCRM (workflows/take-lead-amocrm.json, loaded as it is, its managers and users set).
 * Each round presses each workflow 20 at once (the 20 managers), then `--alone` presses one at a time, taking turns.
 * Prints p50 / p95, n8n's CPU and the stand-in's requests a press for each, the ratios against the do-nothing webhook
 * (the targets) and the CRM floor, where a press's time goes (per node, from the execution data n8n stored),
 * and that no lead went out twice (the answers, and the stand-in's PATCH log: each assignment once).
 * Needs `npm run build` and the pinned n8n in .cache (scripts/install-n8n.sh).
 * The waiting leads come in through the lead intake template (lead-intake-amocrm.json), as a shop's leads do: each
 * has the open claim row the intake writes; with --by-hand they are put straight into the stand-in, as leads made by
 * hand in amoCRM are (no open row: every claim inserts its row).
 * Usage: ts-node test/bench/crmTakeLeadBench.ts [--rounds 5] [--alone 3] [--leads 300] [--queue] [--by-hand] [--template FILE]
 * (--leads: still waiting after the rounds; --queue: n8n in queue mode on Postgres, see benchN8n.ts; --template: another
 * version of the take-a-lead workflow, a path relative to workflows/, for a before and after in one hour: a version
 * before the open rows (9121ecc and earlier) loses every claim beside an open row, so press it --by-hand)
 */
import { loadavg } from 'os';
import { amoQueueUrl } from '../../nodes/LeadQueue/crm/amocrm';
import { amoQueueCredential, inWaves, intakeLeads, QUEUE, queueStandin, waiting, withManagers } from '../e2e/amoQueueSetup';
import { N8N_VERSION, template } from '../e2e/realN8n';
import { AMO_TOKEN } from '../e2e/setups';
import { benchN8n } from './benchN8n';
import { printFigures } from './figures';
import { answersNone, argument, chainWorkflow, column, duplicatesFigure, handOuts, hookOn, MANAGERS, noopWorkflow, pressRounds, printSides, printWhere, requestsPerPress, respondNone, sideFigures, sideOf, targetFigures, type BenchNode } from './takeLeadRounds';

const templateAt = process.argv.indexOf('--template');
/** The take-a-lead workflow to press, a path relative to workflows/ (an earlier version: `git show REV:workflows/take-lead-amocrm.json > .tmp/x.json`, given as ../.tmp/x.json). */
const TEMPLATE = templateAt > 0 ? process.argv[templateAt + 1] : 'take-lead-amocrm.json';
const ROUNDS = argument('rounds', 5);
const ALONE = argument('alone', 3);
/** Leads still waiting after the rounds: the presses' own leads are added on top. */
const WAITING = argument('leads', 300);
/** The first waiting lead's amoCRM id (then +1 each), with --by-hand. */
const FIRST_ID = 20000;
const BY_HAND = process.argv.includes('--by-hand');
/** Leads an intake call carries, and intake calls at once. */
const INTAKE_BATCH = 10;
const INTAKES_AT_ONCE = 8;

const BEARER = { id: 'saBenchAmoBearer', name: 'amoCRM token (bench floor)' };

/** An HTTP Request node of n8n's own to the stand-in, with the token as a Header Auth credential, amoCRM's hal+json read as JSON. */
function httpRequest(seq: number, name: string, position: number[], parameters: Record<string, unknown>): BenchNode {
	return {
		id: `b0000000-0000-4000-8000-00000000010${seq}`,
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position,
		parameters: { authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth', ...parameters, options: { response: { response: { responseFormat: 'json' } } } },
		credentials: { httpHeaderAuth: BEARER },
	};
}

/** The queue status's pages as Load CRM Queue reads them: page 1, 2, ... while amoCRM's answer links a next page (one item a page). */
function readQueuePages(standinUrl: string): BenchNode {
	const firstPage = amoQueueUrl(standinUrl, { pipelineId: QUEUE.pipeline, statusId: QUEUE.status }, 1);
	if (!firstPage.endsWith('&page=1')) throw new Error(`the queue's page address no longer ends with its page: ${firstPage}`);
	const read = httpRequest(3, 'Read Queue Page', [200, 0], { method: 'GET', url: firstPage.slice(0, -'&page=1'.length) });
	const options = read.parameters.options as Record<string, unknown>;
	const pagination = {
		paginationMode: 'updateAParameterInEachRequest',
		parameters: { parameters: [{ type: 'qs', name: 'page', value: '={{ $pageCount + 1 }}' }] },
		paginationCompleteWhen: 'other',
		// A page past the last is a 204 with no body.
		completeExpression: '={{ !$response.body?._links?.next }}',
	};
	return { ...read, parameters: { ...read.parameters, options: { ...options, pagination: { pagination } } } };
}

/** The CRM floor: the queue status's pages as Load CRM Queue reads them, one PATCH that changes nothing, the answer. */
function floorWorkflow(standinUrl: string): Record<string, unknown> {
	return chainWorkflow(TEMPLATE, 'saTakeLeadAmoFloor', 'Bench: CRM floor', [
		hookOn(TEMPLATE, 'crm-floor', 2),
		readQueuePages(standinUrl),
		{
			...httpRequest(4, 'Patch One Lead', [400, 0], {
				method: 'PATCH',
				url: `${standinUrl}/api/v4/leads`,
				sendBody: true,
				specifyBody: 'json',
				jsonBody: '={{ JSON.stringify([{ id: $json._embedded.leads[0].id, price: 0 }]) }}',
			}),
			// Once for all the pages read: the first page's first lead.
			executeOnce: true,
		},
		respondNone(5, [600, 0]),
	]);
}

const CLAIMS_TABLE = { __rl: true, mode: 'name', value: 'lead_claims' };
const dataTable = { type: 'n8n-nodes-base.dataTable', typeVersion: 1.1, alwaysOutputData: true };
/** The floor's own claim key: one per execution, so its claims never meet (no lost claim) and never name a lead. */
const FLOOR_KEY = "={{ 'floor:' + $execution.id }}";
const floorKeyIs = (keyName: string) => ({ keyName, condition: 'eq', keyValue: FLOOR_KEY });

/**
 * The CRM and claim floor: the CRM floor with, between its GET and its PATCH, the Data Table work of one uncontested
 * claim of the kind a CRM queue needs (the CRM has no compare-and-set, and a lead may have no row before it is
 * claimed, so no single conditional update can claim it): insert a claim row, read the lead's claim rows, mark the
 * row, as the template's Claim Lead, Claim Rows and Mark Won do. Its rows are keyed by its execution, so they meet
 * no other claim; the mark writes claimedAtMs, not won, so the template's reads of won claims do not grow with them.
 */
function claimFloorWorkflow(standinUrl: string): Record<string, unknown> {
	const floor = floorWorkflow(standinUrl) as { nodes: BenchNode[] };
	const [, read, patch, respond] = floor.nodes;
	return chainWorkflow(TEMPLATE, 'saTakeLeadAmoClaimFloor', 'Bench: CRM and claim floor', [
		hookOn(TEMPLATE, 'crm-claim-floor', 6),
		{ ...read, id: 'b0000000-0000-4000-8000-000000000113' },
		{
			...dataTable,
			id: 'b0000000-0000-4000-8000-000000000114',
			name: 'Insert Claim',
			position: [300, 0],
			executeOnce: true,
			parameters: {
				resource: 'row',
				operation: 'insert',
				dataTableId: CLAIMS_TABLE,
				columns: {
					mappingMode: 'defineBelow',
					value: { crmLeadId: FLOOR_KEY, claimToken: FLOOR_KEY, lead: '{}', claimedAtMs: '={{ $now.toMillis() }}', won: false },
					matchingColumns: [],
					schema: [column('crmLeadId', 'string'), column('claimToken', 'string'), column('lead', 'string'), column('claimedAtMs', 'number'), column('won', 'boolean')],
					attemptToConvertTypes: false,
					convertFieldsToString: false,
				},
				options: {},
			},
		},
		{
			...dataTable,
			id: 'b0000000-0000-4000-8000-000000000115',
			name: 'Read Claim Rows',
			position: [400, 0],
			parameters: { resource: 'row', operation: 'get', dataTableId: CLAIMS_TABLE, matchType: 'allConditions', filters: { conditions: [floorKeyIs('crmLeadId')] }, returnAll: true },
		},
		{
			...dataTable,
			id: 'b0000000-0000-4000-8000-000000000116',
			name: 'Mark Claim',
			position: [500, 0],
			// Once for all the pages read, where it follows Read Queue Page (the one-update floor).
			executeOnce: true,
			parameters: {
				resource: 'row',
				operation: 'update',
				dataTableId: CLAIMS_TABLE,
				matchType: 'allConditions',
				filters: { conditions: [floorKeyIs('crmLeadId'), floorKeyIs('claimToken')] },
				columns: { mappingMode: 'defineBelow', value: { claimedAtMs: '={{ $now.toMillis() }}' }, matchingColumns: [], schema: [column('claimedAtMs', 'number')], attemptToConvertTypes: false, convertFieldsToString: false },
				options: {},
			},
		},
		{ ...patch, id: 'b0000000-0000-4000-8000-000000000117', position: [600, 0], parameters: { ...patch.parameters, jsonBody: "={{ JSON.stringify([{ id: $('Read Queue Page').first().json._embedded.leads[0].id, price: 0 }]) }}" } },
		{ ...respond, id: 'b0000000-0000-4000-8000-000000000118', position: [700, 0] },
	]);
}

/**
 * The CRM and one-update floor: the CRM floor with one Data Table conditional update between its GET and its PATCH,
 * the least a claim of a lead that has a row can do (the template's Take Open Row, without the read that follows it).
 * The update is keyed by its execution, so it changes no row and meets no other claim: a floor below any claim.
 */
function updateFloorWorkflow(standinUrl: string): Record<string, unknown> {
	const floor = claimFloorWorkflow(standinUrl) as { nodes: BenchNode[] };
	const named = (name: string) => floor.nodes.find((node) => node.name === name) as BenchNode;
	const renumber = (node: BenchNode, seq: number, x: number): BenchNode => ({ ...node, id: `b0000000-0000-4000-8000-00000000012${seq}`, position: [x, 0] });
	return chainWorkflow(TEMPLATE, 'saTakeLeadAmoUpdateFloor', 'Bench: CRM and one-update floor', [
		hookOn(TEMPLATE, 'crm-update-floor', 7),
		renumber(named('Read Queue Page'), 1, 200),
		renumber(named('Mark Claim'), 2, 300),
		renumber(named('Patch One Lead'), 3, 400),
		renumber(named('Respond'), 4, 500),
	]);
}

/** How many requests of each kind ("GET /api/v4/leads") the stand-in has received. */
function byKind(received: Array<{ method: string; path: string }>): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const { method, path } of received) counts[`${method} ${path}`] = (counts[`${method} ${path}`] ?? 0) + 1;
	return counts;
}

async function main(): Promise<void> {
	const load = loadavg();
	const amo = await queueStandin().start();
	const instance = await benchN8n();
	const n8n = instance.main;
	try {
		n8n.importCredentials([amoQueueCredential(amo.url), { ...BEARER, type: 'httpHeaderAuth', data: { name: 'Authorization', value: `Bearer ${AMO_TOKEN}` } }]);
		n8n.importWorkflow(template('lead-intake-amocrm.json'));
		n8n.importWorkflow(withManagers(TEMPLATE));
		n8n.importWorkflow(noopWorkflow(TEMPLATE, 'saTakeLeadAmoNoop', 'do-nothing'));
		n8n.importWorkflow(floorWorkflow(amo.url));
		n8n.importWorkflow(claimFloorWorkflow(amo.url));
		n8n.importWorkflow(updateFloorWorkflow(amo.url));
		for (const id of ['saLeadIntakeAmo', 'saTakeLeadAmo', 'saTakeLeadAmoNoop', 'saTakeLeadAmoFloor', 'saTakeLeadAmoClaimFloor', 'saTakeLeadAmoUpdateFloor']) n8n.publish(id);
		await instance.start();
		const watch = instance.watch();
		// The template takes a lead with every press, warm-up included; by hand: weights 100 to 19,099 kg, 1 to 30 hours
		// old; through the intake: 150 kg and up, 2 hours old.
		const total = WAITING + ROUNDS * (MANAGERS.length + ALONE) + 1;
		if (BY_HAND) amo.stored.push(...Array.from({ length: total }, (_, i) => waiting(FIRST_ID + i, 100 + ((i * 137) % 19000), 1 + (i % 30))));
		else {
			const calls = Math.ceil(total / INTAKE_BATCH);
			const intake = await inWaves(calls, INTAKES_AT_ONCE, async (k) => await n8n.callWebhook('leads-amo', intakeLeads(k * INTAKE_BATCH, Math.min(INTAKE_BATCH, total - k * INTAKE_BATCH))));
			const failed = intake.filter((run) => run.status !== 200);
			if (failed.length > 0 || amo.stored.length !== total) throw new Error(`the intake put ${amo.stored.length} of ${total} leads in the queue: ${failed.map((run) => run.body.slice(0, 200)).join('; ')}`);
		}

		const { check: handedOut, taken, duplicates: twice } = handOuts('take a lead from amoCRM', (lead) => lead.crmLeadId);
		const sides = [
			sideOf("n8n's do-nothing webhook", 'saTakeLeadAmoNoop', 'do-nothing'),
			sideOf('CRM floor (Webhook, HTTP Request GETs of the queue pages, HTTP Request PATCH of one lead, Respond)', 'saTakeLeadAmoFloor', 'crm-floor', answersNone('the CRM floor')),
			sideOf('CRM and claim floor (the CRM floor with an uncontested claim between: Data Table insert, get, update)', 'saTakeLeadAmoClaimFloor', 'crm-claim-floor', answersNone('the CRM and claim floor')),
			sideOf('CRM and one-update floor (the CRM floor with one Data Table conditional update between)', 'saTakeLeadAmoUpdateFloor', 'crm-update-floor', answersNone('the CRM and one-update floor')),
			sideOf('take a lead from amoCRM (the template)', 'saTakeLeadAmo', 'take-lead-amo', handedOut),
		];
		await pressRounds(n8n, sides, { rounds: ROUNDS, alone: ALONE, watch, requestsSoFar: () => byKind(amo.received) });

		const figures = sides.map(sideFigures);
		const [noopF, floorF, claimFloorF, updateFloorF, takeF] = figures;
		console.log(
			`Take a lead from amoCRM in real n8n ${N8N_VERSION} (${instance.setup}), the stand-in answering in 100 ms: ${ROUNDS} rounds taking turns, each of 20 simultaneous presses then ${ALONE} presses alone per workflow; ${WAITING} leads more than the presses take waiting at the start (${total}, ${BY_HAND ? 'made by hand: no open claim rows' : 'from the lead intake: each with its open claim row'}); load average at the start ${load.map((l) => l.toFixed(2)).join(' ')}, at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
		);
		printSides(figures);
		console.log(`Against the CRM floor (no claim): take a lead p95 ${(takeF.p95 / floorF.p95).toFixed(2)}x, alone p50 ${(takeF.aloneP50 / floorF.aloneP50).toFixed(2)}x`);
		console.log(`Against the CRM and one-update floor: take a lead p95 ${(takeF.p95 / updateFloorF.p95).toFixed(2)}x, alone p50 ${(takeF.aloneP50 / updateFloorF.aloneP50).toFixed(2)}x`);
		// Any take-a-lead of a CRM queue makes the CRM's round trips and an atomic claim in n8n: the floor the targets are re-stated against.
		const targets = targetFigures({ bench: 'Lead Queue (amoCRM)', press: 'take a lead from amoCRM', floor: 'CRM and claim floor' }, takeF, noopF, claimFloorF);
		// amoCRM's PATCH log: an assignment names the responsible user (the floor's PATCH only the price).
		const assigned = new Map<number, number>();
		for (const patch of amo.patchLog) if (patch.responsible_user_id !== undefined) assigned.set(Number(patch.id), (assigned.get(Number(patch.id)) ?? 0) + 1);
		const patchedTwice = [...assigned.values()].filter((count) => count > 1).length;
		const unanswered = [...assigned.keys()].filter((id) => !taken.has(String(id))).length;
		console.log(`Leads handed out: ${taken.size} in ${total - WAITING} presses, twice in the answers: ${twice()}; amoCRM's PATCH log: ${assigned.size} leads assigned, ${patchedTwice} of them more than once, ${unanswered} not in an answer`);
		printWhere(n8n, sides);
		printFigures([
			...targets,
			{ bench: 'Lead Queue (amoCRM)', figure: 'take a lead from amoCRM: stand-in requests a press', value: requestsPerPress(takeF.side), unit: '', baseline: `CRM floor ${requestsPerPress(floorF.side).toFixed(2)} (the queue's pages, one PATCH)`, ratio: null, target: 'printed', met: true },
			duplicatesFigure('Lead Queue (amoCRM)', 'leads handed out twice (answers, and assignments in the PATCH log)', twice() + patchedTwice),
			duplicatesFigure('Lead Queue (amoCRM)', 'leads assigned in amoCRM that no answer names', unanswered),
		]);
	} finally {
		await instance.stop();
		await amo.close();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
