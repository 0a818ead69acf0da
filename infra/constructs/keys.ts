import { ArnFormat, type CfnResource, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { NamedUsersKey } from './named-users-key.js';

export interface KeysProps {
  readonly deployment: string;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The customer-managed keys, one per kind of thing they encrypt, so that a service allowed to use one
 * (S3 and CloudWatch for messages, CloudWatch Logs for logs, CloudFront for the published reports) can
 * decrypt nothing else.
 *
 * Each key's policy names its users (NamedUsersKey): the account administers the keys but cannot use
 * them; each grant names the role or service that may.
 *
 * A replaced key takes with it everything encrypted under it, so each key keeps the logical ID it had
 * before this construct existed (`DataKey`, `MessagingKey`, `LogsKey`; `ReportsKey` since it was added)
 * wherever the construct sits.
 */
export class Keys extends Construct {
  /** Encrypts data at rest: the uploads bucket and the table. */
  readonly data: kms.Key;
  /** Encrypts messages: the queues and the alarm topic. */
  readonly messaging: kms.Key;
  /** Encrypts the CloudWatch log groups (function logs may quote data). */
  readonly logs: kms.Key;
  /** Encrypts the reports bucket: the published reports, which the reports site's CloudFront distribution decrypts. */
  readonly reports: kms.Key;
  /**
   * The reports key named by its alias ARN, which needs no reference to the key: the reports bucket is
   * encrypted through it, so that the key's policy can name the CloudFront distribution that reads the
   * bucket (reports-site.ts) without a dependency cycle (key policy -> distribution -> bucket -> key).
   */
  readonly reportsByAlias: kms.IAlias;

  constructor(scope: Construct, id: string, props: KeysProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const key = (logicalId: string, alias: string, encrypts: string) => {
      const created = new NamedUsersKey(this, logicalId, {
        description: `Encrypts the IECMH endorsement pipeline's ${encrypts} (${props.deployment})`,
        alias: `alias/${stack.stackName}-${alias}`,
        enableKeyRotation: true,
        removalPolicy: props.removalPolicy,
      });
      (created.node.defaultChild as CfnResource).overrideLogicalId(logicalId);
      return created;
    };
    this.data = key('DataKey', 'data', 'uploads bucket and table');
    // S3 and CloudWatch must be allowed to use the key of the messages they send, and those grants belong on
    // a key that cannot decrypt the data. (With one key, the grant to S3 that names the uploads bucket would
    // also make the key and bucket depend on each other.)
    this.messaging = key('MessagingKey', 'messaging', 'queues and alarm topic');
    // CloudWatch Logs must be allowed to use this one, and that belongs on a key that cannot decrypt the data
    // or the messages.
    this.logs = key('LogsKey', 'logs', 'log groups');
    // CloudFront must be allowed to decrypt the published reports (reports-site.ts adds that grant, for its
    // distribution only), and that belongs on a key that encrypts nothing else: not the table, not the uploads.
    this.reports = key('ReportsKey', 'reports', 'published reports');
    this.reportsByAlias = kms.Alias.fromAliasName(this, 'ReportsKeyByAlias', `alias/${stack.stackName}-reports`);
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
