import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, relative, sep } from 'path';

/**
 * Every documentation link the pack shows in the editor (the codex files' documentation links, the credentials'
 * documentationUrl) and every relative link in the README and docs/ lands on a file that exists and, when it names an
 * anchor, on a heading of that file, with the anchor GitHub makes of it.
 */
const ROOT = join(__dirname, '..', '..');
const REPO = 'https://github.com/sales-analytics/n8n-nodes-sales-analytics';
const BLOB = `${REPO}/blob/main/`;

/** GitHub's anchor of a heading: lower case, punctuation other than "-" and "_" dropped, spaces as "-". */
function githubAnchor(heading: string): string {
	return heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
		.replace(/ /g, '-');
}

/** The lines of a Markdown text outside fenced code blocks. */
function proseLines(text: string): string[] {
	let fenced = false;
	return text.split('\n').filter((line) => {
		if (line.trimStart().startsWith('```')) {
			fenced = !fenced;
			return false;
		}
		return !fenced;
	});
}

/** The anchors GitHub makes for a Markdown text's headings; a repeated heading gets "-1", "-2", ... */
function headingAnchors(text: string): Set<string> {
	const anchors = new Set<string>();
	const seen = new Map<string, number>();
	for (const line of proseLines(text)) {
		if (!/^#{1,6} /.test(line)) continue;
		const anchor = githubAnchor(line.replace(/^#+ /, ''));
		const count = seen.get(anchor) ?? 0;
		seen.set(anchor, count + 1);
		anchors.add(count === 0 ? anchor : `${anchor}-${count}`);
	}
	return anchors;
}

/** Why a link to a file of the repository (a path from its root) does not land, or null when it lands. */
function brokenTarget(path: string, anchor: string | undefined): string | null {
	const file = join(ROOT, path);
	if (relative(ROOT, file).startsWith('..')) return `${path} is outside the repository`;
	if (!existsSync(file)) return `no file ${path}`;
	if (anchor === undefined) return null;
	if (!path.endsWith('.md')) return `#${anchor} on ${path}, which has no headings`;
	return headingAnchors(readFileSync(file, 'utf8')).has(anchor) ? null : `no heading #${anchor} in ${path}`;
}

function splitAnchor(target: string): [string, string | undefined] {
	const hash = target.indexOf('#');
	return hash < 0 ? [target, undefined] : [target.slice(0, hash), target.slice(hash + 1)];
}

/** Why a documentation link shown in the editor does not land; links to other sites are not ours to check. */
function brokenPackLink(url: string): string | null {
	if (!url.startsWith(REPO)) return null;
	const [path, anchor] = splitAnchor(url.slice(REPO.length));
	if (path === '' || path === '/') return brokenTarget('README.md', anchor);
	if (url.startsWith(BLOB)) return brokenTarget(path.slice('/blob/main/'.length), anchor);
	return `${url} is neither a README anchor nor a /blob/main/ file`;
}

/** The broken relative links of a Markdown file at `path` (from the repository root) with this text. */
function brokenRelativeLinks(path: string, text: string): string[] {
	const broken: string[] = [];
	for (const line of proseLines(text)) {
		const prose = line.replace(/`[^`]*`/g, '');
		for (const match of prose.matchAll(/\]\(([^()\s]+)\)/g)) {
			const target = match[1];
			if (/^(https?|mailto):/.test(target)) continue;
			const [file, anchor] = splitAnchor(target);
			const resolved = file === '' ? path : relative(ROOT, join(ROOT, dirname(path), file)).split(sep).join('/');
			const why = brokenTarget(resolved, anchor);
			if (why !== null) broken.push(`${path}: ${target}: ${why}`);
		}
	}
	return broken;
}

function markdownFiles(dir: string): string[] {
	return readdirSync(join(ROOT, dir)).flatMap((name) => {
		const path = `${dir}/${name}`;
		if (statSync(join(ROOT, path)).isDirectory()) return markdownFiles(path);
		return name.endsWith('.md') ? [path] : [];
	});
}

const nodeDirs = readdirSync(join(ROOT, 'nodes')).filter((dir) => dir !== 'shared' && statSync(join(ROOT, 'nodes', dir)).isDirectory());

/** Every documentation URL the editor shows: the codex files' resources and the credentials' documentationUrl. */
function packLinks(): Array<{ from: string; url: string }> {
	const links: Array<{ from: string; url: string }> = [];
	for (const dir of nodeDirs) {
		const from = `nodes/${dir}/${dir}.node.json`;
		const codex = JSON.parse(readFileSync(join(ROOT, from), 'utf8')) as { resources?: Record<string, Array<{ url: string }>> };
		for (const resources of Object.values(codex.resources ?? {})) for (const { url } of resources) links.push({ from, url });
	}
	for (const file of readdirSync(join(ROOT, 'credentials'))) {
		const from = `credentials/${file}`;
		for (const match of readFileSync(join(ROOT, from), 'utf8').matchAll(/documentationUrl = '([^']*)'/g)) links.push({ from, url: match[1] });
	}
	return links;
}

describe('documentation links', () => {
	it('makes anchors the way GitHub does', () => {
		expect(githubAnchor('CRM XML Import')).toBe('crm-xml-import');
		expect(githubAnchor('What the nodes check and refuse')).toBe('what-the-nodes-check-and-refuse');
		expect(githubAnchor("The XML reader is the pack's own")).toBe('the-xml-reader-is-the-packs-own');
		expect(githubAnchor('amoCRM / Kommo')).toBe('amocrm--kommo');
		expect([...headingAnchors('# A\n```\n# B\n```\n## A\n')]).toEqual(['a', 'a-1']);
	});

	it('every node links to its own page, and every link the editor shows lands on a file and heading', () => {
		const links = packLinks();
		for (const dir of nodeDirs) {
			expect(links.filter((link) => link.from === `nodes/${dir}/${dir}.node.json` && link.url.startsWith(`${BLOB}docs/nodes/`))).toHaveLength(1);
		}
		expect(nodeDirs).toContain('SalesReport');
		expect(links.filter((link) => link.from.startsWith('credentials/')).length).toBe(readdirSync(join(ROOT, 'credentials')).length);
		expect(links.map((link) => brokenPackLink(link.url)).filter((why) => why !== null)).toEqual([]);
	});

	it('the check fails on a file or an anchor that does not exist', () => {
		expect(brokenPackLink(`${REPO}#credentials`)).toBeNull();
		expect(brokenPackLink(`${BLOB}docs/nodes/crm-xml-import.md#all-or-nothing`)).toBeNull();
		expect(brokenPackLink(`${REPO}#crmxmlimport`)).toBe('no heading #crmxmlimport in README.md');
		expect(brokenPackLink(`${BLOB}docs/nodes/crm-xml-import.md#crmxmlimport`)).toBe('no heading #crmxmlimport in docs/nodes/crm-xml-import.md');
		expect(brokenPackLink(`${BLOB}docs/nodes/crmxmlimport.md`)).toBe('no file docs/nodes/crmxmlimport.md');
		expect(brokenPackLink(`${REPO}/tree/main/docs`)).not.toBeNull();
		expect(brokenRelativeLinks('docs/checks.md', '[a](nodes/attribution.md) [b](#money) [c](#nope) `[d](none.md)`\n```\n[e](none.md)\n```\n[f](https://n8n.io)')).toEqual([
			'docs/checks.md: #nope: no heading #nope in docs/checks.md',
		]);
		expect(brokenRelativeLinks('docs/testing.md', '[a](../README.md#no-such-heading) [b](../nodes/Nope.ts) [c](../../outside.md)')).toEqual([
			'docs/testing.md: ../README.md#no-such-heading: no heading #no-such-heading in README.md',
			'docs/testing.md: ../nodes/Nope.ts: no file nodes/Nope.ts',
			'docs/testing.md: ../../outside.md: ../outside.md is outside the repository',
		]);
	});

	it('every relative link in the README and docs/ lands on a file and heading', () => {
		const files = ['README.md', ...markdownFiles('docs')];
		expect(files).toContain('docs/nodes/sales-report.md');
		expect(files.flatMap((path) => brokenRelativeLinks(path, readFileSync(join(ROOT, path), 'utf8')))).toEqual([]);
	});
});
