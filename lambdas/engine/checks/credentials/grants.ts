/**
 * Does a role grant what the agent needs? Proven either by an AWS managed policy known to grant it,
 * or by `iam:SimulatePrincipalPolicy` decisions (which also see inline and customer-managed
 * policies, permission boundaries and explicit denies, so they win when present).
 */

import type { IamLayer, RolePicture, SimulatedDecisions } from '../../facts.ts';
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
  | {
      kind: 'granted';
      via: 'managed-policy';
      policyArn: string;
      deprecated: boolean;
      /** Why the grant is not confirmed by a simulation (denied, throttled…), when it is not. */
      unsimulated?: string;
    }
  | { kind: 'granted'; via: 'simulation'; decisions: SimulatedDecisions }
  | {
      kind: 'missing';
      missing: string[];
      decisions: SimulatedDecisions;
      /** The layers that did not allow each missing action, as the simulation reported them. */
      deniedBy: Record<string, IamLayer[]>;
    }
  /** Allowed or denied only depending on condition keys the simulation could not be given. */
  | { kind: 'conditional'; actions: string[]; keys: string[]; decisions: SimulatedDecisions }
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
    const details = role.simulationDetails ?? {};
    const keysOf = (action: string) => details[action]?.missingContextValues ?? [];
    // A decision that depended on keys the simulation lacked (a conditional allow that could not
    // hold, a conditional deny that could not be ruled out) may differ on the agent's real call.
    const conditional = CORE_ACTIONS.filter((a) => decisions[a] !== undefined && keysOf(a).length > 0);
    const missing = CORE_ACTIONS.filter(
      (a) => decisions[a] !== undefined && decisions[a] !== 'allowed' && !conditional.includes(a),
    );
    if (missing.length > 0) {
      const deniedBy: Record<string, IamLayer[]> = Object.fromEntries(
        missing.map((a): [string, IamLayer[]] => [a, details[a]?.deniedBy ?? ['identity policy']]),
      );
      return { kind: 'missing', missing, decisions, deniedBy };
    }
    if (conditional.length > 0) {
      const keys = [...new Set(conditional.flatMap(keysOf))].sort();
      return { kind: 'conditional', actions: conditional, keys, decisions };
    }
    const unproven = CORE_ACTIONS.filter((a) => decisions[a] === undefined);
    if (unproven.length === 0) return byPolicy ?? { kind: 'granted', via: 'simulation', decisions };
    return byPolicy ?? { kind: 'unknown', reason: `the simulation did not cover ${unproven.join(', ')}` };
  }
  // The simulation failed: an attached sufficient policy is still good evidence, but a deny, a
  // boundary or an SCP could cut it back, so the grant is reported as not confirmed.
  if (byPolicy && simulated) return { ...byPolicy, unsimulated: describeProblem(simulated.problem) };
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
