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

describe('loadConfig: schedules, concurrency and the reports API', () => {
  it('runs the schedules in America/Chicago with a retry policy', () => {
    const config = loadConfig('prod');
    expect(config.scheduleTimeZone).toBe('America/Chicago');
    expect(config.renewals.schedule).toMatch(/^cron\(/);
    expect(config.reports.schedule).toMatch(/^cron\(/);
    expect(config.scheduleRetry.maximumRetryAttempts).toBeGreaterThanOrEqual(1);
  });

  it('keeps download links to at most 15 minutes and rejects 901 seconds', () => {
    for (const deployment of DEPLOYMENTS) {
      expect(loadConfig(deployment).reportsApi.linkExpirySeconds).toBeLessThanOrEqual(MAX_LINK_EXPIRY_SECONDS);
    }
    const reportsApi = loadConfig('prod').reportsApi;
    expect(
      loadConfig('prod', { reportsApi: { ...reportsApi, linkExpirySeconds: 900 } }).reportsApi.linkExpirySeconds,
    ).toBe(900);
    expect(() => loadConfig('prod', { reportsApi: { ...reportsApi, linkExpirySeconds: 901 } })).toThrow(
      /linkExpirySeconds/,
    );
  });

  it('rejects a time zone that is not an IANA name', () => {
    expect(() => loadConfig('prod', { scheduleTimeZone: 'Central Time' })).toThrow(/scheduleTimeZone/);
  });

  it('rejects a schedule that is not a six-field cron expression', () => {
    const renewals = loadConfig('prod').renewals;
    expect(() => loadConfig('prod', { renewals: { ...renewals, schedule: 'rate(1 day)' } })).toThrow(/schedule/);
    expect(() => loadConfig('prod', { renewals: { ...renewals, schedule: 'cron(0 5 * * ?)' } })).toThrow(/schedule/);
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
