import { type CfnResource, Duration, type RemovalPolicy, TimeZone, Validations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { SOURCE_INDEX } from '#adapters/dynamo/codecs.js';
import { TABLE_KEYS } from '#adapters/table-design.js';
import type { PipelineConfig } from '../config.js';

export interface PipelineTableProps {
  readonly dataKey: IKey;
  readonly removalPolicy: RemovalPolicy;
  readonly config: Pick<
    PipelineConfig,
    'deployment' | 'tableDeletionProtection' | 'tableBackupRetentionDays' | 'scheduleTimeZone'
  >;
}

/**
 * The single table (key design in shared/adapters/table-design.ts), with point-in-time recovery and, where
 * configured, daily AWS Backup copies.
 *
 * A replaced table or vault loses its data, so both keep the logical IDs they had before this construct
 * existed (`Table`, `BackupVault`).
 */
export class PipelineTable extends Construct {
  readonly table: dynamodb.Table;
  /** Present when the deployment keeps AWS Backup copies of the table. */
  readonly backupPlan?: backup.BackupPlan;

  constructor(scope: Construct, id: string, props: PipelineTableProps) {
    super(scope, id);
    const { config, removalPolicy } = props;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.dataKey,
      deletionProtection: config.tableDeletionProtection,
      removalPolicy,
    });
    (this.table.node.defaultChild as CfnResource).overrideLogicalId('Table');
    // Which items each version of each upload supplied: replacing or withdrawing a file costs its own rows.
    this.table.addGlobalSecondaryIndex({
      indexName: SOURCE_INDEX.name,
      partitionKey: { name: SOURCE_INDEX.partitionKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });

    // Daily copies are kept longer than point-in-time recovery's 35 days and outside the table (so they
    // survive its deletion). A throw-away deployment relies on point-in-time recovery alone.
    const retentionDays = config.tableBackupRetentionDays;
    if (retentionDays === undefined) {
      Validations.of(this.table).acknowledge({
        id: 'NIST.800.53.R5-DynamoDBInBackupPlan',
        reason: `The ${config.deployment} deployment is throw-away (destroyed with the stack); point-in-time recovery covers it, and vault recovery points would block its teardown.`,
      });
      return;
    }
    const vault = new backup.BackupVault(this, 'BackupVault', { encryptionKey: props.dataKey, removalPolicy });
    (vault.node.defaultChild as CfnResource).overrideLogicalId('BackupVault');
    this.backupPlan = new backup.BackupPlan(this, 'BackupPlan', {
      backupVault: vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'DailyTableBackup',
          // Between the nightly reports and the morning renewals.
          scheduleExpression: events.Schedule.cron({ minute: '0', hour: '4' }),
          scheduleExpressionTimezone: TimeZone.of(config.scheduleTimeZone),
          deleteAfter: Duration.days(retentionDays),
        }),
      ],
    });
    const selection = this.backupPlan.addSelection('Table', {
      resources: [backup.BackupResource.fromDynamoDbTable(this.table)],
    });
    Validations.of(selection).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      reason:
        'AWS Backup service role for the table backup selection: the AWS-maintained backup policy is the documented way to let AWS Backup snapshot DynamoDB tables, and the selection names this table only.',
    });
  }
}
