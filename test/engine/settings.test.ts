import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseSettings } from '../../lambdas/engine/settings.ts';

describe('parseSettings', () => {
  it('reads every parameter by its name', () => {
    const { settings, errors } = parseSettings({
      'remediation-mode': ' ON ',
      'enforce-imdsv2': 'TRUE',
      'max-remediations-per-run': '3',
      'grace-period-minutes': '0',
      'verify-wait-minutes': '5',
      'imdsv1-lookback-days': '30',
      'notify-on': 'Every-Run',
      'circuit-breaker-threshold': '200',
    });
    expect(errors).toEqual([]);
    expect(settings).toEqual({
      remediationMode: 'on',
      enforceImdsV2: true,
      maxRemediationsPerRun: 3,
      gracePeriodMinutes: 0,
      verifyWaitMinutes: 5,
      imdsV1LookbackDays: 30,
      notifyOn: 'every-run',
      circuitBreakerThreshold: 200,
    });
  });

  it('uses the defaults for missing parameters', () => {
    expect(parseSettings({})).toEqual({ settings: DEFAULT_SETTINGS, errors: [] });
  });

  it.each([
    ['remediation-mode', 'yes', 'off, dry-run or on'],
    ['enforce-imdsv2', 'maybe', 'true or false'],
    ['max-remediations-per-run', '-1', 'a whole number from 0 to 1000'],
    ['max-remediations-per-run', '2.5', 'a whole number from 0 to 1000'],
    ['grace-period-minutes', '99999', 'a whole number from 0 to 10080'],
    ['imdsv1-lookback-days', '0', 'a whole number from 1 to 455'],
    ['notify-on', 'always', 'changes or every-run'],
    ['circuit-breaker-threshold', '-5', 'a whole number from 0 to 100000'],
    ['circuit-breaker-threshold', 'lots', 'a whole number from 0 to 100000'],
  ])('an invalid %s (%s) never widens what the run may do', (parameter, value, accepted) => {
    const { settings, errors } = parseSettings({ 'remediation-mode': 'on', [parameter]: value });
    expect(settings.remediationMode).toBe('off');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.parameter).toBe(parameter);
    expect(errors[0]?.message).toContain(accepted);
    expect(errors[0]?.message).toContain(JSON.stringify(value));
  });
});
