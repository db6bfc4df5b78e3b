import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';
import type { HttpResult } from '../../RevenuePush/transport/deliver';
import type { RateLimit } from '../../RevenuePush/transport/rateLimiter';
import type { ChangeMark, DealRecord } from '../deals';
import type { Read } from '../transport/reader';

/** What the router needs of one CRM (amocrm.ts, bitrix24.ts): its credential, its limits and how to read its deals. */
export interface CrmAction {
	/** "amoCRM", "Bitrix24": named in messages. */
	service: string;
	/** The credential type the node's parameters choose. */
	credentialType(ctx: IExecuteFunctions): string;
	/** Whether n8n signs the requests with the credential (a Bearer token, OAuth2) or the URL carries the secret. */
	signedByN8n: boolean;
	/** The credential's fields that hold a secret: masked in every error. */
	secretFields: string[];
	/** The account the credential opens, as the incremental mark's key: another account keeps its own mark. */
	account(credential: ICredentialDataDecryptedObject): string;
	limit: RateLimit;
	errorText(result: HttpResult): string;
	credentialHint: string;
	read(read: Read, credential: ICredentialDataDecryptedObject, since: ChangeMark | null, timeZone: string): Promise<DealRecord[]>;
}
