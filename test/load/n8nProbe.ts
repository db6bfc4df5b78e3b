import { spawnSync } from 'child_process';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

/**
 * What a load run reads of a running n8n from outside: its processes' memory from /proc, and its SQLite database
 * (a Data Table's rows per key, the executions still running), read with Python's sqlite3 as test/e2e/realN8n.ts does.
 */

function query<T>(userFolder: string, script: string, ...args: string[]): T {
	const db = join(userFolder, '.n8n', 'database.sqlite');
	const run = spawnSync('python3', ['-c', `import json, sqlite3, sys\ndb = sqlite3.connect(sys.argv[1], timeout=60)\n${script}`, db, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
	if (run.status !== 0) throw new Error(`reading n8n's database failed: ${run.stderr}`);
	return JSON.parse(run.stdout) as T;
}

/** How many rows of the Data Table `table` hold each value of `column` (empty when the table does not exist). */
export function rowsPerKey(userFolder: string, table: string, column: string): Map<string, number> {
	const counts = query<Array<[string, number]>>(
		userFolder,
		`found = db.execute("select id from data_table where name = ?", (sys.argv[2],)).fetchone()
rows = [] if found is None else db.execute('select "' + sys.argv[3] + '", count(*) from "data_table_user_' + found[0] + '" group by 1').fetchall()
print(json.dumps(rows))`,
		table,
		column,
	);
	return new Map(counts.map(([key, count]) => [String(key), count]));
}

/** Executions of the workflow not finished yet (status new or running). */
export function unfinishedExecutions(userFolder: string, workflowId: string): number {
	return query<number>(userFolder, `print(db.execute("select count(*) from execution_entity where workflowId = ? and status in ('new', 'running')", (sys.argv[2],)).fetchone()[0])`, workflowId);
}

function status(pid: number): string {
	try {
		return readFileSync(`/proc/${pid}/status`, 'utf8');
	} catch {
		return '';
	}
}

/** A /proc/<pid>/status memory line (VmRSS, VmHWM) in MB, 0 when the process is gone. */
export function memoryMb(pid: number, line: 'VmRSS' | 'VmHWM'): number {
	const kb = new RegExp(`^${line}:\\s+(\\d+) kB`, 'm').exec(status(pid));
	return kb ? Number(kb[1]) / 1024 : 0;
}

function pids(): number[] {
	return readdirSync('/proc')
		.filter((name) => /^\d+$/.test(name))
		.map(Number);
}

/** The `n8n start` process (or `n8n worker`, by `command`) whose user folder is `userFolder` (its environment says so), or null. */
export function n8nMainPid(userFolder: string, command: 'start' | 'worker' = 'start'): number | null {
	for (const pid of pids()) {
		try {
			const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
			if (!cmdline.some((arg) => arg.endsWith('n8n/bin/n8n')) || !cmdline.includes(command)) continue;
			if (readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`N8N_USER_FOLDER=${userFolder}`)) return pid;
		} catch {
			// gone, or not ours to read
		}
	}
	return null;
}

/** Processes of a process group (n8n starts in its own group, its task runner with it), with their /proc stat fields after the name. */
function groupMembers(leader: number): Array<{ pid: number; stat: string[] }> {
	return pids().flatMap((pid) => {
		try {
			// pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so read after the last ')'
			const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
			const stat = text.slice(text.lastIndexOf(')') + 2).split(' ');
			return Number(stat[2]) === leader ? [{ pid, stat }] : [];
		} catch {
			return [];
		}
	});
}

/** CPU seconds (user + system) the group's live processes have used; clock ticks are 1/100 s on Linux. */
function groupCpuSec(leader: number): number {
	return groupMembers(leader).reduce((sum, { stat }) => sum + (Number(stat[11]) + Number(stat[12])) / 100, 0);
}

export interface ProcessFigures {
	/** The main process's own high-water mark (VmHWM) and the largest sampled sum over the group (main + task runner), MB. */
	peakRssMb: { main: number; group: number };
	/** CPU seconds the group used while watched: a cost that, unlike latency, does not grow when other work shares the machine. */
	cpuSec: number;
}

/** Watches n8n's process group: resident memory sampled once a second, CPU time from start to stop. */
export class ProcessWatch {
	private timer?: NodeJS.Timeout;
	private groupPeak = 0;
	private cpuAtStart = 0;

	constructor(private readonly mainPid: number) {}

	start(): void {
		const sample = () => {
			const total = groupMembers(this.mainPid).reduce((sum, { pid }) => sum + memoryMb(pid, 'VmRSS'), 0);
			this.groupPeak = Math.max(this.groupPeak, total);
		};
		this.cpuAtStart = groupCpuSec(this.mainPid);
		sample();
		this.timer = setInterval(sample, 1000);
	}

	stop(): ProcessFigures {
		clearInterval(this.timer);
		return { peakRssMb: { main: memoryMb(this.mainPid, 'VmHWM'), group: this.groupPeak }, cpuSec: groupCpuSec(this.mainPid) - this.cpuAtStart };
	}
}
