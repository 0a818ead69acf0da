import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface SecureBucketProps {
  /**
   * The stack's customer-managed key. Omit it only for the access-log bucket (S3 server access logging
   * cannot deliver to a bucket encrypted with SSE-KMS) or a bucket of public files, saying why
   * (`withoutKeyBecause`); those use SSE-S3.
   */
  readonly encryptionKey?: IKey;
  /** Why a bucket without `encryptionKey` needs none; the default reason is the access-log bucket's. */
  readonly withoutKeyBecause?: string;
  /** Where S3 writes this bucket's server access logs. Omit it only for the access-log bucket itself. */
  readonly serverAccessLogs?: { readonly bucket: s3.IBucket; readonly prefix: string };
  readonly removalPolicy: RemovalPolicy;
  /** How long a replaced or deleted object version is kept. */
  readonly noncurrentVersionExpiration: Duration;
  /** Expire current objects too (access logs); data buckets keep their objects. */
  readonly expiration?: Duration;
}

/** An S3 bucket the way this project secures them: private, TLS-only, encrypted, versioned, with lifecycle rules. */
export class SecureBucket extends s3.Bucket {
  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    const destroy = props.removalPolicy === RemovalPolicy.DESTROY;
    super(scope, id, {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      ...(props.encryptionKey
        ? { encryption: s3.BucketEncryption.KMS, encryptionKey: props.encryptionKey, bucketKeyEnabled: true }
        : { encryption: s3.BucketEncryption.S3_MANAGED }),
      versioned: true,
      ...(props.serverAccessLogs
        ? {
            serverAccessLogsBucket: props.serverAccessLogs.bucket,
            serverAccessLogsPrefix: props.serverAccessLogs.prefix,
          }
        : {}),
      lifecycleRules: [
        {
          id: 'abort-incomplete-multipart-uploads',
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: props.noncurrentVersionExpiration,
          ...(props.expiration ? {} : { expiredObjectDeleteMarker: true }),
        },
        ...(props.expiration ? [{ id: 'expire-objects', expiration: props.expiration }] : []),
      ],
      removalPolicy: props.removalPolicy,
      // A versioned bucket cannot be deleted while it holds objects, so a destroyable one empties itself first.
      autoDeleteObjects: destroy,
    });

    Validations.of(this).acknowledge({
      id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
      reason:
        'Single-region deployment: the bucket is versioned with noncurrent versions kept, TLS-only and retained in production; cross-region replication would need a second region and key that this pipeline does not have.',
    });
    if (!props.encryptionKey) {
      Validations.of(this).acknowledge({
        id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
        reason:
          props.withoutKeyBecause ??
          'S3 server access logging can only deliver to a destination bucket encrypted with SSE-S3 (AES-256), not SSE-KMS; this is the access-log bucket, which holds request logs and no pipeline data.',
      });
    }
  }
}
