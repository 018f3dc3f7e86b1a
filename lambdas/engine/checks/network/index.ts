/** The network checks, in report order: one path per service, then what may block the chosen paths. */
import type { Check } from '../../check.ts';
import { dnsCheck } from './dns.ts';
import { endpointSecurityGroupIngressCheck } from './endpoint-security-group-ingress.ts';
import { networkAclCheck } from './nacl.ts';
import { servicePathChecks } from './path-checks.ts';
import { securityGroupEgressCheck } from './security-group-egress.ts';

export const networkChecks: Check[] = [
  ...servicePathChecks,
  securityGroupEgressCheck,
  endpointSecurityGroupIngressCheck,
  networkAclCheck,
  dnsCheck,
];

export type { ServicePath } from './path-types.ts';
export { resolveServicePaths } from './paths.ts';
export { SSM_SERVICES, type SsmService } from './services.ts';
