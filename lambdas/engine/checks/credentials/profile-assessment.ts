/**
 * What the instance profile gives the agent: whether it exists, holds a role, whether EC2 may
 * assume that role, and whether the role grants the core actions.
 */
import type { InstanceFacts, ProfilePicture, RolePicture } from '../../facts.ts';
import { describeProblem } from '../../readout.ts';
import { assessPermissions, type PermissionVerdict, PROFILE_POLICIES } from './grants.ts';
import { evaluateTrust, type TrustVerdict } from './policy.ts';

export type ProfileState =
  | 'none'
  | 'not-found'
  | 'no-role'
  | 'untrusted'
  | 'missing-permissions'
  | 'ok'
  | 'unknown';

export interface ProfileAssessment {
  state: ProfileState;
  profile?: ProfilePicture;
  role?: RolePicture;
  trust?: TrustVerdict;
  permissions?: PermissionVerdict;
  /** Why the state (or part of it) is unknown. */
  problem?: string;
}

export function assessProfile(facts: InstanceFacts): ProfileAssessment {
  if (facts.profile === null) return { state: 'none' };
  if (!facts.profile.ok) return { state: 'unknown', problem: describeProblem(facts.profile.problem) };
  const profile = facts.profile.value;
  if (!profile.exists) return { state: 'not-found', profile };
  if (profile.role === null) return { state: 'no-role', profile };
  if (!profile.role.ok) return { state: 'unknown', profile, problem: describeProblem(profile.role.problem) };
  const role = profile.role.value;
  const trust = evaluateTrust(role.trustPolicy, 'ec2.amazonaws.com');
  const permissions = assessPermissions(role, facts.partition, PROFILE_POLICIES);
  const base = { profile, role, trust, permissions };
  if (!trust.trusted) return { state: 'untrusted', ...base };
  if (permissions.kind === 'missing') return { state: 'missing-permissions', ...base };
  if (permissions.kind === 'unknown') return { state: 'unknown', ...base, problem: permissions.reason };
  return { state: 'ok', ...base };
}
