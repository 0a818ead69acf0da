#!/usr/bin/env -S node --openssl-legacy-provider
// The local runner. --openssl-legacy-provider lets the embedded S3 (s3rver) use the cipher behind its listing tokens.
import { register } from 'tsx/esm/api';

// Handlers log JSON lines for CloudWatch; at a terminal only warnings and errors are worth showing.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
register();
await import('../src/cli.ts');
