import { readFileSync } from 'node:fs';
import { App, type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { expect } from 'vitest';
import { type Deployment, loadConfig } from '#infra/config.js';
import { PipelineStack } from '#infra/stack.js';

// The same feature flags as `cdk synth`, so the tests check the template that would be deployed.
const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

export type ConfigOverrides = Parameters<typeof loadConfig>[1];

export interface SynthesizedPipeline {
  readonly app: App;
  readonly stack: PipelineStack;
  readonly template: Template;
}

/**
 * Synthesizes the real stack for a deployment without bundling (the Lambda code is not built);
 * `overrides` change settings of the deployment's configuration, validated as `loadConfig` does.
 */
export function synthPipeline(deployment: Deployment, overrides: ConfigOverrides = {}): SynthesizedPipeline {
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
  const stack = new PipelineStack(app, 'PipelineUnderTest', { config: loadConfig(deployment, overrides) });
  return { app, stack, template: Template.fromStack(stack) };
}

/** The logical ID a construct's CloudFormation resource has in the template. */
export function logicalIdOf(construct: IConstruct): string {
  // The element's own logicalId honours overrideLogicalId (the keys and the table keep theirs); getLogicalId does not.
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).resolve(element.logicalId) as string;
}

/** The cdk-nag packs `cdk synth` enforces (infra/app.ts), by name. */
export const NAG_PACKS = {
  AwsSolutions: () => new AwsSolutionsChecks(),
  'NIST.800.53.R5': () => new NIST80053R5Checks(),
} as const;
export type NagPackName = keyof typeof NAG_PACKS;

/** Every unacknowledged finding of one pack (errors and warnings), one readable line each. */
export function nagFindings(app: App, pack: NagPackName): string[] {
  const report = NAG_PACKS[pack]().validateScope(app);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map(
      (resource) =>
        `${violation.severity} ${violation.ruleName} at ${resource.constructPath}: ${violation.description}`,
    ),
  );
}

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown; Sid?: string };
type PolicyResource = { Properties: { Roles?: unknown; PolicyDocument: { Statement: Statement[] } } };

/** Every statement of every policy (managed or inline) attached to a role of the template. */
export function statementsOf(template: Template, role: IConstruct): Statement[] {
  const ref = JSON.stringify([{ Ref: logicalIdOf(role) }]);
  const policies = [
    ...Object.values(template.findResources('AWS::IAM::Policy')),
    ...Object.values(template.findResources('AWS::IAM::ManagedPolicy')),
  ] as PolicyResource[];
  return policies
    .filter((policy) => JSON.stringify(policy.Properties.Roles) === ref)
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

/** A role's permissions as sorted "action resource" lines, one per action and resource, for exact comparison. */
export function grantsOf(template: Template, role: IConstruct): string[] {
  return statementsOf(template, role)
    .flatMap((statement) => {
      expect(statement.Effect).toBe('Allow');
      return grantLines([statement.Action].flat(), [statement.Resource].flat());
    })
    .sort();
}

/** "action resource" lines for these actions on these resources (as they appear in the template). */
export function grantLines(actions: readonly string[], resources: readonly unknown[]): string[] {
  return actions.flatMap((action) => resources.map((resource) => `${action} ${JSON.stringify(resource)}`));
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
