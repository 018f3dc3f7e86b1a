/**
 * What a route table does with traffic to the internet: the `0.0.0.0/0` route is followed (IPv4
 * only). A more specific route towards public addresses is not modelled, but it is named
 * (`publicDetours`), because it may carry the services' traffic somewhere else.
 */
import type { Route, RouteTable } from '@aws-sdk/client-ec2';
import { isNonPublicCidr } from './ipv4.ts';

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

/**
 * Active routes, other than the default and `local`, whose destination may hold public addresses
 * (a public CIDR, or a prefix list not served by a gateway endpoint) and that lead somewhere else
 * than the default route does: traffic to the SSM endpoints could take them instead.
 */
export function publicDetours(table: RouteTable): { destination: string; targetId: string }[] {
  const defaultTarget = table.Routes?.find((r) => r.DestinationCidrBlock === '0.0.0.0/0');
  const defaultId = defaultTarget ? targetIdOf(defaultTarget) : undefined;
  return (table.Routes ?? []).flatMap((route) => {
    if (route.State === 'blackhole' || route.GatewayId === 'local') return [];
    const targetId = targetIdOf(route);
    if (targetId === defaultId) return [];
    const cidr = route.DestinationCidrBlock;
    if (cidr) return cidr === '0.0.0.0/0' || isNonPublicCidr(cidr) ? [] : [{ destination: cidr, targetId }];
    const prefixList = route.DestinationPrefixListId;
    // S3 and DynamoDB gateway endpoints add prefix-list routes to `vpce-` targets: not the SSM services.
    return prefixList && !targetId.startsWith('vpce-') ? [{ destination: prefixList, targetId }] : [];
  });
}
