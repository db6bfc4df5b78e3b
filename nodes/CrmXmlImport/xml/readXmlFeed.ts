import { InputDataError } from '../../shared/errors';
import { detectEncoding, firstInvalidUtf8, type DetectedEncoding } from './encoding';
import { XmlRecordReader, type RecordPath, type XmlObject, type XmlValue } from './XmlRecordReader';

export interface ReadXmlFeedOptions {
	recordPaths: RecordPath[];
	/** "auto" or a TextDecoder label. */
	encoding?: string;
	/** Refuse a feed larger than this, compressed or not. */
	maxBytes: number;
	maxDepth?: number;
	/** Epoch milliseconds after which the read is abandoned (a server that trickles bytes). */
	deadline?: number;
	onRoot?: (name: string, attributes: XmlObject) => void;
	onRecord: (record: XmlValue, name: string) => void;
}

export interface ReadXmlFeedResult {
	records: number;
	bytes: number;
	gzip: boolean;
	encoding: DetectedEncoding;
}

const HEAD_BYTES = 4096;

/**
 * Reads an XML feed from a stream of bytes (an HTTP body, a file, a binary property), gunzipping and decoding it
 * on the fly, and hands each record to onRecord. Memory stays at one chunk plus one record; the caller collects
 * what it maps. Throws InputDataError (with line and column where it applies) on anything wrong; the caller then
 * emits nothing.
 */
export async function readXmlFeed(source: AsyncIterable<Uint8Array>, options: ReadXmlFeedOptions): Promise<ReadXmlFeedResult> {
	const iterator = source[Symbol.asyncIterator]();
	const first = await iterator.next();
	const firstChunk = first.done ? new Uint8Array(0) : first.value;
	const gzip = firstChunk[0] === 0x1f && firstChunk[1] === 0x8b;
	const rest: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => iterator };
	let bytes = firstChunk.length;
	const counted = limitBytes(first.done ? rest : prepend(firstChunk, rest), options, (n) => (bytes = n));
	const plain = gzip ? gunzip(counted, options) : counted;

	const reader = new XmlRecordReader({
		recordPaths: options.recordPaths,
		maxDepth: options.maxDepth ?? 128,
		onRecord: options.onRecord,
		onRoot: options.onRoot,
	});
	let encoding: DetectedEncoding | undefined;
	let decoder: TextDecoder | undefined;
	let head: Uint8Array[] = [];
	let headLength = 0;
	const push = (chunk: Uint8Array, final: boolean) => {
		if (!decoder) {
			head.push(chunk);
			headLength += chunk.length;
			if (headLength < HEAD_BYTES && !final) return;
			chunk = concat(head, headLength);
			head = [];
			encoding = detectEncoding(chunk, options.encoding ?? 'auto');
			decoder = new TextDecoder(encoding.encoding, { fatal: true });
		}
		let text: string;
		try {
			text = decoder.decode(chunk, { stream: !final });
		} catch {
			throw decodeError(reader, chunk, encoding as DetectedEncoding);
		}
		if (text.length > 0) reader.write(text);
	};
	for await (const chunk of plain) push(chunk, false);
	push(new Uint8Array(0), true);
	reader.end();
	return { records: reader.recordCount, bytes, gzip, encoding: encoding as DetectedEncoding };
}

function decodeError(reader: XmlRecordReader, chunk: Uint8Array, encoding: DetectedEncoding): InputDataError {
	const bad = encoding.encoding === 'utf-8' ? firstInvalidUtf8(chunk) : -1;
	const { line, column } = reader.positionAfterPushed();
	let lines = 0;
	let lineStart = -1;
	for (let i = 0; i < bad; i++) {
		if (chunk[i] === 10) {
			lines++;
			lineStart = i;
		}
	}
	const how = encoding.source === 'default' ? 'it has no encoding declaration, so it is read as UTF-8' : `its encoding is ${encoding.encoding} (from the ${encoding.source})`;
	return new InputDataError(
		`The file is not valid ${encoding.encoding}: ${how}, but it contains bytes that are not ${encoding.encoding}`,
		'Often the export is windows-1251 without a declaration. Set Encoding in the node to the real encoding, or fix the export.',
		line + lines,
		lines > 0 ? bad - lineStart : column,
	);
}

async function* prepend(first: Uint8Array, rest: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
	yield first;
	yield* rest;
}

function limitMessage(maxBytes: number): InputDataError {
	return new InputDataError(
		`The feed is larger than the limit of ${Math.round(maxBytes / 1048576)} MB`,
		'Raise Max Size (MB) in the node if the feed really is that large, or export fewer orders at a time.',
	);
}

async function* limitBytes(source: AsyncIterable<Uint8Array>, options: ReadXmlFeedOptions, report: (n: number) => void): AsyncIterable<Uint8Array> {
	let total = 0;
	for await (const chunk of source) {
		total += chunk.length;
		report(total);
		if (total > options.maxBytes) throw limitMessage(options.maxBytes);
		if (options.deadline !== undefined && Date.now() > options.deadline) {
			throw new InputDataError('The feed took longer to download than the timeout allows', 'The server is sending very slowly. Raise Timeout in the node, or check the server.');
		}
		yield chunk;
	}
}

/** gunzip through the web-standard DecompressionStream (no Node built-in modules in node code). */
async function* gunzip(source: AsyncIterable<Uint8Array>, options: ReadXmlFeedOptions): AsyncIterable<Uint8Array> {
	const stream = new DecompressionStream('gzip');
	const writer = stream.writable.getWriter();
	const pump = (async () => {
		try {
			for await (const chunk of source) await writer.write(chunk as Uint8Array<ArrayBuffer>);
			await writer.close();
		} catch (error) {
			await writer.abort(error).catch(() => undefined);
		}
	})();
	const reader = stream.readable.getReader();
	let total = 0;
	try {
		for (;;) {
			const step = await reader.read().catch((error: unknown) => (error instanceof InputDataError ? error : null));
			if (step instanceof InputDataError) throw step;
			if (step === null) {
				throw new InputDataError('The feed looks gzip-compressed but is not valid gzip (or was cut off)', 'Check the export: a .gz file must be downloaded whole. If the server compresses on the fly, its Content-Encoding header should say gzip.');
			}
			if (step.done) break;
			total += step.value.length;
			if (total > options.maxBytes) throw limitMessage(options.maxBytes);
			yield step.value;
		}
	} finally {
		reader.releaseLock();
		await pump;
	}
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
	if (chunks.length === 1) return chunks[0];
	const out = new Uint8Array(length);
	let at = 0;
	for (const chunk of chunks) {
		out.set(chunk, at);
		at += chunk.length;
	}
	return out;
}
