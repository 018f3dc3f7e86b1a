/**
 * Run settings: their names (as SSM parameter names under the stack's prefix), defaults, accepted
 * values, and the one rule that matters most: an invalid value never crashes a run and never
 * widens what it may do. It falls back to its default, remediation is forced `off`, and the
 * problem is reported with what is accepted.
 */
import * as z from 'zod';
import type { RunError } from './run-error.ts';

export const REMEDIATION_MODES = ['off', 'dry-run', 'on'] as const;
export type RemediationMode = (typeof REMEDIATION_MODES)[number];

export interface Settings {
  remediationMode: RemediationMode;
  enforceImdsV2: boolean;
  maxRemediationsPerRun: number;
  gracePeriodMinutes: number;
  verifyWaitMinutes: number;
  imdsV1LookbackDays: number;
  notifyOn: 'changes' | 'every-run';
  /** More instances newly unmanaged since the last run than this: no fix is applied that run. */
  circuitBreakerThreshold: number;
}

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min).max(max));

const flag = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false']))
  .transform((v) => v === 'true');

/** Each setting: its parameter name, the accepted values in words, and its parser. */
export const SETTING_SPECS = {
  remediationMode: {
    parameter: 'remediation-mode',
    accepted: 'off, dry-run or on',
    // Case-insensitive, as AWS's own settings are (`ON`); trimmed, as a console paste may not be.
    schema: z.string().trim().toLowerCase().pipe(z.enum(REMEDIATION_MODES)),
  },
  enforceImdsV2: { parameter: 'enforce-imdsv2', accepted: 'true or false', schema: flag },
  maxRemediationsPerRun: {
    parameter: 'max-remediations-per-run',
    accepted: 'a whole number from 0 to 1000',
    schema: wholeNumber(0, 1000),
  },
  gracePeriodMinutes: {
    parameter: 'grace-period-minutes',
    accepted: 'a whole number from 0 to 10080',
    schema: wholeNumber(0, 10080),
  },
  verifyWaitMinutes: {
    parameter: 'verify-wait-minutes',
    accepted: 'a whole number from 0 to 120',
    schema: wholeNumber(0, 120),
  },
  // CloudWatch keeps 1-hour data points for 455 days; beyond that nothing can be proven.
  imdsV1LookbackDays: {
    parameter: 'imdsv1-lookback-days',
    accepted: 'a whole number from 1 to 455',
    schema: wholeNumber(1, 455),
  },
  notifyOn: {
    parameter: 'notify-on',
    accepted: 'changes or every-run',
    schema: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(['changes', 'every-run'])),
  },
  // A mass event (a broken AMI, a route deleted) is an outage to look at, not changes to make.
  circuitBreakerThreshold: {
    parameter: 'circuit-breaker-threshold',
    accepted: 'a whole number from 0 to 100000',
    schema: wholeNumber(0, 100000),
  },
} as const satisfies Record<keyof Settings, { parameter: string; accepted: string; schema: z.ZodType }>;

export const DEFAULT_SETTINGS: Settings = {
  remediationMode: 'dry-run',
  enforceImdsV2: false,
  maxRemediationsPerRun: 10,
  gracePeriodMinutes: 15,
  verifyWaitMinutes: 10,
  imdsV1LookbackDays: 14,
  notifyOn: 'changes',
  circuitBreakerThreshold: 50,
};

export interface ParsedSettings {
  settings: Settings;
  errors: RunError[];
}

/**
 * Parses raw values keyed by parameter name (e.g. `remediation-mode`). Missing values take the
 * defaults given; invalid ones take the default too, force remediation off, and are reported.
 */
export function parseSettings(
  raw: Readonly<Record<string, string | undefined>>,
  defaults: Settings = DEFAULT_SETTINGS,
): ParsedSettings {
  const settings: Record<string, unknown> = { ...defaults };
  const errors: RunError[] = [];
  for (const [key, spec] of Object.entries(SETTING_SPECS)) {
    const value = raw[spec.parameter];
    if (value === undefined) continue;
    const parsed = spec.schema.safeParse(value);
    if (parsed.success) {
      settings[key] = parsed.data;
    } else {
      errors.push({
        code: 'InvalidSetting',
        parameter: spec.parameter,
        message: `Setting ${spec.parameter} has the invalid value ${JSON.stringify(value)}; accepted: ${spec.accepted}. Using ${JSON.stringify(defaults[key as keyof Settings])} and remediation is off for this run.`,
      });
    }
  }
  if (errors.length > 0) settings.remediationMode = 'off';
  return { settings: settings as unknown as Settings, errors };
}
