/**
 * A small world for the network checks: one VPC (DNS on), an instance with a public IPv4 in a
 * subnet routed to an internet gateway, a security group allowing all egress, and the default
 * network ACL allowing everything. Tests change the parts they are about, then call `factsOf`.
 */
import type {
  DhcpOptions,
  InternetGateway,
  IpPermission,
  NatGateway,
  NetworkAcl,
  NetworkAclEntry,
  NetworkInterface,
  Route,
  RouteTable,
  SecurityGroup,
  Subnet,
  Vpc,
  VpcEndpoint,
} from '@aws-sdk/client-ec2';
import type { Check, CheckResult } from '../../../lambdas/engine/check.ts';
import type {
  Candidate,
  InstanceFacts,
  NetworkPicture,
  VpcDnsAttributes,
} from '../../../lambdas/engine/facts.ts';
import { type ReadProblem, readFailed, readOk } from '../../../lambdas/engine/readout.ts';

export const REGION = 'eu-west-1';

export interface World {
  candidate: Candidate;
  vpc: Vpc;
  dns: VpcDnsAttributes;
  subnets: Subnet[];
  routeTables: RouteTable[];
  internetGateways: InternetGateway[];
  natGateways: NatGateway[];
  endpoints: VpcEndpoint[];
  endpointInterfaces: NetworkInterface[];
  securityGroups: SecurityGroup[];
  networkAcls: NetworkAcl[];
  dhcpOptions: DhcpOptions | undefined;
  /** Parts of the picture whose read failed. */
  failures: Partial<Record<keyof NetworkPicture, ReadProblem>>;
}

export const allowAll = (): IpPermission => ({ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] });
export const tcp = (from: number, to: number, more: Partial<IpPermission>): IpPermission => ({
  IpProtocol: 'tcp',
  FromPort: from,
  ToPort: to,
  ...more,
});

export function aclEntry(
  ruleNumber: number,
  direction: 'in' | 'out',
  action: 'allow' | 'deny',
  cidr: string,
  ports?: [number, number],
): NetworkAclEntry {
  return {
    RuleNumber: ruleNumber,
    Egress: direction === 'out',
    RuleAction: action,
    CidrBlock: cidr,
    Protocol: ports ? '6' : '-1',
    ...(ports ? { PortRange: { From: ports[0], To: ports[1] } } : {}),
  };
}

/** An ACL whose entries are `entries` plus the `*` deny rules; associated with `subnets`. */
export function acl(
  id: string,
  subnets: string[],
  entries: NetworkAclEntry[],
  isDefault = false,
): NetworkAcl {
  return {
    NetworkAclId: id,
    VpcId: 'vpc-1',
    IsDefault: isDefault,
    Associations: subnets.map((SubnetId) => ({ NetworkAclId: id, SubnetId })),
    Entries: [
      ...entries,
      aclEntry(32767, 'in', 'deny', '0.0.0.0/0'),
      aclEntry(32767, 'out', 'deny', '0.0.0.0/0'),
    ],
  };
}

export const openEntries = (): NetworkAclEntry[] => [
  aclEntry(100, 'in', 'allow', '0.0.0.0/0'),
  aclEntry(100, 'out', 'allow', '0.0.0.0/0'),
];

export function routeTable(
  id: string,
  subnets: string[] | 'main',
  defaultRoute?: Partial<Route>,
): RouteTable {
  return {
    RouteTableId: id,
    VpcId: 'vpc-1',
    Associations:
      subnets === 'main'
        ? [{ Main: true, RouteTableId: id }]
        : subnets.map((SubnetId) => ({
            Main: false,
            RouteTableId: id,
            SubnetId,
            AssociationState: { State: 'associated' },
          })),
    Routes: [
      { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' },
      ...(defaultRoute
        ? [{ DestinationCidrBlock: '0.0.0.0/0', State: 'active' as const, ...defaultRoute }]
        : []),
    ],
  };
}

export function world(): World {
  return {
    candidate: {
      ssmStatus: 'NotRegistered',
      instance: {
        InstanceId: 'i-1',
        VpcId: 'vpc-1',
        SubnetId: 'subnet-1',
        PrivateIpAddress: '10.0.1.10',
        PublicIpAddress: '54.0.0.10',
        PlatformDetails: 'Linux/UNIX',
        SecurityGroups: [{ GroupId: 'sg-inst', GroupName: 'app' }],
      },
    },
    vpc: { VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16', DhcpOptionsId: 'dopt-1' },
    dns: { enableDnsSupport: true, enableDnsHostnames: true },
    subnets: [{ SubnetId: 'subnet-1', VpcId: 'vpc-1', CidrBlock: '10.0.1.0/24' }],
    routeTables: [routeTable('rtb-main', 'main', { GatewayId: 'igw-1' })],
    internetGateways: [
      { InternetGatewayId: 'igw-1', Attachments: [{ VpcId: 'vpc-1', State: 'available' as never }] },
    ],
    natGateways: [],
    endpoints: [],
    endpointInterfaces: [],
    securityGroups: [
      { GroupId: 'sg-inst', VpcId: 'vpc-1', IpPermissions: [], IpPermissionsEgress: [allowAll()] },
    ],
    networkAcls: [acl('acl-default', [], openEntries(), true)],
    dhcpOptions: {
      DhcpOptionsId: 'dopt-1',
      DhcpConfigurations: [{ Key: 'domain-name-servers', Values: [{ Value: 'AmazonProvidedDNS' }] }],
    },
    failures: {},
  };
}

/** The instance loses its public IPv4 and subnet-1 routes to NAT gateway nat-1 in subnet-public. */
export function behindNat(w: World, nat: Partial<NatGateway> = {}): World {
  w.candidate.instance.PublicIpAddress = undefined;
  w.subnets.push({ SubnetId: 'subnet-public', VpcId: 'vpc-1', CidrBlock: '10.0.0.0/24' });
  w.routeTables.push(routeTable('rtb-private', ['subnet-1'], { NatGatewayId: 'nat-1' }));
  w.natGateways.push({
    NatGatewayId: 'nat-1',
    VpcId: 'vpc-1',
    SubnetId: 'subnet-public',
    State: 'available',
    ConnectivityType: 'public',
    ...nat,
  });
  return w;
}

/** The instance loses its public IPv4 and subnet-1 gets a route table with no default route. */
export function isolated(w: World): World {
  w.candidate.instance.PublicIpAddress = undefined;
  w.routeTables.push(routeTable('rtb-private', ['subnet-1']));
  return w;
}

export interface EndpointOptions {
  state?: string;
  privateDns?: boolean;
  /** Subnets of the endpoint's network interfaces (default: subnet-ep, 10.0.9.0/24). */
  subnets?: string[];
}

const SUBNET_CIDR: Record<string, string> = {
  'subnet-1': '10.0.1',
  'subnet-ep': '10.0.9',
  'subnet-ep2': '10.0.8',
};

/** Interface endpoints for `services`, one network interface per subnet, guarded by sg-ep (443 from the VPC). */
export function withEndpoints(w: World, services: string[], options: EndpointOptions = {}): World {
  const subnets = options.subnets ?? ['subnet-ep'];
  for (const subnet of subnets) {
    if (!w.subnets.some((s) => s.SubnetId === subnet)) {
      w.subnets.push({ SubnetId: subnet, VpcId: 'vpc-1', CidrBlock: `${SUBNET_CIDR[subnet]}.0/24` });
    }
  }
  if (!w.securityGroups.some((g) => g.GroupId === 'sg-ep')) {
    w.securityGroups.push({
      GroupId: 'sg-ep',
      VpcId: 'vpc-1',
      IpPermissions: [tcp(443, 443, { IpRanges: [{ CidrIp: '10.0.0.0/16' }] })],
      IpPermissionsEgress: [allowAll()],
    });
  }
  for (const service of services) {
    const enis = subnets.map((subnet, i) => ({
      NetworkInterfaceId: `eni-${service}-${i + 1}`,
      SubnetId: subnet,
      VpcId: 'vpc-1',
      PrivateIpAddress: `${SUBNET_CIDR[subnet]}.${w.endpointInterfaces.length + i + 100}`,
      Groups: [{ GroupId: 'sg-ep' }],
    }));
    w.endpointInterfaces.push(...enis);
    w.endpoints.push({
      VpcEndpointId: `vpce-${service}`,
      VpcEndpointType: 'Interface',
      VpcId: 'vpc-1',
      ServiceName: `com.amazonaws.${REGION}.${service}`,
      State: (options.state ?? 'available') as never,
      PrivateDnsEnabled: options.privateDns ?? true,
      SubnetIds: subnets,
      Groups: [{ GroupId: 'sg-ep', GroupName: 'endpoints' }],
      NetworkInterfaceIds: enis.map((eni) => eni.NetworkInterfaceId),
    });
  }
  return w;
}

export const denied = (operation: string): ReadProblem => ({
  operation,
  code: 'UnauthorizedOperation',
  message: 'You are not authorized to perform this operation.',
});

export function factsOf(w: World): InstanceFacts {
  const part = <K extends keyof NetworkPicture>(key: K, value: unknown): NetworkPicture[K] => {
    const problem = w.failures[key];
    return (problem ? readFailed(problem) : readOk(value)) as NetworkPicture[K];
  };
  return {
    region: REGION,
    partition: 'aws',
    accountId: '111122223333',
    candidate: w.candidate,
    status: readOk(undefined),
    image: readOk(undefined),
    network: {
      vpc: part('vpc', w.vpc),
      dnsAttributes: part('dnsAttributes', w.dns),
      subnets: part('subnets', w.subnets),
      routeTables: part('routeTables', w.routeTables),
      internetGateways: part('internetGateways', w.internetGateways),
      natGateways: part('natGateways', w.natGateways),
      endpoints: part('endpoints', w.endpoints),
      endpointInterfaces: part('endpointInterfaces', w.endpointInterfaces),
      securityGroups: part('securityGroups', w.securityGroups),
      networkAcls: part('networkAcls', w.networkAcls),
      dhcpOptions: part('dhcpOptions', w.dhcpOptions),
    },
    profile: null,
    dhmc: readOk({ settingValue: '$None' }),
  };
}

/** The single result of a check (every network check reports once). */
export function run(check: Check, w: World | InstanceFacts): CheckResult {
  const outcome = check.evaluate('network' in w ? w : factsOf(w));
  if (Array.isArray(outcome)) throw new Error(`${check.id} returned ${outcome.length} results`);
  return outcome;
}
