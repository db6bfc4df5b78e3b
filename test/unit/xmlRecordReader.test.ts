import { InputDataError } from '../../nodes/shared/errors';
import { parseRecordPaths, XmlRecordReader, type XmlValue } from '../../nodes/CrmXmlImport/xml/XmlRecordReader';

function read(xml: string, path = 'root/rec', chunk = xml.length, maxDepth = 64): XmlValue[] {
	const records: XmlValue[] = [];
	const reader = new XmlRecordReader({ recordPaths: parseRecordPaths(path), maxDepth, onRecord: (r) => records.push(r) });
	for (let i = 0; i < xml.length; i += chunk) reader.write(xml.slice(i, i + chunk));
	reader.end();
	return records;
}

function failure(xml: string, path = 'root/rec'): InputDataError {
	try {
		read(xml, path);
	} catch (error) {
		expect(error).toBeInstanceOf(InputDataError);
		return error as InputDataError;
	}
	throw new Error('expected the XML to be refused');
}

const DOC = `<?xml version="1.0"?>
<!-- export -->
<root a="1">
  <meta>skip me</meta>
  <rec id="7" kind='x &amp; y'>
    <name>Tom &lt;&amp;&gt; &#1046;&#x416;</name>
    <tag>a</tag><tag>b</tag>
    <empty/>
    <note><![CDATA[<b>raw</b> & more]]></note>
    <price cur="RUB">10.50</price>
  </rec>
  <rec id="8"><name>Second</name></rec>
</root>`;

describe('XmlRecordReader', () => {
	it('builds records with attributes, repeated children, entities and CDATA', () => {
		const records = read(DOC);
		expect(records).toEqual([
			{
				'@id': '7',
				'@kind': 'x & y',
				name: 'Tom <&> ЖЖ',
				tag: ['a', 'b'],
				empty: '',
				note: '<b>raw</b> & more',
				price: { '@cur': 'RUB', '#text': '10.50' },
			},
			{ '@id': '8', name: 'Second' },
		]);
	});

	it('gives the same records whatever the chunk boundaries', () => {
		const whole = read(DOC);
		for (const size of [1, 2, 3, 7, 13, 64]) expect(read(DOC, 'root/rec', size)).toEqual(whole);
	});

	it('matches records at any depth with //, by local name, with alternatives', () => {
		const xml = '<a xmlns:x="urn:x"><b><x:rec>1</x:rec></b><c><rec>2</rec></c></a>';
		expect(read(xml, '//rec')).toEqual(['1', '2']);
		expect(read(xml, 'a/b/rec | a/c/rec')).toEqual(['1', '2']);
		expect(read(xml, 'a/c/rec')).toEqual(['2']);
	});

	it('accepts an empty root as zero records', () => {
		expect(read('<root>\n</root>\n')).toEqual([]);
	});

	it.each([
		['a truncated file', '<root><rec><name>Tom</name>', /ends while <rec>.*truncated.*line 1, column 28/],
		['a file cut inside a tag', '<root><rec><na', /ends inside a tag/],
		['a mismatched end tag', '<root>\n<rec><a></b></rec></root>', /found <\/b> where <\/a> was expected \(line 2, column 9\)/],
		['an undefined entity', '<root><rec>&nbsp;</rec></root>', /entity &nbsp; is not defined/],
		['a bare ampersand', '<root><rec>Tom & Jerry</rec></root>', /"&" is not part of an entity/],
		['a DOCTYPE with entities (billion laughs)', '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><root>&lol2;</root>', /internal subset/],
		['an external entity (XXE)', '<!DOCTYPE root SYSTEM "file:///etc/passwd"><root/>', /external DTD/],
		['an HTML page', '<!DOCTYPE html><html><body>Login</body></html>', /HTML page/],
		['an HTML page without doctype', '<html><body>502 Bad Gateway</body></html>', /HTML page/],
		['JSON', '{"orders": []}', /not an XML file/],
		['an empty file', '', /no XML root element/],
		['two roots', '<root/><root/>', /second root element/],
		['text after the root', '<root/>junk', /text stands after the root/],
		['an unquoted attribute', '<root a=1/>', /not quoted/],
		['a duplicate attribute', '<root a="1" a="2"/>', /attribute "a" twice/],
		['a late XML declaration', '<root/><?xml version="1.0"?>', /XML declaration/],
		['a control character in text', '<root><rec>a\u0001b</rec></root>', /the character U\+0001 is not allowed in XML \(line 1, column 13\)/],
		['a control character outside records', '<root><meta>\u000b</meta></root>', /U\+000B/],
		['a reference to a control character', '<root><rec>&#1;</rec></root>', /&#1; is not a valid character/],
		['an XHTML page (DOCTYPE PUBLIC)', '<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><html/>', /HTML page/],
		['an unclosed CDATA section', '<root>\n<rec><![CDATA[abc</rec></root>', /ends inside a CDATA section that starts here.*line 2, column 6/],
		['an unclosed comment', '<root><!-- x </root>', /ends inside a comment that starts here.*line 1, column 7/],
	])('refuses %s with a clear message', (_what, xml, message) => {
		expect(failure(xml).message).toMatch(message);
	});

	it('accepts tab, carriage return and line feed in text', () => {
		expect(read('<root><rec>a\tb\r\nc</rec></root>')).toEqual(['a\tb\r\nc']);
	});

	it('refuses a CDATA section that never ends once it passes 8 M characters, not at the end of the file', () => {
		const reader = new XmlRecordReader({ recordPaths: parseRecordPaths('root/rec'), maxDepth: 64, onRecord: () => undefined });
		reader.write('<root>\n<rec><![CDATA[');
		const chunk = 'x'.repeat(65536);
		expect(() => {
			for (let i = 0; i < 200; i++) reader.write(chunk);
		}).toThrow(/a CDATA section that starts here runs on for more than 8 M characters.*line 2, column 6/);
	});

	it('refuses nesting deeper than the limit', () => {
		const deep = '<root>' + '<a>'.repeat(200) + '</a>'.repeat(200) + '</root>';
		expect(() => read(deep, 'root/rec', deep.length, 64)).toThrow(/nested deeper than 64/);
	});

	it('reports the line and column across chunks', () => {
		const xml = '<root>\n' + '<rec>ok</rec>\n'.repeat(50) + '<rec>&bad;</rec></root>';
		for (const size of [5, 64, xml.length]) {
			expect(() => read(xml, 'root/rec', size)).toThrow(/line 52, column 6/);
		}
	});

	it('refuses an invalid record path', () => {
		expect(() => parseRecordPaths('')).toThrow(/empty/);
		expect(() => parseRecordPaths('a//b')).toThrow(/not valid/);
	});
});
