/**
 * Independent readers for what the clients write (bracket queries, multipart, CSV): written apart from the node's
 * writers on purpose, so a writer bug is caught instead of mirrored.
 */
export type Nested = { [key: string]: string | Nested };

/** "id=7&fields[OPPORTUNITY]=1.00&cmd[d0]=..." -> nested object, as PHP reads it. */
export function parseBracketQuery(text: string): Nested {
	const root: Nested = {};
	for (const [rawKey, value] of new URLSearchParams(text)) {
		const parts = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(rawKey);
		const path = parts ? [parts[1], ...[...parts[2].matchAll(/\[([^\]]*)\]/g)].map((m) => m[1])] : [rawKey];
		let node = root;
		path.forEach((part, index) => {
			if (index === path.length - 1) node[part] = value;
			else {
				if (typeof node[part] !== 'object') node[part] = {};
				node = node[part] as Nested;
			}
		});
	}
	return root;
}

export interface MultipartPart {
	name: string | null;
	filename: string | null;
	contentType: string | null;
	content: Buffer;
}

export function parseMultipart(raw: Buffer, contentType: string | undefined): MultipartPart[] | null {
	const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
	if (!boundary) return null;
	const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
	const parts: MultipartPart[] = [];
	let start = raw.indexOf(delimiter);
	if (start === -1) return null;
	for (;;) {
		start += delimiter.length;
		if (raw.subarray(start, start + 2).toString() === '--') break;
		const next = raw.indexOf(delimiter, start);
		if (next === -1) return null;
		const part = raw.subarray(start + 2, next - 2);
		const split = part.indexOf('\r\n\r\n');
		if (split === -1) return null;
		const head = part.subarray(0, split).toString();
		const disposition = /content-disposition:([^\r\n]*)/i.exec(head)?.[1] ?? '';
		parts.push({
			name: /\bname="([^"]*)"/.exec(disposition)?.[1] ?? null,
			filename: /filename="([^"]*)"/.exec(disposition)?.[1] ?? null,
			contentType: /content-type:\s*([^\r\n]*)/i.exec(head)?.[1]?.trim() ?? null,
			content: part.subarray(split + 4),
		});
		start = next;
	}
	return parts;
}

/** RFC 4180 CSV -> rows of fields; a quoted field may hold commas, quotes ("") and line breaks. */
export function parseCsvRows(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (c === '"') quoted = false;
			else field += c;
		} else if (c === '"' && field === '') quoted = true;
		else if (c === ',') {
			row.push(field);
			field = '';
		} else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n') i++;
			row.push(field);
			if (row.length > 1 || row[0] !== '') rows.push(row);
			row = [];
			field = '';
		} else field += c;
	}
	if (field !== '' || row.length > 0) {
		row.push(field);
		rows.push(row);
	}
	return rows;
}

/** CSV with a header line -> one record per row, keyed by the header. */
export function csvRecords(text: string): { header: string[]; records: Array<Record<string, string>> } {
	const [header = [], ...rows] = parseCsvRows(text);
	return { header, records: rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? '']))) };
}
