/**
 * The VPCs of a generated account. Most reach the internet through an internet gateway and a NAT
 * gateway; some rely on interface endpoints alone; three carry one VPC-wide defect each (endpoint
 * private DNS off, VPC DNS hostnames off, the ssmmessages endpoint missing). Every VPC has the same
 * subnet plan, /20 slots of its /16, so each scenario finds the subnet it needs in any VPC of a kind.
 */
import { hostAddress, permission, securityGroup, tagsOf } from './aws-objects.ts';
import { buildEndpointRouting, buildInternetRouting } from './network-routing.ts';
import type { NetworkContext, SubnetRole, SubnetSlot, VpcKind, VpcLayout } from './network-types.ts';

export type { NetworkContext, SubnetRole, SubnetSlot, VpcKind, VpcLayout } from './network-types.ts';

const AZS = ['a', 'b', 'c'] as const;
const AZ_IDS: Record<string, string> = { a: 'az3', b: 'az1', c: 'az2' };
/** Slot (index of the /20 in the VPC's /16) and zones of each subnet role. */
const PLAN: Record<SubnetRole, { slot: number; zones: readonly (typeof AZS)[number][] }> = {
  public: { slot: 0, zones: AZS },
  private: { slot: 3, zones: AZS },
  isolated: { slot: 6, zones: ['b'] },
  legacy: { slot: 7, zones: ['a'] },
  'nat-broken': { slot: 8, zones: ['c'] },
  mgmt: { slot: 9, zones: ['c'] },
  locked: { slot: 10, zones: ['b'] },
  endpoints: { slot: 11, zones: ['a'] },
  sandbox: { slot: 12, zones: ['c'] },
};
const ROLES_BY_KIND: Record<VpcKind, SubnetRole[]> = {
  internet: ['public', 'private', 'isolated', 'legacy', 'nat-broken', 'mgmt', 'locked'],
  'internet-stale-endpoints': ['public', 'private', 'isolated', 'legacy', 'nat-broken', 'mgmt', 'locked'],
  endpoints: ['private', 'endpoints', 'sandbox'],
  'private-dns-off': ['private', 'endpoints'],
  'dns-disabled': ['private', 'endpoints'],
  'endpoint-missing': ['private', 'endpoints'],
  'endpoint-policy': ['private', 'endpoints'],
};

/**
 * Which kind each VPC is: the three defective ones first, then one endpoint-only VPC in four and,
 * of the others, one in seven with stale endpoints.
 */
export function vpcKinds(count: number): VpcKind[] {
  if (count < 7) throw new Error(`a generated world needs at least 7 VPCs (one of each kind), got ${count}`);
  const special: VpcKind[] = [
    'private-dns-off',
    'dns-disabled',
    'endpoint-missing',
    'endpoint-policy',
    'internet-stale-endpoints',
  ];
  return Array.from({ length: count }, (_, i) => {
    if (i < special.length) return special[i] as VpcKind;
    const n = i - special.length;
    if (n % 4 === 1) return 'endpoints';
    return n % 7 === 6 ? 'internet-stale-endpoints' : 'internet';
  });
}

export const hasInternet = (kind: VpcKind) => kind === 'internet' || kind === 'internet-stale-endpoints';

export function buildVpc(ctx: NetworkContext, index: number, kind: VpcKind): VpcLayout {
  const { world, ids, region, ownerId } = ctx;
  if (index > 253) throw new Error('a generated world holds at most 254 VPCs (10.1.0.0/16 to 10.254.0.0/16)');
  const ec2 = world.ec2;
  const id = ids.next('vpc');
  const second = index + 1;
  const cidr = `10.${second}.0.0/16`;
  const name = `${hasInternet(kind) ? 'app' : kind}-${String(index).padStart(2, '0')}`;
  // One VPC in ten resolves through the corporate DNS servers (a warning, never a cause).
  const dhcp = index % 10 === 9 ? customDhcp(ctx, name, second) : ctx.amazonDhcp;
  ec2.Vpcs.push({
    VpcId: id,
    OwnerId: ownerId,
    CidrBlock: cidr,
    CidrBlockAssociationSet: [
      {
        AssociationId: `vpc-cidr-assoc-${id.slice(4)}`,
        CidrBlock: cidr,
        CidrBlockState: { State: 'associated' },
      },
    ],
    DhcpOptionsId: dhcp,
    State: 'available',
    InstanceTenancy: 'default',
    IsDefault: false,
    EnableDnsSupport: true,
    EnableDnsHostnames: kind !== 'dns-disabled',
    Tags: tagsOf({ Name: name, environment: index % 3 === 0 ? 'prod' : 'non-prod' }),
  });

  const subnets: VpcLayout['subnets'] = {};
  for (const role of ROLES_BY_KIND[kind]) {
    const plan = PLAN[role];
    subnets[role] = plan.zones.map((zone, z) => {
      const subnetId = ids.next('subnet');
      const subnetCidr = `10.${second}.${(plan.slot + z) * 16}.0/20`;
      ec2.Subnets.push({
        SubnetId: subnetId,
        VpcId: id,
        CidrBlock: subnetCidr,
        AvailabilityZone: `${region}${zone}`,
        AvailabilityZoneId: `${region.slice(0, 2)}${region.split('-')[1]?.[0] ?? ''}1-${AZ_IDS[zone]}`,
        AvailableIpAddressCount: 4091,
        DefaultForAz: false,
        MapPublicIpOnLaunch: role === 'public',
        State: 'available',
        OwnerId: ownerId,
        Tags: tagsOf({ Name: `${name}-${role}-${zone}` }),
      });
      return { id: subnetId, cidr: subnetCidr, az: `${region}${zone}`, next: 10 };
    });
  }
  const groups = buildGroups(ctx, id, name, cidr, kind);
  const layout: VpcLayout = { kind, id, cidr, subnets, groups };
  if (hasInternet(kind)) buildInternetRouting(ctx, layout, name, index);
  else buildEndpointRouting(ctx, layout, name);
  return layout;
}

function customDhcp(ctx: NetworkContext, name: string, second: number): string {
  const id = ctx.ids.next('dopt');
  ctx.world.ec2.DhcpOptions.push({
    DhcpOptionsId: id,
    OwnerId: ctx.ownerId,
    DhcpConfigurations: [
      { Key: 'domain-name', Values: [{ Value: 'corp.example.com' }] },
      {
        Key: 'domain-name-servers',
        Values: [{ Value: `10.${second}.48.10` }, { Value: `10.${second}.64.10` }],
      },
    ],
    Tags: tagsOf({ Name: `${name}-corp-dns` }),
  });
  return id;
}

function buildGroups(
  ctx: NetworkContext,
  vpcId: string,
  name: string,
  cidr: string,
  kind: VpcKind,
): VpcLayout['groups'] {
  const { ids, ownerId } = ctx;
  const add = (group: ReturnType<typeof securityGroup>) => {
    ctx.world.ec2.SecurityGroups.push(group);
    return group.GroupId;
  };
  const web = add(
    securityGroup({
      id: ids.next('sg'),
      name: `${name}-web`,
      description: 'Web tier',
      vpcId,
      ownerId,
      ingress: [permission(443, { cidrs: ['0.0.0.0/0'] })],
    }),
  );
  const app = add(
    securityGroup({
      id: ids.next('sg'),
      name: `${name}-app`,
      description: 'Application tier',
      vpcId,
      ownerId,
      ingress: [permission(8080, { groupIds: [web], ownerId })],
    }),
  );
  const dbOnly = add(
    securityGroup({
      id: ids.next('sg'),
      name: `${name}-db-proxy`,
      description: 'Database proxies: PostgreSQL out only',
      vpcId,
      ownerId,
      ingress: [permission(6432, { groupIds: [app], ownerId })],
      egress: [permission(5432, { cidrs: ['10.0.0.0/8'] })],
    }),
  );
  const sandbox = add(
    securityGroup({
      id: ids.next('sg'),
      name: `${name}-sandbox`,
      description: 'Notebooks',
      vpcId,
      ownerId,
      ingress: [permission(8888, { cidrs: [cidr] })],
    }),
  );
  if (hasInternet(kind)) return { app, web, dbOnly, sandbox };
  // Endpoint ingress: the first half of the VPC (application subnets) and the app group; the
  // sandbox subnet sits in the second half and its group is not listed.
  const half = `${cidr.split('.').slice(0, 2).join('.')}.0.0/17`;
  const vpce = add(
    securityGroup({
      id: ids.next('sg'),
      name: `${name}-vpce`,
      description: 'Interface endpoints',
      vpcId,
      ownerId,
      ingress: [permission(443, { cidrs: [half] }), permission(443, { groupIds: [app], ownerId })],
    }),
  );
  return { app, web, dbOnly, sandbox, vpce };
}

/** The next free address in a subnet. */
export function allocate(subnet: SubnetSlot): string {
  if (subnet.next > 4090) throw new Error(`subnet ${subnet.id} (${subnet.cidr}) is full`);
  return hostAddress(subnet.cidr, subnet.next++);
}
