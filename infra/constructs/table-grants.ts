/** Table permissions on the table itself, and on the source index only for the roles that replace or withdraw sources. */
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SOURCE_INDEX } from '#adapters/dynamo/codecs.js';

/**
 * `Table.grant` also grants every action on every index (`<table>/index/*`); here the actions apply
 * to the table only, and `sourceIndex` adds Query on the one index that finds a source's items.
 */
export function grantTableItems(
  role: iam.IRole,
  table: dynamodb.ITable,
  actions: readonly string[],
  options: { sourceIndex?: boolean } = {},
): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...actions], resources: [table.tableArn] }));
  if (options.sourceIndex) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${table.tableArn}/index/${SOURCE_INDEX.name}`],
      }),
    );
  }
}

/** What each function may do to the table: item actions only, never table administration. */
const TABLE_ACTIONS = {
  // no Scan; a change noted as pending until its messages are sent (PutItem, DeleteItem)
  ingest: ['BatchWriteItem', 'BatchGetItem', 'PutItem', 'GetItem', 'Query', 'UpdateItem', 'DeleteItem'],
  // read everyone (Scan) or a few people (Query, GetItem), write evaluations and summaries and the
  // trainings kept for the renewal job (PutItem), lease the export (UpdateItem), let go of the refresh
  // messages it summarised and set the kept trainings aside (DeleteItem)
  evaluate: ['Scan', 'Query', 'GetItem', 'BatchWriteItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
  // read everyone (the index by Scan, people by Query) or the endorsees' summaries (Query of SUMMARY#<shard>,
  // the kept trainings and the runs' state by GetItem), write renewal records (BatchWriteItem: a status
  // removed too), summaries and fact caches, record the summaries' run (PutItem) and the facts
  // generation it read (GetItem, UpdateItem)
  renewals: ['Scan', 'Query', 'GetItem', 'BatchWriteItem', 'PutItem', 'UpdateItem'],
  // read only: the summaries and their runs (Query, GetItem), or the rows (Scan, Query)
  reports: ['Scan', 'Query', 'GetItem'],
};
export const tableActions = (job: keyof typeof TABLE_ACTIONS) =>
  TABLE_ACTIONS[job].map((action) => `dynamodb:${action}`);
// The data key operations of a function that reads and writes items and objects: Decrypt to read,
// GenerateDataKey to write objects, Encrypt and DescribeKey for DynamoDB's encryption on the caller's behalf.
export const DATA_READ_WRITE = ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt', 'kms:DescribeKey'];
/** Why a grant on the objects under a prefix needs a wildcard: the run names them. */
export const NAMED_BY_RUN = 'are named by the run that writes them';
// The large exports are streamed in parts (a multipart upload), which a failed run aborts.
export const WRITE_EXPORT = ['s3:PutObject', 's3:AbortMultipartUpload'];
// An evaluation of a few people reads the exports it changes (admin/eligibility.csv, the manifest);
// the evaluation and the renewals of everyone read back their parts of the exports and delete them once
// put together (the renewals from summaries merge one sorted part per summary shard).
export const CHANGE_EXPORT = ['s3:GetObject', 's3:DeleteObject', ...WRITE_EXPORT];
