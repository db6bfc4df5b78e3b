/**
 * One measured figure of a benchmark, beside its baseline and target. Each bench script prints its own tables and
 * then one line "FIGURES <json>" that test/bench/all.ts collects into the one table `npm run bench` prints.
 */
export interface Figure {
	bench: string;
	figure: string;
	value: number;
	unit: string;
	/** What it is compared with, e.g. "n8n XML node path 51.4 s"; null when the target is absolute. */
	baseline: string | null;
	/** value against the baseline ("5.4x faster"), null without a baseline. */
	ratio: string | null;
	target: string;
	met: boolean;
}

export function printFigures(figures: Figure[]): void {
	console.log(`FIGURES ${JSON.stringify(figures)}`);
}
