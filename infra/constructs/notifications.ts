/**
 * Emails to administrators (docs/operations.md, "Emails"): the SES identity of the configured sender,
 * the right to send as that identity and no other for the ingest function (the rejected-rows email)
 * and the weekly digest, and the digest itself: a ScheduledJob that reads the stored results and
 * keeps its marks in the table.
 */
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { PipelineConfig } from '../config.js';
import type { FunctionDefaults, PipelineFunction } from './pipeline-function.js';
import { ScheduledJob, type ScheduledJobProps } from './scheduled-job.js';
import { DATA_READ_WRITE } from './table-grants.js';

export interface NotificationsProps extends Pick<ScheduledJobProps, 'messagingKey' | 'alarms'> {
  readonly config: PipelineConfig;
  readonly defaults: FunctionDefaults;
  readonly table: dynamodb.ITable;
  /** Encrypts the table: the digest reads results and writes its marks. */
  readonly dataKey: kms.IKey;
  /** Named in the emails as where the receipts and exports are (no access to it is granted here). */
  readonly uploads: s3.IBucket;
  /** Sends the rejected-rows email after ingesting an upload. */
  readonly ingest: PipelineFunction;
  /** The web app's address, named in the emails. */
  readonly appUrl: string;
}

/** What the digest does to the table: read everyone's results and marks, keep its marks and its last run. */
const DIGEST_TABLE_ACTIONS = ['dynamodb:Scan', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem'];

export class Notifications extends Construct {
  /** The sender's address as an SES identity: SES sends from it once someone follows the link it emails there. */
  readonly sender: ses.EmailIdentity;
  readonly digest: ScheduledJob;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    const { config, table } = props;
    const { notifications } = config;
    this.sender = new ses.EmailIdentity(this, 'Sender', {
      identity: ses.Identity.email(notifications.sender.address),
    });
    // What functions/commons/mail.ts reads.
    const environment = {
      MAIL_FROM: notifications.sender.address,
      MAIL_FROM_NAME: notifications.sender.name,
      ADMIN_EMAILS: notifications.administrators.join(','),
      APP_URL: props.appUrl,
      UPLOADS_BUCKET: props.uploads.bucketName,
    };
    this.digest = new ScheduledJob(this, 'Digest', {
      description: 'Weekly digest for administrators',
      schedule: notifications.digest.schedule,
      messagingKey: props.messagingKey,
      alarms: props.alarms,
      deadLetterAlarm: 'A weekly digest could not be delivered or failed after retries',
      config,
      function: {
        handler: 'digest',
        description: 'Weekly digest: newly eligible, newly at risk and lapsing this month, emailed to administrators',
        environment: { TABLE_NAME: table.tableName, ...environment },
        settings: notifications.digest,
        defaults: props.defaults,
      },
    });
    this.digest.function.grantTableItems(table, DIGEST_TABLE_ACTIONS);
    props.dataKey.grant(this.digest.function.role, ...DATA_READ_WRITE);

    for (const [name, value] of Object.entries(environment)) props.ingest.function.addEnvironment(name, value);
    // ses:SendEmail and ses:SendRawEmail (SES v2 checks the latter for raw messages), on this identity only.
    for (const fn of [props.ingest, this.digest.function]) this.sender.grantSendEmail(fn.role);
  }
}
