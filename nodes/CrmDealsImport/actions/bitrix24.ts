import { parseBitrixWebhook } from '../../RevenuePush/destinations/bitrix24';
import { BITRIX_LIMIT, bitrixReadErrorText, readBitrixDeals } from '../sources/bitrix24';
import { isLoopback } from '../../shared/loopback';
import type { CrmAction } from './crm';

/** Bitrix24 through an incoming webhook (bitrix24WebhookApi): the secret is in the URL's path. */
export const bitrix24: CrmAction = {
	service: 'Bitrix24',
	credentialType: () => 'bitrix24WebhookApi',
	signedByN8n: false,
	secretFields: ['webhookUrl'],
	account: (credential) => {
		const url = String(credential.webhookUrl ?? '');
		const hook = parseBitrixWebhook(url, { allowHttp: isLoopback(url) });
		return `${hook.portal}/${hook.userId}`;
	},
	limit: BITRIX_LIMIT,
	errorText: bitrixReadErrorText,
	credentialHint: 'Check the Bitrix24 credential: the incoming webhook must still exist and have the crm scope (Developer resources → Other → Incoming webhook).',
	read: async (read, credential, since, timeZone) => await readBitrixDeals(read, String(credential.webhookUrl ?? ''), since, timeZone),
};
