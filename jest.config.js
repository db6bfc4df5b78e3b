/** Unit tests (test/unit) and the fault suites (test/faults). The real-n8n suite has its own config (jest.e2e.config.js). */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/test/unit/**/*.test.ts', '**/test/faults/**/*.test.ts'],
	transform: { '^.+\\.ts$': 'ts-jest' },
	// Jest's default is one worker on a 2-core machine (cores - 1); the suites share nothing, so two run side by side.
	maxWorkers: 2,
};
