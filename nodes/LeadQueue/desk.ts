import { InputDataError } from '../shared/errors';
import { formToken, formTokenProblem, signIn, type ManagerList } from './deskAuth';
import { requestSite } from './deskOrigin';
import { deskPage, refusalPage, type DeskView } from './deskPage';
import { leadsOf, readLead } from './tableRows';

/**
 * The lead desk's two steps, on plain data: who asks (the sign-in, and for a press that it came from the desk's own
 * page), and the page to answer with. The workflow between them is the take-lead chain (Take Next, the conditional
 * update, Confirm Claim, a lost claim looping back).
 */

export type SignInAnswer =
	| { outcome: 'signedIn'; httpStatus: 200; managerId: string; displayName: string; formToken: string }
	| { outcome: 'refused'; httpStatus: 401 | 403; message: string; page: string };

const objectOf = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;

/**
 * The answer to one request of a Webhook node (its item: `headers` with lower-case names, and for a press the form's
 * `body`). 401 until the browser signs in as a manager of the list; for a press (`press`), 403 when it came from
 * another site, or carries no form token of this manager that is under 12 hours old. Neither the Authorization
 * header nor a password is in any answer.
 */
export function signInAnswer(request: Record<string, unknown>, managers: ManagerList, press: boolean, nowMs: number): SignInAnswer {
	const headers = objectOf(request.headers);
	const signedIn = signIn(headers.authorization, managers);
	if ('problem' in signedIn) {
		return {
			outcome: 'refused',
			httpStatus: 401,
			message: `Not signed in: ${signedIn.problem}`,
			page: refusalPage('Sign in to the lead desk', `${sentence(signedIn.problem)}. Open this page again and sign in with the login and password your administrator gave you.`),
		};
	}
	const { manager } = signedIn;
	if (press) {
		const site = requestSite(headers);
		const tokenProblem = site.site === 'cross-site' ? null : formTokenProblem(objectOf(request.body).deskToken, managers, manager.login, nowMs);
		const why = site.site === 'cross-site' ? site.reason : tokenProblem;
		if (why !== null) {
			return {
				outcome: 'refused',
				httpStatus: 403,
				message: `Press refused: ${why}`,
				page: refusalPage('This press did not come from the lead desk', `No lead was taken: ${why}. Open the lead desk yourself and press its button.`),
			};
		}
	}
	return { outcome: 'signedIn', httpStatus: 200, managerId: manager.login, displayName: manager.displayName, formToken: formToken(managers, manager.login, nowMs) };
}

/** Which page Desk Page renders: before a press, a lead taken, or no lead taken. */
export type DeskPageView = 'waiting' | 'taken' | 'notTaken';

export interface DeskPageInput {
	view: DeskPageView;
	/** The manager as the page greets them (Sign In's displayName). */
	signedInAs: string;
	/** Sign In's formToken, for the button. */
	formToken: string;
	/** For "taken": how many leads still wait (Take Next's waitingLeft). */
	waitingLeft: number;
}

export interface DeskPageAnswer {
	httpStatus: 200 | 403;
	page: string;
	/** Leads waiting as the page shows it; null when the page does not say. */
	waiting: number | null;
}

const HINT = {
	waiting: 'Give Desk Page the rows of the leads table that wait (a Data Table "get" with state = waiting).',
	taken: 'Give Desk Page the Won output of Confirm Claim: the lead that this press claimed.',
	notTaken: "Give Desk Page Take Next's answer when it chose no lead (outcome none or refused), or an item with outcome busy when every candidate was lost.",
};

/**
 * The desk page for the input items (their json): "waiting" counts the waiting leads among the rows of the leads
 * table (rows that do not read are not counted, as Take Next skips them); "taken" shows the one lead Confirm Claim
 * won, with `waitingLeft`; "notTaken" shows Take Next's answer: no lead waits (200), or the manager may not take
 * leads (403, with Take Next's reason). Input that is not what the view reads is an error, never a guess.
 */
export function deskPageAnswer(items: Array<Record<string, unknown>>, input: DeskPageInput): DeskPageAnswer {
	if (input.formToken.trim() === '') throw new InputDataError('Form Token is empty', "Give Sign In's formToken: {{ $('Sign In').first().json.formToken }}.");
	const base: Omit<DeskView, 'waiting' | 'notice' | 'lead'> = { manager: input.signedInAs.trim() === '' ? null : input.signedInAs, formToken: input.formToken };
	const done = (httpStatus: 200 | 403, view: Pick<DeskView, 'waiting' | 'notice' | 'lead'> & Partial<Pick<DeskView, 'formToken'>>): DeskPageAnswer => ({ httpStatus, page: deskPage({ ...base, ...view }), waiting: view.waiting });
	if (input.view === 'waiting') {
		const waiting = leadsOf(items).leads.filter(({ lead }) => lead.state === 'waiting').length;
		return done(200, { waiting, notice: null, lead: null });
	}
	if (items.length !== 1) throw new InputDataError(`Desk Page got ${items.length} items, one was expected`, HINT[input.view]);
	const [json] = items;
	if (input.view === 'taken') {
		const reading = readLead(json);
		if ('problems' in reading || reading.lead.state !== 'assigned') throw new InputDataError('Desk Page got no claimed lead', HINT.taken);
		if (!Number.isSafeInteger(input.waitingLeft) || input.waitingLeft < 0) throw new InputDataError(`Waiting Left is ${String(input.waitingLeft)}, not a count`, "Give Take Next's waitingLeft.");
		const lead = reading.lead as unknown as Record<string, unknown>;
		return done(200, { waiting: input.waitingLeft, lead, notice: { tone: 'ok', title: 'This lead is yours', text: `Lead ${String(lead.leadId)} is assigned to you. Call the client.` } });
	}
	if (json.outcome === 'none') return done(200, { waiting: 0, lead: null, notice: { tone: 'info', title: 'No lead is waiting', text: 'The queue is empty right now. Press the button again later.' } });
	if (json.outcome === 'busy') return done(200, { waiting: null, lead: null, notice: { tone: 'info', title: 'Every waiting lead is being taken', text: 'Other managers are taking the waiting leads right now. Press the button again in a minute.' } });
	if (json.outcome === 'refused' && typeof json.message === 'string') {
		return done(403, { waiting: null, lead: null, formToken: null, notice: { tone: 'error', title: 'You cannot take leads', text: `${json.message}. Ask your administrator to add you to the managers of Take Next.` } });
	}
	throw new InputDataError('Desk Page got no answer of Take Next (outcome none or refused) and no busy item', HINT.notTaken);
}
