/**
 * The editor test: the real n8n editor in headless Chromium (Debian's `chromium`, scripts/install-chromium.sh) driven
 * by playwright-core. Needs the pinned n8n (scripts/install-n8n.sh) and a built pack (npm run build). Run with
 * `npx jest --ci --config test/editor/jest.editor.config.js --runInBand`.
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	rootDir: '../..',
	roots: ['<rootDir>/test/editor'],
	testMatch: ['**/*.e2e.test.ts'],
	testTimeout: 600000,
};
