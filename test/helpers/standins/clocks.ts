/**
 * A virtual clock for schedulers: `sleep` registers a timer, and time only moves when the earliest timer fires,
 * so concurrent sleepers wake in true time order and a test of minutes of waiting runs in milliseconds.
 */
export class VirtualClock {
	private time: number;
	private timers: Array<{ at: number; seq: number; wake: () => void }> = [];
	private seq = 0;
	private pumping = false;

	constructor(start = Date.UTC(2024, 0, 1)) {
		this.time = start;
	}

	now = (): number => this.time;

	sleep = (ms: number): Promise<void> =>
		new Promise<void>((wake) => {
			this.timers.push({ at: this.time + Math.max(0, ms), seq: this.seq++, wake });
			void this.pump();
		});

	/** Fires timers one by one, letting promise chains settle between, until none is left. */
	private async pump(): Promise<void> {
		if (this.pumping) return;
		this.pumping = true;
		try {
			for (;;) {
				await settle();
				if (this.timers.length === 0) break;
				this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
				const next = this.timers.shift()!;
				this.time = Math.max(this.time, next.at);
				next.wake();
			}
		} finally {
			this.pumping = false;
		}
	}
}

/** Lets every queued microtask and immediate run. */
async function settle(): Promise<void> {
	for (let i = 0; i < 5; i++) await new Promise<void>((done) => setImmediate(done));
}

/** The real clock, for tests over real HTTP. */
export const realClock = {
	now: (): number => Date.now(),
	sleep: (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms)),
};
