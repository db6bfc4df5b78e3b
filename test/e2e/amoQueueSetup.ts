import { AmoCrmServer, type AmoFieldValue, type AmoReadLead } from '../helpers/standins/amocrmServer';
import { template } from './realN8n';
import { AMO_TOKEN, MANAGERS } from './setups';

/**
 * What the amoCRM lead-queue suites share (real n8n, test/e2e/crmQueue.e2e.test.ts; queue mode,
 * test/queue/crmQueue.e2e.test.ts): the templates' queue and working statuses, the test managers' amoCRM users, the
 * templates set up for them, waiting leads, and presses in waves.
 */
export const QUEUE = { pipeline: 7001, status: 41001 };
export const WORK = { pipeline: 7002, status: 42001 };
/** Manager m<i> is amoCRM user 1000 + i. */
export const USERS = Object.fromEntries(MANAGERS.map((manager, i) => [manager, 1001 + i]));

type Node = { name: string; parameters: Record<string, unknown> };
/** A template with the 20 test managers and their amoCRM users. */
export function withManagers(file: string): Record<string, unknown> {
	const workflow = template(file) as { nodes: Node[] };
	for (const node of workflow.nodes) {
		if (node.name === 'Take Next') node.parameters.managers = MANAGERS.join(', ');
		if (node.parameters.operation === 'assignInCrm') node.parameters.managerUsers = JSON.stringify(USERS);
	}
	return workflow;
}

const field = (id: number, value: unknown): AmoFieldValue => ({ field_id: id, field_name: `F${id}`, field_code: null, field_type: 'text', values: [{ value }] });
/**
 * A lead waiting in the queue status: its weight and route in the template's fields 804 / 802 / 803; made by hand in
 * amoCRM (no lead id: the templates claim it by an inserted row), or with `leadId` in field 801 as the intake writes
 * it (a lead of the intake, which the templates claim by its open row).
 */
export function waiting(id: number, weightKg: number, hoursAgo: number, leadId?: string): AmoReadLead {
	const createdAt = Math.floor((Date.now() - hoursAgo * 3_600_000) / 1000);
	const fields = [...(leadId === undefined ? [] : [field(801, leadId)]), field(802, 'Москва'), field(803, 'Омск'), field(804, weightKg)];
	return { id, name: `#${id}`, price: 0, status_id: QUEUE.status, pipeline_id: QUEUE.pipeline, created_at: createdAt, updated_at: createdAt, custom_fields_values: fields, contacts: [] };
}

/**
 * Leads for the intake template (lead-intake-amocrm.json): lead ids P<first>..., weights from 150 kg up, routes and
 * phones the intake accepts, made `hoursAgo` hours ago. The intake creates each in the queue status and writes its
 * open claim row.
 */
export function intakeLeads(first: number, count: number, hoursAgo = 2): object[] {
	const createdAt = new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
	return Array.from({ length: count }, (_, i) => {
		const n = String(first + i).padStart(7, '0');
		return { leadId: `P${first + i}`, createdAt, from: 'Пермь', to: 'Казань', weight: `${150 + i * 41} кг`, name: `Клиент ${i}`, phone: `+7 916 ${n.slice(0, 3)}-${n.slice(3, 5)}-${n.slice(5)}` };
	});
}

/** Runs `count` calls, `atOnce` at a time. */
export async function inWaves<T>(count: number, atOnce: number, call: (i: number) => Promise<T>): Promise<T[]> {
	const results: T[] = [];
	let next = 0;
	await Promise.all(Array.from({ length: atOnce }, async () => {
		while (next < count) {
			const i = next++;
			results[i] = await call(i);
		}
	}));
	return results;
}

/**
 * The amoCRM stand-in of the queue suites and benchmark (test/bench/crmTakeLeadBench.ts): answering in about 100 ms
 * as a real account does, with no 429: amoCRM's 7 requests a second hold per account, but each n8n execution keeps 7
 * a second on its own, so 20 presses at once would meet 429s a stand-in with the real limit gives (see
 * docs/nodes/lead-queue.md).
 */
export function queueStandin(): AmoCrmServer {
	return new AmoCrmServer({ token: AMO_TOKEN, delayMs: 100, limit: 10_000, blockAfter: 1_000_000, readLeads: [] });
}

/** The amoCRM credential the queue templates name (saAmoCrm), for the stand-in at `url`. */
export function amoQueueCredential(url: string): object {
	return { id: 'saAmoCrm', name: 'amoCRM', type: 'amoCrmApi', data: { baseUrl: url, token: AMO_TOKEN } };
}
