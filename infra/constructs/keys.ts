import { ArnFormat, type CfnResource, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface KeysProps {
  readonly deployment: string;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The customer-managed keys, one per kind of thing they encrypt, so that a service allowed to use one
 * (S3 and CloudWatch for messages, CloudWatch Logs for logs) can decrypt nothing else.
 *
 * A replaced key takes with it everything encrypted under it, so each key keeps the logical ID it had
 * before this construct existed (`DataKey`, `MessagingKey`, `LogsKey`) wherever the construct sits.
 */
export class Keys extends Construct {
  /** Encrypts data at rest: the buckets and the table. */
  readonly data: kms.Key;
  /** Encrypts messages: the queues and the alarm topic. */
  readonly messaging: kms.Key;
  /** Encrypts the CloudWatch log groups (function logs may quote data). */
  readonly logs: kms.Key;

  constructor(scope: Construct, id: string, props: KeysProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const key = (logicalId: string, alias: string, encrypts: string) => {
      const created = new kms.Key(this, logicalId, {
        description: `Encrypts the IECMH endorsement pipeline's ${encrypts} (${props.deployment})`,
        alias: `alias/${stack.stackName}-${alias}`,
        enableKeyRotation: true,
        removalPolicy: props.removalPolicy,
      });
      (created.node.defaultChild as CfnResource).overrideLogicalId(logicalId);
      return created;
    };
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
