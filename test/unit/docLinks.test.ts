import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

/**
 * Every link the pack shows in the editor that points at its own README (the codex files' documentation links, the
 * credentials' documentationUrl) lands on a heading that exists, with the anchor GitHub makes of it.
 */
const ROOT = join(__dirname, '..', '..');
const REPO = 'https://github.com/sales-analytics/n8n-nodes-sales-analytics#';

/** GitHub's anchor of a heading: lower case, punctuation other than "-" and "_" dropped, spaces as "-". */
function githubAnchor(heading: string): string {
	return heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/ /g, '-');
}

const anchors = new Set(
	readFileSync(join(ROOT, 'README.md'), 'utf8')
		.split('\n')
		.filter((line) => /^#{1,6} /.test(line))
		.map((line) => githubAnchor(line.replace(/^#+ /, ''))),
);

function packLinks(): Array<{ from: string; anchor: string }> {
	const links: Array<{ from: string; anchor: string }> = [];
	const collect = (from: string, text: string) => {
		for (const part of text.split(REPO).slice(1)) links.push({ from, anchor: part.split(/['"\s]/)[0] });
	};
	for (const dir of readdirSync(join(ROOT, 'nodes'))) {
		const codex = join(ROOT, 'nodes', dir, `${dir}.node.json`);
		if (dir !== 'shared') collect(codex, readFileSync(codex, 'utf8'));
	}
	for (const file of readdirSync(join(ROOT, 'credentials'))) collect(file, readFileSync(join(ROOT, 'credentials', file), 'utf8'));
	return links;
}

describe('links to the README', () => {
	it('makes anchors the way GitHub does', () => {
		expect(githubAnchor('CRM XML Import')).toBe('crm-xml-import');
		expect(githubAnchor('What the nodes check and refuse')).toBe('what-the-nodes-check-and-refuse');
		expect(githubAnchor('Install into n8n')).toBe('install-into-n8n');
	});

	it('every node has one, and every one lands on a heading', () => {
		const links = packLinks();
		expect(links.filter((link) => link.from.endsWith('.node.json')).length).toBeGreaterThanOrEqual(7);
		expect(links.filter((link) => !anchors.has(link.anchor))).toEqual([]);
	});

	it('the check fails on an anchor GitHub would not make', () => {
		expect(anchors.has('crmxmlimport')).toBe(false);
		expect(anchors.has('crm-xml-import')).toBe(true);
	});
});
