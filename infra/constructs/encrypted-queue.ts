import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface EncryptedQueueProps
  extends Omit<sqs.QueueProps, 'encryption' | 'encryptionMasterKey' | 'enforceSSL' | 'removalPolicy'> {
  /** The stack's messaging key: one that cannot decrypt the data, since S3 and CloudWatch must use it too. */
  readonly key: IKey;
  readonly removalPolicy: RemovalPolicy;
}

/** An SQS queue the way this project secures them: encrypted with the messaging key and TLS-only. */
export class EncryptedQueue extends sqs.Queue {
  constructor(scope: Construct, id: string, props: EncryptedQueueProps) {
    const { key, ...queueProps } = props;
    super(scope, id, {
      ...queueProps,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
    });
  }
}

/** A queue where failed messages or runs are parked, kept as long as SQS allows (14 days) for someone to look. */
export class DeadLetterQueue extends EncryptedQueue {
  constructor(scope: Construct, id: string, props: Pick<EncryptedQueueProps, 'key' | 'removalPolicy'>) {
    super(scope, id, { ...props, retentionPeriod: Duration.days(14) });
  }
}
