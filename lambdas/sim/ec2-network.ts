/**
 * EC2 reads about a VPC's building blocks: VPCs (and their DNS attributes), subnets, network
 * interfaces, security groups, network ACLs and DHCP options. Routing lives in ec2-routing.ts.
 */
import type {
  DescribeDhcpOptionsRequest,
  DescribeNetworkAclsRequest,
  DescribeNetworkInterfacesRequest,
  DescribeSecurityGroupsRequest,
  DescribeSubnetsRequest,
  DescribeVpcAttributeRequest,
  DescribeVpcsRequest,
} from '@aws-sdk/client-ec2';
import type { Handlers, SimContext } from './context.ts';
import { describe, notFound, rejectMaxResultsWithIds } from './ec2-lookup.ts';
import { awsError } from './errors.ts';
import type { FilterSpec } from './filters.ts';
import type {
  WorldDhcpOptions,
  WorldNetworkAcl,
  WorldNetworkInterface,
  WorldSecurityGroup,
  WorldSubnet,
  WorldVpc,
} from './world-types.ts';

const VPC_FILTERS: FilterSpec<WorldVpc> = {
  'vpc-id': (v) => v.VpcId,
  state: (v) => v.State,
  cidr: (v) => v.CidrBlock,
  'cidr-block-association.cidr-block': (v) => (v.CidrBlockAssociationSet ?? []).map((a) => a.CidrBlock),
  'dhcp-options-id': (v) => v.DhcpOptionsId,
  'is-default': (v) => v.IsDefault,
  'owner-id': (v) => v.OwnerId,
};

function describeVpcs(input: DescribeVpcsRequest, ctx: SimContext) {
  const ids = { kind: 'vpc' as const, values: input.VpcIds, of: (v: WorldVpc) => v.VpcId };
  const { items, NextToken } = describe('DescribeVpcs', ctx.world.ec2.Vpcs, ids, input, VPC_FILTERS);
  return { Vpcs: items, NextToken };
}

/** From the world's `EnableDnsSupport` / `EnableDnsHostnames` booleans (default true, as in a default VPC). */
function describeVpcAttribute(input: DescribeVpcAttributeRequest, ctx: SimContext) {
  const vpc = ctx.world.ec2.Vpcs.find((v) => v.VpcId === input.VpcId);
  if (!vpc) throw notFound('vpc', [input.VpcId ?? '']);
  switch (input.Attribute) {
    case 'enableDnsSupport':
      return { VpcId: vpc.VpcId, EnableDnsSupport: { Value: vpc.EnableDnsSupport ?? true } };
    case 'enableDnsHostnames':
      return { VpcId: vpc.VpcId, EnableDnsHostnames: { Value: vpc.EnableDnsHostnames ?? true } };
    case 'enableNetworkAddressUsageMetrics':
      return { VpcId: vpc.VpcId, EnableNetworkAddressUsageMetrics: { Value: false } };
    default:
      throw awsError(
        'ec2',
        'InvalidParameterValue',
        `Value (${input.Attribute}) for parameter attribute is invalid.`,
      );
  }
}

const SUBNET_FILTERS: FilterSpec<WorldSubnet> = {
  'subnet-id': (s) => s.SubnetId,
  'vpc-id': (s) => s.VpcId,
  state: (s) => s.State,
  'availability-zone': (s) => s.AvailabilityZone,
  'availability-zone-id': (s) => s.AvailabilityZoneId,
  'cidr-block': (s) => s.CidrBlock,
  'default-for-az': (s) => s.DefaultForAz,
  'map-public-ip-on-launch': (s) => s.MapPublicIpOnLaunch,
  'owner-id': (s) => s.OwnerId,
};

function describeSubnets(input: DescribeSubnetsRequest, ctx: SimContext) {
  const ids = { kind: 'subnet' as const, values: input.SubnetIds, of: (s: WorldSubnet) => s.SubnetId };
  const { items, NextToken } = describe('DescribeSubnets', ctx.world.ec2.Subnets, ids, input, SUBNET_FILTERS);
  return { Subnets: items, NextToken };
}

const ENI_FILTERS: FilterSpec<WorldNetworkInterface> = {
  'network-interface-id': (n) => n.NetworkInterfaceId,
  'vpc-id': (n) => n.VpcId,
  'subnet-id': (n) => n.SubnetId,
  'availability-zone': (n) => n.AvailabilityZone,
  'attachment.instance-id': (n) => n.Attachment?.InstanceId,
  'attachment.attachment-id': (n) => n.Attachment?.AttachmentId,
  'group-id': (n) => (n.Groups ?? []).map((g) => g.GroupId),
  'interface-type': (n) => n.InterfaceType,
  'private-ip-address': (n) => [
    n.PrivateIpAddress,
    ...(n.PrivateIpAddresses ?? []).map((a) => a.PrivateIpAddress),
  ],
  'requester-id': (n) => n.RequesterId,
  'requester-managed': (n) => n.RequesterManaged,
  status: (n) => n.Status,
  description: (n) => n.Description,
  'owner-id': (n) => n.OwnerId,
};

function describeNetworkInterfaces(input: DescribeNetworkInterfacesRequest, ctx: SimContext) {
  rejectMaxResultsWithIds(input, input.NetworkInterfaceIds, 'networkInterfaceId');
  const ids = {
    kind: 'networkInterface' as const,
    values: input.NetworkInterfaceIds,
    of: (n: WorldNetworkInterface) => n.NetworkInterfaceId,
  };
  const { items, NextToken } = describe(
    'DescribeNetworkInterfaces',
    ctx.world.ec2.NetworkInterfaces,
    ids,
    input,
    ENI_FILTERS,
  );
  return { NetworkInterfaces: items, NextToken };
}

function describeSecurityGroups(input: DescribeSecurityGroupsRequest, ctx: SimContext) {
  rejectMaxResultsWithIds(input, input.GroupIds, 'groupId');
  let groups = ctx.world.ec2.SecurityGroups;
  if (input.GroupNames?.length) {
    const unknown = input.GroupNames.filter((name) => !groups.some((g) => g.GroupName === name));
    if (unknown.length)
      throw awsError('ec2', 'InvalidGroup.NotFound', `The security group '${unknown[0]}' does not exist`);
    groups = groups.filter((g) => input.GroupNames?.includes(g.GroupName ?? ''));
  }
  const ids = {
    kind: 'securityGroup' as const,
    values: input.GroupIds,
    of: (g: WorldSecurityGroup) => g.GroupId,
  };
  const { items, NextToken } = describe('DescribeSecurityGroups', groups, ids, input, {
    'group-id': (g) => g.GroupId,
    'group-name': (g) => g.GroupName,
    'vpc-id': (g) => g.VpcId,
    description: (g) => g.Description,
    'owner-id': (g) => g.OwnerId,
  });
  return { SecurityGroups: items, NextToken };
}

function describeNetworkAcls(input: DescribeNetworkAclsRequest, ctx: SimContext) {
  const ids = {
    kind: 'networkAcl' as const,
    values: input.NetworkAclIds,
    of: (a: WorldNetworkAcl) => a.NetworkAclId,
  };
  const { items, NextToken } = describe('DescribeNetworkAcls', ctx.world.ec2.NetworkAcls, ids, input, {
    'network-acl-id': (a) => a.NetworkAclId,
    'vpc-id': (a) => a.VpcId,
    default: (a) => a.IsDefault,
    'association.subnet-id': (a) => (a.Associations ?? []).map((x) => x.SubnetId),
    'association.association-id': (a) => (a.Associations ?? []).map((x) => x.NetworkAclAssociationId),
    'association.network-acl-id': (a) => (a.Associations ?? []).map((x) => x.NetworkAclId),
    'owner-id': (a) => a.OwnerId,
  });
  return { NetworkAcls: items, NextToken };
}

function describeDhcpOptions(input: DescribeDhcpOptionsRequest, ctx: SimContext) {
  const ids = {
    kind: 'dhcpOptions' as const,
    values: input.DhcpOptionsIds,
    of: (d: WorldDhcpOptions) => d.DhcpOptionsId,
  };
  const { items, NextToken } = describe('DescribeDhcpOptions', ctx.world.ec2.DhcpOptions, ids, input, {
    'dhcp-options-id': (d) => d.DhcpOptionsId,
    key: (d) => (d.DhcpConfigurations ?? []).map((c) => c.Key),
    value: (d) => (d.DhcpConfigurations ?? []).flatMap((c) => (c.Values ?? []).map((v) => v.Value)),
    'owner-id': (d) => d.OwnerId,
  });
  return { DhcpOptions: items, NextToken };
}

export const ec2NetworkHandlers: Handlers = {
  DescribeVpcs: describeVpcs,
  DescribeVpcAttribute: describeVpcAttribute,
  DescribeSubnets: describeSubnets,
  DescribeNetworkInterfaces: describeNetworkInterfaces,
  DescribeSecurityGroups: describeSecurityGroups,
  DescribeNetworkAcls: describeNetworkAcls,
  DescribeDhcpOptions: describeDhcpOptions,
};
