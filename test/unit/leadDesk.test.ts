import { InputDataError } from '../../nodes/shared/errors';
import { deskPageAnswer, signInAnswer, type DeskPageView } from '../../nodes/LeadQueue/desk';
import { FORM_TOKEN_LIFETIME_MS, formToken, formTokenProblem, parseManagers, readBasicAuthorization, signIn } from '../../nodes/LeadQueue/deskAuth';
import { requestSite } from '../../nodes/LeadQueue/deskOrigin';
import { deskPage, safeLink, shownTime, telLink } from '../../nodes/LeadQueue/deskPage';
import { newLead } from '../../nodes/LeadQueue/lead';

/**
 * The lead desk's pure parts: the browser's sign-in (HTTP Basic, RFC 7617), the managers list of the credential,
 * the form token, where a press came from, and the page. The base64 texts were made with coreutils' `base64`
 * (printf 'anna@shop.ru:secret one' | base64), not with the code under test.
 */

/** anna@shop.ru:secret one */
const ANNA = 'Basic YW5uYUBzaG9wLnJ1OnNlY3JldCBvbmU=';
/** boris@shop.ru:pw2:with:colons (a password may hold colons: the first colon ends the login). */
const BORIS = 'Basic Ym9yaXNAc2hvcC5ydTpwdzI6d2l0aDpjb2xvbnM=';
const LIST = 'anna@shop.ru: secret one\n# Boris since May\n\r\nBoris@Shop.ru:pw2:with:colons\r\n';
const managers = parseManagers(LIST, 'anna@shop.ru: Anna Petrova');
const NOW = Date.parse('2026-12-07T09:00:00Z');

describe('readBasicAuthorization', () => {
	it.each([
		['the RFC 7617 example form', 'Basic YW5uYTpwdw==', { login: 'anna', password: 'pw' }],
		['scheme in any case, blanks around', '  basic \t YW5uYTpwdw==  ', { login: 'anna', password: 'pw' }],
		['UTF-8 login (ü:x)', 'Basic w7w6eA==', { login: 'ü', password: 'x' }],
		['colons in the password', BORIS, { login: 'boris@shop.ru', password: 'pw2:with:colons' }],
	])('reads %s', (_, header, expected) => {
		expect(readBasicAuthorization(header)).toEqual(expected);
	});

	it.each([
		['no header', undefined, 'the browser sent no sign-in'],
		['an empty header', '', 'the browser sent no sign-in'],
		['an array', ['Basic YW5uYTpwdw=='], 'the sign-in header is not text'],
		['a 1 MB header', `Basic ${'A'.repeat(1_000_000)}`, 'the sign-in header is over 4096 characters'],
		['another scheme', 'Bearer YW5uYTpwdw==', 'the sign-in is not HTTP Basic'],
		['"Basic" alone', 'Basic', 'the sign-in is not base64'],
		['unpadded base64', 'Basic YW5uYTpwdw', 'the sign-in is not base64'],
		['a letter outside base64', 'Basic YW5u*TpwdA==', 'the sign-in is not base64'],
		['three "="', 'Basic YW5===', 'the sign-in is not base64'],
		['bytes that are not UTF-8 (ff 3a 61)', 'Basic /zph', 'the sign-in is not UTF-8'],
		['no colon (anna)', 'Basic YW5uYQ==', 'the sign-in has no colon between the login and the password'],
		['an empty password (anna:)', 'Basic YW5uYTo=', 'the password is empty'],
		['an empty login (:pw)', 'Basic OnB3', 'the login is empty'],
		['a tab in the login (a\\tb:c)', 'Basic YQliOmM=', 'the sign-in holds a control character'],
	])('refuses %s without quoting it', (_, header, problem) => {
		expect(readBasicAuthorization(header)).toEqual({ problem });
	});

	it('reads a 1 MB header of blanks and base64 letters in linear time', () => {
		const started = process.hrtime.bigint();
		for (const header of [`Basic ${' '.repeat(1_000_000)}x`, ' '.repeat(4000) + 'Basic ' + 'QUFB'.repeat(20)]) readBasicAuthorization(header);
		expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(200);
	});
});

describe('parseManagers', () => {
	it('reads one "login: password" a line, skips blanks and # comments, keeps logins as written, and display names', () => {
		expect([...managers.byLogin.entries()].map(([key, manager]) => [key, manager.login, manager.displayName])).toEqual([
			['anna@shop.ru', 'anna@shop.ru', 'Anna Petrova'],
			['boris@shop.ru', 'Boris@Shop.ru', 'Boris@Shop.ru'],
		]);
	});

	it.each([
		['an empty list', '  \n ', 'Managers and Passwords is empty: nobody can sign in to the lead desk'],
		['a line without a colon', 'anna@shop.ru: one\nboris@shop.ru secret', 'Managers and Passwords, line 2: no ":" between the login and the password'],
		['an empty password', 'anna@shop.ru:   ', 'Managers and Passwords, line 1: the password is empty'],
		['an empty login', ': secret', 'Managers and Passwords, line 1: the login is empty'],
		['a login twice, in another case', 'anna@shop.ru: one\n\nANNA@shop.ru: two', 'Managers and Passwords, line 3: the login of line 1 again'],
		['a password of 257 characters', `anna: ${'p'.repeat(257)}`, 'Managers and Passwords, line 1: the password is over 256 characters'],
		['a tab in a password', 'anna: pass\tword', 'Managers and Passwords, line 1: a control character (a tab, for one) is in the login or the password'],
		['501 managers', Array.from({ length: 501 }, (_, i) => `m${i}: p`).join('\n'), 'Managers and Passwords lists 501 managers, over the 500 allowed'],
	])('refuses %s, naming the line but never its text', (_, list, message) => {
		let error: unknown;
		try {
			parseManagers(list);
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(InputDataError);
		expect((error as Error).message).toBe(message);
		expect((error as Error).message).not.toMatch(/secret|two|pass\tword|ppp/);
	});

	it('refuses a display name for a login that is not in the list', () => {
		expect(() => parseManagers(LIST, 'anna@shop.ru: Anna\nvera@shop.ru: Vera')).toThrow('Display Names, line 2: "vera@shop.ru" is no login of Managers and Passwords');
	});
});

describe('signIn', () => {
	it('signs in a listed manager with the right password, the login in any case', () => {
		expect(signIn(ANNA, managers)).toMatchObject({ manager: { login: 'anna@shop.ru', displayName: 'Anna Petrova' } });
		expect(signIn(BORIS, managers)).toMatchObject({ manager: { login: 'Boris@Shop.ru' } });
	});

	it('gives the same answer to a wrong password and to an unknown login', () => {
		// anna@shop.ru:secret two, and vera@shop.ru:secret one
		expect(signIn('Basic YW5uYUBzaG9wLnJ1OnNlY3JldCB0d28=', managers)).toEqual({ problem: 'the login or the password is wrong' });
		expect(signIn('Basic dmVyYUBzaG9wLnJ1OnNlY3JldCBvbmU=', managers)).toEqual({ problem: 'the login or the password is wrong' });
	});
});

describe('form tokens', () => {
	const token = formToken(managers, 'anna@shop.ru', NOW);

	it('reads "<seconds>.<43 base64url letters of an HMAC-SHA256>"', () => {
		expect(token).toMatch(/^1796634000\.[A-Za-z0-9_-]{43}$/);
	});

	it('holds for its manager (any case of the login) for 12 hours, and then not', () => {
		expect(formTokenProblem(token, managers, 'anna@shop.ru', NOW)).toBeNull();
		expect(formTokenProblem(token, managers, 'ANNA@shop.ru', NOW + FORM_TOKEN_LIFETIME_MS)).toBeNull();
		expect(formTokenProblem(token, managers, 'anna@shop.ru', NOW + FORM_TOKEN_LIFETIME_MS + 1000)).toBe('the page is older than 12 hours');
	});

	it.each([
		['no token', undefined, 'the press carries no form token'],
		['an empty token', '', 'the press carries no form token'],
		['a long token', 'x'.repeat(101), 'the form token is too long'],
		['no dot', 'abc', 'the form token does not read'],
		['letters for the time', 'abc.def', 'the form token does not read'],
		['a time 6 minutes ahead', `${NOW / 1000 + 360}.AAAA`, 'the form token is from the future'],
		['another signature', '1796634000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'the form token is not one the lead desk gave this manager'],
	])('refuses %s', (_, given, problem) => {
		expect(formTokenProblem(given, managers, 'anna@shop.ru', NOW)).toBe(problem);
	});

	it("is no good for another manager, nor after anyone's password changed", () => {
		expect(formTokenProblem(token, managers, 'Boris@Shop.ru', NOW)).toBe('the form token is not one the lead desk gave this manager');
		const changed = parseManagers(LIST.replace('secret one', 'secret two'));
		expect(formTokenProblem(token, changed, 'anna@shop.ru', NOW)).toBe('the form token is not one the lead desk gave this manager');
	});
});

describe('requestSite: where a press came from', () => {
	const host = { host: 'desk.shop.ru' };
	it.each([
		['its own origin, same-origin', { ...host, origin: 'https://desk.shop.ru', 'sec-fetch-site': 'same-origin' }, 'same-origin'],
		['its own origin with the default port written', { ...host, origin: 'https://desk.shop.ru:443' }, 'same-origin'],
		['its own origin, host with the default port', { host: 'desk.shop.ru:80', origin: 'http://desk.shop.ru' }, 'same-origin'],
		['its own origin on another port', { host: 'desk.shop.ru:5678', origin: 'http://desk.shop.ru:5678' }, 'same-origin'],
		['the host a proxy forwarded', { host: '127.0.0.1:5678', 'x-forwarded-host': 'desk.shop.ru, inner', origin: 'https://desk.shop.ru' }, 'same-origin'],
		['another site', { ...host, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, 'cross-site'],
		['another site that sends no Fetch Metadata', { ...host, origin: 'https://evil.example' }, 'cross-site'],
		['a sibling subdomain', { ...host, origin: 'https://blog.shop.ru', 'sec-fetch-site': 'same-site' }, 'cross-site'],
		['the same host on another port', { ...host, origin: 'https://desk.shop.ru:8443' }, 'cross-site'],
		['its own host but a browser that says cross-site', { ...host, origin: 'https://desk.shop.ru', 'sec-fetch-site': 'cross-site' }, 'cross-site'],
		['an origin that is no web address', { ...host, origin: 'file://desk.shop.ru' }, 'cross-site'],
		['an origin with a path', { ...host, origin: 'https://desk.shop.ru/x' }, 'cross-site'],
		['a 1 MB origin', { ...host, origin: `https://${'a'.repeat(1_000_000)}` }, 'cross-site'],
		['no origin, cross-site', { ...host, 'sec-fetch-site': 'cross-site' }, 'cross-site'],
		['an opaque origin (a sandboxed page, as n8n serves webhook pages)', { ...host, origin: 'null', 'sec-fetch-site': 'cross-site' }, 'opaque'],
		['no origin, same-origin', { ...host, 'sec-fetch-site': 'same-origin' }, 'same-origin'],
		['no origin, typed by the user', { ...host, 'sec-fetch-site': 'none' }, 'unknown'],
		['nothing (curl)', { ...host }, 'unknown'],
	])('%s', (_, headers, site) => {
		expect(requestSite(headers).site).toBe(site);
	});
});

describe('signInAnswer', () => {
	const press = (headers: Record<string, unknown>, body: Record<string, unknown>) => signInAnswer({ headers: { host: 'desk.shop.ru', ...headers }, body }, managers, true, NOW);
	const token = formToken(managers, 'anna@shop.ru', NOW - 60_000);

	it('signs in the manager of the header, with a fresh form token and nothing of the header', () => {
		const answer = signInAnswer({ headers: { authorization: ANNA } }, managers, false, NOW);
		expect(answer).toEqual({ outcome: 'signedIn', httpStatus: 200, managerId: 'anna@shop.ru', displayName: 'Anna Petrova', formToken: formToken(managers, 'anna@shop.ru', NOW) });
		expect(JSON.stringify(answer)).not.toMatch(/YW5uYUBzaG9wLnJ1|secret one/);
	});

	it('asks to sign in (401) without a header or with a wrong one, on a page with no button', () => {
		for (const headers of [{}, { authorization: 'Basic YW5uYUBzaG9wLnJ1OnNlY3JldCB0d28=' }]) {
			const answer = signInAnswer({ headers }, managers, false, NOW);
			expect(answer).toMatchObject({ outcome: 'refused', httpStatus: 401 });
			if (answer.outcome === 'refused') expect([answer.page.includes('Sign in to the lead desk'), answer.page.includes('<form')]).toEqual([true, false]);
		}
	});

	it('takes a press from its own page: n8n\'s sandboxed page (Origin null) or the same origin, with the token', () => {
		expect(press({ authorization: ANNA, origin: 'null', 'sec-fetch-site': 'cross-site' }, { deskToken: token })).toMatchObject({ outcome: 'signedIn', managerId: 'anna@shop.ru' });
		expect(press({ authorization: ANNA, origin: 'https://desk.shop.ru', 'sec-fetch-site': 'same-origin' }, { deskToken: token })).toMatchObject({ outcome: 'signedIn' });
	});

	it('refuses (403) a press from another site even with a token, and one without a good token from anywhere', () => {
		expect(press({ authorization: ANNA, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, { deskToken: token })).toMatchObject({
			outcome: 'refused',
			httpStatus: 403,
			message: 'Press refused: it came from a page of another site',
		});
		expect(press({ authorization: ANNA, origin: 'null', 'sec-fetch-site': 'cross-site' }, {})).toMatchObject({ httpStatus: 403, message: 'Press refused: the press carries no form token' });
		expect(press({ authorization: BORIS, origin: 'null' }, { deskToken: token })).toMatchObject({ httpStatus: 403, message: 'Press refused: the form token is not one the lead desk gave this manager' });
	});
});

const HOSTILE = ['<img src=x onerror=alert(1)>', '</textarea><script>alert(2)</script>', '" autofocus onfocus="alert(3)', "'><svg onload=alert(4)>"];

describe('the desk page', () => {
	const lead = {
		...newLead({ leadId: 'L7', createdAt: '2026-11-23T10:15:00+03:00', name: HOSTILE[0], from: HOSTILE[1], to: HOSTILE[2], weightKg: 2500, volumeM3: 12.5, phones: ['+79135551234', '8 (913) 555-12-35'] }),
		channel: { source: HOSTILE[3], medium: 'cpc', campaign: 'cargo_east', content: null, term: null },
		state: 'assigned' as const,
		crmUrl: 'https://shop.amocrm.ru/leads/detail/123',
	};
	const page = deskPage({ manager: 'Anna <b>Petrova</b>', waiting: 4, formToken: '1796634000.abc"x', notice: null, lead });

	it('shows every hostile text escaped: no tag, no attribute of its own', () => {
		expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
		expect(page).toContain('&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
		expect(page).toContain('&quot; autofocus onfocus=&quot;alert(3)');
		expect(page).toContain('&#39;&gt;&lt;svg onload=alert(4)&gt;');
		expect(page).toContain('Anna &lt;b&gt;Petrova&lt;/b&gt;');
		expect(page).toContain('value="1796634000.abc&quot;x"');
		expect(page.match(/<(script|img|svg|textarea|iframe)\b/gi)).toBeNull();
	});

	it('has the details, the tel: links, the CRM card, the count and the button posting to its own address', () => {
		expect(page).toContain('<a href="tel:+79135551234">+79135551234</a>, <a href="tel:89135551235">8 (913) 555-12-35</a>');
		expect(page).toContain('<dt>Weight</dt><dd>2500 kg</dd><dt>Volume</dt><dd>12.5 m³</dd>');
		expect(page).toContain('<dt>Campaign</dt><dd>cargo_east</dd><dt>Came</dt><dd>2026-11-23 10:15 (UTC+03:00)</dd><dt>Lead</dt><dd>L7</dd>');
		expect(page).toContain('href="https://shop.amocrm.ru/leads/detail/123"');
		expect(page).toContain('Leads waiting: <strong>4</strong>');
		expect(page).toContain('<form method="post"><input type="hidden" name="deskToken"');
		expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'"`);
	});

	it('cuts a 1 MB name to 200 characters', () => {
		const huge = deskPage({ manager: null, waiting: 0, formToken: 't', notice: null, lead: { ...lead, name: 'W'.repeat(1_000_000) } });
		expect(huge).toContain(`<h2>${'W'.repeat(199)}…</h2>`);
		expect(huge.length).toBeLessThan(10_000);
	});

	it.each([
		['https://shop.amocrm.ru/leads/detail/1', 'https://shop.amocrm.ru/leads/detail/1'],
		['http://crm.local/deal/2', 'http://crm.local/deal/2'],
		['javascript:alert(1)', null],
		['data:text/html,<script>', null],
		['//evil.example', null],
		[42, null],
	])('links the CRM card %p as %p', (value, link) => {
		expect(safeLink(value)).toBe(link);
	});

	it('writes phones as tel: links of "+" and digits, and times as they came', () => {
		expect([telLink('+7 (913) 555-12-34'), telLink('8 913 555 12 34 доб. 12'), telLink('nope'), telLink('"><x>+1'), telLink('1'.repeat(16)), telLink(`+${'1'.repeat(15)}`)]).toEqual(['tel:+79135551234', 'tel:89135551234', null, null, null, `tel:+${'1'.repeat(15)}`]);
		expect([shownTime('2026-11-23T07:15:00Z'), shownTime('2026-11-23T10:15:00.123+03:00'), shownTime('yesterday')]).toEqual(['2026-11-23 07:15 (UTC)', '2026-11-23 10:15 (UTC+03:00)', 'yesterday']);
	});
});

describe('deskPageAnswer', () => {
	const input = { signedInAs: 'Anna Petrova', formToken: 'tok', waitingLeft: 0 };
	const row = (leadId: string, state: string) => ({ id: 1, leadId, state, lead: JSON.stringify(newLead({ leadId, createdAt: '2026-11-23T10:15:00+03:00' })) });

	it('before a press counts the waiting leads among the rows, and not a row that does not read', () => {
		const answer = deskPageAnswer([row('L1', 'waiting'), row('L2', 'waiting'), row('L3', 'assigned'), { id: 4, leadId: 'L4', state: 'waiting', lead: '{' }, {}], { ...input, view: 'waiting' });
		expect([answer.httpStatus, answer.waiting, answer.page.includes('Leads waiting: <strong>2</strong>'), answer.page.includes('Signed in as <span id="manager">Anna Petrova</span>')]).toEqual([200, 2, true, true]);
	});

	it('shows the lead Confirm Claim won, with what still waits', () => {
		const won = { ...newLead({ leadId: 'L9', createdAt: '2026-11-23T10:15:00+03:00', name: 'Ольга' }), state: 'assigned' };
		const answer = deskPageAnswer([won], { ...input, view: 'taken', waitingLeft: 3 });
		expect([answer.httpStatus, answer.waiting, answer.page.includes('<h2>Ольга</h2>'), answer.page.includes('Lead L9 is assigned to you.')]).toEqual([200, 3, true, true]);
	});

	it('says no lead is waiting (200), or why this manager cannot take leads (403, no button)', () => {
		const none = deskPageAnswer([{ outcome: 'none', httpStatus: 200, message: 'No leads are waiting', waitingLeft: 0 }], { ...input, view: 'notTaken' });
		expect([none.httpStatus, none.waiting, none.page.includes('No lead is waiting'), none.page.includes('<form')]).toEqual([200, 0, true, true]);
		const refused = deskPageAnswer([{ outcome: 'refused', httpStatus: 400, message: 'Manager «vera@shop.ru» is not in the managers list' }], { ...input, view: 'notTaken' });
		expect([refused.httpStatus, refused.waiting, refused.page.includes('Manager «vera@shop.ru» is not in the managers list.'), refused.page.includes('<form')]).toEqual([403, null, true, false]);
	});

	it('says every waiting lead is being taken when all candidates were lost (200, with the button, no count)', () => {
		const busy = deskPageAnswer([{ outcome: 'busy' }], { ...input, view: 'notTaken' });
		expect([busy.httpStatus, busy.waiting, busy.page.includes('Every waiting lead is being taken'), busy.page.includes('<form')]).toEqual([200, null, true, true]);
	});

	it('links the card of a lead from a CRM queue (cardUrl, as Assign in CRM answers), and only an http(s) one', () => {
		const won = { ...newLead({ leadId: 'P7', createdAt: '2026-11-23T10:15:00+03:00' }), state: 'assigned', crmLeadId: '30001', cardUrl: 'https://shop.amocrm.ru/leads/detail/30001' };
		expect(deskPageAnswer([won], { ...input, view: 'taken' }).page).toContain('<a class="card" href="https://shop.amocrm.ru/leads/detail/30001" target="_blank" rel="noopener noreferrer">');
		expect(deskPageAnswer([{ ...won, cardUrl: 'javascript:alert(1)' }], { ...input, view: 'taken' }).page).not.toContain('class="card"');
	});

	it.each([
		['taken', [{ outcome: 'none' }], 'Desk Page got no claimed lead'],
		['taken', [row('L1', 'waiting')], 'Desk Page got no claimed lead'],
		['notTaken', [{ leadId: 'L1' }], 'Desk Page got no answer of Take Next (outcome none or refused) and no busy item'],
		['notTaken', [{ outcome: 'none' }, { outcome: 'none' }], 'Desk Page got 2 items, one was expected'],
	] as Array<[DeskPageView, Array<Record<string, unknown>>, string]>)('refuses input that is not what the view reads (%s)', (view, items, message) => {
		expect(() => deskPageAnswer(items, { ...input, view })).toThrow(message);
	});

	it('refuses an empty form token: the button would be refused', () => {
		expect(() => deskPageAnswer([], { ...input, formToken: ' ', view: 'waiting' })).toThrow('Form Token is empty');
	});
});
