import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * An IAM role whose grants all go to one customer-managed policy attached to it alone, instead of an inline
 * default policy: NIST 800-53 (AC-2, AC-3, AC-6) asks for no inline policies, so every permission is in a
 * versioned policy document that can be reviewed on its own. Grants (`bucket.grantX(role)`,
 * `role.addToPrincipalPolicy`, event sources, ...) work unchanged.
 */
export class ManagedPolicyRole extends iam.Role {
  /** The one policy holding this role's permissions. */
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: iam.RoleProps) {
    super(scope, id, props);
    // A child of the role, so whatever depends on the role (a function, a schedule) also waits for its policy.
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: props.description ? `Permissions of: ${props.description}`.slice(0, 1000) : undefined,
      roles: [this],
    });
  }

  override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}

/**
 * A role EventBridge Scheduler assumes to start a job, with no permissions yet (the caller grants
 * exactly what the schedule's target needs). Only schedules of this account's default group may
 * assume it: the confused-deputy protection AWS recommends for service roles.
 */
export function scheduleRole(scope: Construct, id: string, description: string): ManagedPolicyRole {
  const stack = Stack.of(scope);
  return new ManagedPolicyRole(scope, id, {
    description: `EventBridge Scheduler: ${description}`,
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: {
        StringEquals: {
          'aws:SourceAccount': stack.account,
          'aws:SourceArn': stack.formatArn({
            service: 'scheduler',
            resource: 'schedule-group',
            resourceName: 'default',
          }),
        },
      },
    }),
  });
}
