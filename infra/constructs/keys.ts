import { ArnFormat, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

export interface KeysProps {
  readonly deployment: string;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The customer-managed keys, one per kind of thing they encrypt, so that a service allowed to use one
 * (S3 and CloudWatch for messages, CloudWatch Logs for logs) can decrypt nothing else. Like every part of
 * the stack it builds its resources in `scope` itself, so they keep their logical IDs.
 */
export class Keys {
  /** Encrypts data at rest: the buckets and the table. */
  readonly data: kms.Key;
  /** Encrypts messages: the queues and the alarm topic. */
  readonly messaging: kms.Key;
  /** Encrypts the CloudWatch log groups (function logs may quote data). */
  readonly logs: kms.Key;

  constructor(scope: Construct, props: KeysProps) {
    const stack = Stack.of(scope);
    const key = (id: string, alias: string, encrypts: string) =>
      new kms.Key(scope, id, {
        description: `Encrypts the IECMH endorsement pipeline's ${encrypts} (${props.deployment})`,
        alias: `alias/${stack.stackName}-${alias}`,
        enableKeyRotation: true,
        removalPolicy: props.removalPolicy,
      });
    this.data = key('DataKey', 'data', 'buckets and table');
    // S3 and CloudWatch must be allowed to use the key of the messages they send, and those grants belong on
    // a key that cannot decrypt the data. (With one key, the grant to S3 that names the uploads bucket would
    // also make the key and bucket depend on each other.)
    this.messaging = key('MessagingKey', 'messaging', 'queues and alarm topic');
    // CloudWatch Logs must be allowed to use this one, and that belongs on a key that cannot decrypt the data
    // or the messages.
    this.logs = key('LogsKey', 'logs', 'log groups');
    this.logs.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsForThisAccountsLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
  }
}
