import { InputDataError } from '../shared/errors';
import { excerpt, MAX_CSV_ROW } from '../shared/textLimits';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

export interface CsvRow {
	/** 1-based line where the row starts. */
	line: number;
	fields: string[];
}

/**
 * Comma-separated text as written by Asterisk's cdr_csv: fields in double quotes or bare, commas and line breaks inside
 * quotes, "" for a quote, CRLF or LF line ends. Empty lines are skipped. `maxRows` stops early (for detection).
 * A row longer than MAX_CSV_ROW throws an InputDataError that gives its line, its length and the cap.
 */
export function parseCsv(text: string, maxRows = Infinity): CsvRow[] {
	const rows: CsvRow[] = [];
	let fields: string[] = [];
	let value = '';
	// The field's text not yet added to value: text.slice(from, i), added at the next quote, comma or line end.
	let from = 0;
	let quoted = false;
	let line = 1;
	let rowLine = 1;
	let quoteLine = 0;
	let rowStart = 0;
	const endRow = () => {
		if (fields.length > 0 || value !== '') {
			fields.push(value);
			rows.push({ line: rowLine, fields });
			fields = [];
		}
		value = '';
	};
	for (let i = 0; i < text.length && rows.length < maxRows; i++) {
		const c = text.charCodeAt(i);
		if (i - rowStart >= MAX_CSV_ROW && (quoted || (c !== LF && c !== CR))) throw rowTooLong(text, rowStart, rowLine, i, quoted);
		if (quoted) {
			if (c === QUOTE) {
				value += text.slice(from, i);
				if (text.charCodeAt(i + 1) === QUOTE) {
					value += '"';
					i++;
				} else quoted = false;
				from = i + 1;
			} else if (c === LF) line++;
		} else if (c === QUOTE) {
			value += text.slice(from, i);
			from = i + 1;
			quoted = true;
			quoteLine = line;
		} else if (c === COMMA) {
			fields.push(value + text.slice(from, i));
			value = '';
			from = i + 1;
		} else if (c === LF || c === CR) {
			value += text.slice(from, i);
			if (c === CR && text.charCodeAt(i + 1) === LF) i++;
			endRow();
			from = i + 1;
			line++;
			rowLine = line;
			rowStart = i + 1;
		}
	}
	if (rows.length < maxRows) {
		if (quoted) throw new InputDataError('a quoted field is not closed before the end of the text', 'The file is cut short or a quote is missing; export it again.', quoteLine, 1);
		value += text.slice(from);
		endRow();
	}
	return rows;
}

/** The error for a row over MAX_CSV_ROW: the row is read on to its end (quotes respected, nothing kept) for its length. */
function rowTooLong(text: string, rowStart: number, line: number, from: number, quotedAtFrom: boolean): InputDataError {
	let quoted = quotedAtFrom;
	let end = from;
	for (; end < text.length; end++) {
		const c = text.charCodeAt(end);
		if (c === QUOTE) {
			if (quoted && text.charCodeAt(end + 1) === QUOTE) end++;
			else quoted = !quoted;
		} else if (!quoted && (c === LF || c === CR)) break;
	}
	return new InputDataError(
		`a row of ${end - rowStart} characters, over the ${MAX_CSV_ROW}-character cap of a CSV row: "${excerpt(text.slice(rowStart, end))}"`,
		'No Asterisk CDR row is this long; check that the text is a Master.csv file.',
		line,
		1,
	);
}
