#!/usr/bin/env -S node --openssl-legacy-provider --max-semi-space-size=4
// The local runner. --openssl-legacy-provider lets the embedded S3 (s3rver) use the cipher behind its listing tokens;
// a 4 MB young generation keeps the runner's memory near its live data (more frequent, cheaper scavenges).
import { register } from 'tsx/esm/api';

// Handlers log JSON lines for CloudWatch; at a terminal only warnings and errors are worth showing.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
register();
await import('../src/cli.ts');
