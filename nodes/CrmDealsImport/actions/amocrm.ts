import { amoErrorText, AMO_LIMIT, readAmoDeals } from '../sources/amocrm';
import { trimTrailing } from '../../shared/textScan';
import type { CrmAction } from './crm';

/** amoCRM / Kommo with a long-lived token (amoCrmApi) or OAuth2 (amoCrmOAuth2Api), chosen by Authentication. */
export const amocrm: CrmAction = {
	service: 'amoCRM',
	credentialType: (ctx) => ctx.getNodeParameter('authentication', 0) as string,
	signedByN8n: true,
	secretFields: ['token', 'clientSecret'],
	account: (credential) => trimTrailing(String(credential.baseUrl ?? '').trim(), '/'),
	limit: AMO_LIMIT,
	errorText: amoErrorText,
	credentialHint: 'Open the amoCRM credential and reconnect it (OAuth2), or paste a new long-lived token (Settings → Integrations → your integration → Keys).',
	read: async (read, credential, since) => await readAmoDeals(read, String(credential.baseUrl ?? ''), since),
};
