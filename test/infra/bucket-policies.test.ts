import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PREFIX, RECEIPTS_PREFIX, UPLOAD_PREFIXES } from '#adapters/table-design.js';
import type { PipelineStack } from '#infra/stack.js';
import { logicalIdOf, type SynthesizedPipeline, synthPipeline } from './synth.js';

type Statement = {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};
type Resource = { Type: string; Properties: Record<string, unknown> };

let synth: SynthesizedPipeline;
let stack: PipelineStack;
let template: Template;
beforeAll(() => {
  synth = synthPipeline('prod');
  ({ stack, template } = synth);
});

const uploadsArn = () => ({ 'Fn::GetAtt': [logicalIdOf(stack.uploads), 'Arn'] });
const objects = (prefix: string) => ({ 'Fn::Join': ['', [uploadsArn(), `/${prefix}*`]] });
const roleArn = (roleId: string) => ({ 'Fn::GetAtt': [roleId, 'Arn'] });

function uploadsPolicy(): Statement[] {
  const policy = Object.values(template.toJSON().Resources as Record<string, Resource>).find(
    (r) =>
      r.Type === 'AWS::S3::BucketPolicy' &&
      JSON.stringify(r.Properties.Bucket) === JSON.stringify({ Ref: logicalIdOf(stack.uploads) }),
  );
  if (!policy) throw new Error('the uploads bucket has no policy');
  return (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
}
const statement = (sid: string) => uploadsPolicy().find((s) => s.Sid === sid);

/** Every role of the template whose own IAM policy allows one of `actions` on the objects under `prefix`. */
function rolesAllowedTo(actions: string[], prefix: string): string[] {
  const roles = Object.entries(template.toJSON().Resources as Record<string, Resource>)
    .filter(([, r]) => r.Type === 'AWS::IAM::Role')
    .map(([id]) => id);
  const target = JSON.stringify(objects(prefix));
  return roles
    .filter((id) =>
      policyStatementsOfRole(id).some(
        (s) =>
          s.Effect === 'Allow' &&
          [s.Action].flat().some((a) => actions.includes(a)) &&
          [s.Resource].flat().some((r) => JSON.stringify(r) === target),
      ),
    )
    .sort();
}

function policyStatementsOfRole(roleId: string): Statement[] {
  const ref = JSON.stringify([{ Ref: roleId }]);
  return Object.values(template.toJSON().Resources as Record<string, Resource>)
    .filter((r) => r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::Policy')
    .filter((r) => JSON.stringify(r.Properties.Roles) === ref)
    .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

describe('the uploads bucket policy', () => {
  it('denies everyone writing an object outside the kind prefixes, admin/ and receipts/', () => {
    expect(statement('WriteOnlyUnderTheKnownPrefixes')).toEqual({
      Sid: 'WriteOnlyUnderTheKnownPrefixes',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      NotResource: [...UPLOAD_PREFIXES, ADMIN_PREFIX, RECEIPTS_PREFIX].map(objects),
    });
  });

  it.each([
    ['OnlyThePipelineWritesExports', ADMIN_PREFIX],
    ['OnlyThePipelineWritesReceipts', RECEIPTS_PREFIX],
  ])('%s: denies writing or deleting under %s to every principal but the roles that write there', (sid, prefix) => {
    const deny = statement(sid);
    expect(deny).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['s3:DeleteObject', 's3:PutObject'],
      Resource: objects(prefix),
    });
    // Nothing the pipeline does today is denied: the exception names exactly the roles granted to write there.
    const writers = rolesAllowedTo(['s3:PutObject', 's3:DeleteObject'], prefix);
    expect(writers.length).toBeGreaterThanOrEqual(2);
    expect(deny?.Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': expect.any(Array) } });
    const excepted = ((deny?.Condition?.ArnNotEquals?.['aws:PrincipalArn'] ?? []) as unknown[]).map((arn) =>
      JSON.stringify(arn),
    );
    expect([...excepted].sort()).toEqual(writers.map((id) => JSON.stringify(roleArn(id))).sort());
  });

  it('lets the pipeline write admin/ (evaluate, renewals, erasure) and receipts/ (ingest, erasure), nobody else', () => {
    const id = logicalIdOf;
    expect(rolesAllowedTo(['s3:PutObject', 's3:DeleteObject'], ADMIN_PREFIX)).toEqual(
      [id(stack.evaluate.role), id(stack.renewals.role), id(stack.erasure.function.role)].sort(),
    );
    expect(rolesAllowedTo(['s3:PutObject', 's3:DeleteObject'], RECEIPTS_PREFIX)).toEqual(
      [id(stack.ingest.role), id(stack.erasure.function.role)].sort(),
    );
  });

  it('lets the web uploads function write and withdraw under the kind prefixes only', () => {
    const uploadsRole = logicalIdOf(stack.webApi.functions.uploads.role);
    for (const prefix of UPLOAD_PREFIXES) {
      expect(rolesAllowedTo(['s3:PutObject'], prefix)).toContain(uploadsRole);
      expect(rolesAllowedTo(['s3:DeleteObject'], prefix)).toContain(uploadsRole);
    }
    for (const prefix of [ADMIN_PREFIX, RECEIPTS_PREFIX]) {
      expect(rolesAllowedTo(['s3:PutObject', 's3:DeleteObject'], prefix)).not.toContain(uploadsRole);
    }
  });

  it('lets browsers on the web app post to the bucket (CORS, POST only); the presigned form authorises', () => {
    const bucket = (template.toJSON().Resources as Record<string, Resource>)[logicalIdOf(stack.uploads)];
    expect(bucket?.Properties.CorsConfiguration).toEqual({
      CorsRules: [
        { AllowedMethods: ['POST'], AllowedOrigins: ['https://*.cloudfront.net'], AllowedHeaders: ['*'], MaxAge: 3600 },
      ],
    });
  });
});
