import { InputDataError } from '../../shared/errors';

/**
 * A streaming, non-validating XML reader that checks well-formedness and hands over one record at a time.
 *
 * Text is pushed in chunks (already decoded); elements whose path matches a record path are built into plain
 * objects and passed to `onRecord`; everything outside records is only tracked as a stack of names, so memory
 * stays proportional to one record, not to the document. It refuses what makes XML dangerous: a DOCTYPE with an
 * internal subset (entity expansion, "billion laughs") or an external DTD (XXE), undefined entities, and nesting
 * past `maxDepth`. Errors carry the line and column.
 *
 * A record becomes: an element with neither attributes nor children -> its text; otherwise an object with
 * attributes as `@name`, children by local name (repeated children -> an array) and mixed text as `#text`.
 */
export type XmlValue = string | XmlObject | XmlValue[];
export interface XmlObject {
	[key: string]: XmlValue;
}

export interface RecordPath {
	/** true for "//a/b": the segments may stand at any depth. */
	anywhere: boolean;
	segments: string[];
}

export interface XmlRecordReaderOptions {
	recordPaths: RecordPath[];
	maxDepth: number;
	onRecord: (record: XmlValue, name: string) => void;
	onRoot?: (name: string, attributes: XmlObject) => void;
}

interface Frame {
	key: string;
	obj: XmlObject | null;
	text: string;
}

const SLASH = 47;
const BANG = 33;
const QUESTION = 63;

/** Characters XML 1.0 does not allow anywhere, even as references: C0 controls but tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex -- the characters XML forbids are control characters
const FORBIDDEN_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

/**
 * The longest a single tag, comment, CDATA section or text may be (characters). An unclosed one would otherwise be
 * kept and searched again on every chunk to the end of the file: quadratic time on a feed of hundreds of MB.
 */
const MAX_TOKEN_CHARS = 8 << 20;

const PREDEFINED_ENTITIES: Record<string, string> = {
	lt: '<',
	gt: '>',
	amp: '&',
	quot: '"',
	apos: "'",
};

/** Parses "a/b/c" or "//b/c" (any depth); several alternatives separated by "|". */
export function parseRecordPaths(spec: string): RecordPath[] {
	const paths = spec
		.split('|')
		.map((part) => part.trim())
		.filter((part) => part.length > 0)
		.map((part) => {
			const anywhere = part.startsWith('//');
			const segments = part.replace(/^\/+/, '').split('/').map(localName);
			if (segments.some((s) => s.length === 0 || s === '*' || s === '..' || s === '.')) {
				throw new InputDataError(
					`The record path "${part}" is not valid`,
					'Write the path of the record element from the root, e.g. "orders/order", or "//order" for any depth.',
				);
			}
			return { anywhere, segments };
		});
	if (paths.length === 0) {
		throw new InputDataError('The record path is empty', 'Set Record Path, e.g. "orders/order".');
	}
	return paths;
}

function localName(qualified: string): string {
	const colon = qualified.indexOf(':');
	return colon < 0 ? qualified : qualified.slice(colon + 1);
}

function isWhitespace(code: number): boolean {
	return code === 32 || code === 10 || code === 13 || code === 9;
}

function isBlank(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		if (!isWhitespace(text.charCodeAt(i))) return false;
	}
	return true;
}

export class XmlRecordReader {
	private buf = '';
	/** Newlines before buf[0], and characters on the current line before buf[0]. */
	private linesBefore = 0;
	private columnBefore = 0;
	/** Full names of the open elements outside a record, and their local names. */
	private readonly names: string[] = [];
	private readonly locals: string[] = [];
	/** Open elements of the record being built (empty outside a record). */
	private readonly frames: Frame[] = [];
	private rootSeen = false;
	private rootClosed = false;
	private declarationAllowed = true;
	recordCount = 0;

	constructor(private readonly options: XmlRecordReaderOptions) {}

	write(chunk: string): void {
		const before = this.buf.length;
		this.buf = before === 0 ? chunk : this.buf + chunk;
		const forbidden = FORBIDDEN_CHARACTER.exec(chunk);
		if (forbidden !== null) {
			const code = forbidden[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
			this.fail(
				before + forbidden.index,
				`the character U+${code} is not allowed in XML`,
				'XML allows no control characters (U+0000 to U+001F) but tab and line breaks, nor U+FFFE and U+FFFF. Remove it from the record in the CRM (often pasted into a comment), or fix the export.',
			);
		}
		const consumed = this.parse(false);
		this.drop(consumed);
		if (this.buf.length > MAX_TOKEN_CHARS) {
			this.fail(0, `${this.unfinished()} that starts here runs on for more than ${MAX_TOKEN_CHARS >> 20} M characters: it is not closed`, 'The file is broken. Check the export.');
		}
	}

	end(): void {
		const consumed = this.parse(true);
		this.drop(consumed);
		if (this.buf.length > 0 && !isBlank(this.buf)) {
			this.fail(0, `The file ends inside ${this.unfinished()} that starts here: it is not closed, or the file was cut off (truncated)`, 'Check that the export finished and that the download was complete.');
		}
		if (!this.rootSeen) {
			this.fail(this.buf.length, 'The file has no XML root element: it is empty or not XML', 'Check the URL or binary property: it should be the XML export itself, not an empty reply.');
		}
		const depth = this.names.length + this.frames.length;
		if (depth > 0) {
			const open = this.frames.length > 0 ? this.frames[this.frames.length - 1].key : this.locals[this.locals.length - 1];
			this.fail(this.buf.length, `The file ends while <${open}> and ${depth - 1} outer element(s) are still open: it was cut off (truncated)`, 'The export or the download stopped half way. Run the export again; no orders were imported from this file.');
		}
	}

	/** What the unconsumed rest of the text is: the start of a construct that has not ended yet. */
	private unfinished(): string {
		const buf = this.buf;
		if (buf.charCodeAt(0) !== 60 /* < */) return 'a text';
		if (buf.startsWith('<![CDATA[')) return 'a CDATA section';
		if (buf.startsWith('<!--')) return 'a comment';
		if (buf.startsWith('<!')) return 'a declaration (<!...>)';
		if (buf.startsWith('<?')) return 'a processing instruction (<?...?>)';
		return 'a tag';
	}

	private drop(count: number): void {
		if (count === 0) return;
		let newlines = 0;
		let last = -1;
		let at = this.buf.indexOf('\n');
		while (at !== -1 && at < count) {
			newlines++;
			last = at;
			at = this.buf.indexOf('\n', at + 1);
		}
		if (newlines > 0) {
			this.linesBefore += newlines;
			this.columnBefore = count - last - 1;
		} else {
			this.columnBefore += count;
		}
		this.buf = this.buf.slice(count);
	}

	/** Line and column just after the text pushed so far (for errors found before the text reaches the reader). */
	positionAfterPushed(): { line: number; column: number } {
		return this.position(this.buf.length);
	}

	private position(offset: number): { line: number; column: number } {
		let line = this.linesBefore + 1;
		let lastNewline = -1;
		let at = this.buf.indexOf('\n');
		while (at !== -1 && at < offset) {
			line++;
			lastNewline = at;
			at = this.buf.indexOf('\n', at + 1);
		}
		const column = lastNewline === -1 ? this.columnBefore + offset + 1 : offset - lastNewline;
		return { line, column };
	}

	private fail(offset: number, message: string, hint = ''): never {
		const { line, column } = this.position(offset);
		throw new InputDataError(`The XML is not well-formed: ${message}`, hint, line, column);
	}

	/** Parses as much of buf as is complete; returns how many characters were consumed. */
	private parse(final: boolean): number {
		const buf = this.buf;
		const length = buf.length;
		let i = 0;
		while (i < length) {
			const lt = buf.indexOf('<', i);
			if (lt === -1) {
				if (!final) return i;
				this.text(buf, i, length);
				return length;
			}
			if (lt > i) this.text(buf, i, lt);
			i = lt;
			const next = buf.charCodeAt(lt + 1);
			if (lt + 1 >= length) return i;
			if (next === SLASH) {
				const gt = buf.indexOf('>', lt + 2);
				if (gt === -1) return i;
				this.close(buf, lt, gt);
				i = gt + 1;
			} else if (next === QUESTION) {
				const end = buf.indexOf('?>', lt + 2);
				if (end === -1) return i;
				this.instruction(buf, lt, end);
				i = end + 2;
			} else if (next === BANG) {
				const consumed = this.bang(buf, lt, final);
				if (consumed === -1) return i;
				i = consumed;
			} else {
				const consumed = this.open(buf, lt);
				if (consumed === -1) return i;
				i = consumed;
			}
			this.declarationAllowed = false;
		}
		return i;
	}

	private instruction(buf: string, lt: number, end: number): void {
		const target = buf.slice(lt + 2, Math.min(end, lt + 6)).toLowerCase();
		if (target.startsWith('xml') && (target.length === 3 || isWhitespace(target.charCodeAt(3)))) {
			if (!this.declarationAllowed) this.fail(lt, 'an XML declaration <?xml ...?> stands after the start of the file', 'The declaration must be the very first thing in the file; remove what stands before it.');
		}
	}

	/** Comments, CDATA and DOCTYPE. Returns the index after it, or -1 when it is not complete yet. */
	private bang(buf: string, lt: number, final: boolean): number {
		if (buf.startsWith('<!--', lt)) {
			const end = buf.indexOf('-->', lt + 4);
			return end === -1 ? -1 : end + 3;
		}
		if (buf.startsWith('<![CDATA[', lt)) {
			const end = buf.indexOf(']]>', lt + 9);
			if (end === -1) return -1;
			if (this.frames.length === 0 && this.names.length === 0) this.fail(lt, 'CDATA stands outside the root element');
			if (this.frames.length > 0) this.frames[this.frames.length - 1].text += buf.slice(lt + 9, end);
			return end + 3;
		}
		if (buf.length - lt < 9 && !final) return -1;
		if (buf.startsWith('<!DOCTYPE', lt)) {
			const gt = buf.indexOf('>', lt);
			const bracket = buf.indexOf('[', lt);
			if (bracket !== -1 && (gt === -1 || bracket < gt)) {
				this.fail(lt, 'the DOCTYPE declares an internal subset (entity definitions), which is refused to prevent entity expansion and external entity attacks', 'A CRM export never needs entity definitions. Export the file without a DOCTYPE.');
			}
			if (gt === -1) return -1;
			const doctype = buf.slice(lt, gt);
			// An XHTML page names its DTD too: say it is a web page rather than that its DTD is refused.
			if (/^<!DOCTYPE\s+html/i.test(doctype)) this.htmlPage(lt);
			if (/\s(SYSTEM|PUBLIC)\s/.test(doctype)) {
				this.fail(lt, 'the DOCTYPE points at an external DTD, which is refused (external entities are a security risk)', 'Export the file without a DOCTYPE.');
			}
			return gt + 1;
		}
		if (/^<!doctype\s+html/i.test(buf.slice(lt, lt + 15))) this.htmlPage(lt);
		this.fail(lt, `unexpected markup "${buf.slice(lt, lt + 12)}"`);
	}

	private htmlPage(offset: number): never {
		this.fail(offset, 'got an HTML page instead of an XML export', 'The URL answered with a web page (often a login or error page). Check the URL and the credentials.');
	}

	/** A start tag. Returns the index after it, or -1 when it is not complete yet. */
	private open(buf: string, lt: number): number {
		let gt = buf.indexOf('>', lt + 1);
		if (gt === -1) return -1;
		let nameEnd = lt + 1;
		while (nameEnd < gt) {
			const c = buf.charCodeAt(nameEnd);
			if (isWhitespace(c) || c === SLASH) break;
			nameEnd++;
		}
		const name = buf.slice(lt + 1, nameEnd);
		if (name.length === 0 || !isNameStart(name.charCodeAt(0))) this.fail(lt, `"<" is not followed by an element name`, 'A literal "<" in text must be written as &lt;.');
		let attributes: XmlObject | null = null;
		let selfClosing = false;
		let p = nameEnd;
		// Attributes: name="value" pairs; a ">" inside a quoted value does not end the tag.
		for (;;) {
			while (p < buf.length && isWhitespace(buf.charCodeAt(p))) p++;
			if (p >= buf.length) return -1;
			const c = buf.charCodeAt(p);
			if (c === 62 /* > */) {
				gt = p;
				break;
			}
			if (c === SLASH) {
				if (p + 1 >= buf.length) return -1;
				if (buf.charCodeAt(p + 1) !== 62) this.fail(p, `"/" in the tag <${name}> is not followed by ">"`);
				selfClosing = true;
				gt = p + 1;
				break;
			}
			const eq = buf.indexOf('=', p);
			if (eq === -1) return buf.length - p > 4096 ? this.fail(p, `the tag <${name}> has an attribute without a value`) : -1;
			const attrName = buf.slice(p, eq).trim();
			if (attrName.length === 0 || /[\s<>"'/]/.test(attrName)) this.fail(p, `the tag <${name}> has a malformed attribute`);
			let q = eq + 1;
			while (q < buf.length && isWhitespace(buf.charCodeAt(q))) q++;
			if (q >= buf.length) return -1;
			const quote = buf.charCodeAt(q);
			if (quote !== 34 && quote !== 39) this.fail(q, `the value of attribute "${attrName}" in <${name}> is not quoted`);
			const close = buf.indexOf(quote === 34 ? '"' : "'", q + 1);
			if (close === -1) return -1;
			const raw = buf.slice(q + 1, close);
			if (raw.indexOf('<') !== -1) this.fail(q, `the value of attribute "${attrName}" in <${name}> contains "<"`);
			attributes ??= {};
			const key = '@' + localName(attrName);
			if (key in attributes) this.fail(p, `the tag <${name}> has the attribute "${attrName}" twice`);
			if (!attrName.startsWith('xmlns')) attributes[key] = raw.indexOf('&') === -1 ? raw : this.entities(raw, q);
			p = close + 1;
			const after = buf.charCodeAt(p);
			if (p < buf.length && !isWhitespace(after) && after !== SLASH && after !== 62) this.fail(p, `attributes in <${name}> must be separated by spaces`);
		}
		this.startElement(name, attributes, lt);
		if (selfClosing) this.endElement(name, lt);
		return gt + 1;
	}

	private startElement(name: string, attributes: XmlObject | null, at: number): void {
		const local = localName(name);
		if (this.frames.length > 0) {
			this.frames.push({ key: local, obj: attributes, text: '' });
			this.checkDepth(at);
			return;
		}
		if (this.names.length === 0) {
			if (this.rootClosed) this.fail(at, `a second root element <${name}> follows the first one`, 'An XML file has exactly one root element.');
			if (local.toLowerCase() === 'html') this.htmlPage(at);
			this.rootSeen = true;
			this.options.onRoot?.(local, attributes ?? {});
		}
		if (this.matchesRecord(local)) {
			this.frames.push({ key: local, obj: attributes, text: '' });
		}
		// Outside records the full name is kept, for end-tag checks and the path of the next record.
		this.names.push(name);
		this.locals.push(local);
		this.checkDepth(at);
	}

	private checkDepth(at: number): void {
		if (this.names.length + this.frames.length > this.options.maxDepth) {
			this.fail(at, `elements are nested deeper than ${this.options.maxDepth} levels`, 'A CRM export is never that deep; the file is broken or hostile. Raise Max Nesting Depth only if the feed really needs it.');
		}
	}

	private matchesRecord(local: string): boolean {
		const depth = this.locals.length + 1;
		for (const path of this.options.recordPaths) {
			const segments = path.segments;
			const n = segments.length;
			if (segments[n - 1] !== local) continue;
			if (path.anywhere ? depth < n : depth !== n) continue;
			let ok = true;
			for (let k = 0; k < n - 1; k++) {
				if (this.locals[depth - n + k] !== segments[k]) {
					ok = false;
					break;
				}
			}
			if (ok) return true;
		}
		return false;
	}

	private close(buf: string, lt: number, gt: number): void {
		const frames = this.frames;
		// The common case inside a record, "</key>" exactly, is checked without cutting the name out.
		if (frames.length > 1) {
			const key = frames[frames.length - 1].key;
			if (gt === lt + 2 + key.length && buf.startsWith(key, lt + 2)) return this.closeFrame();
		}
		this.endElement(buf.slice(lt + 2, gt).trimEnd(), lt);
	}

	/** Ends the innermost element of a record: it becomes a child of its parent. */
	private closeFrame(): void {
		const frame = this.frames.pop() as Frame;
		addChild(this.frames[this.frames.length - 1], frame.key, valueOf(frame));
	}

	private endElement(name: string, at: number): void {
		const frames = this.frames;
		if (frames.length > 1) {
			const key = frames[frames.length - 1].key;
			if (key !== localName(name)) this.fail(at, `found </${name}> where </${key}> was expected`, 'An element was not closed, or was closed twice.');
			return this.closeFrame();
		}
		const open = this.names.pop();
		this.locals.pop();
		if (open === undefined) this.fail(at, `found </${name}> with no element open`);
		if (open !== name) this.fail(at, `found </${name}> where </${open}> was expected`, 'An element was not closed, or was closed twice.');
		if (frames.length === 1) {
			const frame = frames.pop() as Frame;
			this.recordCount++;
			this.options.onRecord(valueOf(frame), frame.key);
		}
		if (this.names.length === 0) this.rootClosed = true;
	}

	private text(buf: string, start: number, end: number): void {
		if (this.frames.length > 0) {
			const raw = buf.slice(start, end);
			this.frames[this.frames.length - 1].text += raw.indexOf('&') === -1 ? raw : this.entities(raw, start);
			return;
		}
		if (this.names.length === 0) {
			for (let k = start; k < end; k++) {
				if (!isWhitespace(buf.charCodeAt(k))) {
					if (buf.charCodeAt(k) === 0xfeff && k === 0 && this.linesBefore === 0 && this.columnBefore === 0) continue;
					this.fail(k, this.rootSeen ? 'text stands after the root element' : 'text stands before the root element: this is not an XML file', this.rootSeen ? '' : 'Check that the source is the XML export (not JSON, CSV or an error message).');
				}
			}
		}
	}

	private entities(raw: string, offset: number): string {
		return raw.replace(/&([^;&<\s]{0,12})(;?)/g, (match, ref: string, semicolon: string, at: number) => {
			if (semicolon !== ';') this.fail(offset + at, `"&" is not part of an entity reference (${JSON.stringify(match)})`, 'A literal "&" must be written as &amp;.');
			if (ref.charCodeAt(0) === 35 /* # */) {
				const code = ref.charCodeAt(1) === 120 /* x */ ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
				if (!Number.isInteger(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || FORBIDDEN_CHARACTER.test(String.fromCodePoint(code))) {
					this.fail(offset + at, `the character reference &${ref}; is not a valid character`, 'XML allows no control characters but tab and line breaks, not even as references.');
				}
				return String.fromCodePoint(code);
			}
			const known = PREDEFINED_ENTITIES[ref];
			if (known === undefined) this.fail(offset + at, `the entity &${ref}; is not defined`, 'Only the five XML entities (&lt; &gt; &amp; &quot; &apos;) and character references are accepted.');
			return known;
		});
	}
}

function isNameStart(code: number): boolean {
	return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 58 || code > 127;
}

function valueOf(frame: Frame): XmlValue {
	const obj = frame.obj;
	if (obj === null) return detach(frame.text.trim());
	const text = frame.text.trim();
	if (text.length > 0) obj['#text'] = detach(text);
	return obj;
}

/**
 * A copy of a text that does not share memory with the chunk it was cut from. V8 makes a slice of 13 or more
 * characters a view into its parent string, so one kept value (an order's status) would keep its whole megabyte
 * chunk of the feed alive: without this, importing a 450 MB feed kept about the whole decoded text in memory.
 */
function detach(text: string): string {
	return text.length < 13 ? text : (' ' + text).slice(1);
}

function addChild(parent: Frame, key: string, value: XmlValue): void {
	const obj = (parent.obj ??= {});
	const existing = obj[key];
	if (existing === undefined) {
		obj[key] = value;
	} else if (Array.isArray(existing)) {
		existing.push(value);
	} else {
		obj[key] = [existing, value];
	}
}
