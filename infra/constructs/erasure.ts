/**
 * The erasure function and what it may touch: an administrator invokes it with person ids
 * (docs/operations.md). It rewrites uploads without the person, deletes their items and the
 * earlier versions that held them, regenerates the exports, and keeps an audit record whose
 * hash comes from a KMS HMAC key it can use but never read.
 */
import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ADMIN_PREFIX, RECEIPTS_PREFIX, UPLOAD_PREFIXES } from '#adapters/table-design.js';
import { NamedUsersKey } from './named-users-key.js';
import type { PipelineFunction } from './pipeline-function.js';
import { grantTableItems } from './table-grants.js';

/** What erasure does to the table: read a person and the sources, run the jobs, delete and write items. */
export const ERASE_TABLE_ACTIONS = [
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
];

export interface ErasureProps {
  /** Builds the function in `scope` with the stack's defaults (log group, role, limits). */
  readonly makeFunction: (scope: Construct, environment: Record<string, string>) => PipelineFunction;
  readonly table: dynamodb.ITable;
  readonly uploads: s3.Bucket;
  readonly dataKey: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
  /** Functions that may compute the audit hash too (ingest, for its receipts' warnings). */
  readonly warnOfErasedIn?: readonly PipelineFunction[];
}

export class Erasure extends Construct {
  readonly function: PipelineFunction;
  readonly auditKey: kms.Key;

  constructor(scope: Construct, id: string, props: ErasureProps) {
    super(scope, id);
    this.auditKey = new NamedUsersKey(this, 'AuditHashKey', {
      description: 'HMAC key for the erasure audit record: hashes person ids so the record holds no personal data',
      keySpec: kms.KeySpec.HMAC_256,
      keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: props.removalPolicy,
      pendingWindow: Duration.days(30),
    });
    this.function = props.makeFunction(this, { AUDIT_KEY_ID: this.auditKey.keyArn });
    // Ingest hashes the ids an upload names to warn that someone erased is named again.
    for (const fn of props.warnOfErasedIn ?? []) {
      fn.function.addEnvironment('AUDIT_KEY_ID', this.auditKey.keyArn);
      this.auditKey.grant(fn.role, 'kms:GenerateMac');
    }
    const role = this.function.role;
    this.auditKey.grant(role, 'kms:GenerateMac');
    grantTableItems(role, props.table, ERASE_TABLE_ACTIONS, { sourceIndex: true });
    props.dataKey.grant(role, 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt', 'kms:DescribeKey');
    const objects = (prefixes: readonly string[]) => prefixes.map((p) => props.uploads.arnForObjects(`${p}*`));
    const bucketId = Stack.of(this).getLogicalId(props.uploads.node.defaultChild as s3.CfnBucket);
    for (const prefix of [...UPLOAD_PREFIXES, RECEIPTS_PREFIX, ADMIN_PREFIX]) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`,
        reason: `Erasure rewrites whichever objects under ${prefix} hold the person, named only at run time; the wildcard is limited to that one prefix of the uploads bucket.`,
      });
    }
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RewriteUploadsAndExports',
        // Uploads are rewritten without the person; receipts scrubbed; exports regenerated; earlier versions deleted.
        actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObjectVersion'],
        resources: objects([...UPLOAD_PREFIXES, RECEIPTS_PREFIX, ADMIN_PREFIX]),
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ListUploadsAndVersions',
        actions: ['s3:ListBucket', 's3:ListBucketVersions'],
        resources: [props.uploads.bucketArn],
        conditions: {
          StringLike: { 's3:prefix': [...UPLOAD_PREFIXES, RECEIPTS_PREFIX, ADMIN_PREFIX].map((p) => `${p}*`) },
        },
      }),
    );
  }
}
