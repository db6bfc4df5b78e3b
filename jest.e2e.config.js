/**
 * The real-n8n suite: n8n from .cache/ (scripts/install-n8n.sh), the packed pack installed as a community package;
 * test/load holds the touch intake load test at CI size.
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e', '<rootDir>/test/load'],
	testMatch: ['**/*.e2e.test.ts'],
	testTimeout: 300000,
};
