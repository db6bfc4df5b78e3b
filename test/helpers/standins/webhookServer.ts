import { createHmac, timingSafeEqual } from 'crypto';
import { StandinServer, type Received, type Reply, type StandinOptions } from './standinServer';

export interface WebhookStandinOptions extends StandinOptions {
	/** When set, requests must carry a valid HMAC-SHA256 of the raw body in `signatureHeader` ("sha256=<hex>"). */
	secret?: string;
	signatureHeader?: string;
}

/** A plain receiver: records JSON bodies, verifies the signature over the exact bytes, counts idempotency-key repeats. */
export class WebhookServer extends StandinServer {
	readonly deliveries: Array<{ body: unknown; idempotencyKey: string | null; signatureValid: boolean | null }> = [];
	duplicates = 0;
	private readonly seenKeys = new Set<string>();

	constructor(private readonly options: WebhookStandinOptions = {}) {
		super(options);
	}

	protected handle(request: Received, reply: Reply): void {
		let signatureValid: boolean | null = null;
		if (this.options.secret) {
			const given = request.headers[(this.options.signatureHeader ?? 'x-signature-256').toLowerCase()];
			const expected = Buffer.from(`sha256=${createHmac('sha256', this.options.secret).update(request.raw).digest('hex')}`);
			const actual = Buffer.from(typeof given === 'string' ? given : '');
			signatureValid = expected.length === actual.length && timingSafeEqual(expected, actual);
			if (!signatureValid) return reply.json(401, { error: 'invalid signature' });
		}
		const key = typeof request.headers['idempotency-key'] === 'string' ? request.headers['idempotency-key'] : null;
		if (key !== null) {
			if (this.seenKeys.has(key)) this.duplicates++;
			this.seenKeys.add(key);
		}
		this.deliveries.push({ body: request.body, idempotencyKey: key, signatureValid });
		reply.json(200, { ok: true });
	}
}
