#!/usr/bin/env -S node --openssl-legacy-provider
// The local runner. --openssl-legacy-provider lets the embedded S3 (s3rver) use the cipher behind its listing tokens.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// Handlers log JSON lines for CloudWatch; at a terminal only warnings and errors are worth showing.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
// The repository's tsconfig.json (its path aliases, #core/...) wherever the command is run from.
register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
await import('../src/cli.ts');
