import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // s3rver's ListObjectsV2 continuation tokens use a cipher OpenSSL 3 only offers with the legacy provider.
    execArgv: ['--openssl-legacy-provider'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Handlers log JSON lines for CloudWatch; in test output only warnings and errors help.
    env: { POWERTOOLS_LOG_LEVEL: 'WARN' },
  },
});
