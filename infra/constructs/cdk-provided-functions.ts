import { CfnResource, type Stack, Validations } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { type FunctionDefaults, PipelineFunction } from './pipeline-function.js';

/**
 * CDK adds its own singleton functions (S3 notification configuration; emptying buckets in destroyable
 * deployments). Their code and roles are not ours to change, but their logs get a retention period, and
 * the one finding about them is acknowledged on them alone. Call it last, once every construct that adds
 * one exists.
 */
export function configureCdkProvidedFunctions(stack: Stack, defaults: FunctionDefaults, uploads: s3.Bucket): void {
  const ours = new Set<IConstruct>(
    stack.node
      .findAll()
      .filter((c): c is PipelineFunction => c instanceof PipelineFunction)
      .map((c) => c.function.node.defaultChild as IConstruct),
  );
  const cdkProvided = stack.node
    .findAll()
    .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::Lambda::Function')
    .filter((c) => !ours.has(c));
  if (cdkProvided.length > 0) {
    const logGroup = new logs.LogGroup(stack, 'CdkProvidedFunctionsLogGroup', {
      retention: defaults.logRetention,
      encryptionKey: defaults.logsKey,
      removalPolicy: defaults.removalPolicy,
    });
    for (const fn of cdkProvided) {
      fn.addPropertyOverride('LoggingConfig.LogGroup', logGroup.logGroupName);
    }
  }

  const notificationsHandler = stack.node.children.find((child) =>
    child.node.id.startsWith('BucketNotificationsHandler'),
  );
  if (notificationsHandler) {
    Validations.of(notificationsHandler).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'CDK-provided function that applies the uploads bucket notification configuration during deployment; aws-cdk-lib creates its role, so it cannot be given explicit log permissions.',
    });
  }
  // The bucket's notification construct attaches its s3:PutBucketNotification grant to that role inline.
  const notifications = uploads.node.tryFindChild('Notifications');
  if (notifications) {
    Validations.of(notifications).acknowledge({
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason:
        'aws-cdk-lib attaches this inline policy (s3:PutBucketNotification on the uploads bucket only) to the role of its own notification-configuration function; the policy is not ours to turn into a managed one.',
    });
  }
}
