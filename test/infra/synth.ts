import { readFileSync } from 'node:fs';
import { App, type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { type Deployment, loadConfig } from '../../infra/config.js';
import { PipelineStack } from '../../infra/stack.js';

// The same feature flags as `cdk synth`, so the tests check the template that would be deployed.
const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

export interface SynthesizedPipeline {
  readonly app: App;
  readonly stack: PipelineStack;
  readonly template: Template;
}

/** Synthesizes the real stack for a deployment without bundling (the Lambda code is not built). */
export function synthPipeline(deployment: Deployment): SynthesizedPipeline {
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
  const stack = new PipelineStack(app, 'PipelineUnderTest', { config: loadConfig(deployment) });
  return { app, stack, template: Template.fromStack(stack) };
}

/** The logical ID a construct's CloudFormation resource has in the template. */
export function logicalIdOf(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);
}

/** Every unacknowledged AwsSolutions finding (errors and warnings), one readable line each. */
export function awsSolutionsFindings(app: App): string[] {
  const report = new AwsSolutionsChecks().validateScope(app);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map(
      (resource) =>
        `${violation.severity} ${violation.ruleName} at ${resource.constructPath}: ${violation.description}`,
    ),
  );
}

export interface RecordedAcknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

/** Every `Validations.of(...).acknowledge(...)` recorded in the construct tree. */
export function acknowledgements(app: App): RecordedAcknowledgement[] {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}
