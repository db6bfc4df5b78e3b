import { parseTouches } from '../../nodes/Touchpoint/parseTouches';
import { fixtureJson, fixtureText, testContext } from '../fixtures/touches/load';
import { prng } from '../helpers/prng';

/** One webhook delivery as the sender makes it: its body, its content type, and the touches the pack makes of it. */
export interface IntakePost {
	sender: string;
	body: string;
	contentType: string;
	/** touchIds the Touchpoint node gives this payload, computed in process by the node's own parser. */
	touchIds: string[];
}

type Fields = Record<string, unknown>;
type Random = () => number;

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const START = Date.parse('2026-11-02T06:00:00Z');
const RU_MOBILE = ['916', '903', '926', '985', '999', '912'];
const UA_MOBILE = ['067', '050', '063', '097'];
const CHANNELS = [
	['yandex', 'cpc', 'brand'],
	['google', 'cpc', 'search'],
	['vk', 'social', 'retarget'],
	['facebook', 'paid_social', 'spring'],
	['', '', ''],
] as const;

/** The i-th event's values: a caller no other event has, a time, an ad channel, and the visitor's analytics ids. */
interface Event {
	i: number;
	random: Random;
	/** Unix seconds. */
	unix: number;
	/** "2026-11-02 09:00:00" in Moscow time, as Zadarma and Ringostat write it. */
	local: string;
	/** 10 digits after +7. */
	ruDigits: string;
	uaLocal: string;
	utm: { source: string; medium: string; campaign: string };
	ga: string;
	ym: string;
	answered: boolean;
}

function eventOf(i: number, random: Random): Event {
	const at = START + i * 1_700 + Math.floor(random() * 1_000);
	const serial = String(i).padStart(7, '0');
	const [source, medium, campaign] = CHANNELS[Math.floor(random() * CHANNELS.length)];
	const local = new Date(at + 3 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
	return {
		i,
		random,
		unix: Math.floor(at / 1000),
		local,
		ruDigits: `${RU_MOBILE[i % RU_MOBILE.length]}${serial}`,
		uaLocal: `${UA_MOBILE[i % UA_MOBILE.length]}${serial}`,
		utm: { source, medium, campaign },
		ga: `GA1.1.${1_000_000_000 + i}.${Math.floor(at / 1000) - 3_600}`,
		ym: `${Math.floor(at / 1000) - 3_600}${String(i).padStart(9, '0')}`,
		answered: random() < 0.7,
	};
}

function json(value: unknown): Pick<IntakePost, 'body' | 'contentType'> {
	return { body: JSON.stringify(value), contentType: JSON_TYPE };
}

function form(fields: Record<string, string>): Pick<IntakePost, 'body' | 'contentType'> {
	return { body: new URLSearchParams(fields).toString(), contentType: FORM_TYPE };
}

function fixture(name: string): Fields {
	return structuredClone(fixtureJson(name)) as Fields;
}

/**
 * The senders of the touch intake webhook and their share of the traffic, each one's payload built from its fixture
 * in test/fixtures/touches (the shape the sender really posts) with the event's own id, caller, time and visitor.
 */
const SENDERS: Array<{ name: string; weight: number; make: (e: Event) => Pick<IntakePost, 'body' | 'contentType'> }> = [
	{
		name: 'binotel (form-encoded)',
		weight: 12,
		make: (e) => {
			const fields = Object.fromEntries(new URLSearchParams(fixtureText('binotel-completed-form.txt')));
			fields['callDetails[generalCallID]'] = String(5_000_000_000 + e.i);
			fields['callDetails[callID]'] = String(6_000_000_000 + e.i);
			fields['callDetails[startTime]'] = String(e.unix);
			fields['callDetails[externalNumber]'] = `38${e.uaLocal}`;
			fields['callDetails[disposition]'] = e.answered ? 'ANSWER' : 'NOANSWER';
			fields['callDetails[billsec]'] = e.answered ? String(5 + e.i % 300) : '0';
			return form(fields);
		},
	},
	{
		name: 'binotel (JSON)',
		weight: 8,
		make: (e) => {
			const payload = fixture('binotel-completed-nested.json');
			const details = payload.callDetails as Fields;
			const tracking = details.callTrackingData as Fields;
			Object.assign(details, { generalCallID: String(7_000_000_000 + e.i), callID: String(8_000_000_000 + e.i), startTime: String(e.unix), externalNumber: e.uaLocal });
			Object.assign(tracking, { gaClientId: e.ga, utm_source: e.utm.source, utm_medium: e.utm.medium, utm_campaign: e.utm.campaign });
			return json(payload);
		},
	},
	{
		name: 'zadarma',
		weight: 10,
		make: (e) => {
			const fields = fixture('zadarma-notify-end.json') as Record<string, string>;
			Object.assign(fields, { pbx_call_id: `in_${e.i.toString(16).padStart(32, '0')}`, call_start: e.local, caller_id: `7${e.ruDigits}`, duration: e.answered ? String(e.i % 400) : '0', disposition: e.answered ? 'answered' : 'no answer' });
			return form(fields);
		},
	},
	{
		name: 'mango office',
		weight: 8,
		make: (e) => {
			const fields = fixture('mango-summary-form.json') as Record<string, string>;
			const summary = JSON.parse(fields.json) as Fields;
			const talk = e.answered ? e.unix + 14 : 0;
			Object.assign(summary, { entry_id: Buffer.from(`load:${e.i}`).toString('base64'), create_time: e.unix, forward_time: e.unix + 2, talk_time: talk, end_time: e.unix + 60 + (e.i % 200), entry_result: e.answered ? 1 : 0 });
			(summary.from as Fields).number = `7${e.ruDigits}`;
			return form({ ...fields, json: JSON.stringify(summary) });
		},
	},
	{
		name: 'ringostat',
		weight: 8,
		make: (e) => {
			const payload = fixture('ringostat-call.json');
			Object.assign(payload, { uniqueid: `${e.unix}.${e.i}`, caller: `38${e.uaLocal}`, calldate: e.local, billsec: e.answered ? String(e.i % 300) : '0', disposition: e.answered ? 'ANSWERED' : 'NO ANSWER', clientId: e.ga, yaClientId: e.ym });
			Object.assign(payload, { utm_source: e.utm.source, utm_medium: e.utm.medium, utm_campaign: e.utm.campaign });
			return json(payload);
		},
	},
	{
		name: 'calltouch',
		weight: 7,
		make: (e) => {
			const [call] = fixture('calltouch-calls.json') as unknown as Fields[];
			Object.assign(call, { callId: 90_000_000 + e.i, callerNumber: `7${e.ruDigits}`, unixTime: e.unix, date: undefined, duration: e.answered ? e.i % 500 : 0, successful: e.answered, yaClientId: e.ym });
			Object.assign(call, { utmSource: e.utm.source, utmMedium: e.utm.medium, utmCampaign: e.utm.campaign });
			return json(call);
		},
	},
	{
		name: 'jivo chat',
		weight: 9,
		make: (e) => {
			const payload = fixture('jivo-chat-finished.json');
			const visitor = payload.visitor as Fields;
			payload.chat_id = 100_000 + e.i;
			Object.assign(visitor, { phone: `+7 (${e.ruDigits.slice(0, 3)}) ${e.ruDigits.slice(3, 6)}-${e.ruDigits.slice(6, 8)}-${e.ruDigits.slice(8)}`, email: ` Visitor.${e.i}@Example.COM ` });
			const messages = (payload.chat as Fields).messages as Fields[];
			messages.forEach((message, k) => (message.timestamp = e.unix + k * 40));
			(payload.session as Fields).utm_json = { ...e.utm, content: '', term: '' };
			return json(payload);
		},
	},
	{
		name: 'jivo offline message',
		weight: 3,
		make: (e) => {
			const payload = fixture('jivo-offline-message.json');
			payload.offline_message_id = `om-${e.i}`;
			Object.assign(payload.visitor as Fields, { phone: `8${e.ruDigits}`, email: `offline.${e.i}@example.ru` });
			return json(payload);
		},
	},
	{
		name: 'site form (Tilda)',
		weight: 14,
		make: (e) => {
			const payload = fixture('form-tilda.json');
			Object.assign(payload, { Phone: `+7 (${e.ruDigits.slice(0, 3)}) ${e.ruDigits.slice(3, 6)}-${e.ruDigits.slice(6, 8)}-${e.ruDigits.slice(8)}`, Email: e.random() < 0.5 ? `Client.${e.i}@Mail.ru` : '', tranid: `${1_000_000 + e.i}:${e.unix}` });
			Object.assign(payload, { COOKIES: `_ga=${e.ga}; _ym_uid=${e.ym}; _ga_ABCDEF1234=GS1.1.${e.unix}.5.1.${e.unix + 100}.0.0.0`, utm_source: e.utm.source, utm_medium: e.utm.medium, utm_campaign: e.utm.campaign });
			return json(payload);
		},
	},
	{
		name: 'site cart (Tilda)',
		weight: 12,
		make: (e) => {
			const payload = fixture('cart-tilda.json');
			const channel = e.utm.source ? `?utm_source=${e.utm.source}&utm_medium=${e.utm.medium}&utm_campaign=${e.utm.campaign}` : '';
			Object.assign(payload, { Phone: `8${e.ruDigits}`, Email: `buyer.${e.i}@example.ru`, tranid: `${2_000_000 + e.i}:${e.unix}`, page_url: `https://shop.ru/cart${channel}` });
			Object.assign(payload.payment as Fields, { orderid: String(1_800_000_000 + e.i), amount: String(1_000 + (e.i % 90) * 500) });
			payload.COOKIES = `_ga=${e.ga}; _ga_XYZ987QWE=GS2.1.s${e.unix}$o3$g1$t${e.unix + 200}$j0$l0$h0; _ym_uid=${e.ym}`;
			return json(payload);
		},
	},
	{
		name: 'site form (own JSON)',
		weight: 9,
		make: (e) => {
			const payload = fixture('form-nested.json');
			Object.assign(payload.contact as Fields, { phone: `0${e.uaLocal.slice(1)}`, email: `Client.${e.i}@Ukr.Net` });
			payload.utm = e.utm;
			payload.cookies = { _ga: e.ga, _ym_uid: e.ym };
			payload.created_at = new Date(e.unix * 1000).toISOString();
			payload.order = { id: `L-${e.i}` };
			return json(payload);
		},
	},
];

/**
 * `count` deliveries to the touch intake webhook, one distinct event each, in the senders' mix, deterministic for a
 * seed. Each post's touchIds are what the Touchpoint node makes of it (its own parser, Moscow time, its defaults), so
 * a store keyed on touchId must end with exactly these ids.
 */
export function intakePosts(count: number, seed: number): IntakePost[] {
	const random = prng(seed);
	const total = SENDERS.reduce((sum, sender) => sum + sender.weight, 0);
	const ctx = testContext({ receivedAt: new Date().toISOString() });
	const posts: IntakePost[] = [];
	for (let i = 0; i < count; i++) {
		let pick = random() * total;
		const sender = SENDERS.find((candidate) => (pick -= candidate.weight) < 0) ?? SENDERS[SENDERS.length - 1];
		const made = sender.make(eventOf(i, random));
		const touchIds = parseTouches(made.body, 'auto', ctx).touches.map((touch) => touch.touchId);
		if (touchIds.length === 0) throw new Error(`the ${sender.name} payload ${i} makes no touch: ${made.body.slice(0, 200)}`);
		posts.push({ sender: sender.name, ...made, touchIds });
	}
	return posts;
}
