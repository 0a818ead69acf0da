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
