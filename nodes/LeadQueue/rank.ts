import { toEpochMs } from '../shared/time';
import { instantMs, type Instant } from './clock';
import { ConditionContext, type LeadFacts, type PlaceLists } from './conditions';
import type { Lead } from './lead';
import { activeRuleSet, compileRuleSets, describeLocalTime, type CompiledRuleSet, type RuleSet, type SortOrder } from './rankRules';

export interface RankResult {
	/** The waiting leads, best first, each a copy with rank (1..n), tier and reason set. */
	ranked: Lead[];
	/** Leads not waiting (assigned, closed, rejected): not ranked, returned as they came, in input order. */
	skipped: Lead[];
	/** The set in force, or null when no schedule covers `now` (then every lead is ranked oldest first). */
	ruleSet: string | null;
	/** e.g. "Day rules 09:00–18:00 Europe/Moscow", or why no set applies. */
	heading: string;
}

/**
 * Ranks the waiting leads by the rule set in force at `now`. Within a tier leads follow its sort; ties (same weight,
 * or same time) go to the older lead, then to the smaller leadId (compared as code units, not by locale), so the
 * same queue ranks the same way on every machine. Leads that match no tier come after all tiers, oldest first,
 * with tier null. A lead without a weight is last in a "heaviest first" tier; one whose createdAt is not a time is
 * last in its tier.
 */
export function rankLeads(leads: Lead[], ruleSets: RuleSet[], lists: PlaceLists, now: Instant): RankResult {
	const context = new ConditionContext(lists);
	const sets = compileRuleSets(ruleSets, context);
	const ms = instantMs(now, sets[0].zone);
	const set = activeRuleSet(sets, ms);

	const waiting: Lead[] = [];
	const skipped: Lead[] = [];
	for (const lead of leads) (lead.state === 'waiting' ? waiting : skipped).push(lead);

	const heading = set ? set.heading : noSetHeading(sets, ms);
	const tiers = set ? set.tiers : [];
	const unmatched = tiers.length;
	const sorts: SortOrder[] = [...tiers.map((tier) => tier.sort), 'oldest'];
	const reasons = [...tiers.map((tier) => `${heading}, ${tier.description}`), set ? `${heading}: no tier matches; oldest first` : `${heading}; oldest first`];

	// A createdAt without an offset (the contract says it has one) is read in the rules' zone, never the machine's.
	const zone = set ? set.zone : sets[0].zone;
	const count = waiting.length;
	const tierOf = new Int32Array(count);
	const weight = new Float64Array(count);
	const timeKey = new Float64Array(count);
	const facts: LeadFacts = { lead: waiting[0], fromIn: 0, toIn: 0 };
	for (let i = 0; i < count; i++) {
		const lead = waiting[i];
		let tier = unmatched;
		if (unmatched > 0) {
			context.refill(facts, lead);
			for (let t = 0; t < unmatched; t++) {
				if (tiers[t].conditions.test(facts)) {
					tier = t;
					break;
				}
			}
		}
		tierOf[i] = tier;
		weight[i] = lead.weightKg ?? -Infinity;
		const created = toEpochMs(lead.createdAt, zone);
		// The key sorts ascending: newest-first tiers use the negated time; a lead without a time goes last either way.
		timeKey[i] = Number.isNaN(created) ? Infinity : sorts[tier] === 'newest' ? -created : created;
	}

	// Counting sort by tier, then each tier sorted on its own: smaller sorts, and a comparator without the tier.
	const starts = new Int32Array(unmatched + 2);
	for (let i = 0; i < count; i++) starts[tierOf[i] + 1]++;
	for (let t = 0; t <= unmatched; t++) starts[t + 1] += starts[t];
	const order = new Int32Array(count);
	const fill = starts.slice(0, unmatched + 1);
	for (let i = 0; i < count; i++) order[fill[tierOf[i]]++] = i;
	const byTime = (a: number, b: number) => {
		if (timeKey[a] !== timeKey[b]) return timeKey[a] < timeKey[b] ? -1 : 1;
		const idA = waiting[a].leadId;
		const idB = waiting[b].leadId;
		if (idA !== idB) return idA < idB ? -1 : 1;
		return a - b;
	};
	const byWeight = (a: number, b: number) => (weight[a] !== weight[b] ? (weight[a] > weight[b] ? -1 : 1) : byTime(a, b));
	for (let t = 0; t <= unmatched; t++) {
		if (starts[t + 1] - starts[t] > 1) order.subarray(starts[t], starts[t + 1]).sort(sorts[t] === 'heaviest' ? byWeight : byTime);
	}

	const ranked = new Array<Lead>(count);
	for (let r = 0; r < count; r++) {
		const i = order[r];
		const tier = tierOf[i];
		// A copy, then the three fields set: cheaper than a spread with extra properties, and it keeps any other
		// columns the item carries (a table's row id).
		const copy = { ...waiting[i] };
		copy.rank = r + 1;
		copy.tier = tier === unmatched ? null : tiers[tier].label;
		copy.reason = reasons[tier];
		ranked[r] = copy;
	}
	return { ranked, skipped, ruleSet: set ? set.name : null, heading };
}

function noSetHeading(sets: CompiledRuleSet[], ms: number): string {
	const zones = [...new Set(sets.map((set) => set.zone))];
	return `No rule set covers ${zones.map((zone) => describeLocalTime(ms, zone)).join(' / ')}`;
}
