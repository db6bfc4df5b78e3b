import { sourceReport, type SourceReport } from '../../nodes/Attribution/sourceReport';
import { importOrders } from '../../nodes/CrmXmlImport/importOrders';
import { createStatusMapper } from '../../nodes/CrmStatusMap/mapStatuses';
import { matchOrders, type MatchResult } from '../../nodes/OrderMatcher/matchOrders';
import type { Order, Touch } from '../../nodes/shared/contracts';
import { chunks } from './feeds';
import { commercemlSettings } from './importSettings';

/**
 * The order-sync template's steps run in process on the same feed and the same stored touches, with the
 * template's settings: what the real n8n run must reproduce item for item.
 */
export async function pipelineInProcess(feed: Uint8Array, touches: Touch[]): Promise<{ orders: Order[]; match: MatchResult; report: SourceReport }> {
	const { orders } = await importOrders(chunks(feed), commercemlSettings());
	const mapper = createStatusMapper({ rules: [], usePreset: true, unmapped: 'other', onlyStageChanges: false });
	const staged = orders.map((order) => {
		const mapped = mapper(order);
		return { ...order, stage: mapped.kind === 'mapped' ? mapped.stage : null };
	});
	// The template's Order Matcher is version 1.1, which finds shared values by default.
	const match = matchOrders(staged, touches, { timeZone: 'Europe/Moscow', lookbackDays: 30, graceHours: 2, detectSharedValues: true });
	const report = sourceReport(match.deals, match.unmatchedTouches.records, {
		models: ['lastNonDirect', 'linear', 'positionBased', 'markov'],
		stages: ['won'],
		callStatsTimeZone: 'Europe/Moscow',
	});
	return { orders: staged, match, report };
}
