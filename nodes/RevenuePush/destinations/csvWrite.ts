/**
 * One CSV field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break, quotes doubled.
 * Line breaks inside values are folded to spaces first: Metrica reads one record per line.
 */
export function csvField(value: string | number | null | undefined): string {
	if (value === null || value === undefined) return '';
	const text = String(value).replace(/\r\n|\r|\n/g, ' ');
	return /[",]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Header plus rows, LF line ends, a final line end (Metrica's samples end with one). */
export function csvText(header: string[], rows: Array<Array<string | number | null | undefined>>): string {
	return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}
