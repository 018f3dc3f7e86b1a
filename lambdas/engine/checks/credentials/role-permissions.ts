/**
 * `iam.role-permissions`: the profile's role grants what AmazonSSMManagedInstanceCore grants.
 * Without `ssm:UpdateInstanceInformation` the agent falls back to DHMC, so that gap is covered when
 * DHMC works; a gap in the messaging actions alone is not (the agent registers with the profile).
 */
import { type Check, type CheckResult, result } from '../../check.ts';
import type { IamLayer, InstanceFacts } from '../../facts.ts';
import { profileDefect } from './fallback.ts';
import { CORE_POLICY } from './grants.ts';
import { attachPolicy } from './next-steps.ts';
import { resolveCredentials } from './resolve.ts';
import { isResult, roleUnderTest } from './role-under-test.ts';

const ID = 'iam.role-permissions';

/** "(denied by the permissions boundary)": the layers that decided, when not only the identity policies. */
function layersClause(deniedBy: Record<string, IamLayer[]>): string {
  const layers = [...new Set(Object.values(deniedBy).flat())];
  return layers.length ? ` (not allowed by its ${layers.join(' and ')})` : '';
}

function missingPermissions(
  facts: InstanceFacts,
  roleName: string,
  missing: string[],
  deniedBy: Record<string, IamLayer[]>,
  evidence: Record<string, unknown>,
) {
  const { reliesOnDhmc } = resolveCredentials(facts);
  const defect = `Role ${roleName} lacks ${missing.join(', ')}${layersClause(deniedBy)}`;
  const fix = [attachPolicy(facts, roleName)];
  // The agent only falls back when the profile cannot register (or is unusable altogether).
  if (reliesOnDhmc === 'yes')
    return profileDefect(ID, facts, 'ROLE_MISSING_SSM_PERMISSIONS', defect, evidence, fix);
  // Registration is allowed, so the agent registers with this role and DHMC never takes over; what
  // is missing breaks only Run Command and Session Manager: a degradation, fixed the same way.
  const summary = `${defect}, which ${CORE_POLICY} grants; the agent can register with this role (so DHMC does not take over), but Session Manager and Run Command will fail.`;
  return result.degrading(result.fail(ID, 'ROLE_MISSING_SSM_PERMISSIONS', summary, evidence, fix));
}

export const rolePermissionsCheck: Check = {
  id: ID,
  title: `The instance role grants what ${CORE_POLICY} grants`,
  reads: ['runningInstances', 'instanceProfile', 'dhmc'],
  evaluate(facts): CheckResult {
    const subject = roleUnderTest(ID, facts, 'no role permissions to check');
    if (isResult(subject)) return subject;
    const { role, permissions } = subject;
    const evidence: Record<string, unknown> = {
      roleArn: role.arn,
      attachedPolicyArns: role.attachedPolicyArns,
    };
    switch (permissions.kind) {
      case 'unknown':
        return result.unknown(
          ID,
          `Whether role ${role.name} grants the SSM permissions is unknown: ${permissions.reason}.`,
          evidence,
        );
      case 'missing':
        return missingPermissions(facts, role.name, permissions.missing, permissions.deniedBy, {
          ...evidence,
          decisions: permissions.decisions,
          decidingLayers: permissions.deniedBy,
        });
      case 'conditional': {
        const summary = `Role ${role.name} is allowed ${permissions.actions.join(', ')} only depending on ${permissions.keys.join(', ')}, which the simulation could not be given: verify the agent's calls carry values that meet those conditions.`;
        return result.warn(
          ID,
          summary,
          { ...evidence, decisions: permissions.decisions, unknownContextKeys: permissions.keys },
          [
            `Review the conditions on ${permissions.keys.join(', ')} in the policies of role ${role.name} (and its boundary and SCPs): the agent calls from the instance over HTTPS, through the endpoint path this report shows`,
          ],
        );
      }
      default:
        break;
    }
    if (permissions.via === 'simulation') {
      const summary = `Role ${role.name} is allowed every action ${CORE_POLICY} grants the agent (simulated).`;
      return result.pass(ID, summary, { ...evidence, decisions: permissions.decisions });
    }
    if (permissions.unsimulated) {
      const summary = `Role ${role.name} has ${permissions.policyArn.split('/').pop()} attached, but its permissions could not be simulated (${permissions.unsimulated}): an explicit deny, a permissions boundary or an SCP could still cut them back.`;
      return result.warn(ID, summary, { ...evidence, grantedBy: permissions.policyArn }, [
        `Allow the scan iam:SimulatePrincipalPolicy on ${role.arn} so every IAM layer can be checked`,
      ]);
    }
    if (permissions.deprecated) {
      const summary = `Role ${role.name} gets the SSM permissions from the deprecated AmazonEC2RoleforSSM; attach ${CORE_POLICY} instead.`;
      return result.warn(ID, summary, { ...evidence, grantedBy: permissions.policyArn }, [
        `${attachPolicy(facts, role.name)} (then detach AmazonEC2RoleforSSM, which grants far more than the agent needs)`,
      ]);
    }
    return result.pass(ID, `Role ${role.name} has ${permissions.policyArn.split('/').pop()} attached.`, {
      ...evidence,
      grantedBy: permissions.policyArn,
    });
  },
};
