/**
 * The stack's CloudFormation parameters. The seven run settings take their names, defaults and
 * constraints from the engine's `SETTING_SPECS` / `DEFAULT_SETTINGS`, so the console can never
 * accept a value the engine would reject at run time (and the reverse is checked at synth).
 */
import { CfnParameter, type Stack } from 'aws-cdk-lib';
import * as z from 'zod';
import { DEFAULT_SETTINGS, SETTING_SPECS, type Settings } from '../lambdas/engine/settings.ts';

export type SettingKey = keyof Settings;
export type SettingParameters = Record<SettingKey, CfnParameter>;

export interface StackParameters {
  notificationEmail: CfnParameter;
  schedule: CfnParameter;
  settings: SettingParameters;
}

/** `remediationMode` → `RemediationMode`, `imdsV1LookbackDays` → `ImdsV1LookbackDays`. */
export const parameterId = (key: SettingKey): string => key.charAt(0).toUpperCase() + key.slice(1);

interface Constraints {
  type: 'String' | 'Number';
  allowedValues?: string[];
  minValue?: number;
  maxValue?: number;
}

/**
 * Reads the accepted values off the setting's schema (its output side: enum or number range). A
 * boolean flag's schema ends in a transform, so its values come from the default's type. Every
 * derived bound is then proven against the schema itself, so a spec change that this reading
 * misses fails the synth instead of drifting.
 */
export function settingConstraints(key: SettingKey): Constraints {
  const { schema } = SETTING_SPECS[key];
  const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as {
    enum?: string[];
    minimum?: number;
    maximum?: number;
  };
  let constraints: Constraints;
  if (json.enum) constraints = { type: 'String', allowedValues: json.enum.map(String) };
  else if (json.minimum !== undefined && json.maximum !== undefined)
    constraints = { type: 'Number', minValue: json.minimum, maxValue: json.maximum };
  else if (typeof DEFAULT_SETTINGS[key] === 'boolean')
    constraints = { type: 'String', allowedValues: ['true', 'false'] };
  else
    throw new Error(`Cannot derive CloudFormation constraints for setting ${key}; extend lib/parameters.ts.`);

  const accepts = (value: string | number) => schema.safeParse(String(value)).success;
  const edges = [constraints.minValue, constraints.maxValue].filter((v) => v !== undefined);
  const outside = [constraints.minValue, constraints.maxValue].flatMap((v, i) =>
    v === undefined ? [] : [i === 0 ? v - 1 : v + 1],
  );
  const proven =
    [...(constraints.allowedValues ?? []), ...edges, String(DEFAULT_SETTINGS[key])].every(accepts) &&
    !outside.some(accepts);
  if (!proven) throw new Error(`Derived constraints for setting ${key} disagree with SETTING_SPECS.`);
  return constraints;
}

function settingParameter(stack: Stack, key: SettingKey): CfnParameter {
  const spec = SETTING_SPECS[key];
  return new CfnParameter(stack, parameterId(key), {
    ...settingConstraints(key),
    default: String(DEFAULT_SETTINGS[key]),
    description: `Seeds SSM parameter ${spec.parameter} (change it later with put-parameter). Accepted: ${spec.accepted}.`,
    constraintDescription: `must be ${spec.accepted}`,
  });
}

export function declareParameters(stack: Stack): StackParameters {
  const notificationEmail = new CfnParameter(stack, 'NotificationEmail', {
    type: 'String',
    default: '',
    // Empty means "no email subscription"; otherwise one plain address.
    allowedPattern: '^$|^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$',
    constraintDescription: 'must be empty or one email address',
    description: 'Email address subscribed to the findings topic (leave empty to subscribe later).',
  });
  const schedule = new CfnParameter(stack, 'Schedule', {
    type: 'String',
    default: 'rate(1 hour)',
    allowedPattern: '^(rate\\(\\d+ (minute|minutes|hour|hours|day|days)\\)|cron\\(.+\\))$',
    constraintDescription: 'must be an EventBridge Scheduler rate(...) or cron(...) expression',
    description: 'How often a run starts (EventBridge Scheduler expression, UTC).',
  });
  const keys = Object.keys(SETTING_SPECS) as SettingKey[];
  const settings = Object.fromEntries(
    keys.map((key) => [key, settingParameter(stack, key)]),
  ) as SettingParameters;
  return { notificationEmail, schedule, settings };
}
