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
