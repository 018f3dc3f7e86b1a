/**
 * The two tags people put on instances to steer ssm-doctor, and how their values are read. Both
 * are read in one place so discovery, planning, the re-read before a write and the IAM deny agree.
 */
export const OPT_OUT_TAG = 'ssm-doctor:remediate';
export const IGNORE_TAG = 'ssm-doctor:ignore';

type Tags = readonly { Key?: string; Value?: string }[] | undefined;

/** The value of `key` on these tags, or undefined. */
export const tagValue = (tags: Tags, key: string): string | undefined =>
  tags?.find((t) => t.Key === key)?.Value;

/** The opt-out tag's value is compared case-insensitively everywhere (plan, re-read, IAM deny). */
export const isOptedOut = (tags: Tags): boolean => tagValue(tags, OPT_OUT_TAG)?.toLowerCase() === 'false';

/** `ssm-doctor:ignore=true` (any case) hides an instance from diagnosis. */
export const isIgnored = (tags: Tags): boolean => tagValue(tags, IGNORE_TAG)?.toLowerCase() === 'true';
