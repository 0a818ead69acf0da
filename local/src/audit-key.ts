/**
 * The local keyed hash of person ids for erasure audit records: HMAC-SHA256 with a secret kept in
 * the state folder (in AWS, a KMS HMAC key). Without the secret, nobody can tell whose erasure a
 * record is by hashing guessed ids; with it, ingest can tell that an upload names someone erased.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function localKeyedHash(stateDir: string): (personId: string) => Promise<string> {
  const path = join(stateDir, 'audit-hmac.key');
  if (!existsSync(path)) writeFileSync(path, randomBytes(32), { mode: 0o600 });
  const secret = readFileSync(path);
  return async (personId) => createHmac('sha256', secret).update(personId.normalize('NFC')).digest('hex');
}
