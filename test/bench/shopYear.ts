import { spawn } from 'child_process';
import { parseTouches } from '../../nodes/Touchpoint/parseTouches';
import { commercemlFeedParts, orderTime } from '../fixtures/commercemlFeed';
import { fixtureJson, testContext } from '../fixtures/touches/load';
import { prng } from '../helpers/prng';

/**
 * A year of a mid-size shop, generated: orders over 2026 in a CommerceML feed, and the touches (site forms, Zadarma
 * calls, Jivo chats) that brought them and many that brought nothing, linked the way real ones are: most orders have 1
 * to 3 touches of their buyer in the 30 days before them, some none; repeat buyers; touches of people who never
 * ordered over the whole year. Each touch is made twice: as the sender posts it (its payload) and as the Touchpoint
 * node makes it (the canonical touch, built here directly, since the node's parser takes ~200 us a touch and a year
 * has a million); checkWithParser() holds the second against the node's own parser on a sample, and the scale runs
 * check one row of each kind against the row the intake template writes. Deterministic: the same size and seed give
 * the same shop on every machine.
 */

export interface ShopSize {
	touches: number;
	/** Orders of the year in the full feed. */
	orders: number;
	/** Orders of the incremental feed: half new ones at the year's end, half existing ones changed. */
	changed: number;
	/** The changed existing orders are spread over this last part of the year (1: the whole year). */
	changedSpan?: number;
	/** Days of history, ending on the year's last day (365 unless given): the orders and the others' touches over them. */
	days?: number;
}

export type TouchKind = 'form' | 'call' | 'chat';

/** One generated touch: what its payload and its canonical touch are made of. */
export interface TouchSpec {
	serial: number;
	kind: TouchKind;
	/** Unix milliseconds, whole seconds. */
	at: number;
	/** 10 national digits of a Russian mobile. */
	digits: string;
	email: string | null;
	/** GA client id (without the GA1.1. prefix): the person's, the same on each of their forms. */
	ga: string | null;
	channel: { source: string; medium: string; campaign: string } | null;
	/** Calls: answered (a talk of a minute or more) or missed. */
	durationSec: number;
	/** The order it belongs to (index), or -1 for a touch of someone who did not order. */
	order: number;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** 2026-01-01 00:00 in Moscow (UTC+3, no daylight saving). */
const YEAR_START = Date.parse('2026-01-01T00:00:00+03:00');
const MOSCOW = 3 * HOUR;
const DAYS = 365;
const CHANNELS = [
	{ source: 'yandex', medium: 'cpc', campaign: 'brand' },
	{ source: 'google', medium: 'cpc', campaign: 'search' },
	{ source: 'vk', medium: 'social', campaign: 'retarget' },
	{ source: 'yandex', medium: 'organic', campaign: '' },
	null,
];
/** The status a changed order moves to: the next of the feed's cycle. */
const NEXT_STATUS: Record<string, string> = { N: 'P', P: 'F', F: 'C', C: 'N' };
const STATUSES = ['N', 'P', 'F', 'C'];
const ZADARMA = fixtureJson('zadarma-notify-end.json') as Record<string, string>;
const JIVO = fixtureJson('jivo-chat-finished.json') as Record<string, unknown>;

function pad(n: number, width: number): string {
	return String(n).padStart(width, '0');
}

/** "2026-03-05T14:02:11+03:00": a time in Moscow as the parser writes it. */
function moscowIso(ms: number): string {
	return `${new Date(ms + MOSCOW).toISOString().slice(0, 19)}+03:00`;
}

function written(digits: string): string {
	return `+7 (${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6, 8)}-${digits.slice(8)}`;
}

export class ShopYear {
	readonly customers: number;
	/** Indexes of the incremental feed's orders: the changed existing ones, then the new ones (orders and up). */
	readonly changedIndexes: number[];
	readonly newIndexes: number[];

	constructor(
		readonly size: ShopSize,
		private readonly seed = 18,
	) {
		// One order in five is a repeat buyer's: 4 customers for every 5 orders of a year (a shorter history at the year's
		// pace has the year's customers, so its repeat orders are as far apart as the year's).
		this.customers = Math.max(1, Math.round(size.orders * 0.8 * (DAYS / (size.days ?? DAYS))));
		const fresh = Math.floor(size.changed / 2);
		const changed = size.changed - fresh;
		const span = size.changedSpan ?? 1;
		const first = Math.floor(size.orders * (1 - span));
		const step = (size.orders - first) / Math.max(1, changed);
		this.changedIndexes = Array.from({ length: changed }, (_, k) => first + Math.floor(k * step + step / 2));
		this.newIndexes = Array.from({ length: fresh }, (_, k) => size.orders + k);
	}

	/** The first day of the history (0: 1 January): the history ends on the year's last day. */
	private get firstDay(): number {
		return DAYS - (this.size.days ?? DAYS);
	}

	/** The day order i is placed: the history's orders evenly over its days, the new ones on its last day. */
	placedOn = (index: number): string => {
		const day = index < this.size.orders ? this.firstDay + Math.floor((index * (DAYS - this.firstDay)) / this.size.orders) : DAYS - 1;
		return new Date(YEAR_START + MOSCOW + day * DAY).toISOString().slice(0, 10);
	};

	customerOf(index: number): number {
		return index % this.customers;
	}

	buyer = (index: number): { phone: string; email: string } => {
		const customer = this.customerOf(index);
		return { phone: `+7${this.customerDigits(customer)}`, email: `buyer${customer}@example.ru` };
	};

	private customerDigits(customer: number): string {
		return `916${pad(customer, 7)}`;
	}

	/** When order i was placed, unix ms. */
	orderAt(index: number): number {
		return Date.parse(`${this.placedOn(index)}T${orderTime(index)}+03:00`);
	}

	orderId(index: number): string {
		return String(100000 + index);
	}

	/** The feed of every order of the year, as text pieces. */
	fullFeed(): Generator<string, void, undefined> {
		return commercemlFeedParts({ orders: this.size.orders, seed: this.seed, placedOn: this.placedOn, buyer: this.buyer });
	}

	/** The documents of fullFeed() in feeds of at most `size` orders each, in order. */
	*fullFeedIn(size: number): Generator<string[], void, undefined> {
		const parts = [...this.fullFeed()];
		const documents = parts.slice(1, -1);
		for (let from = 0; from < documents.length; from += size) yield [parts[0], ...documents.slice(from, from + size), parts[parts.length - 1]];
	}

	/**
	 * The feed after the changes: the new orders and the changed ones (the next status; their line items drawn afresh
	 * when the feed holds only them), and with `every` all the year's other orders too, as they were.
	 */
	changedFeed(every = false): Generator<string, void, undefined> {
		const changed = new Set(this.changedIndexes);
		const statusOf = (index: number) => (changed.has(index) ? NEXT_STATUS[STATUSES[index % STATUSES.length]] : STATUSES[index % STATUSES.length]);
		const indexes = every ? [...Array.from({ length: this.size.orders }, (_, i) => i), ...this.newIndexes] : [...this.changedIndexes, ...this.newIndexes];
		return commercemlFeedParts({ orders: indexes.length, indexes, seed: this.seed, placedOn: this.placedOn, buyer: this.buyer, statusOf });
	}

	/** Order ids of the incremental feed: the changed and the new ones. */
	changedIds(): string[] {
		return [...this.changedIndexes, ...this.newIndexes].map((index) => this.orderId(index));
	}

	/** Every order's own touches (their ids, sorted), by order id: what the matcher must link, no more and no less. */
	ownTouches(): Map<string, string[]> {
		const own = new Map<string, string[]>();
		for (let i = 0; i < this.size.orders + this.newIndexes.length; i++) own.set(this.orderId(i), []);
		for (const spec of this.touches()) if (spec.order >= 0) own.get(this.orderId(spec.order))?.push(touchIdOf(spec));
		for (const ids of own.values()) ids.sort();
		return own;
	}

	/** Touches inside the window the Postgres order sync reads for the incremental feed: 30 days before its oldest order to 2 hours after its newest. */
	windowTouches(): number {
		const times = [...this.changedIndexes, ...this.newIndexes].map((index) => this.orderAt(index));
		const from = Math.min(...times) - 30 * DAY;
		const to = Math.max(...times) + 2 * HOUR;
		let count = 0;
		for (const spec of this.touches()) if (spec.at >= from && spec.at <= to) count++;
		return count;
	}

	/**
	 * What the Postgres order sync reads by key for the incremental feed (sales_analytics.run_reach): the touches of the
	 * new and changed orders' customers that lie within the run's windows (30 days before one of its orders to 2 hours
	 * after it), and those customers' stored orders (the year's, not the run's) from 30 days and 2 hours before one of
	 * its orders to it. Every generated value belongs to one person (a customer's phone, e-mail and GA client id, a
	 * visitor's own), so identity stitching reaches no one else.
	 */
	keyRead(): { touches: number; orders: number } {
		const run = [...this.changedIndexes, ...this.newIndexes];
		const customers = new Set(run.map((index) => this.customerOf(index)));
		const times = run.map((index) => this.orderAt(index)).sort((a, b) => a - b);
		/** Whether some order of the run lies in [at + after, at + before]. */
		const orderWithin = (at: number, after: number, before: number) => {
			let low = 0;
			let high = times.length;
			while (low < high) {
				const middle = (low + high) >>> 1;
				if (times[middle] < at + after) low = middle + 1;
				else high = middle;
			}
			return low < times.length && times[low] <= at + before;
		};
		let touches = 0;
		for (const spec of this.touches()) if (spec.order >= 0 && customers.has(this.customerOf(spec.order)) && orderWithin(spec.at, -2 * HOUR, 30 * DAY)) touches++;
		const inRun = new Set(run);
		let orders = 0;
		for (let index = 0; index < this.size.orders; index++) {
			if (!inRun.has(index) && customers.has(this.customerOf(index)) && orderWithin(this.orderAt(index), 0, 30 * DAY + 2 * HOUR)) orders++;
		}
		return { touches, orders };
	}

	/** Every touch of the year: the orders' own (of the year's and the new ones), then the others. */
	*touches(): Generator<TouchSpec, void, undefined> {
		const random = prng(this.seed);
		let serial = 0;
		const make = (order: number, at: number, digits: string, person: string): TouchSpec => {
			const roll = random();
			const kind: TouchKind = roll < 0.5 ? 'form' : roll < 0.8 ? 'call' : 'chat';
			const channel = kind === 'call' ? null : CHANNELS[Math.floor(random() * CHANNELS.length)];
			const email = kind !== 'call' && random() < 0.6 ? `${person}@example.ru` : null;
			// A person's browser keeps one GA client id: their forms carry the same one (an id per touch would put six on a
			// buyer's phone at some sizes, and the matcher rightly stops joining through a phone seen with more than five).
			const ga = kind === 'form' && random() < 0.7 ? `${digits}.1767225600` : null;
			const durationSec = kind === 'call' && random() < 0.75 ? 60 + Math.floor(random() * 600) : 0;
			return { serial: serial++, kind, at: Math.floor(at / 1000) * 1000, digits, email, ga, channel, durationSec, order };
		};
		const orders = this.size.orders + this.newIndexes.length;
		for (let i = 0; i < orders; i++) {
			// 15 % of orders have no touch (a walk-in, a call from a number the shop does not track); the rest 1 to 3.
			const roll = random();
			const count = roll < 0.15 ? 0 : roll < 0.55 ? 1 : roll < 0.85 ? 2 : 3;
			const customer = this.customerOf(i);
			for (let k = 0; k < count; k++) {
				// Between 29 days and 1 hour before the order: inside the matcher's 30-day lookback.
				const before = HOUR + Math.floor(random() * (29 * DAY - HOUR));
				yield make(i, this.orderAt(i) - before, this.customerDigits(customer), `buyer${customer}`);
			}
		}
		const others = this.size.touches - serial;
		if (others < 0) throw new Error(`${this.size.touches} touches are fewer than the orders' own (${serial}): raise --touches`);
		const from = YEAR_START + this.firstDay * DAY;
		for (let k = 0; k < others; k++) yield make(-1, from + Math.floor(random() * (DAYS - this.firstDay) * DAY), `903${pad(k, 7)}`, `visitor${k}`);
	}
}

/** What the sender posts for this touch: a site form's JSON, a Zadarma call notification, a Jivo chat_finished event. */
export function payloadOf(spec: TouchSpec): Record<string, unknown> {
	if (spec.kind === 'form') {
		const utm = spec.channel ? { utm_source: spec.channel.source, utm_medium: spec.channel.medium, ...(spec.channel.campaign ? { utm_campaign: spec.channel.campaign } : {}) } : {};
		return { type: 'form', submission_id: `y18-${spec.serial}`, date: moscowIso(spec.at), phone: written(spec.digits), ...(spec.email ? { email: spec.email } : {}), ...(spec.ga ? { _ga: `GA1.1.${spec.ga}` } : {}), ...utm };
	}
	if (spec.kind === 'call') {
		const answered = spec.durationSec > 0;
		return { ...ZADARMA, pbx_call_id: `in_${spec.serial.toString(16).padStart(32, '0')}`, call_start: moscowIso(spec.at).slice(0, 19).replace('T', ' '), caller_id: `7${spec.digits}`, duration: String(spec.durationSec), disposition: answered ? 'answered' : 'no answer' };
	}
	const chat = structuredClone(JIVO) as { chat_id: number; visitor: Record<string, unknown>; session: Record<string, unknown>; page?: unknown; chat: { messages: Array<{ timestamp: number }> } };
	chat.chat_id = 10_000_000 + spec.serial;
	chat.visitor.phone = written(spec.digits);
	if (spec.email) chat.visitor.email = spec.email;
	else delete chat.visitor.email;
	delete chat.session.utm;
	delete chat.page;
	if (spec.channel) chat.session.utm_json = { ...spec.channel, content: '', term: '' };
	else delete chat.session.utm_json;
	chat.chat.messages.forEach((message, k) => (message.timestamp = spec.at / 1000 + k * 40));
	return chat as unknown as Record<string, unknown>;
}

/** The touchId the Touchpoint node gives payloadOf(spec). */
export function touchIdOf(spec: TouchSpec): string {
	if (spec.kind === 'form') return `form:y18-${spec.serial}`;
	if (spec.kind === 'chat') return `jivo:${10_000_000 + spec.serial}`;
	return `zadarma:in_${spec.serial.toString(16).padStart(32, '0')}`;
}

/** The touch the Touchpoint node makes of payloadOf(spec), field by field in the node's order. */
export function touchOf(spec: TouchSpec): Record<string, unknown> {
	const at = moscowIso(spec.at);
	const channel = { source: spec.channel?.source ?? null, medium: spec.channel?.medium ?? null, campaign: spec.channel?.campaign || null, content: null, term: null };
	const common = { kind: spec.kind, at, phones: [`+7${spec.digits}`], emails: spec.email ? [spec.email] : [], gaClientId: spec.ga, gaSessionId: null, ymClientId: null, yclid: null, orderRef: null, channel };
	if (spec.kind === 'form') return { touchId: touchIdOf(spec), ...common, trackingNumber: null, durationSec: null, answered: null, outcome: null, source: 'form', warnings: [] };
	if (spec.kind === 'chat') return { touchId: touchIdOf(spec), ...common, trackingNumber: null, durationSec: null, answered: null, outcome: null, source: 'jivo', warnings: [] };
	const answered = spec.durationSec > 0;
	const local = at.slice(0, 19).replace('T', ' ');
	return {
		touchId: touchIdOf(spec),
		...common,
		trackingNumber: `+${ZADARMA.called_did}`,
		durationSec: spec.durationSec,
		answered,
		outcome: answered ? 'answered' : 'missed',
		operator: ZADARMA.internal,
		source: 'zadarma',
		warnings: [`time "${local}" carries no offset: read in Europe/Moscow (the workflow's time zone)`],
	};
}

/**
 * Holds touchOf against the Touchpoint node's own parser for every `every`-th touch and the first of each kind: the
 * same JSON, key by key. Returns how many were checked; throws on the first difference.
 */
export function checkWithParser(specs: Iterable<TouchSpec>, every: number): number {
	let checked = 0;
	const kinds = new Set<TouchKind>();
	for (const spec of specs) {
		if (spec.serial % every !== 0 && kinds.has(spec.kind)) continue;
		kinds.add(spec.kind);
		// A context per payload, as each webhook delivery is its own execution of the intake; the intake templates read
		// naive times in their workflow's time zone, Moscow.
		const parsed = parseTouches(payloadOf(spec), 'auto', testContext({ receivedAt: new Date(spec.at).toISOString(), timeZoneFrom: 'workflow' }));
		const made = JSON.stringify(touchOf(spec));
		const got = JSON.stringify(parsed.touches);
		if (got !== `[${made}]`) throw new Error(`touch ${spec.serial}: the parser makes ${got}, the generator ${made}`);
		checked++;
	}
	return checked;
}

/** The Postgres intake's columns, in the order of its insert (stored_at is the table's default). */
export const TOUCH_COLUMNS = ['touch_id', 'at', 'kind', 'system', 'phones', 'emails', 'ga_client_id', 'utm_source', 'utm_medium', 'utm_campaign', 'outcome', 'touch'];

/** The values the Postgres intake's Store Touch binds for a touch (touch-intake-postgres.json's query parameters). */
export function postgresRow(touch: Record<string, unknown>): Array<string | string[] | null> {
	const channel = touch.channel as Record<string, string | null>;
	return [touch.touchId as string, touch.at as string, touch.kind as string, touch.source as string, touch.phones as string[], touch.emails as string[], touch.gaClientId as string | null, channel.source, channel.medium, channel.campaign, touch.outcome as string | null, JSON.stringify(touch)];
}

/** The Data Table intake's row for a touch (touch-intake.json's Store Touch columns). */
export function dataTableRow(touch: Record<string, unknown>): Record<string, string | null> {
	const channel = touch.channel as Record<string, string | null>;
	return {
		touchId: touch.touchId as string,
		at: touch.at as string,
		kind: touch.kind as string,
		system: touch.source as string,
		phones: (touch.phones as string[]).join(','),
		emails: (touch.emails as string[]).join(','),
		gaClientId: touch.gaClientId as string | null,
		utmSource: channel.source,
		utmMedium: channel.medium,
		utmCampaign: channel.campaign,
		outcome: touch.outcome as string | null,
		touch: JSON.stringify(touch),
	};
}

/** A value in COPY's text format: backslash, tab, newline and carriage return escaped, null as \N. */
function copyText(value: string | null): string {
	if (value === null) return '\\N';
	return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** A text[] literal: every element quoted, its quotes and backslashes escaped. */
function arrayLiteral(values: string[]): string {
	return `{${values.map((value) => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

/** One line of COPY text for a row of postgresRow(). */
export function copyLine(row: Array<string | string[] | null>): string {
	return `${row.map((value) => copyText(Array.isArray(value) ? arrayLiteral(value) : value)).join('\t')}\n`;
}

/**
 * Streams rows into a table with psql's COPY FROM STDIN (one transaction): the bulk path of a migration. Lines are
 * written as psql takes them (backpressure), so a million rows never sit in memory at once. Resolves to psql's answer.
 */
export function copyInto(connection: { port: number; user: string; database: string }, table: string, columns: string[], lines: Iterable<string>): Promise<string> {
	return new Promise((done, fail) => {
		const psql = spawn('psql', ['-h', '127.0.0.1', '-p', String(connection.port), '-U', connection.user, '-d', connection.database, '-v', 'ON_ERROR_STOP=1', '-AtqX', '-c', `copy ${table} (${columns.join(', ')}) from stdin`], { stdio: ['pipe', 'pipe', 'pipe'] });
		let out = '';
		psql.stdout.on('data', (d: Buffer) => (out += d.toString()));
		psql.stderr.on('data', (d: Buffer) => (out += d.toString()));
		psql.on('error', fail);
		psql.on('close', (code) => (code === 0 ? done(out.trim()) : fail(new Error(`COPY into ${table} failed (${code}): ${out.slice(-2000)}`))));
		const source = lines[Symbol.iterator]();
		// Lines go in chunks of about a megabyte: a write per line would cost more than the line.
		const pump = () => {
			for (;;) {
				let chunk = '';
				let next = source.next();
				for (; !next.done; next = source.next()) {
					chunk += next.value;
					if (chunk.length >= 1 << 20) break;
				}
				if (next.done) {
					psql.stdin.end(chunk);
					return;
				}
				if (!psql.stdin.write(chunk)) {
					psql.stdin.once('drain', pump);
					return;
				}
			}
		};
		pump();
	});
}
