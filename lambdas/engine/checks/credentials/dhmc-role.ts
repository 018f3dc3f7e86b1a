/**
 * `dhmc.role`: when the agent relies on Default Host Management Configuration, the configured role
 * must exist, trust `ssm.amazonaws.com` and carry AmazonSSMManagedEC2InstanceDefaultPolicy (or
 * equivalent permissions). When the instance profile serves the agent, DHMC does not matter.
 */
import { type Check, type CheckResult, result } from '../../check.ts';
import type { InstanceFacts } from '../../facts.ts';
import { dhmcEvidence, dhmcIssues, whyDhmcCannot } from './fallback.ts';
import { DHMC_POLICY } from './grants.ts';
import { associateProfile, attachPolicy, createDhmcRole, enableDhmc, fixTrust } from './next-steps.ts';
import { type DhmcAssessment, resolveCredentials } from './resolve.ts';

const ID = 'dhmc.role';

function fixes(facts: InstanceFacts, dhmc: DhmcAssessment): string[] {
  const role = dhmc.role?.name ?? dhmc.settingValue ?? '';
  // Session/command gaps do not make the role invalid on their own, but are fixed at the same time.
  const issues = dhmc.managementGaps ? [...dhmc.issues, 'lacks-policy' as const] : dhmc.issues;
  return issues.flatMap((issue) => {
    if (issue === 'missing') {
      return [
        ...createDhmcRole(facts, role),
        `Or point DHMC at an existing role: ${enableDhmc(facts, '<role-name>')}`,
      ];
    }
    return issue === 'untrusted'
      ? [fixTrust(role, 'ssm.amazonaws.com')]
      : [attachPolicy(facts, role, DHMC_POLICY)];
  });
}

export const dhmcRoleCheck: Check = {
  id: ID,
  title: 'The Default Host Management Configuration role is usable when the instance relies on it',
  reads: ['runningInstances', 'instanceProfile', 'dhmc'],
  evaluate(facts): CheckResult {
    const { dhmc, reliesOnDhmc, profile } = resolveCredentials(facts);
    const instanceId = facts.candidate.instance.InstanceId ?? 'the instance';
    const evidence = dhmcEvidence(dhmc);
    const roleName = dhmc.role?.name ?? dhmc.settingValue;

    if (reliesOnDhmc === 'no') {
      const summary = `${instanceId} gets its credentials from role ${profile.role?.name}, so DHMC is not needed.`;
      return result.skip(ID, summary, evidence);
    }
    if (reliesOnDhmc === 'unknown') {
      if (dhmc.state === 'valid') {
        const summary = `The instance profile of ${instanceId} could not be assessed, but DHMC role ${roleName} is valid and would cover it.`;
        return result.pass(ID, summary, evidence);
      }
      const summary = `The instance profile of ${instanceId} could not be assessed (${profile.problem}) and DHMC would not surely cover it: ${whyDhmcCannot(dhmc)}.`;
      return result.unknown(ID, summary, evidence);
    }
    switch (dhmc.state) {
      case 'off':
        return result.skip(
          ID,
          `${instanceId} needs DHMC but it is off ($None); the iam.* checks name the cause.`,
          evidence,
        );
      case 'unknown':
        return result.unknown(
          ID,
          `${instanceId} relies on DHMC, which could not be assessed: ${dhmc.problem}.`,
          evidence,
        );
      case 'invalid': {
        const summary = `${instanceId} relies on DHMC and its role ${roleName} ${dhmcIssues(dhmc)}.`;
        const alternative =
          profile.state === 'none'
            ? [`Or give the instance its own profile: ${associateProfile(facts)}`]
            : [];
        return result.fail(ID, 'DHMC_ROLE_INVALID', summary, evidence, [
          ...fixes(facts, dhmc),
          ...alternative,
        ]);
      }
      default: {
        if (dhmc.managementGaps) {
          // Registration works through DHMC; only Run Command / Session Manager will fail.
          const summary = `${instanceId} relies on DHMC; role ${roleName} is allowed ssm:UpdateInstanceInformation, so the instance can register, but not ${dhmc.managementGaps.join(', ')}, which ${DHMC_POLICY} grants.`;
          return result.degrading(
            result.fail(ID, 'DHMC_ROLE_INVALID', summary, evidence, [
              attachPolicy(facts, roleName ?? '', DHMC_POLICY),
            ]),
          );
        }
        const summary = `${instanceId} relies on DHMC and role ${roleName} exists, trusts ssm.amazonaws.com and grants the agent's actions.`;
        return result.pass(ID, summary, evidence);
      }
    }
  },
};
