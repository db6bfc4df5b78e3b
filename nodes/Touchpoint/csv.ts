import { InputDataError } from '../shared/errors';

export interface CsvRow {
	/** 1-based line where the row starts. */
	line: number;
	fields: string[];
}

/**
 * Comma-separated text as written by Asterisk's cdr_csv: fields in double quotes or bare, commas and line breaks inside
 * quotes, "" for a quote, CRLF or LF line ends. Empty lines are skipped. `maxRows` stops early (for detection).
 */
export function parseCsv(text: string, maxRows = Infinity): CsvRow[] {
	const rows: CsvRow[] = [];
	let fields: string[] = [];
	let value = '';
	let quoted = false;
	let line = 1;
	let rowLine = 1;
	let quoteLine = 0;
	const endRow = () => {
		fields.push(value);
		if (fields.length > 1 || fields[0] !== '') rows.push({ line: rowLine, fields });
		fields = [];
		value = '';
	};
	for (let i = 0; i < text.length && rows.length < maxRows; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				value += '"';
				i++;
			} else if (c === '"') quoted = false;
			else {
				if (c === '\n') line++;
				value += c;
			}
		} else if (c === '"') {
			quoted = true;
			quoteLine = line;
		} else if (c === ',') {
			fields.push(value);
			value = '';
		} else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n') i++;
			endRow();
			line++;
			rowLine = line;
		} else value += c;
	}
	if (quoted && rows.length < maxRows) {
		throw new InputDataError('a quoted field is not closed before the end of the text', 'The file is cut short or a quote is missing; export it again.', quoteLine, 1);
	}
	if (rows.length < maxRows && (value !== '' || fields.length > 0)) endRow();
	return rows;
}
