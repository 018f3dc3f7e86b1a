/**
 * Does a role grant what the agent needs? Proven either by an AWS managed policy known to grant it,
 * or by `iam:SimulatePrincipalPolicy` decisions (which also see inline and customer-managed
 * policies, permission boundaries and explicit denies, so they win when present).
 */

import type { RolePicture, SimulatedDecisions } from '../../facts.ts';
import { describeProblem } from '../../readout.ts';

/** What `AmazonSSMManagedInstanceCore` grants that registration and sessions cannot do without. */
export const CORE_ACTIONS = [
  'ssm:UpdateInstanceInformation',
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
  'ec2messages:GetMessages',
] as const;

/** Without this one the agent cannot register with the profile and falls back to DHMC. */
export const REGISTER_ACTION = 'ssm:UpdateInstanceInformation';

export const CORE_POLICY = 'AmazonSSMManagedInstanceCore';
export const DHMC_POLICY = 'AmazonSSMManagedEC2InstanceDefaultPolicy';
/** Deprecated by AWS in favour of Core; it still grants the core actions (and much more). */
export const DEPRECATED_POLICY = 'service-role/AmazonEC2RoleforSSM';

export const managedPolicyArn = (partition: string, name: string) =>
  `arn:${partition}:iam::aws:policy/${name}`;

export type PermissionVerdict =
  | { kind: 'granted'; via: 'managed-policy'; policyArn: string; deprecated: boolean }
  | { kind: 'granted'; via: 'simulation'; decisions: SimulatedDecisions }
  | { kind: 'missing'; missing: string[]; decisions: SimulatedDecisions }
  | { kind: 'unknown'; reason: string };

/** The first attached policy from `names` (in preference order), tolerating a missing path. */
function attachedPolicy(role: RolePicture, partition: string, names: readonly string[]): string | undefined {
  for (const name of names) {
    const bare = name.split('/').pop() as string;
    const accepted = [managedPolicyArn(partition, name), managedPolicyArn(partition, bare)];
    const found = role.attachedPolicyArns.find((arn) => accepted.includes(arn));
    if (found) return found;
  }
  return undefined;
}

/**
 * `sufficientPolicies` are the managed policies that grant every core action, best first. The
 * instance-profile role prefers Core, the DHMC role prefers its default policy; the deprecated one
 * goes last so a role carrying both is not flagged.
 */
export function assessPermissions(
  role: RolePicture,
  partition: string,
  sufficientPolicies: readonly string[],
): PermissionVerdict {
  const policyArn = attachedPolicy(role, partition, sufficientPolicies);
  const byPolicy: PermissionVerdict | undefined = policyArn
    ? {
        kind: 'granted',
        via: 'managed-policy',
        policyArn,
        deprecated: policyArn.endsWith('/AmazonEC2RoleforSSM'),
      }
    : undefined;
  const simulated = role.simulated;

  if (simulated?.ok) {
    const decisions = simulated.value;
    const missing = CORE_ACTIONS.filter((a) => decisions[a] !== undefined && decisions[a] !== 'allowed');
    if (missing.length > 0) return { kind: 'missing', missing, decisions };
    const unproven = CORE_ACTIONS.filter((a) => decisions[a] === undefined);
    if (unproven.length === 0) return byPolicy ?? { kind: 'granted', via: 'simulation', decisions };
    return byPolicy ?? { kind: 'unknown', reason: `the simulation did not cover ${unproven.join(', ')}` };
  }
  if (byPolicy) return byPolicy;
  if (simulated && !simulated.ok) return { kind: 'unknown', reason: describeProblem(simulated.problem) };
  return {
    kind: 'unknown',
    reason: `no known-sufficient managed policy is attached to ${role.name} and its permissions were not simulated`,
  };
}

/** Preference orders for the two roles the agent can use. */
export const PROFILE_POLICIES = [CORE_POLICY, DHMC_POLICY, DEPRECATED_POLICY] as const;
export const DHMC_POLICIES = [DHMC_POLICY, CORE_POLICY, DEPRECATED_POLICY] as const;
