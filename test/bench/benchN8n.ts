import { packPack, RealN8n } from '../e2e/realN8n';
import { n8nMainPid, ProcessWatch } from '../load/n8nProbe';
import { QueueN8n } from '../queue/queueN8n';

/**
 * The n8n a take-a-lead benchmark presses: one `n8n start` on SQLite (n8n's default), or with `--queue` on the command
 * line queue mode as a team past one machine runs it (main + 2 workers on Postgres and Redis from Debian, as
 * `npm run test:queue` starts them: test/queue/queueN8n.ts). Import workflows and credentials through `main` before
 * start(); press its webhooks after.
 */
export interface BenchN8n {
	main: RealN8n;
	/** What runs, for the printout. */
	setup: string;
	start(): Promise<void>;
	/** n8n's CPU over a stretch, summed over every process of the setup (each with its task runner); null when one was not found. */
	watch(): CpuWatch | null;
	stop(): Promise<void>;
}

export interface CpuWatch {
	start(): void;
	stop(): { cpuSec: number };
}

/** One CPU watch over several n8n processes. */
function watchAll(pids: Array<number | null>): CpuWatch | null {
	if (pids.some((pid) => pid === null)) return null;
	const watches = pids.map((pid) => new ProcessWatch(pid as number));
	return {
		start: () => watches.forEach((watch) => watch.start()),
		stop: () => ({ cpuSec: watches.reduce((sum, watch) => sum + watch.stop().cpuSec, 0) }),
	};
}

export async function benchN8n(): Promise<BenchN8n> {
	if (!process.argv.includes('--queue')) {
		const main = new RealN8n(packPack());
		return {
			main,
			setup: 'one n8n on SQLite',
			start: () => main.start(),
			watch: () => watchAll([n8nMainPid(main.userFolder)]),
			stop: () => main.stop(),
		};
	}
	const queue = new QueueN8n(packPack(), 2);
	await queue.prepare();
	return {
		main: queue.main,
		setup: 'queue mode: main + 2 workers on Postgres and Redis',
		start: () => queue.start(),
		watch: () => watchAll([n8nMainPid(queue.main.userFolder), ...queue.workers.map((worker) => n8nMainPid(worker.userFolder, 'worker'))]),
		stop: () => queue.stop(),
	};
}
