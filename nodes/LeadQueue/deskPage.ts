import { htmlText, pageHead } from '../shared/html';

/**
 * The lead desk, the page a manager opens: how many leads wait and a "Take a lead" button (a plain HTML form that
 * posts to the page's own address with the form token), and after a press the lead's details and the link to its CRM
 * card. One self-contained document like the Sales Report dashboard: inline CSS, no script, nothing to load (a
 * Content-Security-Policy that allows nothing else, and forms only to the page's own address, backs that up); every
 * value from the data goes through the one `htmlText` (cut, then escaped). Readable on a 360 px phone.
 */

const CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'";

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1d2329;background:#f3f5f7}
main{max-width:640px;margin:0 auto;padding:12px}
header,section{background:#fff;border:1px solid #dce2e7;border-radius:8px;padding:14px;margin:0 0 12px;min-width:0}
h1{font-size:1.4rem;margin:0 0 4px}
h2{font-size:1.1rem;margin:0 0 10px;overflow-wrap:anywhere}
p{margin:0 0 8px;overflow-wrap:anywhere}
.who{color:#56606b;font-size:.9rem;margin:0;overflow-wrap:anywhere}
.count{font-size:1.05rem;margin:0 0 12px}
.count strong{font-size:1.6rem;font-variant-numeric:tabular-nums}
button{font:inherit;font-size:1.15rem;font-weight:600;width:100%;padding:14px;border:0;border-radius:8px;background:#2f6f8f;color:#fff;cursor:pointer}
button:focus-visible{outline:3px solid #f0b429;outline-offset:2px}
.notice{border-left:4px solid #2f6f8f}
.notice.error{border-left-color:#c62828}
.notice.ok{border-left-color:#1a7f37}
dl{margin:0;display:grid;grid-template-columns:minmax(6.5em,max-content) minmax(0,1fr);gap:6px 14px}
dt{color:#56606b;font-size:.9rem}
dd{margin:0;overflow-wrap:anywhere}
a{color:#1f5f7f}
.card{display:inline-block;margin-top:12px;font-weight:600}
`;

/** What the page says besides the lead: what happened on this press, in the tone it happened. */
export interface Notice {
	tone: 'ok' | 'info' | 'error';
	title: string;
	text: string;
}

export interface DeskView {
	/** Who is signed in, as the page greets them; null on the pages before a sign-in. */
	manager: string | null;
	/** Leads waiting now; null when not known (the page then says nothing about it). */
	waiting: number | null;
	/** The form token of the button; null: no button (the pages before a sign-in). */
	formToken: string | null;
	notice: Notice | null;
	/** The lead this press took, as the queue stores it (a Lead, with `crmUrl` or, from a CRM queue, `cardUrl` when its CRM card has one). */
	lead: Record<string, unknown> | null;
}

/** A field's text: a string as it is, a finite number written out; anything else is no value. */
function textOf(value: unknown): string | null {
	if (typeof value === 'string') return value.trim() === '' ? null : value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

/** An http(s) address that may be a link, or null (a "javascript:" or unreadable address is never one). */
export function safeLink(value: unknown): string | null {
	if (typeof value !== 'string' || value.length > 2000) return null;
	try {
		const url = new URL(value);
		return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
	} catch {
		return null;
	}
}

/**
 * The tel: address of a phone: its "+" and digits up to the first character that is neither a digit nor a
 * separator (an extension such as "доб. 12" is not dialled), or null when that leaves no digit or over 15 of them.
 */
export function telLink(phone: string): string | null {
	let plus = '';
	let digits = '';
	for (const char of phone) {
		if (char >= '0' && char <= '9') digits += char;
		else if (char === '+' && plus === '' && digits === '') plus = '+';
		else if (!' -().\u00a0'.includes(char)) break;
		if (digits.length > 15) return null;
	}
	return digits === '' ? null : `tel:${plus}${digits}`;
}

/** "2026-11-23T10:15:00+03:00" as "2026-11-23 10:15 (UTC+03:00)"; any other text as it is. */
export function shownTime(value: string): string {
	const iso = value.length >= 16 && value[4] === '-' && value[7] === '-' && value[10] === 'T' && value[13] === ':';
	if (!iso) return value;
	const zone = value.endsWith('Z') ? 'UTC' : value.length >= 22 && (value[value.length - 6] === '+' || value[value.length - 6] === '-') && value[value.length - 3] === ':' ? `UTC${value.slice(-6)}` : null;
	return `${value.slice(0, 10)} ${value.slice(11, 16)}${zone === null ? '' : ` (${zone})`}`;
}

function fact(term: string, value: string | null): string {
	return value === null ? '' : `<dt>${term}</dt><dd>${value}</dd>`;
}

function quantity(value: unknown, unit: string): string | null {
	const text = typeof value === 'number' && Number.isFinite(value) ? String(Math.round(value * 1000) / 1000) : null;
	return text === null ? null : `${htmlText(text)} ${unit}`;
}

function phonesOf(lead: Record<string, unknown>): string | null {
	const phones = (Array.isArray(lead.phones) ? lead.phones : [lead.phones]).map(textOf).filter((phone): phone is string => phone !== null);
	if (phones.length === 0) return null;
	return phones
		.slice(0, 5)
		.map((phone) => {
			const tel = telLink(phone);
			return tel === null ? htmlText(phone) : `<a href="${htmlText(tel)}">${htmlText(phone)}</a>`;
		})
		.join(', ');
}

function leadSection(lead: Record<string, unknown>): string {
	const shown = (value: unknown) => {
		const text = textOf(value);
		return text === null ? null : htmlText(text);
	};
	const channel = lead.channel !== null && typeof lead.channel === 'object' ? (lead.channel as Record<string, unknown>) : {};
	const came = textOf(lead.createdAt);
	const facts = [
		fact('Name', shown(lead.name)),
		fact('Phone', phonesOf(lead)),
		fact('From', shown(lead.from)),
		fact('To', shown(lead.to)),
		fact('Weight', quantity(lead.weightKg, 'kg')),
		fact('Volume', quantity(lead.volumeM3, 'm³')),
		fact('Source', shown(channel.source)),
		fact('Campaign', shown(channel.campaign)),
		fact('Came', came === null ? null : htmlText(shownTime(came))),
		fact('Lead', shown(lead.leadId)),
	].join('');
	const card = safeLink(lead.crmUrl ?? lead.cardUrl);
	const link = card === null ? '' : `<a class="card" href="${htmlText(card)}" target="_blank" rel="noopener noreferrer">Open the lead’s card in the CRM</a>`;
	return `<section id="lead"><h2>${htmlText(textOf(lead.name) ?? 'Your lead')}</h2><dl>${facts}</dl>${link}</section>`;
}

function noticeSection(notice: Notice): string {
	return `<section class="notice ${notice.tone}" id="notice"><h2>${htmlText(notice.title)}</h2><p>${htmlText(notice.text)}</p></section>`;
}

function buttonSection(view: DeskView): string {
	if (view.formToken === null) return '';
	const count = view.waiting === null ? '' : `<p class="count" id="waiting">Leads waiting: <strong>${htmlText(String(view.waiting))}</strong></p>`;
	return (
		`<section id="desk">${count}<form method="post">` +
		`<input type="hidden" name="deskToken" value="${htmlText(view.formToken)}">` +
		'<button type="submit">Take a lead</button></form></section>'
	);
}

/** The lead desk page. */
export function deskPage(view: DeskView): string {
	const who = view.manager === null ? '' : `<p class="who">Signed in as <span id="manager">${htmlText(view.manager)}</span></p>`;
	return [
		...pageHead(CSP, 'Lead desk', STYLE),
		`<header><h1>Lead desk</h1>${who}</header>`,
		view.notice === null ? '' : noticeSection(view.notice),
		view.lead === null ? '' : leadSection(view.lead),
		buttonSection(view),
		'</main></body></html>',
	].join('\n');
}

/** The page of a refusal before anything is taken: no button, what went wrong and what to do. */
export function refusalPage(title: string, text: string): string {
	return deskPage({ manager: null, waiting: null, formToken: null, lead: null, notice: { tone: 'error', title, text } });
}
