import { gzipSync } from 'zlib';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { commercemlFeed } from '../fixtures/commercemlFeed';
import { sample } from '../helpers/feeds';
import type { Behaviour, FeedAuth } from './faultServer';

/**
 * Hostile and broken CRM feeds (issue 7): each is a name, how the server produces it (bytes and behaviour) and what
 * the CRM XML Import node's error must say. Every one but the duplicate-id feed must fail the import with that
 * error, emit nothing, leave the incremental mark where it was, and keep the credential out of the message.
 *
 * Feeds are built from the generated CommerceML export (test/fixtures/commercemlFeed.ts) and from the real 1C-Bitrix
 * windows-1251 export (shared/samples), byte for byte where a case says so.
 */

/** The feed credential of the suite; no message may contain its password or token. */
export const AUTH: FeedAuth = { user: 'exchange', password: 'Pa55-w0rd!fault', token: 'tok-9f8e7d6c5b4a3f2e' };
/** Where the export lives (1C-Bitrix's exchange script) and its query. */
export const FEED_PATH = '/bitrix/admin/1c_exchange.php';
export const FEED_QUERY = '?type=sale&mode=query';

export interface HostileFeed {
	name: string;
	/** The server's behaviour on the faulty run (built when the case runs). */
	serve: () => Behaviour;
	/** Node options of the faulty run (Timeout, Max Size, ...). */
	options?: Record<string, unknown>;
	/** The feed credential of the faulty run, when it differs (a wrong password, a token in the query). */
	credential?: ICredentialDataDecryptedObject;
	/** What the error must say. */
	error: RegExp;
	/** Where: line and column (or a byte offset); omitted where no position applies (HTTP, size, time). */
	where?: RegExp;
	/** Text that must not appear in the message (besides the credential), e.g. a file an entity points at. */
	mustNotSay?: RegExp;
	/** "imports" for a feed that must import (with a warning on the orders it names) rather than fail. */
	outcome?: 'refused' | 'imports';
	warning?: RegExp;
}

const AT = /\(line \d+, column \d+\)/;
const BYTES = /after \d+ bytes/;

// ---- the clean feeds ----------------------------------------------------------------------------------------------

/** Orders whose status changes between the first clean run and the run after the fault (index in the feed). */
const CHANGED = [3, 8, 17, 25, 35];

/** The export of the first run: 40 orders. */
export function baselineFeed(): string {
	return commercemlFeed({ orders: 40, seed: 11 }).xml;
}

/** The export after the fault: the same 40 orders (5 of them with a new status) and 5 new ones. */
export function nextFeed(): string {
	let xml = commercemlFeed({ orders: 45, seed: 11 }).xml;
	for (const index of CHANGED) {
		const at = xml.indexOf(`<Ид>${100000 + index}</Ид>`);
		const end = xml.indexOf('</Документ>', at);
		const doc = xml.slice(at, end).replace(/\[[NPFC]\] [^<]+/, '[F] Выполнен');
		xml = xml.slice(0, at) + doc + xml.slice(end);
	}
	return xml;
}

// ---- bytes --------------------------------------------------------------------------------------------------------

const CP1251 = (() => {
	const table = new Map<string, number>();
	const decoded = new TextDecoder('windows-1251').decode(Uint8Array.from({ length: 256 }, (_, i) => i));
	for (let i = 0; i < 256; i++) table.set(decoded[i], i);
	return table;
})();

/** Text as windows-1251 bytes (every character of the feeds has a windows-1251 byte). */
export function cp1251(text: string): Buffer {
	const out = Buffer.alloc(text.length);
	for (let i = 0; i < text.length; i++) {
		const byte = CP1251.get(text[i]);
		if (byte === undefined) throw new Error(`"${text[i]}" has no windows-1251 byte`);
		out[i] = byte;
	}
	return out;
}

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
const cut = (bytes: Buffer, fraction: number): Buffer => bytes.subarray(0, Math.floor(bytes.length * fraction));
const xml = (body: Buffer | string, headers?: Record<string, string>): Behaviour => ({ kind: 'body', body: typeof body === 'string' ? utf8(body) : body, headers });

/** The real 1C-Bitrix sale export (windows-1251), byte for byte. */
const bitrixSample = (): Buffer => sample('bitrix-sale-export_orders_cml205_cp1251.xml');
const bitrixText = (): string => new TextDecoder('windows-1251').decode(bitrixSample());

/** The document of order `id` in a generated feed. */
function documentOf(text: string, id: number): string {
	const at = text.lastIndexOf('<Документ>', text.indexOf(`<Ид>${id}</Ид>`));
	const end = text.indexOf('</Документ>', at) + '</Документ>'.length;
	return text.slice(at, end);
}

/** A byte offset that falls between the two bytes of a UTF-8 Cyrillic letter, past `fraction` of the bytes. */
function insideCyrillicLetter(bytes: Buffer, fraction: number): number {
	for (let i = Math.floor(bytes.length * fraction); i < bytes.length; i++) if (bytes[i] === 0xd0 || bytes[i] === 0xd1) return i + 1;
	throw new Error('no Cyrillic letter');
}

function nested(levels: number): string {
	return '<КоммерческаяИнформация ВерсияСхемы="2.05">' + '<Документ>'.repeat(levels) + '</Документ>'.repeat(levels) + '</КоммерческаяИнформация>';
}

const HTML_PAGE = `<!DOCTYPE html>
<html lang="ru"><head><title>502 Bad Gateway</title></head>
<body><h1>Сайт временно недоступен</h1><p>Попробуйте позже.</p></body></html>
`;

const XHTML_PAGE = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Авторизация</title></head>
<body><form action="/auth/"><input name="USER_LOGIN"/></form></body></html>
`;

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE КоммерческаяИнформация [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<КоммерческаяИнформация ВерсияСхемы="2.05"><Документ><Ид>1</Ид><Комментарий>&lol9;</Комментарий></Документ></КоммерческаяИнформация>
`;

const XXE = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE КоммерческаяИнформация [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<КоммерческаяИнформация ВерсияСхемы="2.05"><Документ><Ид>1</Ид><Комментарий>&xxe;</Комментарий></Документ></КоммерческаяИнформация>
`;

const EXTERNAL_DTD = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE КоммерческаяИнформация SYSTEM "http://169.254.169.254/latest/meta-data/commerceml.dtd">
<КоммерческаяИнформация ВерсияСхемы="2.05"><Документ><Ид>1</Ид></Документ></КоммерческаяИнформация>
`;

const INTERNAL_SUBSET = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE КоммерческаяИнформация [ <!ATTLIST Документ Статус CDATA "Принят"> ]>
<КоммерческаяИнформация ВерсияСхемы="2.05"><Документ><Ид>1</Ид></Документ></КоммерческаяИнформация>
`;

/** The generated "next" feed with one edit at order `id`'s document. */
function nextWith(edit: (doc: string) => string, id = 100020): string {
	const text = nextFeed();
	const doc = documentOf(text, id);
	return text.replace(doc, edit(doc));
}

export const HOSTILE_FEEDS: HostileFeed[] = [
	// ---- cut off ----
	{
		name: 'truncated mid-document',
		serve: () => xml(utf8(nextFeed()).subarray(0, 120000)),
		error: /cut off \(truncated\)/,
		where: AT,
	},
	{
		name: 'truncated mid-multibyte character',
		serve: () => {
			const bytes = utf8(nextFeed());
			return xml(bytes.subarray(0, insideCyrillicLetter(bytes, 0.6)));
		},
		error: /cut off|truncated/,
		where: AT,
	},
	{
		name: 'real Bitrix export truncated (windows-1251)',
		serve: () => xml(bitrixSample().subarray(0, 15000)),
		error: /cut off \(truncated\)/,
		where: AT,
	},
	{
		name: 'UTF-16 export cut at an odd byte',
		serve: () => {
			const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(nextFeed().replace('encoding="UTF-8"', 'encoding="UTF-16"'), 'utf16le')]);
			return xml(bytes.subarray(0, 200001));
		},
		error: /cut off|truncated/,
		where: AT,
	},
	// ---- encodings ----
	{
		name: 'declared windows-1251, bytes UTF-8 (real export re-saved)',
		serve: () => xml(utf8(bitrixText())),
		error: /declares encoding="windows-1251" but its bytes are UTF-8/,
		where: AT,
	},
	{
		name: 'declared UTF-8, bytes windows-1251',
		serve: () => xml(cp1251(nextFeed())),
		error: /not valid utf-8/,
		where: AT,
	},
	{
		name: 'UTF-8 BOM + windows-1251 declaration (real export)',
		serve: () => xml(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bitrixSample()])),
		error: /UTF-8 byte order mark but its XML declaration says encoding="windows-1251"/,
		where: AT,
	},
	{
		name: 'UTF-16 BOM before UTF-8 bytes',
		serve: () => xml(Buffer.concat([Buffer.from([0xff, 0xfe]), utf8(nextFeed())])),
		error: /UTF-16LE byte order mark but its XML declaration says encoding="UTF-8"/,
		where: AT,
	},
	{
		name: 'UTF-16 without a BOM',
		serve: () => xml(Buffer.from(nextFeed().replace(/^<\?xml[^>]*>\n/, ''), 'utf16le')),
		error: /UTF-16 \(little-endian\) without a byte order mark/,
		where: AT,
	},
	{
		name: 'mixed: UTF-8 file with a windows-1251 order',
		serve: () => {
			const text = nextFeed();
			const doc = documentOf(text, 100030);
			const at = text.indexOf(doc);
			return xml(Buffer.concat([utf8(text.slice(0, at)), cp1251(doc), utf8(text.slice(at + doc.length))]));
		},
		error: /not valid utf-8/,
		where: AT,
	},
	{
		name: 'mixed: windows-1251 file with a UTF-8 order',
		serve: () => {
			const text = nextFeed().replace('encoding="UTF-8"', 'encoding="windows-1251"');
			const doc = documentOf(text, 100030);
			const at = text.indexOf(doc);
			return xml(Buffer.concat([cp1251(text.slice(0, at)), utf8(doc), cp1251(text.slice(at + doc.length))]));
		},
		error: /UTF-8/,
		where: AT,
	},
	// ---- DTDs and entities ----
	{ name: 'billion laughs', serve: () => xml(BILLION_LAUGHS), error: /internal subset/, where: AT },
	{ name: 'external entity (file:///etc/passwd)', serve: () => xml(XXE), error: /internal subset|external/, where: AT, mustNotSay: /root:|\/bin\/|passwd/ },
	{ name: 'external DTD (DOCTYPE SYSTEM)', serve: () => xml(EXTERNAL_DTD), error: /external DTD/, where: AT, mustNotSay: /169\.254/ },
	{ name: 'DOCTYPE with an internal subset', serve: () => xml(INTERNAL_SUBSET), error: /internal subset/, where: AT },
	{ name: 'undefined entity (&nbsp;)', serve: () => xml(nextWith((doc) => doc.replace('Позвонить до', 'Позвонить&nbsp;до'))), error: /entity &nbsp; is not defined/, where: AT },
	// ---- size and shape ----
	{
		name: 'over the size limit (3 MB, limit 1 MB)',
		serve: () => xml(commercemlFeed({ orders: 700, seed: 3 }).xml),
		options: { maxSizeMb: 1 },
		error: /larger than the limit of 1 MB/,
	},
	{
		name: 'gzip bomb (Content-Encoding: gzip)',
		serve: () => xml(gzipSync(utf8(`<КоммерческаяИнформация ВерсияСхемы="2.05">${' '.repeat(20 << 20)}</КоммерческаяИнформация>`)), { 'Content-Encoding': 'gzip' }),
		options: { maxSizeMb: 1 },
		error: /larger than the limit of 1 MB/,
	},
	{
		name: 'gzip bomb (.gz file)',
		serve: () => xml(gzipSync(utf8(`<КоммерческаяИнформация ВерсияСхемы="2.05">${' '.repeat(20 << 20)}</КоммерческаяИнформация>`)), { 'Content-Type': 'application/gzip' }),
		options: { maxSizeMb: 1 },
		error: /larger than the limit of 1 MB/,
	},
	{ name: 'deeply nested (100,000 levels)', serve: () => xml(nested(100000)), error: /nested deeper than 64 levels/, where: AT },
	{ name: 'empty body', serve: () => xml(Buffer.alloc(0)), error: /no XML root element: it is empty/ },
	{ name: 'whitespace only', serve: () => xml(' \r\n\t\n'.repeat(1000)), error: /no XML root element: it is empty/ },
	{ name: 'JSON instead of XML', serve: () => xml('{"error":"session expired"}', { 'Content-Type': 'application/json' }), error: /not an XML file/, where: AT },
	{ name: 'well-formed XML, not CommerceML', serve: () => xml('<?xml version="1.0"?>\n<response><status>error</status><message>no orders</message></response>'), error: /<response>.*not a CommerceML file/ },
	{ name: 'legacy CommerceML 1.x, a document without a number', serve: () => xml('<КоммерческаяИнформация ВерсияСхемы="1.01"><Документ Дата="2026-11-20" Сумма="10"/></КоммерческаяИнформация>'), error: /Record 1 cannot be imported: the record has no order id/ },
	{ name: 'PHP warning before the XML', serve: () => xml('<br />\n<b>Warning</b>: session_start(): Cannot send session cookie in <b>/home/bitrix/www/bitrix/modules/main/start.php</b><br />\n' + nextFeed()), error: /<br>.*not a CommerceML file/ },
	{ name: 'two exports concatenated', serve: () => xml(nextFeed() + baselineFeed()), error: /stands after the start of the file|second root element/, where: AT },
	{ name: 'malformed markup (unquoted attribute)', serve: () => xml(nextWith((doc) => doc.replace('<Документ>', '<Документ Версия=2>'))), error: /not quoted/, where: AT },
	{ name: 'unclosed CDATA', serve: () => xml(nextWith((doc) => doc.replace('<Комментарий>', '<Комментарий><![CDATA[позвонить '))), error: /ends inside a CDATA section that starts here/, where: AT },
	{
		name: 'unclosed CDATA, then 9 MB',
		serve: () => xml(nextWith((doc) => doc.replace('<Комментарий>', `<Комментарий><![CDATA[${'call the client\n'.repeat(560000)}`))),
		error: /a CDATA section that starts here runs on for more than 8 M characters/,
		where: AT,
	},
	{ name: 'unclosed comment', serve: () => xml(nextWith((doc) => doc.replace('<Товары>', '<!-- старые товары <Товары>'))), error: /ends inside a comment that starts here/, where: AT },
	{ name: 'control characters in text', serve: () => xml(nextWith((doc) => doc.replace('Позвонить', 'Позв\u0001онить\u000b'))), error: /U\+0001/, where: AT },
	{ name: 'character reference to a control character (&#1;)', serve: () => xml(nextWith((doc) => doc.replace('Позвонить', 'Позвонить&#1;'))), error: /&#1;/, where: AT },
	{ name: 'record without an order id', serve: () => xml(nextWith((doc) => doc.replace(/<Ид>\d+<\/Ид>\s*<Номер>\d+<\/Номер>/, ''))), error: /Record 21 cannot be imported: the record has no order id/ },
	{
		name: 'duplicate order ids in one feed',
		serve: () => {
			const text = nextFeed();
			// A stale copy of order 100008 (the status it had before) stands before the current one.
			const stale = documentOf(baselineFeed(), 100008);
			const at = text.indexOf('<Документ>');
			return xml(text.slice(0, at) + stale + text.slice(at));
		},
		outcome: 'imports',
		error: /^$/,
		warning: /stands 2 times in the feed/,
	},
	// ---- HTTP ----
	{ name: 'HTML error page with 200', serve: () => xml(HTML_PAGE, { 'Content-Type': 'text/html; charset=utf-8' }), error: /HTML page instead of an XML export/, where: AT },
	{ name: 'XHTML login page with 200 (DOCTYPE PUBLIC)', serve: () => xml(XHTML_PAGE, { 'Content-Type': 'text/html' }), error: /HTML page instead of an XML export/, where: AT },
	{ name: 'HTTP 500 with a body', serve: () => ({ kind: 'body', status: 500, headers: { 'Content-Type': 'text/plain' }, body: utf8('Internal Server Error: MySQL query error') }), error: /answered HTTP 500: Internal Server Error/ },
	{
		name: 'HTTP 500 page that prints the request (query token)',
		serve: () => ({ kind: 'body', status: 500, headers: { 'Content-Type': 'text/plain' }, body: utf8('Fatal error'), echo: true }),
		credential: { authType: 'query', queryName: 'token', token: AUTH.token },
		error: /answered HTTP 500: Fatal error/,
	},
	{ name: '401 wrong password (page prints the credentials)', serve: () => xml(nextFeed()), credential: { password: 'wrong-Pa55!secret' }, error: /answered HTTP 401/ },
	{ name: '404 (export moved)', serve: () => ({ kind: 'body', status: 404, body: utf8('Not Found') }), error: /answered HTTP 404/ },
	{ name: 'redirect loop', serve: () => ({ kind: 'redirectLoop' }), error: /redirects/ },
	{ name: 'Content-Encoding gzip, body not gzip', serve: () => xml(nextFeed(), { 'Content-Encoding': 'gzip' }), error: /compressed \(Content-Encoding.*does not decompress/, where: BYTES },
	{ name: 'gzip magic bytes, then garbage', serve: () => xml(Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), utf8(nextFeed())])), error: /not valid gzip/ },
	{ name: 'truncated .gz file', serve: () => xml(cut(gzipSync(utf8(nextFeed())), 0.6)), error: /not valid gzip \(or was cut off\)/ },
	{ name: 'connection reset mid-body', serve: () => ({ kind: 'reset', body: utf8(nextFeed()), after: 70000 }), error: /connection broke off/, where: BYTES },
	{ name: 'Content-Length larger than the body', serve: () => ({ kind: 'short', body: utf8(nextFeed()).subarray(0, 50000), contentLength: 5000000 }), error: /connection broke off/, where: BYTES },
	{
		name: 'slow server (1 byte/s), timeout 2 s',
		serve: () => ({ kind: 'drip', body: utf8(nextFeed()), bytesPerSecond: 1 }),
		options: { timeoutSec: 2 },
		error: /longer .*than the timeout/,
	},
	{
		name: 'server stalls after the headers, timeout 2 s',
		serve: () => ({ kind: 'stall', head: utf8(nextFeed()).subarray(0, 3000) }),
		options: { timeoutSec: 2 },
		error: /timeout/,
	},
	{ name: 'server never answers, timeout 2 s', serve: () => ({ kind: 'silent' }), options: { timeoutSec: 2 }, error: /timeout/ },
];
