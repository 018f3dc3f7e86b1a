/**
 * Every diagnostic check, written out in the order a finding lists them: the instance's health,
 * the network path, instance metadata, credentials, then the agent itself. A check that is not in
 * this list never runs, so a new one must be added here (test/engine/checks-list.test.ts compares
 * it with every check module).
 */
import type { Check } from '../check.ts';
import { dhmcAgentVersionCheck } from './credentials/dhmc-agent-version.ts';
import { dhmcRoleCheck } from './credentials/dhmc-role.ts';
import { instanceProfileCheck } from './credentials/instance-profile.ts';
import { rolePermissionsCheck } from './credentials/role-permissions.ts';
import { roleTrustCheck } from './credentials/role-trust.ts';
import { agentAmiCheck } from './instance/agent-ami.ts';
import { agentConsoleCheck } from './instance/agent-console.ts';
import { agentRegistrationCheck } from './instance/agent-registration.ts';
import { instanceMetadataCheck } from './instance/metadata.ts';
import { instanceStatusCheck } from './instance/status.ts';
import { dnsCheck } from './network/dns.ts';
import { endpointSecurityGroupIngressCheck } from './network/endpoint-security-group-ingress.ts';
import { networkAclCheck } from './network/nacl.ts';
import { servicePathChecks } from './network/path-checks.ts';
import { securityGroupEgressCheck } from './network/security-group-egress.ts';

export const ALL_CHECKS: readonly Check[] = [
  instanceStatusCheck,
  ...servicePathChecks,
  securityGroupEgressCheck,
  endpointSecurityGroupIngressCheck,
  networkAclCheck,
  dnsCheck,
  instanceMetadataCheck,
  instanceProfileCheck,
  roleTrustCheck,
  rolePermissionsCheck,
  dhmcRoleCheck,
  dhmcAgentVersionCheck,
  agentAmiCheck,
  agentRegistrationCheck,
  agentConsoleCheck,
];
