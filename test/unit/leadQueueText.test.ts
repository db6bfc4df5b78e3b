import { toEpochMs } from '../../nodes/shared/time';
import { parseVolumeM3, parseWeightKg } from '../../nodes/LeadQueue/quantity';
import { findPlace, normalisePlace, placeList, placeMatches } from '../../nodes/LeadQueue/textMatch';
import { EXAMPLE_EASTERN_CITIES } from '../../nodes/LeadQueue/presets';

describe('place names', () => {
	it.each([
		['Санкт-Петербург', 'санкт петербург'],
		['санкт петербург', 'санкт петербург'],
		['САНКТ-ПЕТЕРБУРГ', 'санкт петербург'],
		['  г. Санкт–Петербург ', 'санкт петербург'],
		['г.Новосибирск', 'новосибирск'],
		['город Омск', 'омск'],
		['Орёл', 'орел'],
		['ОРЁЛ', 'орел'],
		['Оре\u0308л', 'орел'],
		['Улан-Удэ', 'улан удэ'],
		['Ростов-на-Дону', 'ростов на дону'],
		['г. Новосибирск, Россия', 'новосибирск россия'],
		['St. Petersburg', 'st petersburg'],
		['г', 'г'],
		['', ''],
	])('normalises "%s" to "%s"', (text, normalised) => {
		expect(normalisePlace(text)).toBe(normalised);
	});

	const list = placeList(['Новосибирск', 'Санкт-Петербург', 'Казахстан', 'Орёл', 'Улан-Удэ'], 'test');

	it.each([
		['Новосибирск', 'Новосибирск'],
		['г. Новосибирск, Россия', 'Новосибирск'],
		['Россия, г. Новосибирск', 'Новосибирск'],
		['САНКТ-ПЕТЕРБУРГ', 'Санкт-Петербург'],
		['санкт петербург', 'Санкт-Петербург'],
		['Санкт.Петербург', 'Санкт-Петербург'],
		['Алматы, Казахстан', 'Казахстан'],
		['орел', 'Орёл'],
		['Улан Удэ, Бурятия', 'Улан-Удэ'],
	])('"%s" matches the entry «%s»', (text, entry) => {
		expect(findPlace(text, list)).toBe(entry);
		expect(placeMatches(text, list)).toBe(true);
	});

	it.each([['Омская область'], ['Новосибирская обл.'], ['Петербург'], ['Санкт'], ['Казахстанская'], [''], [null]])('"%s" matches nothing (whole words only)', (text) => {
		expect(findPlace(text, list)).toBeNull();
		expect(placeMatches(text, list)).toBe(false);
	});

	it('builds a list from client rows, skipping blanks and non-text and keeping the first spelling of a duplicate', () => {
		const rows = placeList(['Омск', ' омск ', '', null, { city: 'x' }, 'г. Томск', 'Нижний Новгород', 42], 'rows');
		expect([...rows.entries.keys()]).toEqual(['омск', 'томск', 'нижний новгород', '42']);
		expect(rows.entries.get('омск')).toBe('Омск');
		expect(rows.maxWords).toBe(2);
		expect(rows.name).toBe('rows');
		expect(placeMatches('Нижний Новгород, Россия', rows)).toBe(true);
		expect(placeMatches('Томск', rows)).toBe(true);
		expect(placeMatches('Нижний Тагил', rows)).toBe(false);
	});

	it('an empty list matches nothing', () => {
		expect(placeMatches('Москва', placeList([]))).toBe(false);
	});

	it('the example eastern list has the client cities and matches hyphenated ones written with spaces', () => {
		const eastern = placeList(EXAMPLE_EASTERN_CITIES, 'eastern');
		expect(eastern.entries.size).toBe(19);
		expect(placeMatches('петропавловск камчатский', eastern)).toBe(true);
		expect(placeMatches('Южно Сахалинск', eastern)).toBe(true);
		expect(placeMatches('Екатеринбург', eastern)).toBe(false);
		expect(placeMatches('Москва', eastern)).toBe(false);
	});
});

describe('weights and volumes', () => {
	it.each<[unknown, number | null]>([
		[1500, 1500],
		[0, 0],
		['1500', 1500],
		['1500 кг', 1500],
		['1500кг', 1500],
		['1500 kg', 1500],
		['1 500 кг', 1500],
		['1\u00a0500 кг', 1500],
		['12 500 000 кг', 12500000],
		['1,5 т', 1500],
		['1.5t', 1500],
		['1.5 T', 1500],
		['1,5 тн.', 1500],
		['2 тонны', 2000],
		['20 тонн', 20000],
		['20,001 т', 20001],
		['0,3 т', 300],
		['300,5 кг', 300.5],
		['99.9', 99.9],
		['1.5 tons', 1500],
		['1,500 кг', 1.5],
		['', null],
		['   ', null],
		[null, null],
		[undefined, null],
	])('reads %p as %p kg', (raw, kg) => {
		expect(parseWeightKg(raw)).toEqual({ value: kg });
	});

	it.each<[unknown, string]>([
		['много', 'много'],
		['-5', '-5'],
		['5 фунтов', '5 фунтов'],
		['1-2 т', '1-2 т'],
		[-1, '-1'],
		[Number.NaN, 'NaN'],
		[{ kg: 5 }, '{"kg":5}'],
	])('%p is not a weight', (raw, written) => {
		expect(parseWeightKg(raw)).toEqual({ invalid: written });
	});

	it.each<[unknown, number | null]>([
		['2,5 м3', 2.5],
		['12 m³', 12],
		['3 куб', 3],
		['500 л', 0.5],
		[7, 7],
		['', null],
	])('reads %p as %p m³', (raw, m3) => {
		expect(parseVolumeM3(raw)).toEqual({ value: m3 });
	});
});

describe('lead times', () => {
	it('reads ISO 8601 with an offset exactly as Date.parse does, for many instants and offsets', () => {
		let seed = 12345;
		const next = () => {
			seed = (seed * 1103515245 + 12345) % 2147483648;
			return seed / 2147483648;
		};
		for (let i = 0; i < 2000; i++) {
			const ms = Math.floor(next() * 4_000_000_000_000) - 1_000_000_000_000;
			const offsetMinutes = Math.floor(next() * 28 - 12) * 60 + (i % 4 === 0 ? 30 : 0);
			const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 23);
			const sign = offsetMinutes < 0 ? '-' : '+';
			const abs = Math.abs(offsetMinutes);
			const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
			const iso = `${i % 2 === 0 ? local : local.slice(0, 19)}${offset}`;
			expect([iso, toEpochMs(iso, 'UTC')]).toEqual([iso, Date.parse(iso)]);
		}
	});

	it.each<[string, number]>([
		['2024-02-29T23:59:59Z', Date.UTC(2024, 1, 29, 23, 59, 59)],
		['2000-02-29T00:00:00+00:00', Date.UTC(2000, 1, 29)],
		['2024-06-03T10:15:00.5+03:00', Date.UTC(2024, 5, 3, 7, 15, 0, 500)],
		['2024-06-03T10:15:00+0300', Date.UTC(2024, 5, 3, 7, 15)],
		['2024-06-03 10:15:00-05:30', Date.UTC(2024, 5, 3, 15, 45)],
		['2024-06-03T10:15+03:00', Date.UTC(2024, 5, 3, 7, 15)],
		['2024-06-03 10:15:00', Date.UTC(2024, 5, 3, 7, 15)],
		['03.06.2024 10:15', Date.UTC(2024, 5, 3, 7, 15)],
	])('reads %s', (text, ms) => {
		expect(toEpochMs(text, 'Europe/Moscow')).toBe(ms);
	});

	it.each([['2024-13-01T10:00:00Z'], ['2023-02-29T10:00:00Z'], ['2024-04-31T10:00:00+03:00'], ['2024-06-03T10:15:00+03:00x'], ['вчера'], ['']])('%s is not a time', (text) => {
		expect(toEpochMs(text, 'UTC')).toBeNaN();
	});

	it('leaves what its fast path refuses to the shared parser, which agrees with Date.parse but for days a month lacks', () => {
		expect(toEpochMs('2024-06-03T24:00:00Z', 'UTC')).toBe(Date.UTC(2024, 5, 4));
	});
});
