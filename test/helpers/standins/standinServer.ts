import { createServer, STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { Socket } from 'net';
import { FaultPlan, type AnswerLoss } from './faultPlan';
import { parseBracketQuery, parseMultipart, type MultipartPart, type Nested } from './parsing';

/** One request exactly as it arrived, and what the stand-in did with it. */
export interface Received {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: IncomingHttpHeaders;
	raw: Buffer;
	/** JSON, a form (bracket keys nested), multipart parts, or the text. */
	body: unknown;
	at: number;
	/** The status answered (or, after a lostAnswer fault, the status the service meant to answer), or what happened instead. */
	outcome: number | LostOutcome;
	/** Set when the service handled the request but its answer never arrived (a lostAnswer fault). */
	answerLost?: LostOutcome;
	/** The error page an echo fault answered, as sent. */
	answer?: string;
}

export type LostOutcome = 'timeout' | 'dropped' | 'reset';

export interface Reply {
	json(status: number, body: unknown, headers?: Record<string, string>): void;
	empty(status: number, headers?: Record<string, string>): void;
	text(status: number, body: string, headers?: Record<string, string>): void;
}

export interface StandinOptions {
	/** The stand-in's clock for its limits; the real one by default. */
	now?: () => number;
}

/**
 * A loopback HTTP server that records every request and can inject faults; subclasses implement the service.
 * Start with `await new X(...).start()`; always `close()` (held and open sockets are destroyed).
 */
export abstract class StandinServer {
	url = '';
	readonly received: Received[] = [];
	readonly faults = new FaultPlan();
	protected readonly now: () => number;
	private server?: Server;
	private readonly sockets = new Set<Socket>();

	constructor(options: StandinOptions = {}) {
		this.now = options.now ?? Date.now;
	}

	protected abstract handle(request: Received, reply: Reply): void;

	async start(): Promise<this> {
		this.server = createServer((req, res) => void this.accept(req, res));
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((done) => this.server?.listen(0, '127.0.0.1', done));
		const address = this.server.address();
		this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
		return this;
	}

	async close(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
	}

	private async accept(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks);
		const url = new URL(req.url ?? '/', 'http://standin');
		const record: Received = {
			method: req.method ?? 'GET',
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers: req.headers,
			raw,
			body: parseBody(raw, req.headers['content-type']),
			at: this.now(),
			outcome: 0,
		};
		this.received.push(record);
		const fault = this.faults.take();
		if (fault?.kind === 'timeout' || fault?.kind === 'reset' || fault?.kind === 'drop') {
			record.outcome = loseAnswer(fault.kind === 'timeout' ? 'hold' : fault.kind, req, res);
			return;
		}
		const send = (status: number, headers: Record<string, string>, body?: string) => {
			record.outcome = status;
			if (fault?.kind === 'lostAnswer') {
				record.answerLost = loseAnswer(fault.after, req, res);
				return;
			}
			res.writeHead(status, body === undefined ? headers : { ...headers, 'Content-Length': String(Buffer.byteLength(body)) });
			res.end(body);
		};
		const reply: Reply = {
			json: (status, body, headers = {}) => send(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers }, JSON.stringify(body)),
			empty: (status, headers = {}) => send(status, headers),
			text: (status, body, headers = {}) => send(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers }, body),
		};
		if (fault?.kind === 'echo') {
			record.answer = echoPage(fault.status, req);
			send(fault.status, { 'Content-Type': 'text/html; charset=utf-8' }, record.answer);
			return;
		}
		if (fault?.kind === 'status') {
			reply.json(fault.status, fault.body ?? { error: `injected ${fault.status}` }, { ...(fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {}), ...fault.headers });
			return;
		}
		this.handle(record, reply);
	}
}

/**
 * An error page that repeats what the request carried, as a proxy's or a careless service's page does: the
 * Authorization header first (when there is one), then the method and the URL with its query. Kept short, so it
 * lies within the first 300 characters a client quotes of an error answer.
 */
export function echoPage(status: number, req: Pick<IncomingMessage, 'method' | 'url' | 'headers'>): string {
	const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
	const authorization = req.headers.authorization ? `<p>Authorization: ${req.headers.authorization}</p>` : '';
	return `<html><head><title>${title}</title></head><body><h1>${title}</h1>${authorization}<p>${req.method ?? 'GET'} ${req.url ?? '/'}</p></body></html>`;
}

/** Loses the answer to a request: holds the socket, cuts a 200 in the middle of its body, or resets the connection. */
function loseAnswer(how: AnswerLoss, req: IncomingMessage, res: ServerResponse): LostOutcome {
	if (how === 'hold') return 'timeout';
	if (how === 'reset') {
		req.socket.destroy();
		return 'reset';
	}
	res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '200' });
	res.write('{"result":');
	setTimeout(() => req.socket.destroy(), 5);
	return 'dropped';
}

function parseBody(raw: Buffer, contentType: string | undefined): unknown {
	if (raw.length === 0) return undefined;
	const type = (contentType ?? '').toLowerCase();
	if (type.includes('multipart/form-data')) return parseMultipart(raw, contentType) satisfies MultipartPart[] | null;
	const text = raw.toString('utf8');
	if (type.includes('application/x-www-form-urlencoded')) return parseBracketQuery(text) satisfies Nested;
	if (type.includes('json')) {
		try {
			return JSON.parse(text);
		} catch {
			return text;
		}
	}
	return text;
}
