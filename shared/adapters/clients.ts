/** AWS SDK clients for Lambda (from the environment) or for the embedded local stack (explicit endpoints). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface Clients {
  ddb: DynamoDBDocumentClient;
  s3: S3Client;
}

export interface LocalEndpoints {
  dynamodb: string;
  s3: string;
}

/** The keys the embedded stack accepts: random for each start of it (local/src/emulator-guard.mjs). */
export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/**
 * Attempts the SDK makes at a DynamoDB call before it gives up. Its retry strategy is the only retry of a
 * throttled call (batch-writer.ts retries only unprocessed items), so it is given more than its default 3:
 * a bulk ingest can be throttled for a while, and the SDK's backoff grows with each attempt.
 */
const DYNAMODB_MAX_ATTEMPTS = 10;

/** Clients as Lambda builds them: region and credentials from the environment. */
export function awsClients(): Clients {
  return { ddb: documentClient(new DynamoDBClient({ maxAttempts: DYNAMODB_MAX_ATTEMPTS })), s3: new S3Client({}) };
}

/**
 * Clients for the embedded DynamoDB and S3, signing with the keys of the stack's run (see docs/runtime.md
 * for why checksums are off and paths are forced).
 */
export function localClients(endpoints: LocalEndpoints, credentials: LocalCredentials): Clients {
  const region = 'us-east-1';
  return {
    ddb: documentClient(new DynamoDBClient({ endpoint: endpoints.dynamodb, region, credentials, maxAttempts: 5 })),
    s3: new S3Client({
      endpoint: endpoints.s3,
      region,
      credentials,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  };
}
