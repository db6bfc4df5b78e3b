import type { INodeProperties } from 'n8n-workflow';
import { InputDataError } from '../../shared/errors';
import type { Transaction } from '../ledger/transactions';
import { amocrmDestination, type AmoSettings } from './amocrm';
import { bitrix24Destination, type BitrixSettings } from './bitrix24';
import { crmIdProperties } from './dealIds';
import type { DestinationPlan, RevenueDestination, Screening } from './destination';
import { ga4Destination, type Ga4Settings } from './ga4';
import { googleAdsDestination, type GoogleAdsSettings } from './googleAds';
import { metricaDestination, type MetricaDestinationSettings } from './metrica';
import { webhookDestination, type WebhookSettings } from './webhook';

/** Everything the node knows about one destination: its credential's values and the user's choices. */
export type DestinationSettings = Ga4Settings | MetricaDestinationSettings | AmoSettings | BitrixSettings | WebhookSettings | GoogleAdsSettings;

export type DestinationName = DestinationSettings['destination'];

/** Every destination, by the value of the Destination parameter, in the order their credentials are listed. */
export const DESTINATIONS: { [N in DestinationName]: RevenueDestination<Extract<DestinationSettings, { destination: N }>> } = {
	ga4: ga4Destination,
	metrica: metricaDestination,
	amocrm: amocrmDestination,
	bitrix24: bitrix24Destination,
	webhook: webhookDestination,
	googleAds: googleAdsDestination,
};

/** The destinations' parameters in the order the editor shows them (version 1's order: keep it). */
export const destinationProperties: INodeProperties[] = [
	...crmIdProperties,
	...amocrmDestination.properties,
	...bitrix24Destination.properties,
	...metricaDestination.properties,
	...webhookDestination.properties,
	...ga4Destination.properties,
	...googleAdsDestination.properties,
];

/** The destination of that name; an unknown name (a workflow from another version of the pack) is refused. */
export function destinationNamed(name: string): RevenueDestination<DestinationSettings> {
	if (!Object.prototype.hasOwnProperty.call(DESTINATIONS, name)) {
		throw new InputDataError(`"${name}" is not a destination this version of Revenue Push knows`, `Choose one of: ${Object.keys(DESTINATIONS).join(', ')}.`);
	}
	// Its settings are only ever its own: the settings' `destination` names it.
	return DESTINATIONS[name as DestinationName] as RevenueDestination<DestinationSettings>;
}

/**
 * The requests to send to the settings' destination for the transactions (throws when the settings are unusable);
 * `held`: the order ids whose heldKey the ledger has.
 */
export function planDestination(settings: DestinationSettings, transactions: Transaction[], held: ReadonlySet<string> = new Set()): DestinationPlan {
	return destinationNamed(settings.destination).plan(settings, transactions, held);
}

/** The ledger key that tells whether the service already holds the deal (see RevenueDestination.heldKey), or null. */
export function heldKeyOf(settings: DestinationSettings, transaction: Transaction): string | null {
	return destinationNamed(settings.destination).heldKey?.(settings, transaction) ?? null;
}

/**
 * The deals the settings' destination cannot take as they are (no client id, no CRM id, a date it refuses), found
 * without building a request: what planDestination rejects before its requests; and whether the destination records
 * what it takes (not GA4's validation mode). Throws, as planDestination does, for settings that cannot be used.
 */
export function screenTransactions(settings: DestinationSettings, transactions: Transaction[]): Screening {
	return destinationNamed(settings.destination).screen(settings, transactions);
}
