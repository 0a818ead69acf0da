import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PipelineStack } from '#infra/stack.js';
import {
  acknowledgements,
  logicalIdOf,
  NAG_PACKS,
  type NagPackName,
  nagFindings,
  type SynthesizedPipeline,
  synthPipeline,
} from './synth.js';

type Resource = { Properties: Record<string, unknown>; DeletionPolicy?: string };

// One synth of the throw-away deployment, shared by every test in this file.
let synth: SynthesizedPipeline;
let stack: PipelineStack;
let template: Template;
beforeAll(() => {
  synth = synthPipeline('dev');
  ({ stack, template } = synth);
});

describe('dev deployment', () => {
  it('can be torn down: data is deleted and the table is not protected', () => {
    const resources = template.toJSON().Resources as Record<string, Resource>;
    const { uploads, reports, accessLogs, table, dataKey, reportsKey } = stack;
    const { webApp, signIn } = stack;
    const stateful = [uploads, reports, accessLogs, stack.reportsSite.logs, webApp.bucket, table, dataKey, reportsKey];
    for (const construct of [...stateful, signIn.userPool]) {
      expect(resources[logicalIdOf(construct)]?.DeletionPolicy).toBe('Delete');
    }
    expect(resources[logicalIdOf(stack.table)]?.Properties.DeletionProtectionEnabled).toBe(false);
    // Five buckets empty themselves first: uploads, reports, access logs, CloudFront's logs, the web app.
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 5);
  });

  it('keeps logs two weeks, including those of the functions CDK adds to empty buckets', () => {
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup')) as Resource[];
    for (const group of groups) expect(group.Properties.RetentionInDays).toBe(14);
    const functions = Object.values(template.findResources('AWS::Lambda::Function')) as Resource[];
    expect(functions.length).toBeGreaterThanOrEqual(3);
    for (const fn of functions) expect(fn.Properties.LoggingConfig).toHaveProperty('LogGroup');
  });

  it('keeps no AWS Backup plan: the deployment relies on point-in-time recovery, and says so', () => {
    template.resourceCountIs('AWS::Backup::BackupPlan', 0);
    template.resourceCountIs('AWS::Backup::BackupVault', 0);
    const onTable = acknowledgements(synth.app).filter(({ path }) => path === stack.table.node.path);
    expect(onTable.map(({ id }) => id)).toEqual(['NIST.800.53.R5-DynamoDBInBackupPlan']);
  });

  it.each(Object.keys(NAG_PACKS) as NagPackName[])('reports no unacknowledged %s errors or warnings', (pack) => {
    const findings = nagFindings(synth.app, pack);
    if (findings.length > 0) console.error(`${pack} findings:\n${findings.join('\n')}`);
    expect(findings).toEqual([]);
  });
});
