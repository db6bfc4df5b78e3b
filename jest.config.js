/** Unit tests (test/unit) and the fault suites (test/faults). The real-n8n suite has its own config (jest.e2e.config.js). */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/test/unit/**/*.test.ts', '**/test/faults/**/*.test.ts'],
	transform: { '^.+\\.ts$': 'ts-jest' },
};
