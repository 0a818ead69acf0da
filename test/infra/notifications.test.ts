/**
 * Emails to administrators in AWS (infra/constructs/notifications.ts): the sender's SES identity, the
 * right to send as it and nothing else for ingest and the digest only, and the weekly digest's schedule.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#infra/config.js';
import type { PipelineStack } from '#infra/stack.js';
import { grantLines, grantsOf, logicalIdOf, statementsOf, synthPipeline } from './synth.js';

const config = loadConfig('prod');
let stack: PipelineStack;
let template: Template;
beforeAll(() => {
  ({ stack, template } = synthPipeline('prod'));
});

const arn = (construct: IConstruct) => ({ 'Fn::GetAtt': [logicalIdOf(construct), 'Arn'] });
const senderArn = () => ({
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
});

describe('the sender', () => {
  it('is an SES identity for the configured address', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: config.notifications.sender.address });
    expect(Object.keys(template.findResources('AWS::SES::EmailIdentity'))).toHaveLength(1);
  });

  it('only ingest and the digest may send mail, and only as the sender', () => {
    type Policy = { Properties: { Roles?: unknown[]; PolicyDocument: { Statement: { Action: unknown }[] } } };
    const policies = [
      ...Object.values(template.findResources('AWS::IAM::Policy')),
      ...Object.values(template.findResources('AWS::IAM::ManagedPolicy')),
    ] as Policy[];
    const sending = policies
      .filter((p) => p.Properties.PolicyDocument.Statement.some((st) => JSON.stringify(st.Action).includes('"ses:')))
      .flatMap((p) => (p.Properties.Roles ?? []).map((r) => (r as { Ref: string }).Ref));
    expect(sending.sort()).toEqual(
      [logicalIdOf(stack.ingest.role), logicalIdOf(stack.notifications.digest.function.role)].sort(),
    );
    for (const role of [stack.ingest.role, stack.notifications.digest.function.role]) {
      const ses = statementsOf(template, role).filter((s) => JSON.stringify(s.Action).includes('ses:'));
      expect(ses.flatMap((s) => [s.Resource].flat())).toEqual([senderArn()]);
      expect(ses.flatMap((s) => [s.Action].flat()).sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
    }
  });
});

describe('the weekly digest', () => {
  it('runs on the configured schedule in the deployment time zone, invoking the digest function', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: config.notifications.digest.schedule,
      ScheduleExpressionTimezone: config.scheduleTimeZone,
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: arn(stack.notifications.digest.function.function), Input: '{}' },
    });
  });

  it('may read and write only table items, use the data key, log, park failed runs and send as the sender', () => {
    const fn = stack.notifications.digest.function;
    const lines = grantsOf(template, fn.role);
    const table = arn(stack.table);
    expect(lines).toEqual(
      expect.arrayContaining([
        ...grantLines(['dynamodb:BatchWriteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Scan'], [table]),
        ...grantLines(['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'], [arn(stack.dataKey)]),
        ...grantLines(['ses:SendEmail', 'ses:SendRawEmail'], [senderArn()]),
        ...grantLines(['sqs:SendMessage'], [arn(stack.notifications.digest.deadLetterQueue)]),
      ]),
    );
    // Nothing on either bucket: the digest reads the table only.
    const text = JSON.stringify(statementsOf(template, fn.role));
    expect(text).not.toContain(logicalIdOf(stack.uploads));
    expect(text).not.toContain(logicalIdOf(stack.reports));
    expect(text).not.toContain('dynamodb:Query');
  });

  it('receives the sender, the administrators and the table', () => {
    const resource = template.toJSON().Resources[logicalIdOf(stack.notifications.digest.function.function)];
    expect(resource.Properties.Environment.Variables).toMatchObject({
      TABLE_NAME: { Ref: logicalIdOf(stack.table) },
      MAIL_FROM: config.notifications.sender.address,
      ADMIN_EMAILS: config.notifications.administrators.join(','),
    });
    expect(resource.Properties.ReservedConcurrentExecutions).toBe(1);
  });
});
