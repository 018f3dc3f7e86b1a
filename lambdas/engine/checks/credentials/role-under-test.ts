/**
 * The shared start of the role checks: find the profile's role with its trust and permission
 * verdicts, or the result to give when there is no role to judge (no profile, a deleted profile,
 * a profile without a role, or a role that could not be read).
 */
import { type CheckResult, result } from '../../check.ts';
import type { InstanceFacts, RolePicture } from '../../facts.ts';
import type { PermissionVerdict } from './grants.ts';
import type { TrustVerdict } from './policy.ts';
import { resolveCredentials } from './resolve.ts';

export interface RoleUnderTest {
  instanceId: string;
  role: RolePicture;
  trust: TrustVerdict;
  permissions: PermissionVerdict;
}

/** `noProfile` finishes "<instance> has no instance profile, so …". */
export function roleUnderTest(
  id: string,
  facts: InstanceFacts,
  noProfile: string,
): RoleUnderTest | CheckResult {
  const { profile } = resolveCredentials(facts);
  const instanceId = facts.candidate.instance.InstanceId ?? 'the instance';
  if (profile.state === 'none')
    return result.skip(id, `${instanceId} has no instance profile, so ${noProfile}.`);
  if (profile.state === 'not-found' || profile.state === 'no-role') {
    return result.skip(
      id,
      `Instance profile ${profile.profile?.name} on ${instanceId} has no role to check.`,
    );
  }
  const { role, trust, permissions } = profile;
  if (!role || !trust || !permissions) {
    return result.unknown(
      id,
      `The instance role of ${instanceId} could not be assessed: ${profile.problem}.`,
    );
  }
  return { instanceId, role, trust, permissions };
}

export const isResult = (value: RoleUnderTest | CheckResult): value is CheckResult => 'status' in value;
