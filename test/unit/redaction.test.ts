import { redactSecrets } from '../../nodes/shared/errors';

describe('redactSecrets', () => {
	it('hides a plain secret and its URL-encoded form', () => {
		expect(redactSecrets('key=a+b/c== and a%2Bb%2Fc%3D%3D', ['a+b/c=='])).toBe('key=*** and ***');
	});

	it("hides a Bitrix24 webhook's token where an error page repeats only the request path", () => {
		const page = '<h1>502 Bad Gateway</h1><p>POST /rest/1/k3y9x2w8v7u6t5s4/batch.json</p>';
		expect(redactSecrets(page, ['https://b24-test.bitrix24.ru/rest/1/k3y9x2w8v7u6t5s4/'])).toBe('<h1>502 Bad Gateway</h1><p>POST /rest/1/***/batch.json</p>');
	});

	it("hides a hook address's secret path part and query token, and leaves words and short segments alone", () => {
		const url = 'https://hooks.example.org/hooks/catch/12/Zq81mXv0Lr/?token=tok3n5ecr3tvalue';
		const page = 'GET /hooks/catch/12/Zq81mXv0Lr/?token=tok3n5ecr3tvalue failed';
		expect(redactSecrets(page, [url])).toBe('GET /hooks/catch/12/***/?token=*** failed');
	});

	it('hides a password written in a URL', () => {
		expect(redactSecrets('login as shop:pa55word-x', ['https://shop:pa55word-x@crm.example.org/export.xml'])).toBe('login as shop:***');
	});

	it('leaves a text without the secret as it is, and ignores empty and short secrets', () => {
		expect(redactSecrets('nothing here', ['', undefined, 'ab', 'https://example.org/'])).toBe('nothing here');
	});
});
