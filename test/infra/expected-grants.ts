/**
 * The exact permissions every function and scheduler role of the stack must have, as the IAM
 * assertions of test/infra/functions.test.ts compare them with the synthesized template.
 */
import type { IConstruct } from 'constructs';
import { ADMIN_PREFIX, RECEIPTS_PREFIX, UPLOAD_PREFIXES } from '#adapters/table-design.js';
import type { PipelineFunction } from '#infra/constructs/pipeline-function.js';
import type { PipelineStack } from '#infra/stack.js';
import { grantLines, logicalIdOf } from './synth.js';

export const arn = (construct: IConstruct) => ({ 'Fn::GetAtt': [logicalIdOf(construct), 'Arn'] });
export const objects = (bucket: IConstruct, prefix: string) => ({ 'Fn::Join': ['', [arn(bucket), `/${prefix}*`]] });

/** Writing to the function's own log group: what every function role starts with. */
function ownLogs(fn: PipelineFunction): string[] {
  const group = logicalIdOf(fn.logGroup);
  const byName = {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':logs:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        ':log-group:',
        { Ref: group },
      ],
    ],
  };
  return grantLines(['logs:CreateLogStream', 'logs:PutLogEvents'], [arn(fn.logGroup), byName]);
}

const CONSUME = [
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
  'sqs:ReceiveMessage',
];
const DATA_KEY_READ_WRITE = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'];

/** Every function and scheduler role, with the exact permissions it must have. */
export function expectedGrants(stack: PipelineStack): [string, IConstruct, string[]][] {
  const { ingest, evaluate, renewals, reportsBuilder, erasure } = stack;
  const web = stack.webApi.functions;
  const messaging = arn(stack.messagingKey);
  const data = arn(stack.dataKey);
  const reportsKey = arn(stack.reportsKey);
  const table = arn(stack.table);
  const sourceIndex = { 'Fn::Join': ['', [table, '/index/bySource']] };
  const sendToDlq = (queue: IConstruct) => [
    ...grantLines(['sqs:SendMessage'], [arn(queue)]),
    ...grantLines(['kms:Decrypt', 'kms:GenerateDataKey'], [messaging]),
  ];
  const invoke = (fn: PipelineFunction) =>
    grantLines(['lambda:InvokeFunction'], [arn(fn.function), { 'Fn::Join': ['', [arn(fn.function), ':*']] }]);
  return [
    [
      'ingest',
      ingest.role,
      [
        ...ownLogs(ingest),
        ...grantLines(CONSUME, [arn(stack.ingestQueue)]),
        ...grantLines(['sqs:SendMessage'], [arn(stack.refreshQueue)]),
        ...grantLines(['kms:Decrypt', 'kms:GenerateDataKey'], [messaging]),
        ...grantLines(
          ['s3:GetObject'],
          [...UPLOAD_PREFIXES, RECEIPTS_PREFIX].sort().map((prefix) => objects(stack.uploads, prefix)),
        ),
        ...grantLines(['s3:ListBucket'], [arn(stack.uploads)]),
        ...grantLines(['s3:PutObject'], [objects(stack.uploads, RECEIPTS_PREFIX)]),
        ...grantLines(
          [
            'dynamodb:BatchGetItem',
            'dynamodb:BatchWriteItem',
            'dynamodb:DeleteItem',
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:Query',
            'dynamodb:UpdateItem',
          ],
          [table],
        ),
        ...grantLines(['dynamodb:Query'], [sourceIndex]),
        ...grantLines(DATA_KEY_READ_WRITE, [data]),
        ...grantLines(['kms:GenerateMac'], [arn(stack.erasure.auditKey)]),
        // The rejected-rows email, sent as the configured sender only (docs/operations.md, "Emails").
        ...grantLines(['ses:SendEmail', 'ses:SendRawEmail'], [senderIdentity(stack)]),
      ],
    ],
    [
      'evaluate',
      evaluate.role,
      [
        ...ownLogs(evaluate),
        ...grantLines(CONSUME, [arn(stack.refreshQueue)]),
        ...grantLines(['kms:Decrypt'], [messaging]),
        ...grantLines(
          [
            'dynamodb:BatchWriteItem',
            'dynamodb:DeleteItem',
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:Query',
            'dynamodb:Scan',
            'dynamodb:UpdateItem',
          ],
          [table],
        ),
        ...grantLines(
          ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:PutObject'],
          [objects(stack.uploads, ADMIN_PREFIX)],
        ),
        ...grantLines(DATA_KEY_READ_WRITE, [data]),
      ],
    ],
    [
      'renewals',
      renewals.role,
      [
        ...ownLogs(renewals),
        ...sendToDlq(stack.renewalsDeadLetterQueue),
        ...grantLines(
          [
            'dynamodb:BatchWriteItem',
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:Query',
            'dynamodb:Scan',
            'dynamodb:UpdateItem',
          ],
          [table],
        ),
        // Its segments' parts of the exports (or its summary shards' sorted parts), read back and deleted
        // once put together (fan-out, or the merge of a run from summaries).
        ...grantLines(
          ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:PutObject'],
          [objects(stack.uploads, ADMIN_PREFIX)],
        ),
        ...grantLines(DATA_KEY_READ_WRITE, [data]),
      ],
    ],
    [
      'reports builder',
      reportsBuilder.role,
      [
        ...ownLogs(reportsBuilder),
        ...sendToDlq(stack.reportsDeadLetterQueue),
        ...grantLines(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'], [table]),
        ...grantLines(
          ['s3:PutObject'],
          ['latest/', 'reports/'].map((prefix) => objects(stack.reports, prefix)),
        ),
        // Reading back latest/'s manifest and the earlier releases the trend repeats.
        ...grantLines(['s3:ListBucket'], [arn(stack.reports)]),
        ...grantLines(
          ['s3:GetObject'],
          ['latest/', 'reports/'].map((prefix) => objects(stack.reports, prefix)),
        ),
        // The site's index, one key at the bucket's root.
        ...grantLines(['s3:PutObject'], [{ 'Fn::Join': ['', [arn(stack.reports), '/index.html']] }]),
        // The table's key to read the table; the reports' own key to write and read back the reports.
        ...grantLines(['kms:Decrypt', 'kms:DescribeKey'], [data]),
        ...grantLines(['kms:Decrypt', 'kms:GenerateDataKey'], [reportsKey]),
        // The release noise's HMAC key (docs/domain.md, "Releases and differencing"): sign only.
        ...grantLines(['kms:GenerateMac'], [{ 'Fn::GetAtt': ['ReleaseNoiseKey', 'Arn'] }]),
      ],
    ],
    [
      'erase',
      erasure.function.role,
      [
        ...ownLogs(erasure.function),
        ...grantLines(['kms:GenerateMac'], [arn(erasure.auditKey)]),
        ...grantLines(
          [
            'dynamodb:BatchGetItem',
            'dynamodb:BatchWriteItem',
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:Query',
            'dynamodb:Scan',
            'dynamodb:UpdateItem',
          ],
          [table],
        ),
        ...grantLines(['dynamodb:Query'], [sourceIndex]),
        ...grantLines(DATA_KEY_READ_WRITE, [data]),
        ...grantLines(
          ['s3:DeleteObjectVersion', 's3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
          [...UPLOAD_PREFIXES, RECEIPTS_PREFIX, ADMIN_PREFIX].map((prefix) => objects(stack.uploads, prefix)),
        ),
        ...grantLines(['s3:ListBucket', 's3:ListBucketVersions'], [arn(stack.uploads)]),
      ],
    ],
    [
      'web reports',
      web.reports.role,
      [
        ...ownLogs(web.reports),
        ...grantLines(['s3:ListBucket'], [arn(stack.reports)]),
        ...grantLines(
          ['s3:GetObject'],
          ['latest/', 'reports/'].map((prefix) => objects(stack.reports, prefix)),
        ),
        ...grantLines(['kms:Decrypt'], [reportsKey]),
      ],
    ],
    [
      'web uploads',
      web.uploads.role,
      [
        ...ownLogs(web.uploads),
        // Sign a POST under a kind's prefix (the browser's upload is authorised as this role), withdraw there.
        ...grantLines(
          ['s3:PutObject'],
          UPLOAD_PREFIXES.map((prefix) => objects(stack.uploads, prefix)),
        ),
        ...grantLines(
          ['s3:DeleteObject'],
          UPLOAD_PREFIXES.map((prefix) => objects(stack.uploads, prefix)),
        ),
        ...grantLines(['s3:GetObject'], [objects(stack.uploads, RECEIPTS_PREFIX)]),
        ...grantLines(['s3:ListBucketVersions'], [arn(stack.uploads)]),
        ...grantLines(['dynamodb:Scan'], [table]),
        ...grantLines(['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'], [data]),
      ],
    ],
    [
      'web exports',
      web.exports.role,
      [
        ...ownLogs(web.exports),
        ...grantLines(['s3:GetObject'], [objects(stack.uploads, ADMIN_PREFIX)]),
        ...grantLines(['kms:Decrypt'], [data]),
      ],
    ],
    [
      'web people',
      web.people.role,
      [
        ...ownLogs(web.people),
        ...grantLines(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'], [table]),
        ...grantLines(['kms:Decrypt', 'kms:DescribeKey'], [data]),
        // The erasure function itself, unqualified: no other function, no version or alias.
        ...grantLines(['lambda:InvokeFunction'], [arn(erasure.function.function)]),
      ],
    ],
    [
      'renewals schedule',
      scheduleRole(stack.renewalsSchedule),
      [...invoke(renewals), ...sendToDlq(stack.renewalsDeadLetterQueue)],
    ],
    [
      'reports schedule',
      scheduleRole(stack.reportsSchedule),
      [...invoke(reportsBuilder), ...sendToDlq(stack.reportsDeadLetterQueue)],
    ],
    [
      // The nightly evaluation is a message on the refresh queue (undelivered: its dead-letter queue).
      'evaluate schedule',
      scheduleRole(stack.evaluateSchedule),
      [
        ...grantLines(['sqs:SendMessage'], [arn(stack.refreshQueue), arn(stack.refreshDeadLetterQueue)]),
        ...grantLines(['kms:Decrypt', 'kms:GenerateDataKey'], [messaging]),
      ],
    ],
  ];
}

/** The ARN of the sender's SES identity: the only one any role may send as. */
function senderIdentity(stack: PipelineStack) {
  return {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':ses:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        ':identity/',
        { Ref: logicalIdOf(stack.notifications.sender) },
      ],
    ],
  };
}

/** The role a schedule's target uses (its ScheduledJob keeps it next to the schedule). */
export function scheduleRole(schedule: IConstruct): IConstruct {
  return (schedule.node.scope as IConstruct).node.findChild('ScheduleRole');
}
