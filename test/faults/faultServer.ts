import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { Socket } from 'net';

/**
 * What the feed URL does on one request. Bodies are bytes exactly as sent; nothing is gzip-encoded unless a case
 * says so in its headers (and then the body is whatever the case made, gzip or not).
 * - body: a status, headers and a body, in one write (a Content-Length is set from the body unless given);
 * - drip: a 200 whose body goes out `bytesPerSecond` bytes at a time, once a second (a server that trickles);
 * - stall: a 200 with the headers and `head` bytes, then nothing, the socket held open;
 * - reset: a 200 that declares the whole length, sends `after` bytes, then resets the connection (TCP RST);
 * - short: a 200 whose Content-Length says `contentLength` but whose body is shorter; the socket is then closed;
 * - redirectLoop: 302 to itself with a new query each time, forever;
 * - silent: reads the request and never answers (no status line).
 * `echo` appends what the request carried (decoded Authorization header, full URL): servers that print the request
 * in their error pages, so that a message quoting the body would quote the credential.
 */
export type Behaviour =
	| { kind: 'body'; status?: number; headers?: Record<string, string>; body: Buffer; echo?: boolean }
	| { kind: 'drip'; body: Buffer; bytesPerSecond: number; headers?: Record<string, string> }
	| { kind: 'stall'; head: Buffer }
	| { kind: 'reset'; body: Buffer; after: number }
	| { kind: 'short'; body: Buffer; contentLength: number }
	| { kind: 'redirectLoop' }
	| { kind: 'silent' };

export interface FeedAuth {
	user: string;
	password: string;
	token: string;
}

/**
 * A CRM export endpoint that misbehaves on demand: one behaviour per path, swapped between runs. Requests must carry
 * HTTP Basic (user, password), a bearer token or the token in the query; anything else gets a 401 whose page echoes
 * what it was sent.
 */
export class FaultServer {
	private readonly routes = new Map<string, Behaviour>();
	private readonly sockets = new Set<Socket>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private server?: Server;
	readonly requests: Array<{ path: string; authorized: boolean }> = [];
	port = 0;

	constructor(private readonly auth: FeedAuth) {}

	serve(path: string, behaviour: Behaviour): void {
		this.routes.set(path, behaviour);
	}

	url(pathAndQuery: string): string {
		return `http://127.0.0.1:${this.port}${pathAndQuery}`;
	}

	async start(): Promise<void> {
		this.server = createServer((req, res) => this.handle(req, res));
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((done) => this.server?.listen(0, '127.0.0.1', done));
		const address = this.server.address();
		this.port = typeof address === 'object' && address ? address.port : 0;
	}

	/** Ends every held connection (stalls, drips) so that nothing outlives the run. */
	dropConnections(): void {
		for (const timer of this.timers) clearInterval(timer);
		this.timers.clear();
		for (const socket of this.sockets) socket.destroy();
	}

	async stop(): Promise<void> {
		this.dropConnections();
		await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
	}

	private handle(req: IncomingMessage, res: ServerResponse): void {
		const path = (req.url ?? '/').split('?')[0];
		const header = String(req.headers.authorization ?? '');
		const basic = 'Basic ' + Buffer.from(`${this.auth.user}:${this.auth.password}`).toString('base64');
		const query = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token');
		const authorized = header === basic || header === `Bearer ${this.auth.token}` || query === this.auth.token;
		this.requests.push({ path, authorized });
		const behaviour = this.routes.get(path);
		if (behaviour?.kind === 'silent') return; // hold the request: no status line, ever
		if (!authorized) {
			res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="1C exchange"', 'Content-Type': 'text/plain; charset=utf-8' });
			res.end(`failure\nAuthorization failed for ${describeRequest(req)}`);
			return;
		}
		if (!behaviour) {
			res.writeHead(404, { 'Content-Type': 'text/plain' });
			res.end('not found');
			return;
		}
		switch (behaviour.kind) {
			case 'body': {
				const body = behaviour.echo ? Buffer.concat([behaviour.body, Buffer.from(`\nRequest: ${describeRequest(req)}\n`)]) : behaviour.body;
				res.writeHead(behaviour.status ?? 200, { 'Content-Type': 'application/xml', 'Content-Length': String(body.length), ...behaviour.headers });
				res.end(body);
				return;
			}
			case 'drip': {
				res.writeHead(200, { 'Content-Type': 'application/xml', 'Content-Length': String(behaviour.body.length), ...behaviour.headers });
				let at = 0;
				const timer = setInterval(() => {
					if (at >= behaviour.body.length || res.destroyed) {
						clearInterval(timer);
						this.timers.delete(timer);
						if (!res.destroyed) res.end();
						return;
					}
					res.write(behaviour.body.subarray(at, at + behaviour.bytesPerSecond));
					at += behaviour.bytesPerSecond;
				}, 1000);
				this.timers.add(timer);
				return;
			}
			case 'stall':
				res.writeHead(200, { 'Content-Type': 'application/xml' });
				res.write(behaviour.head);
				return;
			case 'reset':
				res.writeHead(200, { 'Content-Type': 'application/xml', 'Content-Length': String(behaviour.body.length) });
				res.write(behaviour.body.subarray(0, behaviour.after), () => {
					const timer = setTimeout(() => {
						this.timers.delete(timer);
						req.socket.resetAndDestroy();
					}, 50);
					this.timers.add(timer);
				});
				return;
			case 'short':
				res.writeHead(200, { 'Content-Type': 'application/xml', 'Content-Length': String(behaviour.contentLength) });
				res.write(behaviour.body, () => req.socket.end());
				return;
			case 'redirectLoop':
				res.writeHead(302, { Location: `${path}?hop=${this.requests.length}` });
				res.end();
				return;
		}
	}
}

/** What a careless error page prints about the request: the decoded Authorization header and the full URL. */
function describeRequest(req: IncomingMessage): string {
	const header = String(req.headers.authorization ?? '');
	const decoded = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : header;
	return `${req.method} ${req.url} (authorization: ${decoded || 'none'})`;
}
