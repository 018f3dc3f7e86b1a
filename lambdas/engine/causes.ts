/**
 * The cause catalog of `ssm-doctor/report@1`, in precedence order: a finding's `rootCause` is the
 * first of its causes in this list. The order follows the path a registration takes: the machine
 * must run, reach the service, then prove who it is.
 */
export const CAUSE_CODES = [
  'INSTANCE_STATUS_IMPAIRED',
  'INSTANCE_BOOT_FAILED',
  'ROUTE_MISSING',
  'ROUTE_BLACKHOLE',
  'PUBLIC_IP_MISSING',
  'NAT_GATEWAY_UNAVAILABLE',
  'VPC_ENDPOINT_MISSING',
  'VPC_DNS_DISABLED',
  'VPC_ENDPOINT_PRIVATE_DNS_DISABLED',
  'VPC_ENDPOINT_POLICY_DENIES',
  'NACL_BLOCKED',
  'SECURITY_GROUP_EGRESS_BLOCKED',
  'ENDPOINT_SECURITY_GROUP_INGRESS_BLOCKED',
  'IMDS_DISABLED',
  'INSTANCE_PROFILE_NOT_FOUND',
  'INSTANCE_PROFILE_NO_ROLE',
  'ROLE_TRUST_POLICY_INVALID',
  'ROLE_MISSING_SSM_PERMISSIONS',
  'NO_INSTANCE_PROFILE',
  'DHMC_ROLE_INVALID',
  'DHMC_AGENT_TOO_OLD',
  'DISK_FULL',
  'METADATA_UNREACHABLE_FROM_OS',
  'AGENT_NOT_RUNNING',
  'AGENT_NOT_PREINSTALLED',
] as const;

export type CauseCode = (typeof CAUSE_CODES)[number];
export type RootCause = CauseCode | 'UNKNOWN';

/** One line a person reads in a table or an email subject. */
export const CAUSE_SUMMARY: Record<CauseCode, string> = {
  INSTANCE_STATUS_IMPAIRED: 'EC2 status checks are failing',
  INSTANCE_BOOT_FAILED:
    'the console output shows the OS did not boot (kernel panic, file system errors, emergency mode)',
  ROUTE_MISSING: 'no route to the Systems Manager endpoints (no 0.0.0.0/0 route, no VPC endpoints)',
  ROUTE_BLACKHOLE: 'the default route points at a deleted target (blackhole)',
  PUBLIC_IP_MISSING: 'routed to an internet gateway but the instance has no public IPv4 address',
  NAT_GATEWAY_UNAVAILABLE: 'the NAT gateway is not available or has no route to the internet',
  VPC_ENDPOINT_MISSING:
    'the VPC relies on interface endpoints and one of ssm/ec2messages/ssmmessages is missing',
  VPC_DNS_DISABLED: 'VPC DNS support or DNS hostnames is off, so endpoint private DNS cannot work',
  VPC_ENDPOINT_PRIVATE_DNS_DISABLED:
    'an interface endpoint has private DNS off and there is no internet path',
  VPC_ENDPOINT_POLICY_DENIES:
    "an interface endpoint's policy does not allow the agent's actions for the instance's role",
  NACL_BLOCKED: 'a network ACL blocks HTTPS out or the return traffic in',
  SECURITY_GROUP_EGRESS_BLOCKED: 'no security group on the instance allows HTTPS (TCP 443) out',
  ENDPOINT_SECURITY_GROUP_INGRESS_BLOCKED:
    'the VPC endpoint security groups do not allow HTTPS in from the instance',
  IMDS_DISABLED: 'the instance metadata service is disabled, so the agent has no identity or credentials',
  INSTANCE_PROFILE_NOT_FOUND: 'the attached instance profile no longer exists',
  INSTANCE_PROFILE_NO_ROLE: 'the instance profile holds no role',
  ROLE_TRUST_POLICY_INVALID: 'the instance role does not trust ec2.amazonaws.com',
  ROLE_MISSING_SSM_PERMISSIONS: 'the instance role lacks the AmazonSSMManagedInstanceCore permissions',
  NO_INSTANCE_PROFILE: 'no instance profile and Default Host Management Configuration is off',
  DHMC_ROLE_INVALID:
    'the Default Host Management Configuration role is missing, untrusted or lacks permissions',
  DHMC_AGENT_TOO_OLD: 'the agent is too old for Default Host Management Configuration (needs 3.2.582.0+)',
  DISK_FULL: 'the console output shows a full disk (no space left on device)',
  METADATA_UNREACHABLE_FROM_OS: 'the console output shows the OS cannot reach the instance metadata service',
  AGENT_NOT_RUNNING: 'the console output shows the SSM Agent failed to start or stopped',
  AGENT_NOT_PREINSTALLED: 'the AMI does not ship the SSM Agent: it may not be installed',
};

export function sortCauses(causes: Iterable<CauseCode>): CauseCode[] {
  const unique = new Set(causes);
  return CAUSE_CODES.filter((code) => unique.has(code));
}

export function rootCauseOf(causes: readonly CauseCode[]): RootCause {
  return sortCauses(causes)[0] ?? 'UNKNOWN';
}
