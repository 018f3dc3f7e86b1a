/**
 * What Default Host Management Configuration could give the agent: the setting, its role (exists,
 * trusts ssm.amazonaws.com, grants the core actions), the agent version and whether IMDS is on.
 */
import type { InstanceFacts, RolePicture } from '../../facts.ts';
import { describeProblem } from '../../readout.ts';
import { type AgentVersionState, agentVersionState } from './agent-version.ts';
import { assessPermissions, DHMC_POLICIES, type PermissionVerdict, REGISTER_ACTION } from './grants.ts';
import { evaluateTrust, type TrustVerdict } from './policy.ts';

export type DhmcRoleIssue = 'missing' | 'untrusted' | 'lacks-policy';

export interface DhmcAssessment {
  /** The setting and its role only; the agent version and IMDS are judged separately. */
  state: 'off' | 'valid' | 'invalid' | 'unknown';
  settingValue?: string;
  role?: RolePicture;
  issues: DhmcRoleIssue[];
  trust?: TrustVerdict;
  permissions?: PermissionVerdict;
  /**
   * Session/command actions the role is not allowed while `ssm:UpdateInstanceInformation` is:
   * DHMC still registers the instance (state `valid`), but management degrades.
   */
  managementGaps?: string[];
  problem?: string;
  agentVersion?: string;
  agent: AgentVersionState;
  /** DHMC needs IMDSv2; `instance.metadata` owns that cause, the DHMC checks only mention it. */
  imdsEnabled: boolean;
}

export function assessDhmc(facts: InstanceFacts): DhmcAssessment {
  const agentVersion = facts.candidate.information?.AgentVersion;
  const common = {
    issues: [] as DhmcRoleIssue[],
    agent: agentVersionState(agentVersion),
    imdsEnabled: facts.candidate.instance.MetadataOptions?.HttpEndpoint !== 'disabled',
    ...(agentVersion ? { agentVersion } : {}),
  };
  if (!facts.dhmc.ok) return { ...common, state: 'unknown', problem: describeProblem(facts.dhmc.problem) };
  const { settingValue, role: roleReadout } = facts.dhmc.value;
  // `$None` is how SSM spells "off"; an empty value cannot name a role either.
  if (settingValue === '$None' || settingValue.trim() === '')
    return { ...common, state: 'off', settingValue };
  if (!roleReadout)
    return { ...common, state: 'unknown', settingValue, problem: `the role ${settingValue} was not read` };
  if (!roleReadout.ok)
    return { ...common, state: 'unknown', settingValue, problem: describeProblem(roleReadout.problem) };
  if (roleReadout.value === null) return { ...common, state: 'invalid', settingValue, issues: ['missing'] };

  const role = roleReadout.value;
  const trust = evaluateTrust(role.trustPolicy, 'ssm.amazonaws.com');
  const permissions = assessPermissions(role, facts.partition, DHMC_POLICIES);
  const issues: DhmcRoleIssue[] = [];
  if (!trust.trusted) issues.push('untrusted');
  const blocksRegistration = permissions.kind === 'missing' && permissions.missing.includes(REGISTER_ACTION);
  if (blocksRegistration) issues.push('lacks-policy');
  const managementGaps = permissions.kind === 'missing' && !blocksRegistration ? permissions.missing : [];
  const known = {
    ...common,
    settingValue,
    role,
    trust,
    permissions,
    issues,
    ...(managementGaps.length > 0 ? { managementGaps } : {}),
  };
  if (issues.length > 0) return { ...known, state: 'invalid' };
  if (permissions.kind === 'unknown') return { ...known, state: 'unknown', problem: permissions.reason };
  return { ...known, state: 'valid' };
}
