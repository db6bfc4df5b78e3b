import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import type { ItemProblem } from './validation';

/** A problem of one item, as n8n shows it: NodeOperationError with the item index and how to fix it. */
export function itemError(ctx: IExecuteFunctions, problem: ItemProblem): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), problem.message, { itemIndex: problem.itemIndex, description: problem.description });
}

/**
 * The n8n side of per-item errors. Without Continue On Fail the node stops at the first problem, naming its item;
 * with it each bad item becomes an error item paired to it, and the good items go on. The error items carry the
 * error itself too (`error`), so that "On Error: Continue (using error output)" moves them to the error output, as
 * it does for n8n's own nodes.
 */
export function problemItems(ctx: IExecuteFunctions, problems: readonly ItemProblem[], input = 0): INodeExecutionData[] {
	if (problems.length === 0) return [];
	if (!ctx.continueOnFail()) throw itemError(ctx, problems[0]);
	return problems.map((problem) => ({
		json: { error: problem.message, description: problem.description, itemIndex: problem.itemIndex },
		pairedItem: { item: problem.itemIndex, input },
		error: itemError(ctx, problem),
	}));
}
