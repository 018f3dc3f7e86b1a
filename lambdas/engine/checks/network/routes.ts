/**
 * What a route table does with traffic to the internet: only the `0.0.0.0/0` route is followed
 * (IPv4 only; more specific routes towards AWS address ranges are not modelled).
 */
import type { Route, RouteTable } from '@aws-sdk/client-ec2';

export type DefaultRoute =
  | { kind: 'none' }
  | { kind: 'blackhole'; targetId: string }
  | { kind: 'internet-gateway'; targetId: string }
  | { kind: 'nat-gateway'; targetId: string }
  /** A target whose far side this VPC's picture does not show. */
  | { kind: 'elsewhere'; targetId: string; targetType: string };

const ELSEWHERE: ReadonlyArray<[keyof Route, string]> = [
  ['TransitGatewayId', 'transit gateway'],
  ['VpcPeeringConnectionId', 'VPC peering connection'],
  ['InstanceId', 'instance'],
  ['NetworkInterfaceId', 'network interface'],
  ['LocalGatewayId', 'local gateway'],
  ['CarrierGatewayId', 'carrier gateway'],
  ['CoreNetworkArn', 'Cloud WAN core network'],
];

export function defaultRouteOf(table: RouteTable): DefaultRoute {
  const route = table.Routes?.find((candidate) => candidate.DestinationCidrBlock === '0.0.0.0/0');
  if (!route) return { kind: 'none' };
  const targetId = targetIdOf(route);
  if (route.State === 'blackhole') return { kind: 'blackhole', targetId };
  if (route.GatewayId?.startsWith('igw-')) return { kind: 'internet-gateway', targetId: route.GatewayId };
  if (route.NatGatewayId) return { kind: 'nat-gateway', targetId: route.NatGatewayId };
  if (route.GatewayId?.startsWith('vgw-')) {
    return { kind: 'elsewhere', targetId: route.GatewayId, targetType: 'virtual private gateway' };
  }
  for (const [key, targetType] of ELSEWHERE) {
    const value = route[key];
    if (typeof value === 'string' && value) return { kind: 'elsewhere', targetId: value, targetType };
  }
  return { kind: 'elsewhere', targetId, targetType: 'target' };
}

function targetIdOf(route: Route): string {
  return (
    route.GatewayId ??
    route.NatGatewayId ??
    route.TransitGatewayId ??
    route.VpcPeeringConnectionId ??
    route.NetworkInterfaceId ??
    route.InstanceId ??
    route.LocalGatewayId ??
    route.CarrierGatewayId ??
    route.CoreNetworkArn ??
    'an unnamed target'
  );
}
