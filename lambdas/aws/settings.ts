/** Reads the run settings from Parameter Store every run, so a put-parameter takes effect next run. */
import { paginateGetParametersByPath, type SSMClient } from '@aws-sdk/client-ssm';
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
