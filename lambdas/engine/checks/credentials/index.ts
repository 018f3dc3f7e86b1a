/** The credential checks, in the order a finding lists them: profile, its role, then DHMC. */
import type { Check } from '../../check.ts';
import { dhmcAgentVersionCheck } from './dhmc-agent-version.ts';
import { dhmcRoleCheck } from './dhmc-role.ts';
import { instanceProfileCheck } from './instance-profile.ts';
import { rolePermissionsCheck } from './role-permissions.ts';
import { roleTrustCheck } from './role-trust.ts';

export const credentialChecks: Check[] = [
  instanceProfileCheck,
  roleTrustCheck,
  rolePermissionsCheck,
  dhmcRoleCheck,
  dhmcAgentVersionCheck,
];

export { compareVersions, DHMC_MIN_AGENT_VERSION } from './agent-version.ts';
export { CORE_ACTIONS } from './grants.ts';
export { type CredentialPicture, resolveCredentials } from './resolve.ts';
