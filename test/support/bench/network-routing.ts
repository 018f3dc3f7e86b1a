/**
 * How a generated VPC's subnets reach Systems Manager: internet-facing VPCs get an internet
 * gateway, a NAT gateway and the deliberately broken route tables the scenarios need; endpoint
 * VPCs get interface endpoints (with the defect of their kind) in their endpoint subnet.
 */
import {
  hostAddress,
  LOCKED_ACL,
  networkAcl,
  OPEN_ACL,
  permission,
  routeTable,
  securityGroup,
  tagsOf,
} from './aws-objects.ts';
import type { NetworkContext, SubnetRole, SubnetSlot, VpcLayout } from './network-types.ts';

function subnetIds(layout: VpcLayout, ...roles: SubnetRole[]): string[] {
  return roles.flatMap((role) => (layout.subnets[role] ?? []).map((s) => s.id));
}

export function buildInternetRouting(ctx: NetworkContext, layout: VpcLayout, name: string, index: number) {
  const { world, ids, ownerId } = ctx;
  const ec2 = world.ec2;
  const base = { vpcId: layout.id, vpcCidr: layout.cidr, ownerId };
  const igw = ids.next('igw');
  ec2.InternetGateways.push({
    InternetGatewayId: igw,
    OwnerId: ownerId,
    Attachments: [{ State: 'available' as 'attached', VpcId: layout.id }],
    Tags: tagsOf({ Name: `${name}-igw` }),
  });
  const publicA = layout.subnets.public?.[0];
  const mgmt = layout.subnets.mgmt?.[0];
  if (!publicA || !mgmt) throw new Error('internet VPC without public or mgmt subnet');
  const nat = natGateway(ctx, layout.id, publicA, `${name}-nat-a`, index * 2);
  // A second NAT gateway, created in the management subnet, which has no route to the internet.
  const strandedNat = natGateway(ctx, layout.id, mgmt, `${name}-nat-mgmt`, index * 2 + 1);
  ec2.RouteTables.push(
    routeTable({ ...base, id: ids.next('rtb'), name: `${name}-main`, main: true }),
    routeTable({
      ...base,
      id: ids.next('rtb'),
      name: `${name}-public`,
      subnetIds: subnetIds(layout, 'public'),
      defaultRoute: { GatewayId: igw },
    }),
    routeTable({
      ...base,
      id: ids.next('rtb'),
      name: `${name}-private`,
      subnetIds: subnetIds(layout, 'private', 'locked'),
      defaultRoute: { NatGatewayId: nat },
    }),
    routeTable({
      ...base,
      id: ids.next('rtb'),
      name: `${name}-legacy`,
      subnetIds: subnetIds(layout, 'legacy'),
      defaultRoute: { NatGatewayId: ids.next('nat'), blackhole: true },
    }),
    routeTable({
      ...base,
      id: ids.next('rtb'),
      name: `${name}-private-c2`,
      subnetIds: subnetIds(layout, 'nat-broken'),
      defaultRoute: { NatGatewayId: strandedNat },
    }),
  );
  ec2.NetworkAcls.push(
    networkAcl({
      id: ids.next('acl'),
      vpcId: layout.id,
      ownerId,
      name: `${name}-default`,
      isDefault: true,
      subnetIds: subnetIds(layout, 'public', 'private', 'isolated', 'legacy', 'nat-broken', 'mgmt'),
      entries: OPEN_ACL,
    }),
    networkAcl({
      id: ids.next('acl'),
      vpcId: layout.id,
      ownerId,
      name: `${name}-locked`,
      isDefault: false,
      subnetIds: subnetIds(layout, 'locked'),
      entries: LOCKED_ACL,
    }),
  );
  // SSM endpoints someone created without private DNS: the NAT path carries the traffic, so they
  // must not be blamed (route defects are not placed here: there the endpoint would be blamed).
  if (layout.kind === 'internet-stale-endpoints') {
    const vpce = ctx.ids.next('sg');
    ec2.SecurityGroups.push(
      securityGroup({
        id: vpce,
        name: `${name}-vpce`,
        description: 'Interface endpoints (proxy use)',
        vpcId: layout.id,
        ownerId,
        ingress: [permission(443, { cidrs: [layout.cidr] })],
      }),
    );
    const subnet = layout.subnets.private?.[0];
    if (subnet)
      for (const service of ['ssm', 'ec2messages', 'ssmmessages'])
        interfaceEndpoint(ctx, layout.id, subnet, service, vpce, false);
  }
}

export function buildEndpointRouting(ctx: NetworkContext, layout: VpcLayout, name: string) {
  const { world, ids, ownerId } = ctx;
  world.ec2.RouteTables.push(
    routeTable({
      id: ids.next('rtb'),
      vpcId: layout.id,
      vpcCidr: layout.cidr,
      ownerId,
      name: `${name}-main`,
      main: true,
    }),
  );
  world.ec2.NetworkAcls.push(
    networkAcl({
      id: ids.next('acl'),
      vpcId: layout.id,
      ownerId,
      name: `${name}-default`,
      isDefault: true,
      subnetIds: subnetIds(layout, 'private', 'endpoints', 'sandbox'),
      entries: OPEN_ACL,
    }),
  );
  const subnet = layout.subnets.endpoints?.[0];
  const group = layout.groups.vpce;
  if (!subnet || !group) throw new Error('endpoint VPC without endpoint subnet or group');
  const services =
    layout.kind === 'endpoint-missing'
      ? // Without ssm the agent cannot register (a missing ssmmessages endpoint only degrades).
        ['ec2messages', 'ssmmessages']
      : ['ssm', 'ec2messages', 'ssmmessages', 'logs'];
  for (const service of services)
    interfaceEndpoint(ctx, layout.id, subnet, service, group, layout.kind !== 'private-dns-off');
  if (layout.kind === 'endpoint-policy') {
    const ssm = ctx.world.ec2.VpcEndpoints.find(
      (e) => e.VpcId === layout.id && e.ServiceName === `com.amazonaws.${ctx.region}.ssm`,
    );
    if (ssm)
      ssm.PolicyDocument = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }],
      });
  }
}

function natGateway(ctx: NetworkContext, vpcId: string, subnet: SubnetSlot, name: string, n: number): string {
  const id = ctx.ids.next('nat');
  const eni = ctx.ids.next('eni');
  ctx.world.ec2.NatGateways.push({
    NatGatewayId: id,
    VpcId: vpcId,
    SubnetId: subnet.id,
    State: 'available',
    ConnectivityType: 'public',
    CreateTime: '2024-01-15T09:00:00Z',
    NatGatewayAddresses: [
      {
        AllocationId: ctx.ids.next('eipalloc'),
        NetworkInterfaceId: eni,
        PrivateIp: hostAddress(subnet.cidr, 5),
        PublicIp: hostAddress('34.240.0.0', 1 + n),
        IsPrimary: true,
        Status: 'succeeded',
      },
    ],
    Tags: tagsOf({ Name: name }),
  });
  return id;
}

function interfaceEndpoint(
  ctx: NetworkContext,
  vpcId: string,
  subnet: SubnetSlot,
  service: string,
  group: string,
  privateDns: boolean,
) {
  const id = ctx.ids.next('vpce');
  const eni = ctx.ids.next('eni');
  const ip = hostAddress(subnet.cidr, subnet.next++);
  const name = ctx.world.ec2.SecurityGroups.find((g) => g.GroupId === group)?.GroupName ?? group;
  const groups = [{ GroupId: group, GroupName: name }];
  ctx.world.ec2.VpcEndpoints.push({
    VpcEndpointId: id,
    VpcEndpointType: 'Interface',
    VpcId: vpcId,
    ServiceName: `com.amazonaws.${ctx.region}.${service}`,
    State: 'available' as 'Available',
    SubnetIds: [subnet.id],
    Groups: groups,
    NetworkInterfaceIds: [eni],
    PrivateDnsEnabled: privateDns,
    IpAddressType: 'ipv4',
    DnsOptions: { DnsRecordIpType: 'ipv4' },
    RequesterManaged: false,
    DnsEntries: [
      { DnsName: `${id}.${service}.${ctx.region}.vpce.amazonaws.com`, HostedZoneId: 'Z38GZ743OKFT7T' },
    ],
    CreationTimestamp: '2025-01-08T09:41:00Z',
    OwnerId: ctx.ownerId,
  });
  ctx.world.ec2.NetworkInterfaces.push({
    NetworkInterfaceId: eni,
    AvailabilityZone: subnet.az,
    Description: `VPC Endpoint Interface ${id}`,
    Groups: groups,
    InterfaceType: 'vpc_endpoint',
    OwnerId: ctx.ownerId,
    PrivateIpAddress: ip,
    PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: ip }],
    RequesterManaged: true,
    Status: 'in-use',
    SubnetId: subnet.id,
    VpcId: vpcId,
  });
}
