import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { KEY_ADMINISTRATION_ACTIONS, KEY_USAGE_ACTIONS } from '#infra/constructs/named-users-key.js';
import { type SynthesizedPipeline, synthPipeline } from './synth.js';

type Statement = {
  Sid?: string;
  Effect: string;
  Principal?: { AWS?: unknown; Service?: unknown };
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
};
type Resource = { Type: string; Properties: Record<string, unknown> };

let synth: SynthesizedPipeline;
let template: Template;
beforeAll(() => {
  synth = synthPipeline('prod');
  ({ template } = synth);
});

const resources = () => template.toJSON().Resources as Record<string, Resource>;
const keys = () => Object.entries(resources()).filter(([, r]) => r.Type === 'AWS::KMS::Key') as [string, Resource][];
const statementsOfKey = (key: Resource) => (key.Properties.KeyPolicy as { Statement: Statement[] }).Statement;
const actions = (s: Statement) => [s.Action].flat();
const principals = (s: Statement) => [s.Principal?.AWS ?? []].flat().map((p) => JSON.stringify(p));
const isAccountRoot = (principal: string) => principal.includes(':root');
/** Whether an action (as a key policy writes it, wildcards included) uses the key. */
const usesTheKey = (action: string) =>
  action === 'kms:*' || KEY_USAGE_ACTIONS.some((usage) => new RegExp(`^${action.replaceAll('*', '.*')}$`).test(usage));

describe('key policies name their users', () => {
  it('covers all six keys: data, messaging, logs, reports, the erasure audit and the release noise', () => {
    expect(keys()).toHaveLength(6);
  });

  it('lets the account administer every key (so it stays manageable) and use none: no kms:*, no usage for root', () => {
    for (const [id, key] of keys()) {
      const forRoot = statementsOfKey(key).filter((s) => principals(s).some(isAccountRoot));
      expect({ id, forRoot: forRoot.map(actions) }).toEqual({ id, forRoot: [[...KEY_ADMINISTRATION_ACTIONS].sort()] });
      for (const statement of statementsOfKey(key)) {
        expect(actions(statement)).not.toContain('kms:*');
        if (principals(statement).some(isAccountRoot)) expect(actions(statement).filter(usesTheKey)).toEqual([]);
      }
    }
  });

  it('grants every use of a key to a named role or a service, never to an account or everyone', () => {
    for (const [, key] of keys()) {
      for (const statement of statementsOfKey(key).filter((s) => actions(s).some(usesTheKey))) {
        if (statement.Principal?.Service) continue;
        for (const principal of principals(statement)) {
          expect(principal).toMatch(/^\{"Fn::GetAtt":\["\w+Role\w*","Arn"\]\}$/);
        }
      }
    }
  });

  it('names, in the key policy, every role whose IAM policy uses a key, with at least those actions', () => {
    // CDK's grants write the role's IAM policy; without the account's kms:* they work only if the key says so too.
    const all = resources();
    const policies = Object.values(all).filter(
      (r) => r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::Policy',
    );
    let checked = 0;
    for (const policy of policies) {
      const roles = (policy.Properties.Roles as { Ref: string }[] | undefined) ?? [];
      const document = policy.Properties.PolicyDocument as { Statement: Statement[] };
      for (const statement of document.Statement) {
        const kmsActions = actions(statement).filter((a) => a.startsWith('kms:') && usesTheKey(a));
        if (kmsActions.length === 0) continue;
        for (const target of [statement.Resource].flat()) {
          const keyId = (target as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[0];
          const key = keyId ? all[keyId] : undefined;
          if (key?.Type !== 'AWS::KMS::Key') continue;
          for (const role of roles) {
            const named = JSON.stringify({ 'Fn::GetAtt': [role.Ref, 'Arn'] });
            const allowed = statementsOfKey(key)
              .filter((s) => s.Effect === 'Allow' && principals(s).includes(named))
              .flatMap(actions);
            expect({ role: role.Ref, key: keyId, missing: kmsActions.filter((a) => !allowed.includes(a)) }).toEqual({
              role: role.Ref,
              key: keyId,
              missing: [],
            });
            checked += 1;
          }
        }
      }
    }
    // Every function that reads or writes data, messages or reports: far more than a handful.
    expect(checked).toBeGreaterThan(15);
  });

  it('lets the services use only the keys of what they encrypt, with their conditions', () => {
    const byService = new Map<string, string[]>();
    for (const [id, key] of keys()) {
      for (const statement of statementsOfKey(key).filter((s) => s.Principal?.Service)) {
        for (const service of [statement.Principal?.Service].flat()) {
          const name = JSON.stringify(service).replace(/\{"Ref":"AWS::Region"\}/, 'REGION');
          byService.set(name, [...(byService.get(name) ?? []), id]);
        }
      }
    }
    expect(Object.fromEntries(byService)).toEqual({
      '"cloudwatch.amazonaws.com"': ['MessagingKey'],
      '"s3.amazonaws.com"': ['MessagingKey', 'MessagingKey'],
      '{"Fn::Join":["",["logs.",REGION,".amazonaws.com"]]}': ['LogsKey'],
      '"cloudfront.amazonaws.com"': ['ReportsKey'],
    });
  });
});
