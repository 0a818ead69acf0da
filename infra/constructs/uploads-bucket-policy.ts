/**
 * The uploads bucket's own policy, on top of each role's grants (docs/threat-model.md): whatever an IAM
 * policy in the account allows, objects are written only under the known prefixes, and the exports
 * (admin/) and receipts (receipts/) only by the pipeline functions that produce them.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { ADMIN_PREFIX, RECEIPTS_PREFIX, UPLOAD_PREFIXES } from '#adapters/table-design.js';

export interface PipelineWriters {
  /** The roles that write admin/: the jobs that export (evaluate, renewals) and erasure, which rewrites exports. */
  readonly exports: readonly iam.IRole[];
  /** The roles that write receipts/: ingest, and erasure, which scrubs them. */
  readonly receipts: readonly iam.IRole[];
}

/** Adds the deny statements to the uploads bucket's policy. */
export function guardUploadsBucket(uploads: s3.Bucket, writers: PipelineWriters): void {
  const objects = (prefixes: readonly string[]) => prefixes.map((prefix) => uploads.arnForObjects(`${prefix}*`));
  uploads.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'WriteOnlyUnderTheKnownPrefixes',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      notResources: objects([...UPLOAD_PREFIXES, ADMIN_PREFIX, RECEIPTS_PREFIX]),
    }),
  );
  const onlyBy = (sid: string, prefix: string, roles: readonly iam.IRole[]) =>
    new iam.PolicyStatement({
      sid,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject', 's3:DeleteObject'],
      resources: objects([prefix]),
      conditions: { ArnNotEquals: { 'aws:PrincipalArn': roles.map((role) => role.roleArn) } },
    });
  uploads.addToResourcePolicy(onlyBy('OnlyThePipelineWritesExports', ADMIN_PREFIX, writers.exports));
  uploads.addToResourcePolicy(onlyBy('OnlyThePipelineWritesReceipts', RECEIPTS_PREFIX, writers.receipts));
}
