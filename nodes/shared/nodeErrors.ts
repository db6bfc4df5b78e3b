import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';
import { InputDataError, redactSecrets } from './errors';

export interface NodeErrorOptions {
	itemIndex?: number;
	/** Passwords and tokens that must not appear in the message. */
	secrets?: string[];
	/** Said when the error itself carries no hint. */
	hint?: string;
}

/**
 * Any error a node's logic throws, as the error n8n shows: an InputDataError (bad input or settings, with its hint)
 * becomes a NodeOperationError with the item index, n8n's own errors pass as they are, anything else is wrapped.
 * Secrets are redacted from the message and the description.
 */
export function toNodeError(node: INode, error: unknown, options: NodeErrorOptions = {}): NodeOperationError | NodeApiError {
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	const secrets = options.secrets ?? [];
	const err = error as Error & { hint?: string; description?: string };
	const hint = (error instanceof InputDataError ? err.hint : err.description) || options.hint;
	return new NodeOperationError(node, redactSecrets(err.message ?? String(error), secrets), {
		itemIndex: options.itemIndex,
		description: hint ? redactSecrets(hint, secrets) : undefined,
	});
}
