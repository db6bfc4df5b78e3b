import { InputDataError } from '../../shared/errors';
import { detectEncoding, firstInvalidUtf8, utf8CyrillicRun, type DetectedEncoding } from './encoding';
import { XmlRecordReader, type RecordPath, type XmlObject, type XmlValue } from './XmlRecordReader';

/** The Encoding option's default: the BOM, then the XML declaration, then UTF-8. */
export const DEFAULT_ENCODING = 'auto';
/** The Max Nesting Depth option's default: a CRM export is never that deep. */
export const DEFAULT_MAX_DEPTH = 64;

export interface ReadXmlFeedOptions {
	recordPaths: RecordPath[];
	/** "auto" or a TextDecoder label; DEFAULT_ENCODING when not given. */
	encoding?: string;
	/** Refuse a feed larger than this, compressed or not. */
	maxBytes: number;
	/** DEFAULT_MAX_DEPTH when not given. */
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
		maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
		onRecord: options.onRecord,
		onRoot: options.onRoot,
	});
	let encoding: DetectedEncoding | undefined;
	let decoder: TextDecoder | undefined;
	let singleByteCyrillic = false;
	let head: Uint8Array[] = [];
	let headLength = 0;
	const push = (chunk: Uint8Array, final: boolean) => {
		if (!decoder) {
			head.push(chunk);
			headLength += chunk.length;
			if (headLength < HEAD_BYTES && !final) return;
			chunk = concat(head, headLength);
			head = [];
			encoding = detectEncoding(chunk, options.encoding ?? DEFAULT_ENCODING);
			decoder = new TextDecoder(encoding.encoding, { fatal: true });
			// The declaration is checked on the head only; UTF-8 text can still come later (a file pieced together).
			singleByteCyrillic = encoding.source !== 'setting' && (encoding.encoding === 'windows-1251' || encoding.encoding === 'koi8-r');
		}
		if (singleByteCyrillic) {
			const at = utf8CyrillicRun(chunk);
			if (at !== -1) throw mixedEncodingError(reader, chunk, at, encoding as DetectedEncoding);
		}
		let text: string;
		try {
			text = decoder.decode(chunk, { stream: !final });
		} catch {
			throw decodeError(reader, chunk, encoding as DetectedEncoding, final);
		}
		if (text.length > 0) reader.write(text);
	};
	for await (const chunk of plain) push(chunk, false);
	push(new Uint8Array(0), true);
	reader.end();
	return { records: reader.recordCount, bytes, gzip, encoding: encoding as DetectedEncoding };
}

/** Line and column of byte `offset` of a chunk that is about to be pushed (lines end with a 0x0A byte in every encoding read here but UTF-16). */
function positionIn(reader: XmlRecordReader, chunk: Uint8Array, offset: number): { line: number; column: number } {
	const { line, column } = reader.positionAfterPushed();
	let lines = 0;
	let lineStart = -1;
	for (let i = 0; i < offset; i++) {
		if (chunk[i] === 10) {
			lines++;
			lineStart = i;
		}
	}
	return { line: line + lines, column: lines > 0 ? offset - lineStart : column + Math.max(0, offset) };
}

/** Whether `chunk` decodes but for an unfinished character at its end (which only the end of the file makes an error). */
function decodesButTheEnd(chunk: Uint8Array, encoding: string): boolean {
	try {
		new TextDecoder(encoding, { fatal: true }).decode(chunk, { stream: true });
		return true;
	} catch {
		return false;
	}
}

function decodeError(reader: XmlRecordReader, chunk: Uint8Array, encoding: DetectedEncoding, final: boolean): InputDataError {
	// At the end, bytes the decoder held back as the start of a character fail: the file stops inside a character.
	if (final && decodesButTheEnd(chunk, encoding.encoding)) {
		const { line, column } = reader.positionAfterPushed();
		return new InputDataError(
			'The file ends in the middle of a character: it was cut off (truncated)',
			'The export or the download stopped half way. Run the export again; no orders were imported from this file.',
			line,
			column,
		);
	}
	const bad = encoding.encoding === 'utf-8' ? firstInvalidUtf8(chunk) : -1;
	const { line, column } = positionIn(reader, chunk, bad);
	const how = encoding.source === 'default' ? 'it has no encoding declaration, so it is read as UTF-8' : `its encoding is ${encoding.encoding} (from the ${encoding.source})`;
	return new InputDataError(
		`The file is not valid ${encoding.encoding}: ${how}, but it contains bytes that are not ${encoding.encoding}`,
		'Often the export is windows-1251 without a declaration. Set Encoding in the node to the real encoding, or fix the export.',
		line,
		column,
	);
}

function mixedEncodingError(reader: XmlRecordReader, chunk: Uint8Array, offset: number, encoding: DetectedEncoding): InputDataError {
	const { line, column } = positionIn(reader, chunk, offset);
	return new InputDataError(
		`The file is ${encoding.encoding} (from the ${encoding.source}) but contains UTF-8 text`,
		'Reading it would turn that text into garbage. The export mixes encodings (often pieced together from several files): fix the export, or set Encoding in the node if the whole file is UTF-8.',
		line,
		column,
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
		// Stop the decompression first: the pump may be waiting for room to write (a gzip bomb cut off at the limit).
		await reader.cancel().catch(() => undefined);
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
