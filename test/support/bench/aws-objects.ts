/**
 * Builders for the AWS objects a generated world holds, in the shapes the EC2, SSM and IAM APIs
 * return (world JSON: timestamps as ISO strings). Each takes what varies and fills in what AWS
 * would, so the generator reads as a description of an account rather than a pile of literals.
 */
import type { World } from '../../../lambdas/sim/index.ts';

type Ec2 = World['ec2'];
export type WorldInstance = Ec2['Instances'][number];
export type WorldSecurityGroup = Ec2['SecurityGroups'][number];
export type WorldRouteTable = Ec2['RouteTables'][number];
export type WorldNetworkAcl = Ec2['NetworkAcls'][number];
export type WorldRole = World['iam']['Roles'][number];
type Permission = NonNullable<WorldSecurityGroup['IpPermissions']>[number];
type AclEntry = NonNullable<WorldNetworkAcl['Entries']>[number];

export const tagsOf = (tags: Record<string, string>) =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

export const ipDnsName = (ip: string, region: string) =>
  `ip-${ip.replaceAll('.', '-')}.${region}.compute.internal`;

/** An IPv4 address `offset` hosts into a CIDR block (no bounds check: callers size their subnets). */
export function hostAddress(cidr: string, offset: number): string {
  const base = (cidr.split('/')[0] ?? '').split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
  const value = base + offset;
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function routeTable(opts: {
  id: string;
  vpcId: string;
  vpcCidr: string;
  ownerId: string;
  name: string;
  main?: boolean;
  subnetIds?: readonly string[];
  defaultRoute?: { GatewayId?: string; NatGatewayId?: string; blackhole?: boolean };
}): WorldRouteTable {
  const { id, defaultRoute } = opts;
  return {
    RouteTableId: id,
    VpcId: opts.vpcId,
    OwnerId: opts.ownerId,
    PropagatingVgws: [],
    Associations: [
      ...(opts.main
        ? [
            {
              Main: true,
              RouteTableAssociationId: `rtbassoc-${id.slice(4)}`,
              RouteTableId: id,
              AssociationState: { State: 'associated' as const },
            },
          ]
        : []),
      ...(opts.subnetIds ?? []).map((SubnetId) => ({
        Main: false,
        RouteTableAssociationId: `rtbassoc-${SubnetId.slice(7)}`,
        RouteTableId: id,
        SubnetId,
        AssociationState: { State: 'associated' as const },
      })),
    ],
    Routes: [
      { DestinationCidrBlock: opts.vpcCidr, GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' },
      ...(defaultRoute
        ? [
            {
              DestinationCidrBlock: '0.0.0.0/0',
              ...(defaultRoute.GatewayId ? { GatewayId: defaultRoute.GatewayId } : {}),
              ...(defaultRoute.NatGatewayId ? { NatGatewayId: defaultRoute.NatGatewayId } : {}),
              Origin: 'CreateRoute' as const,
              State: defaultRoute.blackhole ? ('blackhole' as const) : ('active' as const),
            },
          ]
        : []),
    ],
    Tags: tagsOf({ Name: opts.name }),
  };
}

const rule = (egress: boolean, number: number, action: 'allow' | 'deny', cidr = '0.0.0.0/0'): AclEntry => ({
  CidrBlock: cidr,
  Egress: egress,
  Protocol: '-1',
  RuleAction: action,
  RuleNumber: number,
});

/** The entries of a default ACL: everything allowed both ways. */
export const OPEN_ACL: AclEntry[] = [
  rule(true, 100, 'allow'),
  rule(true, 32767, 'deny'),
  rule(false, 100, 'allow'),
  rule(false, 32767, 'deny'),
];

/** An ACL that lets traffic out but only SSH and PostgreSQL in: HTTPS replies never return. */
export const LOCKED_ACL: AclEntry[] = [
  rule(true, 100, 'allow'),
  rule(true, 32767, 'deny'),
  {
    CidrBlock: '10.0.0.0/8',
    Egress: false,
    Protocol: '6',
    PortRange: { From: 22, To: 22 },
    RuleAction: 'allow',
    RuleNumber: 100,
  },
  {
    CidrBlock: '10.0.0.0/8',
    Egress: false,
    Protocol: '6',
    PortRange: { From: 5432, To: 5432 },
    RuleAction: 'allow',
    RuleNumber: 110,
  },
  rule(false, 32767, 'deny'),
];

export function networkAcl(opts: {
  id: string;
  vpcId: string;
  ownerId: string;
  name: string;
  isDefault: boolean;
  subnetIds: readonly string[];
  entries: AclEntry[];
}): WorldNetworkAcl {
  return {
    NetworkAclId: opts.id,
    VpcId: opts.vpcId,
    OwnerId: opts.ownerId,
    IsDefault: opts.isDefault,
    Associations: opts.subnetIds.map((SubnetId) => ({
      NetworkAclAssociationId: `aclassoc-${SubnetId.slice(7)}`,
      NetworkAclId: opts.id,
      SubnetId,
    })),
    Entries: opts.entries,
    Tags: tagsOf({ Name: opts.name }),
  };
}

/** One security group rule: TCP `port` (or all traffic with `port: 'all'`) to/from CIDRs or groups. */
export function permission(
  port: number | 'all',
  sources: { cidrs?: string[]; groupIds?: string[]; ownerId?: string },
): Permission {
  return {
    IpProtocol: port === 'all' ? '-1' : 'tcp',
    ...(port === 'all' ? {} : { FromPort: port, ToPort: port }),
    IpRanges: (sources.cidrs ?? []).map((CidrIp) => ({ CidrIp })),
    Ipv6Ranges: [],
    PrefixListIds: [],
    UserIdGroupPairs: (sources.groupIds ?? []).map((GroupId) => ({ GroupId, UserId: sources.ownerId })),
  };
}

export function securityGroup(opts: {
  id: string;
  name: string;
  description: string;
  vpcId: string;
  ownerId: string;
  ingress: Permission[];
  egress?: Permission[];
}): WorldSecurityGroup {
  return {
    GroupId: opts.id,
    GroupName: opts.name,
    Description: opts.description,
    OwnerId: opts.ownerId,
    VpcId: opts.vpcId,
    IpPermissions: opts.ingress,
    IpPermissionsEgress: opts.egress ?? [permission('all', { cidrs: ['0.0.0.0/0'] })],
    Tags: tagsOf({ Name: opts.name }),
  };
}

/** A trust policy letting one service assume the role. */
export const trustPolicy = (service: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow' as const, Principal: { Service: service }, Action: 'sts:AssumeRole' }],
});

export const awsManagedPolicy = (name: string) => ({
  PolicyName: name.slice(name.lastIndexOf('/') + 1),
  PolicyArn: `arn:aws:iam::aws:policy/${name}`,
});

export interface InstanceShape {
  id: string;
  name: string;
  ownerId: string;
  region: string;
  imageId: string;
  instanceType: string;
  architecture: 'x86_64' | 'arm64';
  windows: boolean;
  platformDetails: string;
  launchTime: string;
  az: string;
  vpcId: string;
  subnetId: string;
  privateIp: string;
  publicIp?: string;
  groups: { GroupId: string; GroupName: string }[];
  profile?: { arn: string; id: string };
  state?: 'running' | 'stopped' | 'pending';
  httpTokens?: 'optional' | 'required';
  httpEndpoint?: 'enabled' | 'disabled';
  tags?: Record<string, string>;
}

const STATE_CODES = { pending: 0, running: 16, stopped: 80 } as const;

export function instance(s: InstanceShape): WorldInstance {
  const state = s.state ?? 'running';
  const privateDns = ipDnsName(s.privateIp, s.region);
  const association = s.publicIp
    ? {
        IpOwnerId: 'amazon',
        PublicIp: s.publicIp,
        PublicDnsName: `ec2-${s.publicIp.replaceAll('.', '-')}.${s.region}.compute.amazonaws.com`,
      }
    : undefined;
  return {
    InstanceId: s.id,
    ImageId: s.imageId,
    InstanceType: s.instanceType as WorldInstance['InstanceType'],
    AmiLaunchIndex: 0,
    LaunchTime: s.launchTime,
    Monitoring: { State: 'disabled' },
    Placement: { AvailabilityZone: s.az, GroupName: '', Tenancy: 'default' },
    ...(s.windows ? { Platform: 'windows' as WorldInstance['Platform'] } : {}),
    PlatformDetails: s.platformDetails,
    PrivateDnsName: privateDns,
    PrivateIpAddress: s.privateIp,
    PublicDnsName: association?.PublicDnsName ?? '',
    ...(s.publicIp ? { PublicIpAddress: s.publicIp } : {}),
    State: { Code: STATE_CODES[state], Name: state },
    StateTransitionReason: '',
    SubnetId: s.subnetId,
    VpcId: s.vpcId,
    Architecture: s.architecture,
    RootDeviceType: 'ebs',
    RootDeviceName: s.windows ? '/dev/sda1' : '/dev/xvda',
    EbsOptimized: true,
    EnaSupport: true,
    Hypervisor: 'xen',
    VirtualizationType: 'hvm',
    SourceDestCheck: true,
    ...(s.profile ? { IamInstanceProfile: { Arn: s.profile.arn, Id: s.profile.id } } : {}),
    SecurityGroups: s.groups,
    NetworkInterfaces: [
      {
        ...(association ? { Association: association } : {}),
        Attachment: {
          AttachTime: s.launchTime,
          DeleteOnTermination: true,
          DeviceIndex: 0,
          Status: 'attached',
          NetworkCardIndex: 0,
        },
        Groups: s.groups,
        NetworkInterfaceId: `eni-${s.id.slice(2)}`,
        OwnerId: s.ownerId,
        PrivateDnsName: privateDns,
        PrivateIpAddress: s.privateIp,
        Status: 'in-use',
        SubnetId: s.subnetId,
        VpcId: s.vpcId,
        InterfaceType: 'interface',
      },
    ],
    MetadataOptions: {
      State: 'applied',
      HttpTokens: s.httpTokens ?? 'required',
      HttpPutResponseHopLimit: 2,
      HttpEndpoint: s.httpEndpoint ?? 'enabled',
      HttpProtocolIpv6: 'disabled',
      InstanceMetadataTags: 'disabled',
    },
    Tags: tagsOf({ Name: s.name, ...s.tags }),
  };
}
