/** Reads the run settings from Parameter Store every run, so a put-parameter takes effect next run. */
import { paginateGetParametersByPath, type SSMClient } from '@aws-sdk/client-ssm';
import type { RunError } from '../engine/run-error.ts';
import { type ParsedSettings, parseSettings, SETTING_SPECS } from '../engine/settings.ts';

/** The parsed settings, and the parameters that are not in Parameter Store at all (their defaults apply). */
export async function readSettings(
  ssm: SSMClient,
  prefix: string,
): Promise<ParsedSettings & { missing: string[] }> {
  const raw: Record<string, string> = {};
  const path = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  for await (const page of paginateGetParametersByPath({ client: ssm }, { Path: path, Recursive: false })) {
    for (const parameter of page.Parameters ?? []) {
      if (parameter.Name && parameter.Value !== undefined)
        raw[parameter.Name.slice(path.length + 1)] = parameter.Value;
    }
  }
  const missing = Object.values(SETTING_SPECS)
    .map((spec) => spec.parameter)
    .filter((name) => raw[name] === undefined);
  return { ...parseSettings(raw), missing };
}

/**
 * A setting missing from Parameter Store (deleted, or a prefix typo) is a configuration problem
 * the email names. Its default applies, but nothing is widened by it: the run is told so, and
 * fixes are off for this run, as with an invalid value.
 */
export function withMissingSettings(
  read: ParsedSettings & { missing: string[] },
  prefix: string,
): ParsedSettings {
  if (!read.missing.length) return read;
  const missing: RunError[] = read.missing.map((name) => ({
    code: 'MissingSetting',
    parameter: name,
    message: `Setting ${prefix}${name} is not in Parameter Store (the stack creates it: was it deleted?). Using its default, and remediation is off for this run.`,
  }));
  return {
    settings: { ...read.settings, remediationMode: 'off' },
    errors: [...read.errors, ...missing],
  };
}

/** The settings a workflow stage acts on: read now, a missing one reported and turning fixes off. */
export async function readRunSettings(ssm: SSMClient, prefix: string): Promise<ParsedSettings> {
  return withMissingSettings(await readSettings(ssm, prefix), prefix);
}
