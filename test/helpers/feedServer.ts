import { createServer, type Server } from 'http';
import { gzipSync } from 'zlib';

/**
 * A local stand-in for a CRM's export endpoint: serves feeds by path behind HTTP Basic auth (as 1C-Bitrix's
 * 1c_exchange.php does), gzip-encodes when the client asks, and records every request.
 */
export class FeedServer {
	readonly feeds = new Map<string, Buffer>();
	readonly requests: Array<{ path: string; authorized: boolean }> = [];
	private server?: Server;
	port = 0;

	constructor(
		private readonly user: string,
		private readonly password: string,
	) {}

	async start(): Promise<void> {
		const expected = 'Basic ' + Buffer.from(`${this.user}:${this.password}`).toString('base64');
		this.server = createServer((req, res) => {
			const path = (req.url ?? '/').split('?')[0];
			const authorized = req.headers.authorization === expected;
			this.requests.push({ path, authorized });
			if (!authorized) {
				res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="1C exchange"', 'Content-Type': 'text/plain' });
				res.end('failure\nAuthorization required');
				return;
			}
			const feed = this.feeds.get(path);
			if (!feed) {
				res.writeHead(404, { 'Content-Type': 'text/plain' });
				res.end('not found');
				return;
			}
			const gzip = /gzip/.test(String(req.headers['accept-encoding'] ?? '')) && feed.length > 100000;
			res.writeHead(200, { 'Content-Type': 'application/xml', ...(gzip ? { 'Content-Encoding': 'gzip' } : {}) });
			res.end(gzip ? gzipSync(feed) : feed);
		});
		await new Promise<void>((done) => this.server?.listen(0, '127.0.0.1', done));
		const address = this.server.address();
		this.port = typeof address === 'object' && address ? address.port : 0;
	}

	url(path: string): string {
		return `http://127.0.0.1:${this.port}${path}`;
	}

	async stop(): Promise<void> {
		await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
	}
}
