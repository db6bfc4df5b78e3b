/** Reading the Sales Report's dashboard page in tests: its sections and the cells of their tables, as written (escaped). */

export function sectionOf(html: string, id: string): string {
	const start = html.indexOf(`<section id="${id}">`);
	if (start === -1) throw new Error(`no section ${id}`);
	return html.slice(start, html.indexOf('</section>', start));
}

/** The cells of each body row of the tables in a part of the page. */
export function rowsOf(html: string): string[][] {
	return [...html.matchAll(/<tbody>(.*?)<\/tbody>/g)].flatMap(([, body]) => [...body.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map(([, row]) => [...row.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map(([, cell]) => cell)));
}
