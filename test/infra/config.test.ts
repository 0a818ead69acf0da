import { describe, expect, it } from 'vitest';
import { DEPLOYMENT_ENV_VAR, loadConfig, PipelineConfigError } from '../../infra/config.js';

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
