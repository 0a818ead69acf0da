import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_GROUPS } from '#infra/constructs/sign-in.js';
import type { PipelineStack } from '#infra/stack.js';
import {
  logicalIdOf,
  NAG_PACKS,
  type NagPackName,
  nagFindings,
  type SynthesizedPipeline,
  synthPipeline,
} from './synth.js';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };

let prod: SynthesizedPipeline;
let stack: PipelineStack;
let template: Template;
let strict: SynthesizedPipeline;
beforeAll(() => {
  prod = synthPipeline('prod');
  ({ stack, template } = prod);
  strict = synthPipeline('dev', { signIn: { mfa: 'required', domainPrefix: 'iecmh-wi-dev' } });
});

const ofType = (t: Template, type: string) =>
  Object.values(t.toJSON().Resources as Record<string, Resource>).filter((r) => r.Type === type);
const only = (t: Template, type: string): Resource => {
  const [first, ...others] = ofType(t, type);
  expect(others).toEqual([]);
  if (!first) throw new Error(`no ${type} in the template`);
  return first;
};
const appUrl = () => ({
  'Fn::Join': [
    '',
    ['https://', { 'Fn::GetAtt': [logicalIdOf(stack.reportsSite.distribution), 'DomainName'] }, '/app/index.html'],
  ],
});

describe('the user pool', () => {
  it('lets nobody sign up: administrators invite people', () => {
    expect(only(template, 'AWS::Cognito::UserPool').Properties.AdminCreateUserConfig).toEqual({
      AllowAdminCreateUserOnly: true,
    });
  });

  it('offers MFA with an authenticator app (no SMS), and requires it when the deployment says so', () => {
    expect(only(template, 'AWS::Cognito::UserPool').Properties).toMatchObject({
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
    expect(only(strict.template, 'AWS::Cognito::UserPool').Properties).toMatchObject({
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
  });

  it('asks for long passwords of every kind of character, and blocks risky sign-ins (Plus, threat protection)', () => {
    const pool = only(template, 'AWS::Cognito::UserPool').Properties;
    expect(pool.Policies).toEqual({
      PasswordPolicy: {
        MinimumLength: 14,
        RequireLowercase: true,
        RequireUppercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
        TemporaryPasswordValidityDays: 3,
        PasswordHistorySize: 5,
      },
    });
    expect(pool).toMatchObject({ UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } });
    expect(pool.AccountRecoverySetting).toEqual({ RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] });
  });

  it('is kept, with deletion protection, when the production stack goes; a throw-away deployment deletes it', () => {
    const pool = only(template, 'AWS::Cognito::UserPool');
    expect(pool.DeletionPolicy).toBe('Retain');
    expect(pool.Properties.DeletionProtection).toBe('ACTIVE');
    expect(only(strict.template, 'AWS::Cognito::UserPool').DeletionPolicy).toBe('Delete');
  });

  it('has exactly the two groups the handlers know: administrators and policymakers', () => {
    const groups = ofType(template, 'AWS::Cognito::UserPoolGroup').map((g) => g.Properties.GroupName);
    expect(groups.sort()).toEqual(['administrators', 'policymakers']);
    expect(Object.keys(SIGN_IN_GROUPS).sort()).toEqual(['administrators', 'policymakers']);
  });
});

describe('the managed login and the web app client', () => {
  it('serves the managed login (version 2) on a Cognito domain named after the stack and the account', () => {
    expect(only(template, 'AWS::Cognito::UserPoolDomain').Properties).toMatchObject({
      ManagedLoginVersion: 2,
      Domain: { 'Fn::Join': ['', ['iecmhpipeline-prod-', { Ref: 'AWS::AccountId' }]] },
    });
    expect(only(strict.template, 'AWS::Cognito::UserPoolDomain').Properties.Domain).toBe('iecmh-wi-dev');
    expect(only(template, 'AWS::Cognito::ManagedLoginBranding').Properties).toMatchObject({
      ClientId: { Ref: logicalIdOf(stack.signIn.client) },
      UseCognitoProvidedValues: true,
    });
  });

  it('uses the authorization code flow only (PKCE, no secret: the app runs in the browser), back to the app', () => {
    const client = only(template, 'AWS::Cognito::UserPoolClient').Properties;
    expect(client).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      CallbackURLs: [appUrl()],
      LogoutURLs: [appUrl()],
    });
    // No password ever reaches the app: no USER_PASSWORD_AUTH, no admin flow.
    expect(client.ExplicitAuthFlows).toEqual(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
  });

  it('outputs the user pool, its client, the sign-in page and the web app', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.UserPoolId?.Value).toEqual({ Ref: logicalIdOf(stack.signIn.userPool) });
    expect(outputs.UserPoolClientId?.Value).toEqual({ Ref: logicalIdOf(stack.signIn.client) });
    expect(outputs.WebAppUrl?.Value).toEqual(appUrl());
    const signInUrl = JSON.stringify(outputs.SignInUrl?.Value);
    expect(signInUrl).toContain('.amazoncognito.com/login?client_id=');
    expect(signInUrl).toContain('response_type=code');
  });

  it.each(Object.keys(NAG_PACKS) as NagPackName[])('with MFA required: no unacknowledged %s finding', (pack) => {
    expect(nagFindings(strict.app, pack)).toEqual([]);
  });
});
