import type { IDataObject } from 'n8n-workflow';
import type { Touch } from '../../nodes/shared/contracts';
import { parseTouches } from '../../nodes/Touchpoint/parseTouches';
import { fixtureJson, fixtureText, testContext } from '../fixtures/touches/load';

/** The touches a payload makes, read in Moscow time. */
function touchesOf(payload: unknown): Touch[] {
	return parseTouches(payload, 'auto', testContext()).touches;
}

/** The one touch a payload makes. */
function touchOf(payload: unknown): Touch {
	const touches = touchesOf(payload);
	expect(touches).toHaveLength(1);
	return touches[0];
}

describe('what call trackers say about a call: tags and operator', () => {
	it("Calltouch's calls API: the names of callTags in order, trimmed (a tag's category is its group, not a tag), manager as the operator", () => {
		const touch = touchOf(fixtureJson('calltouch-call-tagged.json'));
		expect([touch.touchId, touch.at, touch.answered, touch.outcome]).toEqual(['calltouch:46728160', '2024-03-06T11:05:00+03:00', true, 'answered']);
		expect(touch.tags).toEqual(['Оформил заказ', 'Доставка', 'Целевой']);
		expect(touch.operator).toBe('Иванова Анна');
	});

	it("UIS: tags[].tag_name and employee_full_name; a template that writes the tags into one text separates them by commas", () => {
		const payload = fixtureJson('uis-call-notification-tagged.json') as IDataObject;
		const touch = touchOf(payload);
		expect([touch.touchId, touch.tags, touch.operator]).toEqual(['uis:3100000002', ['Нет в наличии', 'Консультация'], 'Петров Пётр']);
		expect(touchOf({ ...payload, tags: 'Заказ, Доставка ,, ' }).tags).toEqual(['Заказ', 'Доставка']);
	});

	it('Ringostat: employee_fio, else employee_number', () => {
		const payload = fixtureJson('ringostat-call-employee.json') as IDataObject;
		expect(touchOf(payload).operator).toBe('Олена Коваль');
		expect(touchOf({ ...payload, employee_fio: '' }).operator).toBe('12');
	});

	it('Binotel: employeeData.name, else employeeName (the older flat form), else internalNumber; flat keys and the form body alike', () => {
		expect(touchOf(fixtureJson('binotel-completed-nested.json')).operator).toBe('Менеджер 1');
		expect(touchOf(fixtureJson('binotel-completed-flat.json')).operator).toBe('902');
		expect(touchOf(fixtureText('binotel-completed-form.txt')).operator).toBe('902');
		const details = { generalCallID: '1', startTime: '1709650000', externalNumber: '0671234567', disposition: 'ANSWER', billsec: '30', internalNumber: '901' };
		expect(touchOf({ callDetails: { ...details, employeeName: 'Оператор1' } }).operator).toBe('Оператор1');
	});

	it('Mango Office: to.extension; Zadarma: internal', () => {
		expect(touchOf(fixtureJson('mango-summary-form.json')).operator).toBe('101');
		expect(touchOf(fixtureJson('mango-summary-missed.json')).operator).toBe('101');
		expect(touchOf(fixtureJson('zadarma-notify-end.json')).operator).toBe('100');
	});

	it("Asterisk: the endpoint of the answering leg's dstchannel, of the first leg's on a call no person answered", () => {
		// 16col: 14:02 answered on SIP/101-00000013; 15:10 NO ANSWER on SIP/102-00000015; 15:20 from extension 101
		// (outgoing, skipped); 16:00 answered on SIP/101-00000019
		expect(touchesOf(fixtureText('asterisk-master-16col.csv')).map((touch) => [touch.at, touch.answered, touch.operator])).toEqual([
			['2024-03-05T14:02:11+03:00', true, 'SIP/101'],
			['2024-03-05T15:10:00+03:00', false, 'SIP/102'],
			['2024-03-05T16:00:00+03:00', true, 'SIP/101'],
		]);
		// 18col, second call: SIP/101 rang without an answer, then SIP/102 answered (Dial, 75 s billed)
		expect(touchesOf(fixtureText('asterisk-master-18col.csv')).map((touch) => touch.operator)).toEqual(['SIP/101', 'SIP/102']);
	});

	it('keeps at most 20 tags of at most 100 characters and an operator of at most 100, and says what it cut', () => {
		const tags = Array.from({ length: 25 }, (_, i) => `tag ${i + 1}`);
		tags[2] = 'x'.repeat(150);
		const touch = touchOf({ ...(fixtureJson('uis-call-notification-tagged.json') as IDataObject), tags, employee_full_name: 'П'.repeat(150) });
		expect(touch.tags).toHaveLength(20);
		expect(touch.tags?.[2]).toBe('x'.repeat(100));
		// tags 1..20 kept, 21..25 (five) left out
		expect(touch.tags?.[19]).toBe('tag 20');
		expect(touch.operator).toBe('П'.repeat(100));
		// warnings quote the first 24 characters of a value
		expect(touch.warnings).toEqual([
			`tag "${'x'.repeat(24)}…" has 150 characters: cut to its first 100`,
			'5 more tag(s) after the first 20 are left out',
			`operator "${'П'.repeat(24)}…" has 150 characters: cut to its first 100`,
			'time "2024-03-05 16:10:00" carries no offset: read in Europe/Moscow (the node\'s Time Zone option)',
		]);
	});

	it('leaves the fields out when the sender says nothing of them', () => {
		const form = parseTouches(fixtureJson('form-tilda.json'), 'auto', testContext({ receivedAt: '2024-03-05T20:00:00+03:00' })).touches[0];
		for (const touch of [touchOf(fixtureJson('uis-call-notification.json')), touchOf(fixtureJson('jivo-chat-finished.json')), form]) {
			expect(['tags' in touch, 'operator' in touch]).toEqual([false, false]);
		}
	});

	it('keeps the touchId of an event without an id of its own: the operator is not part of its content', () => {
		// touchIdentity.test.ts works this id out by hand for the line with dstchannel "SIP/101-2"
		const line = (dstchannel: string) =>
			`"","79161234567","74951234567","from-trunk","","SIP/t-1","${dstchannel}","Dial","SIP/101","2024-03-05 10:00:00","2024-03-05 10:00:03","2024-03-05 10:01:03",63,60,"ANSWERED","DOCUMENTATION"\n`;
		const [first] = parseTouches(line('SIP/101-2'), 'asterisk', testContext()).touches;
		const [other] = parseTouches(line('SIP/105-0000001f'), 'asterisk', testContext()).touches;
		expect([first.touchId, first.operator]).toEqual(['asterisk:#f58eac2cdb57fb9b0c6532b67051ad14', 'SIP/101']);
		expect([other.touchId, other.operator]).toEqual(['asterisk:#f58eac2cdb57fb9b0c6532b67051ad14', 'SIP/105']);
	});
});
