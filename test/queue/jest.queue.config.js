/**
 * The queue-mode suite: n8n main + 2 workers on Redis and Postgres started by the suite itself (test/queue/queueN8n.ts;
 * Debian's redis-server and postgresql from scripts/install-queue-env.sh, the pinned n8n from scripts/install-n8n.sh).
 * Run with `npm run test:queue`.
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	rootDir: '../..',
	roots: ['<rootDir>/test/queue'],
	testMatch: ['**/*.e2e.test.ts'],
	testTimeout: 600000,
};
