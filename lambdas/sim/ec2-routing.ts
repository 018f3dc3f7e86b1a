/**
 * EC2 reads about where a subnet's traffic can go: route tables, internet and NAT gateways, and
 * VPC endpoints, each with the ids, filters and page sizes the EC2 API reference gives.
 */
import type {
  DescribeInternetGatewaysRequest,
  DescribeNatGatewaysRequest,
  DescribeRouteTablesRequest,
  DescribeVpcEndpointsRequest,
} from '@aws-sdk/client-ec2';
import type { Handlers, SimContext } from './context.ts';
import { describe } from './ec2-lookup.ts';
import type { FilterSpec } from './filters.ts';
import type {
  WorldInternetGateway,
  WorldNatGateway,
  WorldRouteTable,
  WorldVpcEndpoint,
} from './world-types.ts';

const ROUTE_TABLE_FILTERS: FilterSpec<WorldRouteTable> = {
  'route-table-id': (t) => t.RouteTableId,
  'vpc-id': (t) => t.VpcId,
  'association.subnet-id': (t) => (t.Associations ?? []).map((a) => a.SubnetId),
  'association.main': (t) => (t.Associations ?? []).map((a) => a.Main ?? false),
  'association.route-table-association-id': (t) =>
    (t.Associations ?? []).map((a) => a.RouteTableAssociationId),
  'association.route-table-id': (t) => (t.Associations ?? []).map((a) => a.RouteTableId),
  'association.gateway-id': (t) => (t.Associations ?? []).map((a) => a.GatewayId),
  'route.destination-cidr-block': (t) => (t.Routes ?? []).map((r) => r.DestinationCidrBlock),
  'route.gateway-id': (t) => (t.Routes ?? []).map((r) => r.GatewayId),
  'route.nat-gateway-id': (t) => (t.Routes ?? []).map((r) => r.NatGatewayId),
  'route.transit-gateway-id': (t) => (t.Routes ?? []).map((r) => r.TransitGatewayId),
  'route.vpc-peering-connection-id': (t) => (t.Routes ?? []).map((r) => r.VpcPeeringConnectionId),
  'route.state': (t) => (t.Routes ?? []).map((r) => r.State),
  'owner-id': (t) => t.OwnerId,
};

function describeRouteTables(input: DescribeRouteTablesRequest, ctx: SimContext) {
  const ids = {
    kind: 'routeTable' as const,
    values: input.RouteTableIds,
    of: (t: WorldRouteTable) => t.RouteTableId,
  };
  const limits = { min: 5, max: 100, defaultSize: Number.POSITIVE_INFINITY };
  const { items, NextToken } = describe(
    'DescribeRouteTables',
    ctx.world.ec2.RouteTables,
    ids,
    input,
    ROUTE_TABLE_FILTERS,
    limits,
  );
  return { RouteTables: items, NextToken };
}

function describeInternetGateways(input: DescribeInternetGatewaysRequest, ctx: SimContext) {
  const ids = {
    kind: 'internetGateway' as const,
    values: input.InternetGatewayIds,
    of: (g: WorldInternetGateway) => g.InternetGatewayId,
  };
  const { items, NextToken } = describe(
    'DescribeInternetGateways',
    ctx.world.ec2.InternetGateways,
    ids,
    input,
    {
      'internet-gateway-id': (g) => g.InternetGatewayId,
      'attachment.vpc-id': (g) => (g.Attachments ?? []).map((a) => a.VpcId),
      'attachment.state': (g) => (g.Attachments ?? []).map((a) => a.State),
      'owner-id': (g) => g.OwnerId,
    },
  );
  return { InternetGateways: items, NextToken };
}

/** DescribeNatGateways takes `Filter` (singular) where the other Describe calls take `Filters`. */
function describeNatGateways(input: DescribeNatGatewaysRequest, ctx: SimContext) {
  const ids = {
    kind: 'natGateway' as const,
    values: input.NatGatewayIds,
    of: (g: WorldNatGateway) => g.NatGatewayId,
  };
  const { items, NextToken } = describe(
    'DescribeNatGateways',
    ctx.world.ec2.NatGateways,
    ids,
    { Filters: input.Filter, MaxResults: input.MaxResults, NextToken: input.NextToken },
    {
      'nat-gateway-id': (g) => g.NatGatewayId,
      'vpc-id': (g) => g.VpcId,
      'subnet-id': (g) => g.SubnetId,
      state: (g) => g.State,
    },
  );
  return { NatGateways: items, NextToken };
}

/** "If the value is greater than 1,000, we return only 1,000 items": larger pages are capped, not refused. */
function describeVpcEndpoints(input: DescribeVpcEndpointsRequest, ctx: SimContext) {
  const ids = {
    kind: 'vpcEndpoint' as const,
    values: input.VpcEndpointIds,
    of: (e: WorldVpcEndpoint) => e.VpcEndpointId,
  };
  const capped = {
    ...input,
    MaxResults: input.MaxResults === undefined ? undefined : Math.min(input.MaxResults, 1000),
  };
  const limits = { min: 1, max: 1000, defaultSize: 1000 };
  const { items, NextToken } = describe(
    'DescribeVpcEndpoints',
    ctx.world.ec2.VpcEndpoints,
    ids,
    capped,
    {
      'vpc-endpoint-id': (e) => e.VpcEndpointId,
      'vpc-id': (e) => e.VpcId,
      'service-name': (e) => e.ServiceName,
      'vpc-endpoint-type': (e) => e.VpcEndpointType,
      // The API reports states in lowercase (`available`); worlds may use the SDK enum's `Available`.
      'vpc-endpoint-state': (e) => e.State.charAt(0).toLowerCase() + e.State.slice(1),
    },
    limits,
  );
  return { VpcEndpoints: items, NextToken };
}

export const ec2RoutingHandlers: Handlers = {
  DescribeRouteTables: describeRouteTables,
  DescribeInternetGateways: describeInternetGateways,
  DescribeNatGateways: describeNatGateways,
  DescribeVpcEndpoints: describeVpcEndpoints,
};
