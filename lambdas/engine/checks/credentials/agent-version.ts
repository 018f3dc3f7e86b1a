/** SSM Agent versions are dotted numbers; compare them part by part, not as strings (3.10 > 3.9). */

/** The first agent release that can use Default Host Management Configuration. */
export const DHMC_MIN_AGENT_VERSION = '3.2.582.0';

/** Negative, zero or positive like a sort comparator; `undefined` when either is not a version. */
export function compareVersions(a: string, b: string): number | undefined {
  const parse = (v: string) =>
    v
      .trim()
      .split('.')
      .map((part) => (/^\d+$/.test(part) ? Number(part) : Number.NaN));
  const left = parse(a);
  const right = parse(b);
  if ([...left, ...right].some(Number.isNaN)) return undefined;
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

export type AgentVersionState = 'ok' | 'too-old' | 'unknown';

/** Only ConnectionLost instances have reported a version; NotRegistered ones never did. */
export function agentVersionState(version: string | undefined): AgentVersionState {
  if (!version) return 'unknown';
  const order = compareVersions(version, DHMC_MIN_AGENT_VERSION);
  if (order === undefined) return 'unknown';
  return order < 0 ? 'too-old' : 'ok';
}
