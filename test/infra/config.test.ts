import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_LINK_EXPIRY_SECONDS } from '#adapters/table-design.js';
import { DEPLOYMENT_ENV_VAR, DEPLOYMENTS, loadConfig, PipelineConfigError } from '#infra/config.js';

describe('loadConfig', () => {
  it('gives each deployment its own settings', () => {
    expect(loadConfig('prod')).toMatchObject({ removalPolicy: 'retain', tableDeletionProtection: true });
    expect(loadConfig('dev')).toMatchObject({ removalPolicy: 'destroy', tableDeletionProtection: false });
  });

  it('rejects an unknown deployment, naming where the name came from', () => {
    expect(() => loadConfig('staging')).toThrow(PipelineConfigError);
    expect(() => loadConfig('staging')).toThrow(DEPLOYMENT_ENV_VAR);
  });

  it('rejects an alarm email that is not an address', () => {
    expect(() => loadConfig('prod', { alarmEmail: 'ops-team' })).toThrow(/alarmEmail/);
  });

  it('rejects a log retention CloudWatch Logs does not offer', () => {
    expect(() => loadConfig('prod', { logRetentionDays: 42 })).toThrow(/logRetentionDays/);
  });

  it('accepts an alarm email override', () => {
    expect(loadConfig('prod', { alarmEmail: 'ops@example.org' }).alarmEmail).toBe('ops@example.org');
  });
});

describe('loadConfig: schedules, concurrency, the web API and sign-in', () => {
  it('runs the schedules in America/Chicago with a retry policy', () => {
    const config = loadConfig('prod');
    expect(config.scheduleTimeZone).toBe('America/Chicago');
    expect(config.renewals.schedule).toMatch(/^cron\(/);
    expect(config.reports.schedule).toMatch(/^cron\(/);
    expect(config.scheduleRetry.maximumRetryAttempts).toBeGreaterThanOrEqual(1);
  });

  it.each(DEPLOYMENTS)('%s: the nightly evaluation, then the renewal job, then the reports, each day', (deployment) => {
    // The reports read both jobs' summaries only when both ran as of the same date before them.
    const minuteOfDay = (cron: string) => {
      const [minute, hour] = cron.replace(/^cron\(/, '').split(' ');
      return Number(hour) * 60 + Number(minute);
    };
    const { evaluate, renewals, reports } = loadConfig(deployment);
    expect(minuteOfDay(evaluate.schedule)).toBeLessThan(minuteOfDay(renewals.schedule));
    expect(minuteOfDay(renewals.schedule)).toBeLessThan(minuteOfDay(reports.schedule));
  });

  it('keeps download links to at most 15 minutes and rejects 901 seconds', () => {
    for (const deployment of DEPLOYMENTS) {
      expect(loadConfig(deployment).webApi.linkExpirySeconds).toBeLessThanOrEqual(MAX_LINK_EXPIRY_SECONDS);
    }
    const webApi = loadConfig('prod').webApi;
    expect(loadConfig('prod', { webApi: { ...webApi, linkExpirySeconds: 900 } }).webApi.linkExpirySeconds).toBe(900);
    expect(() => loadConfig('prod', { webApi: { ...webApi, linkExpirySeconds: 901 } })).toThrow(/linkExpirySeconds/);
  });

  it('keeps the web functions within the 30 seconds API Gateway waits for them', () => {
    const webApi = loadConfig('prod').webApi;
    expect(webApi.timeoutSeconds).toBeLessThanOrEqual(29);
    expect(() => loadConfig('prod', { webApi: { ...webApi, timeoutSeconds: 30 } })).toThrow(/timeoutSeconds/);
  });

  it('offers MFA by default, may require it, and refuses a sign-in domain prefix Cognito would refuse', () => {
    for (const deployment of DEPLOYMENTS) expect(loadConfig(deployment).signIn.mfa).toBe('optional');
    expect(loadConfig('prod', { signIn: { mfa: 'required' } }).signIn.mfa).toBe('required');
    expect(loadConfig('prod', { signIn: { mfa: 'optional', domainPrefix: 'iecmh-wi' } }).signIn.domainPrefix).toBe(
      'iecmh-wi',
    );
    for (const domainPrefix of ['IECMH', 'iecmh-cognito', '-iecmh', 'aws-iecmh']) {
      expect(() => loadConfig('prod', { signIn: { mfa: 'optional', domainPrefix } })).toThrow(/domainPrefix/);
    }
  });

  it('rejects a time zone that is not an IANA name', () => {
    expect(() => loadConfig('prod', { scheduleTimeZone: 'Central Time' })).toThrow(/scheduleTimeZone/);
  });

  it('rejects a schedule that is not a six-field cron expression', () => {
    const renewals = loadConfig('prod').renewals;
    expect(() => loadConfig('prod', { renewals: { ...renewals, schedule: 'rate(1 day)' } })).toThrow(/schedule/);
    expect(() => loadConfig('prod', { renewals: { ...renewals, schedule: 'cron(0 5 * * ?)' } })).toThrow(/schedule/);
  });

  it('runs the renewals in one function unless a deployment asks for segments, from 1 to 100', () => {
    const { segments: _segments, ...renewals } = loadConfig('prod').renewals;
    expect(loadConfig('prod', { renewals }).renewals.segments).toBe(1);
    expect(loadConfig('prod', { renewals: { ...renewals, segments: 4 } }).renewals.segments).toBe(4);
    expect(() => loadConfig('prod', { renewals: { ...renewals, segments: 0 } })).toThrow(/renewals\.segments/);
    expect(() => loadConfig('prod', { renewals: { ...renewals, segments: 101 } })).toThrow(/renewals\.segments/);
  });

  it('rejects a Scheduler retry policy outside what Scheduler accepts', () => {
    expect(() =>
      loadConfig('prod', { scheduleRetry: { maximumRetryAttempts: 186, maximumEventAgeSeconds: 3600 } }),
    ).toThrow(/maximumRetryAttempts/);
    expect(() =>
      loadConfig('prod', { scheduleRetry: { maximumRetryAttempts: 3, maximumEventAgeSeconds: 59 } }),
    ).toThrow(/maximumEventAgeSeconds/);
  });

  it('rejects a function concurrency below what its event source may use', () => {
    const evaluate = loadConfig('prod').evaluate;
    expect(() => loadConfig('prod', { evaluate: { ...evaluate, reservedConcurrency: 1 } })).toThrow(
      /evaluate\.reservedConcurrency/,
    );
  });
});

describe('loadConfig: the reports site', () => {
  const pem = (type: 'rsa' | 'ec', size: number | string) =>
    String(
      (type === 'rsa'
        ? generateKeyPairSync('rsa', { modulusLength: size as number })
        : generateKeyPairSync('ec', { namedCurve: size as string })
      ).publicKey.export({ type: 'spki', format: 'pem' }),
    );
  const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';

  it('is public in both deployments', () => {
    for (const deployment of DEPLOYMENTS) expect(loadConfig(deployment).reportsSite).toEqual({ access: 'public' });
  });

  it('goes behind sign-in with a public key CloudFront accepts (RSA 2048 or ECDSA P-256), and with no other', () => {
    for (const key of [pem('rsa', 2048), pem('ec', 'prime256v1')]) {
      expect(loadConfig('prod', { reportsSite: { access: 'signed-in', publicKeyPem: key } }).reportsSite).toEqual({
        access: 'signed-in',
        publicKeyPem: key,
      });
    }
    for (const key of [pem('rsa', 1024), pem('ec', 'secp384r1'), 'not a key']) {
      expect(() => loadConfig('prod', { reportsSite: { access: 'signed-in', publicKeyPem: key } })).toThrow(
        /reportsSite\.publicKeyPem/,
      );
    }
    expect(() => loadConfig('prod', { reportsSite: { access: 'signed-in' } as never })).toThrow(/publicKeyPem/);
  });

  it('takes a custom domain only with a certificate in us-east-1, where CloudFront reads it', () => {
    const domain = { names: ['reports.example.org'], certificateArn };
    expect(loadConfig('prod', { reportsSite: { access: 'public', domain } }).reportsSite).toEqual({
      access: 'public',
      domain,
    });
    expect(() =>
      loadConfig('prod', {
        reportsSite: {
          access: 'public',
          domain: { ...domain, certificateArn: certificateArn.replace('us-east-1', 'us-east-2') },
        },
      }),
    ).toThrow(/us-east-1/);
  });
});
