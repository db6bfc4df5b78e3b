import { sleep, type ICredentialDataDecryptedObject, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import { InputDataError } from '../../shared/errors';
import { crmReader, type Read } from '../transport/reader';
import { n8nSend } from '../transport/n8nSend';
import { amocrm } from './amocrm';
import { bitrix24 } from './bitrix24';
import type { CrmAction } from './crm';

const CRMS: Record<string, CrmAction> = { amocrm, bitrix24 };

/** What of a CRM credential must never show in an output or error: its secret fields and an OAuth2 credential's tokens. */
export function credentialSecrets(crm: CrmAction, credential: IDataObject): string[] {
	const tokens = (credential.oauthTokenData ?? {}) as IDataObject;
	const oauth = [tokens.access_token, tokens.refresh_token].filter((token): token is string => typeof token === 'string');
	return [...crm.secretFields.map((field) => String(credential[field] ?? '')), ...oauth].filter((secret) => secret !== '');
}

export interface CrmConnection {
	crm: CrmAction;
	credential: ICredentialDataDecryptedObject;
	/** The credential's secrets, to mask in errors. */
	secrets: string[];
	/** Requests to the CRM: its rate limit, 429 / 5xx retried, 401 in words, secrets masked. */
	read: Read;
}

/**
 * The CRM a node's `crm` parameter chooses, its credential, and a reader over n8n's HTTP helper (signed by n8n
 * for OAuth2 credentials). `secrets` is filled as soon as the credential is read, so that an error thrown later
 * (or while connecting) can be masked with it.
 */
export async function connectCrm(
	ctx: IExecuteFunctions,
	secrets: string[],
	settings: { timeoutMs: number; maxAttempts: number; maxTotalMs: number; failureHint?: string },
): Promise<CrmConnection> {
	const crmName = ctx.getNodeParameter('crm', 0) as string;
	const crm = CRMS[crmName];
	if (crm === undefined) throw new InputDataError(`Unknown CRM "${crmName}"`, 'Choose amoCRM / Kommo or Bitrix24.');
	const credentialType = crm.credentialType(ctx);
	const credential = await ctx.getCredentials(credentialType);
	secrets.push(...credentialSecrets(crm, credential));
	const read = crmReader(n8nSend(ctx, settings.timeoutMs, crm.signedByN8n ? credentialType : undefined), {
		service: crm.service,
		limit: crm.limit,
		clock: { now: () => Date.now(), sleep: async (ms) => await sleep(ms) },
		retry: { maxAttempts: settings.maxAttempts, maxTotalMs: settings.maxTotalMs },
		secrets,
		errorText: crm.errorText,
		credentialHint: crm.credentialHint,
		...(settings.failureHint === undefined ? {} : { failureHint: settings.failureHint }),
	});
	return { crm, credential, secrets, read };
}
