/** The keyed hash of a person id in AWS: an HMAC by a KMS key the functions can use but never read. */
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';

export function kmsKeyedHash(keyId: string, kms = new KMSClient({})): (personId: string) => Promise<string> {
  return async (personId) => {
    const out = await kms.send(
      new GenerateMacCommand({
        KeyId: keyId,
        MacAlgorithm: 'HMAC_SHA_256',
        Message: Buffer.from(personId.normalize('NFC')),
      }),
    );
    return Buffer.from(out.Mac ?? new Uint8Array()).toString('hex');
  };
}
