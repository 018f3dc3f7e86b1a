/**
 * `iam.instance-profile`: the instance has a profile that still exists and holds a role. With no
 * profile at all the agent relies on DHMC, so "no profile" is a cause only when DHMC is off.
 */
import { type Check, type CheckResult, result } from '../../check.ts';
import type { InstanceFacts } from '../../facts.ts';
import { dhmcEvidence, profileDefect, whyDhmcCannot, withNextSteps } from './fallback.ts';
import { addRoleToProfile, associateProfile, enableDhmc, replaceProfile } from './next-steps.ts';
import { type CredentialPicture, resolveCredentials } from './resolve.ts';

const ID = 'iam.instance-profile';

function noProfile(
  facts: InstanceFacts,
  { dhmc, dhmcCovers }: CredentialPicture,
  instanceId: string,
): CheckResult {
  const evidence = { instanceProfile: null, dhmc: dhmcEvidence(dhmc) };
  if (dhmc.state === 'off') {
    const summary = `${instanceId} has no instance profile and Default Host Management Configuration is off ($None).`;
    return result.fail(ID, 'NO_INSTANCE_PROFILE', summary, evidence, [
      associateProfile(facts),
      `Or turn on DHMC for the account and region: ${enableDhmc(facts)}`,
    ]);
  }
  if (dhmcCovers === 'yes') {
    const role = dhmc.role?.name ?? dhmc.settingValue;
    return result.pass(
      ID,
      `${instanceId} has no instance profile; DHMC (role ${role}) provides its credentials.`,
      evidence,
    );
  }
  if (dhmcCovers === 'no') {
    // The DHMC checks name the cause (DHMC_ROLE_INVALID / DHMC_AGENT_TOO_OLD); a profile is the other way out.
    const summary = `${instanceId} has no instance profile and DHMC cannot provide credentials: ${whyDhmcCannot(dhmc)}.`;
    return result.warn(ID, summary, evidence, [associateProfile(facts)]);
  }
  const summary = `${instanceId} has no instance profile and whether DHMC covers it is unknown: ${whyDhmcCannot(dhmc)}.`;
  return withNextSteps(result.unknown(ID, summary, evidence), [associateProfile(facts)]);
}

export const instanceProfileCheck: Check = {
  id: ID,
  title: 'The instance profile exists and holds a role (or DHMC provides credentials)',
  reads: ['runningInstances', 'instanceProfile', 'dhmc'],
  evaluate(facts) {
    const picture = resolveCredentials(facts);
    const instanceId = facts.candidate.instance.InstanceId ?? 'the instance';
    const { state, profile, role } = picture.profile;
    if (state === 'none') return noProfile(facts, picture, instanceId);
    if (!profile)
      return result.unknown(
        ID,
        `The instance profile of ${instanceId} could not be read: ${picture.profile.problem}.`,
      );

    const evidence = { profileArn: profile.arn, profileName: profile.name };
    if (state === 'not-found') {
      const defect = `Instance profile ${profile.name} attached to ${instanceId} no longer exists`;
      return profileDefect(ID, facts, 'INSTANCE_PROFILE_NOT_FOUND', defect, evidence, replaceProfile(facts));
    }
    if (state === 'no-role') {
      const defect = `Instance profile ${profile.name} on ${instanceId} holds no role`;
      return profileDefect(ID, facts, 'INSTANCE_PROFILE_NO_ROLE', defect, evidence, [
        addRoleToProfile(profile.name),
      ]);
    }
    // The profile holds a role; whether that role is usable is for iam.role-trust and iam.role-permissions.
    const roleName = role?.name ?? 'a role that could not be read';
    return result.pass(
      ID,
      `Instance profile ${profile.name} on ${instanceId} exists and holds ${roleName}.`,
      {
        ...evidence,
        ...(role ? { roleArn: role.arn } : { roleProblem: picture.profile.problem }),
      },
    );
  },
};
