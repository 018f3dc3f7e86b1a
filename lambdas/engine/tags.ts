/**
 * The tags people put on instances and roles to steer ssm-doctor, and how their values are read.
 * Read in one place so discovery, planning, the re-read before a write and the IAM deny agree.
 *
 * Both fail closed. Keys are matched case-insensitively (EC2 keys are case-sensitive, so an
 * instance may carry `SSM-Doctor:Remediate` next to `ssm-doctor:remediate`: every one counts),
 * values are trimmed and compared case-insensitively:
 * - `ssm-doctor:remediate`: any value but `true` means hands off;
 * - `ssm-doctor:ignore`: only `true` hides an instance; any other value leaves it diagnosed.
 * A value that is neither `true` nor `false` is also reported (`tagProblems`): a tag someone set
 * on purpose should not be silently read one way or the other.
 */
import type { RunError } from './report-model.ts';

export const OPT_OUT_TAG = 'ssm-doctor:remediate';
export const IGNORE_TAG = 'ssm-doctor:ignore';

export type Tags = readonly { Key?: string; Value?: string }[] | undefined;

export interface FoundTag {
  /** The key as it is spelled on the resource. */
  key: string;
  /** The value as it is (untrimmed). */
  value: string;
}

/** Every tag whose key is `key` in any case. */
export function tagsNamed(tags: Tags, key: string): FoundTag[] {
  const wanted = key.toLowerCase();
  return (tags ?? [])
    .filter((t) => t.Key?.toLowerCase() === wanted)
    .map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));
}

const normalized = (value: string) => value.trim().toLowerCase();

/** The value of `key` (any case) on these tags, or undefined: the first one found. */
export const tagValue = (tags: Tags, key: string): string | undefined => tagsNamed(tags, key)[0]?.value;

/** Hands off: any `ssm-doctor:remediate` (any case) whose value is not `true` (trimmed, any case). */
export const isOptedOut = (tags: Tags): boolean =>
  tagsNamed(tags, OPT_OUT_TAG).some((t) => normalized(t.value) !== 'true');

/** The opt-out tag as found, for messages (`SSM-Doctor:Remediate=no`). */
export function optOutLabel(tags: Tags): string {
  const found = tagsNamed(tags, OPT_OUT_TAG).find((t) => normalized(t.value) !== 'true');
  return found ? `${found.key}=${found.value}` : `${OPT_OUT_TAG}=false`;
}

/** Hidden from diagnosis: every `ssm-doctor:ignore` (any case) is `true` (trimmed, any case). */
export const isIgnored = (tags: Tags): boolean => {
  const found = tagsNamed(tags, IGNORE_TAG);
  return found.length > 0 && found.every((t) => normalized(t.value) === 'true');
};

/** The ignore tag as found, for the report's `ignored` list. */
export const ignoreLabel = (tags: Tags): string => {
  const found = tagsNamed(tags, IGNORE_TAG)[0];
  return found ? `${found.key}=${found.value}` : `${IGNORE_TAG}=true`;
};

/**
 * Run-level errors for steering tags whose value is neither `true` nor `false`: the instance is
 * treated fail-closed (hands off, or diagnosed), and the person who set it is told.
 */
export function tagProblems(resource: string, tags: Tags): RunError[] {
  const errors: RunError[] = [];
  for (const [key, meaning] of [
    [OPT_OUT_TAG, 'it is treated as opted out (hands off)'],
    [IGNORE_TAG, 'the instance is diagnosed as if the tag were absent'],
  ] as const) {
    for (const tag of tagsNamed(tags, key)) {
      const value = normalized(tag.value);
      if (value === 'true' || value === 'false') continue;
      errors.push({
        code: 'InvalidTag',
        message: `${resource} is tagged ${JSON.stringify(tag.key)}=${JSON.stringify(tag.value)}; accepted: true or false. Until it is fixed ${meaning}.`,
      });
    }
  }
  return errors;
}
