/**
 * One template per root cause: where a candidate of that kind lives and what is wrong with it,
 * each isolated so that exactly its cause is the first one found. The generator places candidates
 * round-robin over the templates that the account's DHMC mode allows (DHMC is one setting per
 * account: `NO_INSTANCE_PROFILE` needs it off, `DHMC_ROLE_INVALID` needs a broken role and
 * `DHMC_AGENT_TOO_OLD` a working one).
 */
import type { RootCause } from '../../../lambdas/engine/causes.ts';
import type { InstanceShape } from './aws-objects.ts';
import type { DhmcMode, IamLayout } from './iam-layout.ts';
import type { ImageSet } from './images.ts';
import type { SubnetRole, VpcKind, VpcLayout } from './network-layout.ts';

export interface ScenarioContext {
  iam: IamLayout;
  images: ImageSet;
  vpc: VpcLayout;
  /** How many candidates of this template came before (0, 1, 2…). */
  occurrence: number;
}

export interface Scenario {
  expected: RootCause;
  /** The kinds of VPC it may be placed in. */
  vpc: readonly VpcKind[];
  subnet: SubnetRole;
  /** DHMC modes in which this template yields `expected` (default: all). */
  modes?: readonly DhmcMode[];
  /** ConnectionLost with this last agent version; NotRegistered when absent. */
  agent?: string;
  /** Changes to the healthy default the template starts from (a fleet profile, the app group). */
  shape?(shape: InstanceShape, ctx: ScenarioContext): InstanceShape;
  /** EC2 status checks say the instance is impaired. */
  impaired?: boolean;
  console?: string;
  /** CloudWatch `MetadataNoToken` over the look-back, for instances that allow IMDSv1. */
  metadataNoToken?: number;
}

/** Agents older than 3.2.582.0 cannot use DHMC, so a valid DHMC does not cover a broken profile. */
/** VPCs whose instances reach the internet through an internet or NAT gateway. */
const ROUTED: readonly VpcKind[] = ['internet', 'internet-stale-endpoints'];
/**
 * Route defects go where no SSM endpoint exists at all: next to a stale endpoint the endpoint's
 * own defect is what gets blamed.
 */
const ROUTED_ONLY: readonly VpcKind[] = ['internet'];
const PRE_DHMC_AGENT = '3.1.1446.0';
const CURRENT_AGENT = '3.3.1802.0';

const PANIC = [
  '[    3.121877] XFS (nvme0n1p1): log mount/recovery failed: error -117',
  '[    3.122901] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)',
].join('\n');
const AGENT_CRASH = [
  '[  OK  ] Started amazon-ssm-agent.service - amazon-ssm-agent.',
  '[   10.164398] amazon-ssm-agent[1903]: ERROR Agent failed to start: failed to load proxy settings',
  '[   10.171902] systemd[1]: amazon-ssm-agent.service: Main process exited, code=exited, status=1/FAILURE',
].join('\n');

const DISK_FULL = [
  '[  OK  ] Started amazon-ssm-agent.service - amazon-ssm-agent.',
  '[   12.402114] amazon-ssm-agent[1911]: open /var/lib/amazon/ssm/ipc/health: no space left on device',
].join('\n');
const WINDOWS_NO_METADATA = [
  '2026/11/26 05:01:02Z: EC2Launch: Unable to reach instance metadata at 169.254.169.254 (timed out)',
  '2026/11/26 05:01:09Z: Windows is Ready to use',
].join('\n');
const WINDOWS = (s: InstanceShape, c: ScenarioContext): InstanceShape => ({
  ...s,
  imageId: c.images.windows.id,
  windows: true,
  platformDetails: 'Windows',
  instanceType: 'm6i.large',
});

const withProfile = (
  shape: InstanceShape,
  profile: { arn: string; id: string } | undefined,
): InstanceShape => {
  const { profile: _previous, ...rest } = shape;
  return profile ? { ...rest, profile } : rest;
};

export const SCENARIOS: readonly Scenario[] = [
  {
    expected: 'INSTANCE_STATUS_IMPAIRED',
    vpc: ROUTED,
    subnet: 'private',
    agent: CURRENT_AGENT,
    impaired: true,
    console: PANIC,
    shape: (s) => ({ ...s, httpTokens: 'optional' }),
    metadataNoToken: 12,
  },
  { expected: 'ROUTE_MISSING', vpc: ROUTED_ONLY, subnet: 'isolated' },
  { expected: 'ROUTE_BLACKHOLE', vpc: ROUTED_ONLY, subnet: 'legacy', agent: '3.3.1611.0' },
  // A public subnet, but launched without a public IPv4 address.
  {
    expected: 'PUBLIC_IP_MISSING',
    vpc: ROUTED_ONLY,
    subnet: 'public',
    shape: (s, c) => ({ ...s, groups: [group(c, 'web')] }),
  },
  { expected: 'NAT_GATEWAY_UNAVAILABLE', vpc: ROUTED_ONLY, subnet: 'nat-broken' },
  { expected: 'VPC_ENDPOINT_MISSING', vpc: ['endpoint-missing'], subnet: 'private' },
  { expected: 'VPC_DNS_DISABLED', vpc: ['dns-disabled'], subnet: 'private' },
  { expected: 'VPC_ENDPOINT_POLICY_DENIES', vpc: ['endpoint-policy'], subnet: 'private' },
  {
    expected: 'VPC_ENDPOINT_PRIVATE_DNS_DISABLED',
    vpc: ['private-dns-off'],
    subnet: 'private',
    agent: CURRENT_AGENT,
  },
  {
    expected: 'NACL_BLOCKED',
    vpc: ROUTED,
    subnet: 'locked',
    agent: '3.3.1611.0',
    shape: (s, c) => ({
      ...s,
      imageId: c.images.windows.id,
      windows: true,
      platformDetails: 'Windows',
      instanceType: 'm6i.large',
    }),
  },
  {
    expected: 'SECURITY_GROUP_EGRESS_BLOCKED',
    vpc: ROUTED,
    subnet: 'private',
    shape: (s, c) => ({ ...s, groups: [group(c, 'dbOnly')] }),
  },
  {
    expected: 'ENDPOINT_SECURITY_GROUP_INGRESS_BLOCKED',
    vpc: ['endpoints'],
    subnet: 'sandbox',
    shape: (s, c) => ({ ...s, groups: [group(c, 'sandbox')] }),
  },
  {
    expected: 'IMDS_DISABLED',
    vpc: ['endpoints'],
    subnet: 'private',
    shape: (s) => ({ ...s, httpEndpoint: 'disabled' }),
  },
  {
    expected: 'INSTANCE_PROFILE_NOT_FOUND',
    vpc: ROUTED,
    subnet: 'private',
    agent: PRE_DHMC_AGENT,
    shape: (s, c) => withProfile({ ...s, imageId: c.images.al2.id }, c.iam.deleted(c.occurrence)),
  },
  {
    expected: 'INSTANCE_PROFILE_NO_ROLE',
    vpc: ROUTED,
    subnet: 'private',
    agent: '3.1.1188.0',
    shape: (s, c) => withProfile({ ...s, imageId: c.images.al2.id }, c.iam.empty),
  },
  {
    expected: 'ROLE_TRUST_POLICY_INVALID',
    vpc: ROUTED,
    subnet: 'private',
    agent: '3.1.1080.0',
    shape: (s, c) => withProfile({ ...s, imageId: c.images.al2.id }, c.iam.untrusted),
  },
  {
    // Cannot register with its role, and an agent too old for DHMC cannot fall back.
    expected: 'ROLE_MISSING_SSM_PERMISSIONS',
    vpc: ['endpoints'],
    subnet: 'private',
    agent: PRE_DHMC_AGENT,
    shape: (s, c) => withProfile(s, c.iam.sessionsOnly),
  },
  {
    expected: 'NO_INSTANCE_PROFILE',
    vpc: ROUTED,
    subnet: 'private',
    modes: ['off'],
    shape: (s) => withProfile(s, undefined),
  },
  {
    expected: 'DHMC_ROLE_INVALID',
    vpc: ROUTED,
    subnet: 'private',
    modes: ['invalid'],
    shape: (s) => withProfile(s, undefined),
  },
  {
    // With a broken DHMC role too, the role is the first thing to fix (and an old agent the next).
    expected: 'DHMC_ROLE_INVALID',
    vpc: ROUTED,
    subnet: 'private',
    modes: ['invalid'],
    agent: '3.1.1004.0',
    shape: (s, c) => withProfile({ ...s, imageId: c.images.al2.id }, undefined),
  },
  {
    expected: 'DHMC_AGENT_TOO_OLD',
    vpc: ROUTED,
    subnet: 'private',
    modes: ['valid'],
    agent: '3.1.1004.0',
    shape: (s, c) => withProfile({ ...s, imageId: c.images.al2.id }, undefined),
  },
  {
    expected: 'AGENT_NOT_PREINSTALLED',
    vpc: ROUTED,
    subnet: 'private',
    shape: (s, c) => ({ ...s, imageId: c.images.rhel.id, platformDetails: 'Red Hat Enterprise Linux' }),
  },
  {
    // Nothing wrong from outside; the console shows the agent crashing.
    expected: 'AGENT_NOT_RUNNING',
    vpc: ROUTED,
    subnet: 'private',
    agent: CURRENT_AGENT,
    console: AGENT_CRASH,
    shape: (s) => ({ ...s, httpTokens: 'optional' }),
    metadataNoToken: 0,
  },
  { expected: 'INSTANCE_BOOT_FAILED', vpc: ROUTED, subnet: 'private', console: PANIC },
  { expected: 'DISK_FULL', vpc: ROUTED, subnet: 'private', agent: CURRENT_AGENT, console: DISK_FULL },
  {
    expected: 'METADATA_UNREACHABLE_FROM_OS',
    vpc: ROUTED,
    subnet: 'private',
    console: WINDOWS_NO_METADATA,
    shape: WINDOWS,
  },
  // Nothing wrong from outside and a clean console: the finding says what to check on the instance.
  { expected: 'UNKNOWN', vpc: ROUTED, subnet: 'private', agent: CURRENT_AGENT },
];

function group(
  ctx: ScenarioContext,
  which: keyof VpcLayout['groups'],
): { GroupId: string; GroupName: string } {
  const id = ctx.vpc.groups[which];
  if (!id) throw new Error(`VPC ${ctx.vpc.id} has no ${which} group`);
  return { GroupId: id, GroupName: id };
}

export function scenariosFor(mode: DhmcMode): Scenario[] {
  return SCENARIOS.filter((scenario) => !scenario.modes || scenario.modes.includes(mode));
}
