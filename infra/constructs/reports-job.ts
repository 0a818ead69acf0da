/**
 * The reports job: a ScheduledJob (nightly) that also runs on each new admin/eligibility.csv, reads the
 * table, and publishes the reports, their site index and their PDF to the reports bucket. It owns what
 * it may touch and the HMAC key its release noise is drawn with (docs/domain.md, "Releases and
 * differencing").
 */
import { type CfnResource, Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { Construct } from 'constructs';
import { ELIGIBILITY_KEY, REPORT_PREFIXES, SITE_INDEX_KEY } from '#adapters/table-design.js';
import type { PipelineConfig } from '../config.js';
import { NamedUsersKey } from './named-users-key.js';
import type { FunctionDefaults } from './pipeline-function.js';
import { ScheduledJob, type ScheduledJobProps } from './scheduled-job.js';
import { NAMED_BY_RUN, tableActions } from './table-grants.js';

export interface ReportsJobProps extends Pick<ScheduledJobProps, 'messagingKey' | 'alarms'> {
  readonly config: PipelineConfig;
  readonly defaults: FunctionDefaults;
  readonly removalPolicy: RemovalPolicy;
  /** TABLE_NAME and ASSOCIATION, as every judging function reads them. */
  readonly judging: Record<string, string>;
  readonly table: dynamodb.ITable;
  /** Encrypts the table: the job reads it. */
  readonly dataKey: kms.IKey;
  readonly reports: s3.Bucket;
  readonly reportsKey: kms.IKey;
  /** Its admin/eligibility.csv starts a run (the notification only: no access to its objects). */
  readonly uploads: s3.Bucket;
}

export class ReportsJob extends ScheduledJob {
  /** The release noise's key: an HMAC key the function can use (GenerateMac) but never read. */
  readonly releaseNoiseKey: kms.Key;

  constructor(scope: Construct, id: string, props: ReportsJobProps) {
    const { config } = props;
    super(scope, id, {
      description: 'Nightly report run',
      schedule: config.reports.schedule,
      messagingKey: props.messagingKey,
      alarms: props.alarms,
      deadLetterAlarm: 'A report run could not be delivered or failed after retries',
      config,
      function: {
        handler: 'reports',
        description: 'Builds the policymaker reports from the table into the reports bucket',
        environment: { ...props.judging, REPORTS_BUCKET: props.reports.bucketName },
        settings: config.reports,
        defaults: props.defaults,
        // report.pdf is printed by the headless Chromium inside @sparticuz/chromium: x86_64 only, and read
        // from its package's files at run time, so it and playwright-core are installed, not bundled.
        architecture: lambda.Architecture.X86_64,
        nodeModules: ['@sparticuz/chromium', 'playwright-core'],
      },
    });
    const fn = this.function;
    fn.grantTableItems(props.table, tableActions('reports')); // read only
    fn.grantObjects('WriteReports', ['s3:PutObject'], props.reports, REPORT_PREFIXES, NAMED_BY_RUN);
    // Reading back what was published: latest/'s manifest (the date it holds) and the earlier dated
    // releases' report.json, whose totals the trend repeats (docs/domain.md, "Over time").
    fn.grantListing('ListReports', props.reports, REPORT_PREFIXES);
    fn.grantObjects('ReadReports', ['s3:GetObject'], props.reports, REPORT_PREFIXES);
    // After each run it rewrites the site's index, one key at the bucket's root (publish-site-index.ts).
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteSiteIndex',
        actions: ['s3:PutObject'],
        resources: [props.reports.arnForObjects(SITE_INDEX_KEY)],
      }),
    );
    // Data key: Decrypt and DescribeKey read the table. Reports key: GenerateDataKey writes report objects,
    // Decrypt reads them back.
    props.dataKey.grant(fn.role, 'kms:Decrypt', 'kms:DescribeKey');
    props.reportsKey.grant(fn.role, 'kms:Decrypt', 'kms:GenerateDataKey');

    // A key of its own, not the erasure audit key: this function must not be able to hash person ids.
    // A replaced key would redraw every release's noise, so it keeps its logical ID.
    this.releaseNoiseKey = new NamedUsersKey(this, 'ReleaseNoiseKey', {
      description: 'HMAC key of the release noise: published counts are perturbed under a key no reader holds',
      keySpec: kms.KeySpec.HMAC_256,
      keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: props.removalPolicy,
      pendingWindow: Duration.days(30),
    });
    (this.releaseNoiseKey.node.defaultChild as CfnResource).overrideLogicalId('ReleaseNoiseKey');
    this.releaseNoiseKey.grant(fn.role, 'kms:GenerateMac');
    fn.function.addEnvironment('RELEASE_NOISE_KEY_ID', this.releaseNoiseKey.keyArn);

    // Only the notification reaches the function; it is given no access to the uploads bucket's objects.
    props.uploads.addEventNotification(s3.EventType.OBJECT_CREATED, new LambdaDestination(fn.function), {
      prefix: ELIGIBILITY_KEY,
    });
  }
}
