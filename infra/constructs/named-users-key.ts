import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/**
 * What the account (its administrators, through IAM) may do with a key: manage it, never use it. Without
 * this statement no one could change the key's policy any more (KMS refuses a policy that locks out the
 * account that sets it). It includes kms:CreateGrant, which the services that encrypt with a key on the
 * deployer's behalf (DynamoDB, AWS Backup) call when CloudFormation creates the table and the vault.
 */
export const KEY_ADMINISTRATION_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
] as const;

/** The actions that use a key (encrypt, decrypt, sign): what the account root is never given. */
export const KEY_USAGE_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:GenerateMac',
  'kms:VerifyMac',
  'kms:Sign',
  'kms:Verify',
] as const;

export type NamedUsersKeyProps = Omit<kms.KeyProps, 'policy' | 'admins'>;

/**
 * A customer-managed key whose policy names its users. CDK's default key policy gives the account `kms:*`
 * and its grants only write the grantee's IAM policy, so anyone in the account whose IAM policy allows it
 * could decrypt. Here the account keeps administration only (KEY_ADMINISTRATION_ACTIONS), and every
 * `grant*` also writes a key policy statement naming the grantee (a role, or a service principal with its
 * conditions), so a role uses the key only when both its IAM policy and the key's policy say so.
 */
export class NamedUsersKey extends kms.Key {
  constructor(scope: Construct, id: string, props: NamedUsersKeyProps) {
    super(scope, id, {
      ...props,
      // A policy given here replaces CDK's default one (the account's kms:*).
      policy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'AccountAdministersTheKeyButCannotUseIt',
            principals: [new iam.AccountRootPrincipal()],
            actions: [...KEY_ADMINISTRATION_ACTIONS],
            resources: ['*'],
          }),
        ],
      }),
    });
  }

  /** The grantee's IAM policy and this key's policy, both naming the grantee. */
  override grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipalAndResource({
      grantee,
      actions,
      resource: this,
      resourceArns: [this.keyArn],
      resourceSelfArns: ['*'],
    });
  }
}
