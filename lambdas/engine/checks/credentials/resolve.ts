/**
 * One decision, shared by the five credential checks: which credentials the agent ends up with.
 * The agent tries the instance-profile role first and falls back to Default Host Management
 * Configuration (DHMC) only when the profile is missing, unusable, or denies
 * `ssm:UpdateInstanceInformation`. Every check reads this picture so they never disagree.
 */
import type { InstanceFacts } from '../../facts.ts';
import { assessDhmc, type DhmcAssessment } from './dhmc-assessment.ts';
import { REGISTER_ACTION } from './grants.ts';
import { assessProfile, type ProfileAssessment } from './profile-assessment.ts';

export type { DhmcAssessment, DhmcRoleIssue } from './dhmc-assessment.ts';
export type { ProfileAssessment, ProfileState } from './profile-assessment.ts';

export type Tri = 'yes' | 'no' | 'unknown';

export interface CredentialPicture {
  profile: ProfileAssessment;
  dhmc: DhmcAssessment;
  /** Does the agent fall back to DHMC on this instance? */
  reliesOnDhmc: Tri;
  /** Would DHMC give the agent credentials (setting on, role valid, agent new enough)? */
  dhmcCovers: Tri;
}

function reliesOnDhmc(profile: ProfileAssessment): Tri {
  switch (profile.state) {
    case 'none':
    case 'not-found':
    case 'no-role':
    case 'untrusted':
      return 'yes';
    case 'missing-permissions':
      return profile.permissions?.kind === 'missing' && profile.permissions.missing.includes(REGISTER_ACTION)
        ? 'yes'
        : 'no';
    case 'ok':
      return 'no';
    default:
      return 'unknown';
  }
}

function dhmcCovers(dhmc: DhmcAssessment): Tri {
  if (dhmc.state === 'off' || dhmc.state === 'invalid' || dhmc.agent === 'too-old') return 'no';
  return dhmc.state === 'valid' ? 'yes' : 'unknown';
}

const memo = new WeakMap<InstanceFacts, CredentialPicture>();

/** Memoised per facts object: five checks ask, the evaluation runs once. */
export function resolveCredentials(facts: InstanceFacts): CredentialPicture {
  const cached = memo.get(facts);
  if (cached) return cached;
  const profile = assessProfile(facts);
  const dhmc = assessDhmc(facts);
  const picture = { profile, dhmc, reliesOnDhmc: reliesOnDhmc(profile), dhmcCovers: dhmcCovers(dhmc) };
  memo.set(facts, picture);
  return picture;
}
