import { createHash, createHmac, timingSafeEqual } from 'crypto';
import { InputDataError } from '../shared/errors';

/**
 * Who is at the lead desk: the browser's own sign-in (HTTP Basic, RFC 7617) checked against the managers of the
 * "Lead Desk Managers API" credential, and the form token that ties a press of the button to a page the desk served.
 * Every parser here reads its text once, left to right, under a length cap; passwords are compared in constant time
 * over SHA-256 digests of equal length; no message quotes an Authorization header, a password or a line of the list.
 */

/** An Authorization header longer than this is refused unread: "Basic " and base64 of a 254-character login and a 256-character password fit in about 1,400. */
const MAX_AUTHORIZATION = 4096;
const MAX_LOGIN = 254;
const MAX_PASSWORD = 256;
const MAX_DISPLAY_NAME = 100;
/** The managers list: 500 lines of the longest logins and passwords fit in this many characters. */
const MAX_MANAGERS_TEXT = 300_000;
const MAX_MANAGERS = 500;
/** How long the button of a page that the desk served stays good: a working day and then some. */
export const FORM_TOKEN_LIFETIME_MS = 12 * 3_600_000;
/** A form token from a clock a little ahead of this one is still good. */
const FORM_TOKEN_SKEW_MS = 5 * 60_000;
const MAX_FORM_TOKEN = 100;

export interface Manager {
	/** As written in the list: the manager id Take Next and Confirm Claim get. */
	login: string;
	displayName: string;
	/** SHA-256 of the password. */
	digest: Buffer;
}

export interface ManagerList {
	/** By login in lower case: logins compare ignoring case, as the Managers list of Take Next does. */
	byLogin: Map<string, Manager>;
	/** The key of the form tokens: a digest of every login and password, so a token cannot be made without them. */
	tokenKey: Buffer;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Whether the text has a control character (C0, DEL), which RFC 7617 keeps out of logins and passwords. */
function hasControl(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code < 0x20 || code === 0x7f) return true;
	}
	return false;
}

/** The lines of a text (LF or CRLF), each with its number from 1. */
function linesOf(text: string): Array<{ number: number; line: string }> {
	return text.split('\n').map((line, index) => ({ number: index + 1, line: line.endsWith('\r') ? line.slice(0, -1) : line }));
}

/** "key: value" lines without the blank ones and the "#" comments; a line without a colon is an error naming its number only. */
function keyValueLines(text: string, field: string, hint: string): Array<{ number: number; key: string; value: string }> {
	const entries: Array<{ number: number; key: string; value: string }> = [];
	for (const { number, line } of linesOf(text)) {
		const trimmed = line.trim();
		if (trimmed === '' || trimmed.startsWith('#')) continue;
		const colon = trimmed.indexOf(':');
		if (colon === -1) throw new InputDataError(`${field}, line ${number}: no ":" between the login and the ${hint}`, `Write one manager a line: login: ${hint}.`);
		entries.push({ number, key: trimmed.slice(0, colon).trim(), value: trimmed.slice(colon + 1).trim() });
	}
	return entries;
}

/**
 * The managers of the credential: `managers` (its Managers and Passwords field) holds one `login: password` a line (blank lines and lines starting with
 * "#" are skipped; the password is what follows the first colon, trimmed), `displayNames` optionally one
 * `login: Name` a line. A line that does not read, a login twice (ignoring case) or a display name for a login not
 * in the list is an error that names the line, never its text.
 */
export function parseManagers(managers: unknown, displayNames: unknown = ''): ManagerList {
	const field = 'Managers and Passwords';
	const hint = 'Write one manager a line, "login: password", e.g. "anna@shop.ru: a long password".';
	if (typeof managers !== 'string' || managers.trim() === '') throw new InputDataError(`${field} is empty: nobody can sign in to the lead desk`, hint);
	if (managers.length > MAX_MANAGERS_TEXT) throw new InputDataError(`${field} is ${managers.length} characters long, over the ${MAX_MANAGERS_TEXT} allowed`, hint);
	const byLogin = new Map<string, Manager>();
	const lineOf = new Map<string, number>();
	const entries = keyValueLines(managers, field, 'password');
	if (entries.length > MAX_MANAGERS) throw new InputDataError(`${field} lists ${entries.length} managers, over the ${MAX_MANAGERS} allowed`, hint);
	for (const { number, key: login, value: password } of entries) {
		const where = `${field}, line ${number}`;
		if (login === '') throw new InputDataError(`${where}: the login is empty`, hint);
		if (password === '') throw new InputDataError(`${where}: the password is empty`, hint);
		if (login.length > MAX_LOGIN) throw new InputDataError(`${where}: the login is over ${MAX_LOGIN} characters`, hint);
		if (password.length > MAX_PASSWORD) throw new InputDataError(`${where}: the password is over ${MAX_PASSWORD} characters`, hint);
		if (hasControl(login) || hasControl(password)) throw new InputDataError(`${where}: a control character (a tab, for one) is in the login or the password`, hint);
		const key = login.toLowerCase();
		const first = lineOf.get(key);
		if (first !== undefined) throw new InputDataError(`${where}: the login of line ${first} again`, 'Give each manager one line.');
		lineOf.set(key, number);
		byLogin.set(key, { login, displayName: login, digest: sha256(password) });
	}
	if (typeof displayNames === 'string' && displayNames.trim() !== '') {
		if (displayNames.length > MAX_MANAGERS_TEXT) throw new InputDataError(`Display Names is ${displayNames.length} characters long, over the ${MAX_MANAGERS_TEXT} allowed`, '');
		for (const { number, key: login, value: name } of keyValueLines(displayNames, 'Display Names', 'name')) {
			const manager = byLogin.get(login.toLowerCase());
			const where = `Display Names, line ${number}`;
			if (manager === undefined) throw new InputDataError(`${where}: "${login.slice(0, 40)}" is no login of Managers and Passwords`, 'Name only managers that Managers and Passwords lists.');
			if (name === '' || name.length > MAX_DISPLAY_NAME) throw new InputDataError(`${where}: a name of 1 to ${MAX_DISPLAY_NAME} characters is expected`, '');
			manager.displayName = name;
		}
	}
	const material = [...byLogin.values()].map((manager) => `${manager.login.toLowerCase()}\n${manager.digest.toString('hex')}`).join('\n');
	return { byLogin, tokenKey: sha256(`lead desk form token\n${material}`) };
}

export type BasicCredentials = { login: string; password: string } | { problem: string };

/** The ASCII code is a base64 letter (RFC 4648, section 4). */
function isBase64Letter(code: number): boolean {
	return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x2b || code === 0x2f;
}

/** Whether the text is padded base64: letters, then at most two "=", a length that is a multiple of 4. */
function isBase64(text: string): boolean {
	if (text.length === 0 || text.length % 4 !== 0) return false;
	let end = text.length;
	while (end > text.length - 2 && text.charCodeAt(end - 1) === 0x3d) end--;
	for (let i = 0; i < end; i++) if (!isBase64Letter(text.charCodeAt(i))) return false;
	return true;
}

const isBlank = (code: number) => code === 0x20 || code === 0x09;

/**
 * The login and password of an Authorization header "Basic <base64 of login:password>" (RFC 7617), or the problem
 * with it in words that never quote it: no header, over MAX_AUTHORIZATION characters, another scheme, not base64, not
 * UTF-8, no colon, an empty login or password, a control character. One pass over the header.
 */
export function readBasicAuthorization(header: unknown): BasicCredentials {
	if (header === undefined || header === null || header === '') return { problem: 'the browser sent no sign-in' };
	if (typeof header !== 'string') return { problem: 'the sign-in header is not text' };
	if (header.length > MAX_AUTHORIZATION) return { problem: `the sign-in header is over ${MAX_AUTHORIZATION} characters` };
	let start = 0;
	while (start < header.length && isBlank(header.charCodeAt(start))) start++;
	let end = header.length;
	while (end > start && isBlank(header.charCodeAt(end - 1))) end--;
	let space = start;
	while (space < end && !isBlank(header.charCodeAt(space))) space++;
	if (header.slice(start, space).toLowerCase() !== 'basic') return { problem: 'the sign-in is not HTTP Basic' };
	let token = space;
	while (token < end && isBlank(header.charCodeAt(token))) token++;
	const encoded = header.slice(token, end);
	if (!isBase64(encoded)) return { problem: 'the sign-in is not base64' };
	let decoded: string;
	try {
		decoded = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(encoded, 'base64'));
	} catch {
		return { problem: 'the sign-in is not UTF-8' };
	}
	const colon = decoded.indexOf(':');
	if (colon === -1) return { problem: 'the sign-in has no colon between the login and the password' };
	const login = decoded.slice(0, colon);
	const password = decoded.slice(colon + 1);
	if (login === '') return { problem: 'the login is empty' };
	if (password === '') return { problem: 'the password is empty' };
	if (hasControl(login) || hasControl(password)) return { problem: 'the sign-in holds a control character' };
	return { login, password };
}

/** A digest no password has, compared against when the login is unknown, so that an unknown login takes as long as a wrong password. */
const NO_DIGEST = sha256('\u0000no manager\u0000');

export type SignIn = { manager: Manager } | { problem: string };

/**
 * The manager an Authorization header signs in, or why not. An unknown login and a wrong password give the same
 * answer (no hint which logins exist) after the same work: one constant-time comparison of two SHA-256 digests.
 */
export function signIn(header: unknown, managers: ManagerList): SignIn {
	const credentials = readBasicAuthorization(header);
	if ('problem' in credentials) return credentials;
	const manager = credentials.login.length <= MAX_LOGIN ? managers.byLogin.get(credentials.login.trim().toLowerCase()) : undefined;
	const given = sha256(credentials.password);
	const matches = timingSafeEqual(given, manager?.digest ?? NO_DIGEST);
	return manager !== undefined && matches ? { manager } : { problem: 'the login or the password is wrong' };
}

/** The signature of a form token: HMAC-SHA256 of the login and the time it was issued. */
function signature(managers: ManagerList, login: string, issuedSeconds: number): Buffer {
	return createHmac('sha256', managers.tokenKey).update(`${login.toLowerCase()}\n${issuedSeconds}`).digest();
}

/**
 * The token the desk's button carries for this manager, issued at `nowMs`: "<seconds>.<base64url signature>". Another
 * site cannot read the desk's page, so it cannot send a token; the desk takes a lead only for a press that carries one.
 */
export function formToken(managers: ManagerList, login: string, nowMs: number): string {
	const issued = Math.floor(nowMs / 1000);
	return `${issued}.${signature(managers, login, issued).toString('base64url')}`;
}

/** Why a press's form token does not hold for this manager at `nowMs`, or null when it does. */
export function formTokenProblem(token: unknown, managers: ManagerList, login: string, nowMs: number): string | null {
	if (typeof token !== 'string' || token === '') return 'the press carries no form token';
	if (token.length > MAX_FORM_TOKEN) return 'the form token is too long';
	const dot = token.indexOf('.');
	const seconds = token.slice(0, dot);
	if (dot < 1 || dot > 12) return 'the form token does not read';
	for (let i = 0; i < seconds.length; i++) if (seconds.charCodeAt(i) < 0x30 || seconds.charCodeAt(i) > 0x39) return 'the form token does not read';
	const issuedMs = Number(seconds) * 1000;
	if (issuedMs > nowMs + FORM_TOKEN_SKEW_MS) return 'the form token is from the future';
	if (nowMs - issuedMs > FORM_TOKEN_LIFETIME_MS) return 'the page is older than 12 hours';
	const given = Buffer.from(token.slice(dot + 1), 'base64url');
	const expected = signature(managers, login, Number(seconds));
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'the form token is not one the lead desk gave this manager';
	return null;
}
