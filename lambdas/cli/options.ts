/**
 * Flags → run settings. A CLI user gets a usage error for a bad value (exit 2), unlike the
 * deployed service, which forces remediation off and carries on.
 */
import { InvalidArgumentError } from 'commander';
import { DEFAULT_SETTINGS, SETTING_SPECS, type Settings } from '../engine/settings.ts';

/** commander argParser for a setting, checked by the same schema the service uses. */
export function settingParser<K extends keyof Settings>(key: K) {
  const spec = SETTING_SPECS[key];
  return (value: string): Settings[K] => {
    const parsed = spec.schema.safeParse(value);
    if (!parsed.success) throw new InvalidArgumentError(`expected ${spec.accepted}.`);
    return parsed.data as Settings[K];
  };
}

export interface SettingFlags {
  remediation?: Settings['remediationMode'];
  enforceImdsv2?: boolean;
  maxRemediations?: number;
  graceMinutes?: number;
  imdsv1LookbackDays?: number;
}

/** The CLI's defaults differ in one respect: remediation is `off` unless asked for. */
export function settingsFromFlags(flags: SettingFlags): Settings {
  return {
    ...DEFAULT_SETTINGS,
    remediationMode: flags.remediation ?? 'off',
    enforceImdsV2: flags.enforceImdsv2 ?? DEFAULT_SETTINGS.enforceImdsV2,
    maxRemediationsPerRun: flags.maxRemediations ?? DEFAULT_SETTINGS.maxRemediationsPerRun,
    gracePeriodMinutes: flags.graceMinutes ?? DEFAULT_SETTINGS.gracePeriodMinutes,
    imdsV1LookbackDays: flags.imdsv1LookbackDays ?? DEFAULT_SETTINGS.imdsV1LookbackDays,
  };
}

const INSTANCE_ID = /^i-[0-9a-f]{8}([0-9a-f]{9})?$/;

export function instanceIdParser(value: string, previous: string[] = []): string[] {
  if (!INSTANCE_ID.test(value))
    throw new InvalidArgumentError('expected an instance id like i-0123456789abcdef0.');
  return [...previous, value];
}

const VPC_ID = /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/;

export function vpcIdParser(value: string, previous: string[] = []): string[] {
  if (!VPC_ID.test(value)) throw new InvalidArgumentError('expected a VPC id like vpc-0123456789abcdef0.');
  return [...previous, value];
}

/** `KEY=VALUE` (the value may be empty, the key may not; the first `=` splits). */
export function tagParser(value: string, previous: [string, string][] = []): [string, string][] {
  const at = value.indexOf('=');
  if (at < 1) throw new InvalidArgumentError('expected KEY=VALUE, e.g. --tag team=payments.');
  return [...previous, [value.slice(0, at), value.slice(at + 1)]];
}
